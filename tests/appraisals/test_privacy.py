"""Private notes are visible only to their author manager: not the staff
member, a later manager, HR or superusers, through any page, admin or API."""

import pytest
from django.contrib import admin
from django.urls import reverse

from appraisals import selectors, services
from appraisals.models import PrivateNote
from tests.conftest import make_persona

pytestmark = pytest.mark.django_db

SECRET = "SECRET-NOTE"


def _all_pages(conversation, person):
    return [
        reverse("appraisals:index"),
        reverse("appraisals:dashboard"),
        reverse("appraisals:timeline", args=[person.pk]),
        reverse("appraisals:conversation_detail", args=[conversation.pk]),
        reverse("appraisals:conversation_edit", args=[conversation.pk]),
        reverse("appraisals:private_note_list"),
        reverse("appraisals:shout_out_list"),
        reverse("appraisals:feedback_index"),
        reverse("appraisals:coverage"),
        "/",
        "/people/me/",
        f"/people/{person.pk}/",
    ]


def test_the_author_manager_sees_their_private_note(
    private_note, recorded, line_manager, client_for
):
    body = (
        client_for(line_manager)
        .get(reverse("appraisals:conversation_detail", args=[recorded.pk]))
        .content.decode()
    )
    assert SECRET in body
    assert (
        SECRET
        in client_for(line_manager).get(reverse("appraisals:private_note_list")).content.decode()
    )


@pytest.mark.parametrize("who", ["staff", "colleague", "hr_admin", "superuser", "new_manager"])
def test_nobody_else_sees_a_private_note_on_any_page(
    who, private_note, recorded, staff, colleague, hr_admin, organisation, team, client_for, request
):
    if who == "superuser":
        user = request.getfixturevalue("superuser")
    elif who == "new_manager":
        user = make_persona(
            organisation, team, "new.manager@wigan.gov.uk", first_name="Nia", last_name="Cole"
        )
        staff.person.line_manager = user.person
        staff.person.save()
    else:
        user = {"staff": staff, "colleague": colleague, "hr_admin": hr_admin}[who]
    client = client_for(user)
    for url in _all_pages(recorded, staff.person):
        response = client.get(url)
        assert SECRET not in response.content.decode(), url
    assert not selectors.my_private_notes(user=user).exists()
    assert not PrivateNote.objects.visible_to(user).exists()


def test_hr_with_break_glass_sees_the_shared_record_but_never_private_notes(
    private_note, recorded, staff, hr_admin, client_for
):
    client = client_for(hr_admin)
    url = reverse("appraisals:conversation_detail", args=[recorded.pk])
    assert client.get(url).status_code == 404
    services.break_glass_open(
        actor=hr_admin, person=staff.person, reason="Formal grievance reference GR-2026-14"
    )
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "My course" in body  # the shared record
    assert SECRET not in body


def test_private_notes_are_not_in_django_admin_or_wagtail_snippets():
    assert PrivateNote not in admin.site._registry
    from wagtail.snippets.models import get_snippet_models

    assert PrivateNote not in get_snippet_models()


def test_change_of_manager_shows_history_but_not_the_previous_managers_notes(
    private_note, recorded, staff, line_manager, organisation, team, client_for
):
    new_manager = make_persona(
        organisation, team, "new.manager@wigan.gov.uk", first_name="Nia", last_name="Cole"
    )
    staff.person.line_manager = new_manager.person
    staff.person.save()
    client = client_for(new_manager)
    response = client.get(reverse("appraisals:conversation_detail", args=[recorded.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "My course" in body and SECRET not in body
    assert "Your private notes" not in body  # cannot write on the previous manager's record
    timeline = client.get(reverse("appraisals:timeline", args=[staff.person.pk]))
    assert timeline.status_code == 200
    # the previous manager no longer sees the shared record, but keeps their own notes
    old = client_for(line_manager)
    assert old.get(reverse("appraisals:conversation_detail", args=[recorded.pk])).status_code == 404
    assert SECRET in old.get(reverse("appraisals:private_note_list")).content.decode()


def test_the_new_manager_cannot_write_a_note_on_a_record_held_by_someone_else(
    recorded, staff, organisation, team, client_for
):
    new_manager = make_persona(
        organisation, team, "new.manager@wigan.gov.uk", first_name="Nia", last_name="Cole"
    )
    staff.person.line_manager = new_manager.person
    staff.person.save()
    response = client_for(new_manager).post(
        reverse("appraisals:private_note", args=[recorded.pk]), {"text": "mine"}
    )
    assert response.status_code == 403
    assert not PrivateNote.objects.exists()


def test_the_staff_member_cannot_write_a_private_note(recorded, staff, client_for):
    response = client_for(staff).post(
        reverse("appraisals:private_note", args=[recorded.pk]), {"text": "x"}
    )
    assert response.status_code == 403
