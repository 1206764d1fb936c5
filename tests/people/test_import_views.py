"""The HR admin upload, preview and confirm pages, and who may not use them."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from bewigan.core.models import AuditEntry
from bewigan.people.importing.models import PeopleImport
from bewigan.people.models import Person
from tests.conftest import make_persona

from .import_files import csv_bytes, hierarchy_rows, person_row, xlsx_bytes

pytestmark = pytest.mark.django_db
UPLOAD = reverse("people:import_upload")


def imported() -> int:
    return Person.objects.filter(user__email__startswith="person").count()


def upload_file(client, content, name="people.csv", follow=False, **data):
    f = io.BytesIO(content)
    f.name = name
    return client.post(UPLOAD, {"file": f, **data}, follow=follow)


@pytest.fixture
def hr(client_for, hr_admin):
    return client_for(hr_admin)


def test_hr_admin_uploads_previews_and_confirms(hr, hr_admin, team):
    response = upload_file(hr, csv_bytes(hierarchy_rows(6)))
    people_import = PeopleImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("people:import_preview", args=[people_import.pk])
    assert imported() == 0  # not yet

    page = hr.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<h1") == 1
    assert "Import 6 changes" in html
    assert "govuk-error-summary" not in html

    response = hr.post(reverse("people:import_confirm", args=[people_import.pk]))
    assert response.status_code == 302
    assert imported() == 6
    people_import.refresh_from_db()
    assert people_import.status == "applied" and bytes(people_import.content) == b""
    result = hr.get(response.url).content.decode()
    assert "People imported" in result and "6 changes" in result
    entry = AuditEntry.objects.get(action="import")
    assert entry.actor == hr_admin and entry.details["counts"]["new"] == 6


def test_confirming_twice_does_nothing_the_second_time(hr, team):
    upload_file(hr, csv_bytes(hierarchy_rows(3)))
    people_import = PeopleImport.objects.get()
    confirm = reverse("people:import_confirm", args=[people_import.pk])
    hr.post(confirm)
    response = hr.post(confirm, follow=True)
    assert "expired or was already used" in response.content.decode()
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_an_expired_preview_cannot_be_confirmed(hr, team):
    upload_file(hr, csv_bytes(hierarchy_rows(3)))
    PeopleImport.objects.update(created_at=timezone.now() - datetime.timedelta(days=1))
    people_import = PeopleImport.objects.get()
    hr.post(reverse("people:import_confirm", args=[people_import.pk]))
    assert imported() == 0


def test_a_tampered_stored_file_is_refused(hr, team):
    upload_file(hr, csv_bytes(hierarchy_rows(3)))
    PeopleImport.objects.update(content=csv_bytes(hierarchy_rows(9)))
    people_import = PeopleImport.objects.get()
    response = hr.post(reverse("people:import_confirm", args=[people_import.pk]), follow=True)
    assert "does not match what you previewed" in response.content.decode()
    assert imported() == 0


def test_the_database_is_checked_again_at_confirmation(hr, team, line_manager):
    number = line_manager.person.employee_number
    upload_file(hr, csv_bytes([person_row(1), person_row(2, line_manager_employee_number=number)]))
    people_import = PeopleImport.objects.get()
    # The manager's record goes between preview and confirm.
    line_manager.person.delete()
    response = hr.post(reverse("people:import_confirm", args=[people_import.pk]), follow=True)
    html = response.content.decode()
    assert f"Row 3: line manager {number} (Wigan Council) is not in the file or in BeWigan" in html
    assert imported() == 0


def test_cancel_discards_the_upload(hr, team):
    upload_file(hr, csv_bytes(hierarchy_rows(3)))
    people_import = PeopleImport.objects.get()
    hr.post(reverse("people:import_discard", args=[people_import.pk]))
    people_import.refresh_from_db()
    assert people_import.status == "discarded" and bytes(people_import.content) == b""


def test_preview_shows_row_numbered_errors_in_a_summary_and_table(hr, team):
    rows = hierarchy_rows(5)
    rows[2]["email"] = "broken"
    rows[4]["team_codes"] = "nope"
    response = upload_file(hr, csv_bytes(rows), follow=True)
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'href="#import-error-1"' in html and 'id="import-error-1"' in html
    assert "Row 4: email &#x27;broken&#x27; is not a valid email address" in html
    assert "Row 6: team code nope is not known" in html
    assert "Import " not in html.split("<main", 1)[1].split("</main>")[0].replace(
        "Import people", ""
    )


def test_a_file_with_nothing_new_says_so(hr, team):
    rows = hierarchy_rows(3)
    upload_file(hr, csv_bytes(rows))
    hr.post(reverse("people:import_confirm", args=[PeopleImport.objects.get().pk]))
    response = upload_file(hr, csv_bytes(rows), follow=True)
    assert "Nothing to change" in response.content.decode()


def test_xlsx_upload(hr, team):
    response = upload_file(hr, xlsx_bytes(hierarchy_rows(4)), name="people.xlsx", follow=True)
    assert "Import 4 changes" in response.content.decode()


def test_upload_over_the_size_limit_is_refused(hr, team, settings):
    settings.BEWIGAN_IMPORT_MAX_BYTES = 1024 * 1024
    content = csv_bytes(hierarchy_rows(3)) + b"#" * (1024 * 1024)
    response = upload_file(hr, content)
    assert response.status_code == 200
    assert "must be smaller than 1 MB" in response.content.decode()
    assert not PeopleImport.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.txt", b"employee_number\n1\n", "must be a CSV or XLSX file"),
        ("people.xlsx", b"employee_number,organisation\n", "not a real XLSX spreadsheet"),
        ("people.csv", b"PK\x03\x04\x00\x00binary", "not a CSV file"),
        ("people.csv", b"%PDF-1.7 not a spreadsheet", "not a CSV file"),
        ("people.csv", b"name,colour\nAda,red\n", "must have a header row with the columns"),
    ],
)
def test_wrong_or_disguised_file_types_are_refused(hr, team, name, content, message):
    response = upload_file(hr, content, name=name)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "govuk-error-summary" in html
    assert not PeopleImport.objects.exists()


@pytest.mark.parametrize("persona", ["staff", "line_manager", "survey_admin", "comms_editor"])
def test_people_without_the_hr_admin_role_are_refused(client_for, request, persona, hr_admin, team):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(UPLOAD).status_code == 403
    assert upload_file(client, csv_bytes(hierarchy_rows(2))).status_code == 403
    assert client.get(reverse("people:import_example")).status_code == 403
    # Nor can they see or confirm an HR admin's upload.
    people_import = PeopleImport.objects.create(
        uploaded_by=hr_admin, filename="x.csv", content=b"x", sha256="0" * 64
    )
    assert client.get(reverse("people:import_preview", args=[people_import.pk])).status_code == 403
    assert client.post(reverse("people:import_confirm", args=[people_import.pk])).status_code == 403


def test_another_hr_admin_cannot_see_or_confirm_my_upload(
    client_for, hr, hr_admin, organisation, team, settings
):
    upload_file(hr, csv_bytes(hierarchy_rows(3)))
    people_import = PeopleImport.objects.get()
    other = make_persona(organisation, team, "hr2@wigan.gov.uk", ["HR admin"])
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [*settings.BEWIGAN_MFA_EXEMPT_EMAILS, other.email]
    hr.logout()
    client = client_for(other)
    assert client.get(reverse("people:import_preview", args=[people_import.pk])).status_code == 404
    assert client.post(reverse("people:import_confirm", args=[people_import.pk])).status_code == 404
    assert client.post(reverse("people:import_discard", args=[people_import.pk])).status_code == 404
    assert imported() == 0


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_confirm_only_accepts_post(hr, team):
    upload_file(hr, csv_bytes(hierarchy_rows(2)))
    assert (
        hr.get(reverse("people:import_confirm", args=[PeopleImport.objects.get().pk])).status_code
        == 405
    )


def test_hr_admin_can_download_the_example_file(hr):
    response = hr.get(reverse("people:import_example"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"employee_number,organisation,email")


def test_upload_page_lists_the_columns(hr):
    html = hr.get(UPLOAD).content.decode()
    assert html.count("<h1") == 1
    assert "line_manager_organisation" in html and 'enctype="multipart/form-data"' in html


@pytest.mark.parametrize("size", [5, 400])
def test_preview_query_count_does_not_grow_with_errors(
    hr, team, size, django_assert_max_num_queries
):
    rows = hierarchy_rows(size)
    for row in rows:
        row["team_codes"] = "nope"
    upload_file(hr, csv_bytes(rows))
    url = reverse("people:import_preview", args=[PeopleImport.objects.get().pk])
    with django_assert_max_num_queries(8):
        response = hr.get(url)
    assert response.status_code == 200


def test_stale_unconfirmed_uploads_are_wiped_by_the_next_upload(hr, client_for, team, settings):
    upload_file(hr, csv_bytes(hierarchy_rows(3)))
    PeopleImport.objects.update(created_at=timezone.now() - datetime.timedelta(days=1))
    stale = PeopleImport.objects.get()
    upload_file(hr, csv_bytes(hierarchy_rows(2)))
    stale.refresh_from_db()
    assert stale.status == "discarded" and bytes(stale.content) == b""
    assert PeopleImport.objects.pending().count() == 1


def test_a_full_organisation_file_without_the_uploader_is_refused(hr, hr_admin, team):
    response = upload_file(hr, csv_bytes(hierarchy_rows(3)), full_organisation="on", follow=True)
    html = response.content.decode()
    assert "would mark you as a leaver" in html
    assert "Import " not in html.split("<main", 1)[1].replace("Import people", "")
    hr_admin.refresh_from_db()
    assert hr_admin.is_active


def test_a_full_organisation_preview_warns_how_many_will_leave(hr, hr_admin, staff, team):
    me = person_row(
        99,
        employee_number=hr_admin.person.employee_number,
        email=hr_admin.email,
        first_name="Helen",
        last_name="Barker",
    )
    response = upload_file(
        hr, csv_bytes([*hierarchy_rows(3), me]), full_organisation="on", follow=True
    )
    html = response.content.decode()
    # staff and their line manager are in Wigan Council but not in the file.
    assert "2 people not in it will be marked as leavers today" in html
