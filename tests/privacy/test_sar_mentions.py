"""Nothing about other people leaves without review: names of other staff and
candidates in free text become mentions, the download waits until each is
decided, and redacted names are gone from the HTML and the JSON."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bewigan.core.models import AuditEntry
from bewigan.privacy import sar as services
from bewigan.privacy.models import SubjectAccessMention, SubjectAccessRequest
from bewigan.privacy.sar_names import REDACTED, NameIndex, find_mentions, redact
from tests.appraisals.factories import ConversationFactory, ShoutOutFactory
from tests.privacy.sar_fixtures import *  # noqa: F403
from tests.privacy.sar_fixtures import decide, open_pack, section, start
from tests.recruitment.factories import CandidateFactory

pytestmark = pytest.mark.django_db

Status = SubjectAccessRequest.Status


@pytest.fixture
def comment_naming_a_colleague(staff, line_manager, colleague):
    return ConversationFactory(
        person=staff.person,
        manager=line_manager.person,
        meeting_date=timezone.localdate() - datetime.timedelta(days=10),
        staff_comments="kai ward covered my visits while I was off. Thanks to Kai for that.",
        recorded_at=timezone.now(),
    )


def test_another_persons_name_in_a_my_time_comment_is_a_mention(
    comment_naming_a_colleague, staff, dpo
):
    sar = start(dpo, person=staff.person)
    assert sar.status == Status.REVIEW
    assert sar.archive is None
    mention = sar.mentions.get()
    assert mention.name == "Kai Ward" and mention.section == "My time conversations"
    assert mention.decision == SubjectAccessMention.Decision.PENDING
    assert mention.occurrences == 2 and set(mention.forms) == {"kai ward", "Kai"}
    assert "covered my visits" in mention.excerpt


def test_download_is_refused_until_every_mention_is_decided(
    comment_naming_a_colleague, staff, dpo, client_for
):
    sar = start(dpo, person=staff.person)
    client = client_for(dpo)
    url = reverse("privacy:sar_download", args=[sar.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("privacy:sar_detail", args=[sar.pk])
    )
    assert "attachment" not in response.get("Content-Disposition", "")
    with pytest.raises(services.PackNotReady):
        services.sar_download(actor=dpo, sar=sar)
    assert not AuditEntry.objects.filter(reason__contains="pack downloaded").exists()


def test_a_redacted_name_is_absent_from_the_archive(
    comment_naming_a_colleague, staff, dpo, client_for
):
    sar = decide(start(dpo, person=staff.person), dpo, "redact")
    assert sar.status == Status.READY
    response = client_for(dpo).get(reverse("privacy:sar_download", args=[sar.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    html, data, _ = open_pack(response.content)
    for text in (html, str(data)):
        assert "Kai" not in text and "kai ward" not in text.lower()
    comment = section(data, "my_time")["records"][0]["staff_comments"]
    assert (
        comment == f"{REDACTED} covered my visits while I was off. Thanks to {REDACTED} for that."
    )
    assert REDACTED in html
    assert data["redaction"] == {
        "replacement": REDACTED,
        "names_redacted": 1,
        "replacements": 2,
    }


def test_a_released_name_stays_and_changing_the_decision_rebuilds(
    comment_naming_a_colleague, staff, dpo
):
    sar = decide(start(dpo, person=staff.person), dpo, "release")
    assert sar.status == Status.READY
    html, data, _ = open_pack(sar.archive)
    assert "kai ward covered my visits" in html and "Kai" in str(data)
    sar = decide(sar, dpo, "redact")
    assert sar.status == Status.READY
    html, data, _ = open_pack(sar.archive)
    assert "Kai" not in html and "Kai" not in str(data)


def test_each_decision_is_audited_with_the_reference(comment_naming_a_colleague, staff, dpo):
    sar = decide(start(dpo, person=staff.person), dpo, "redact")
    entries = AuditEntry.objects.filter(
        object_type="privacy.subjectaccessrequest", object_id=str(sar.pk)
    )
    decision = entries.get(reason__contains="review decision")
    assert decision.actor == dpo and decision.subject == staff
    assert decision.details["reference"] == "SAR-2026-001"
    assert decision.details["decision"] == "redact"
    assert "Kai" not in str(decision.details)  # the audit log does not repeat the name
    reasons = list(entries.order_by("id").values_list("reason", flat=True))
    assert reasons == [
        "Subject access SAR-2026-001: Subject access request recorded",
        "Subject access SAR-2026-001: records collected",
        "Subject access SAR-2026-001: review decision: redact",
        "Subject access SAR-2026-001: archive built",
    ]


def test_names_in_every_free_text_kind_are_found(staff, colleague, dpo, organisation):
    candidate = CandidateFactory(
        vacancy__organisation=organisation, first_name="Zara", last_name="Ahmed"
    )
    ShoutOutFactory(
        giver=colleague.person,
        recipient=staff.person,
        message=f"Great handover with {candidate.first_name} {candidate.last_name} today",
    )
    sar = start(dpo, person=staff.person)
    mention = sar.mentions.get()
    assert (mention.name, mention.section) == ("Zara Ahmed", "Shout-outs you received")


def test_partial_words_and_the_subjects_own_name_are_not_mentions():
    index = NameIndex.build(
        everyone=[("Kai", "Ward"), ("Sam", "Turner"), ("Ann", "Lee")],
        connected=[("Kai", "Ward"), ("Sam", "Turner")],
        subject_names=[("Sam", "Turner")],
    )
    assert index.find("Sam Turner and Sam met Kaiser Wardle and Annie Leeds") == []
    hits = index.find("KAI WARD, then Kai, then ann lee; kai in lower case is not a name")
    assert [(name, words) for name, words, *_ in hits] == [
        ("Kai Ward", "KAI WARD"),
        ("Kai Ward", "Kai"),
        ("Ann Lee", "ann lee"),
    ]


def test_a_first_name_shared_by_two_connected_people_is_not_guessed():
    index = NameIndex.build(
        everyone=[("Kai", "Ward"), ("Kai", "Brown")],
        connected=[("Kai", "Ward"), ("Kai", "Brown")],
        subject_names=[("Sam", "Turner")],
    )
    assert index.find("Kai helped") == []
    assert [h[0] for h in index.find("Kai Brown helped")] == ["Kai Brown"]


def test_redaction_replaces_whole_words_in_the_sections_free_text_only():
    sections = [
        {
            "key": "a",
            "title": "A",
            "fields": [["who", "Who", "text"], ["text", "Text", "free"]],
            "records": [{"who": "Kai Ward", "text": "Kai and Kaiser; Kai."}],
        },
        {
            "key": "b",
            "title": "B",
            "fields": [["text", "Text", "free"]],
            "records": [{"text": "Kai"}],
        },
    ]
    assert find_mentions(sections, NameIndex(first={"Kai": "Kai Ward"}))[0].occurrences == 2
    assert redact(sections, {"A": {"Kai"}}) == 2
    assert sections[0]["records"][0] == {
        "who": "Kai Ward",
        "text": f"{REDACTED} and Kaiser; {REDACTED}.",
    }
    assert sections[1]["records"][0] == {"text": "Kai"}  # released in B


def test_review_page_saves_some_decisions_then_redacts_the_rest(
    staff, colleague, line_manager, dpo, client_for, organisation
):
    ConversationFactory(
        person=staff.person,
        manager=line_manager.person,
        meeting_date=timezone.localdate() - datetime.timedelta(days=10),
        staff_comments="Kai Ward and Joe Fletcher helped",
        what_matters="Working with Kai Ward",
    )
    from tests.conftest import make_persona

    make_persona(organisation, None, "joe@wigan.gov.uk", first_name="Joe", last_name="Fletcher")
    sar = start(dpo, person=staff.person)
    mentions = list(sar.mentions.order_by("name"))
    assert [m.name for m in mentions] == ["Joe Fletcher", "Kai Ward"]
    client = client_for(dpo)
    url = reverse("privacy:sar_review", args=[sar.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<mark>Joe Fletcher</mark>" in body and body.count("<h1") == 1
    response = client.post(url, {f"mention_{mentions[0].pk}": "release", "action": "save"})
    assert response.status_code == 302 and response["Location"] == url
    sar.refresh_from_db()
    assert sar.status == Status.REVIEW
    response = client.post(url, {"action": "redact_rest"})
    assert response["Location"] == reverse("privacy:sar_detail", args=[sar.pk])
    sar.refresh_from_db()
    assert sar.status == Status.READY
    assert dict(sar.mentions.values_list("name", "decision")) == {
        "Joe Fletcher": "release",
        "Kai Ward": "redact",
    }
    html, data, _ = open_pack(sar.archive)
    assert "Joe Fletcher helped" in html and "Kai" not in html and "Kai" not in str(data)


def test_an_unknown_decision_value_is_refused(comment_naming_a_colleague, staff, dpo, client_for):
    sar = start(dpo, person=staff.person)
    mention = sar.mentions.get()
    response = client_for(dpo).post(
        reverse("privacy:sar_review", args=[sar.pk]), {f"mention_{mention.pk}": "publish"}
    )
    assert response.status_code == 400
    mention.refresh_from_db()
    assert mention.decision == "pending"
