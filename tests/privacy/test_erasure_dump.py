"""Erasure finds everything the apps declared, free text and other people's
notifications included: after erasing Sam, a dump of the whole database
(SQLite: iterdump; PostgreSQL: every row of every table, read inside the
test's transaction) holds Sam's name and email only where the retention
schedule keeps them on purpose (the audit log, including the entry of the
erasure itself). Issue #16."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from appraisals import services as appraisals_services
from appraisals.models import TalkingPoint
from bewigan.core.models import AuditEntry, Notification
from bewigan.core.services import notify
from bewigan.privacy import registry
from bewigan.privacy.erasure import person_erase
from bewigan.privacy.models import ErasureRecord, SubjectAccessRequest
from bewigan.values.models import Value
from cms.models import IdeaComment
from tests.appraisals.factories import ConversationFactory
from tests.people.factories import PersonFactory
from tests.privacy.sar_fixtures import dpo, start  # noqa: F401
from tests.privacy.test_erasure import world  # noqa: F401

pytestmark = pytest.mark.django_db

NAME = "Sam Turner"
EMAIL = "staff@wigan.gov.uk"


def _dump() -> list[tuple[str, str]]:
    """(table, text) for every row of every table."""
    if connection.vendor == "sqlite":
        rows = []
        for line in connection.connection.iterdump():
            match = re.match(r'INSERT INTO "([^"]+)"', line)
            rows.append((match.group(1) if match else "", line))
        return rows
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(
                    bytes(v).decode("utf-8", "replace")
                    if isinstance(v, bytes | memoryview)
                    else str(v)
                    for v in row
                )
                rows.append((table, text))
    return rows


def _naming(rows, *words) -> dict[str, int]:
    found: dict[str, int] = {}
    for table, text in rows:
        if any(w.lower() in text.lower() for w in words):
            found[table] = found.get(table, 0) + 1
    return found


@pytest.fixture
def mentions(world, staff, colleague, line_manager, dpo, organisation):  # noqa: F811
    """Other people's records that name Sam in their own words, made
    through the real services where there is one."""
    value = Value.objects.current().first()
    # A shout-out Sam gave: Kai's notification names the giver.
    appraisals_services.shout_out_give(
        actor=staff, recipient=colleague.person, value=value, message="Thanks!", is_public=False
    )
    # A manager's agenda for someone else, and a comment on someone's idea.
    other = ConversationFactory(
        person=PersonFactory(organisation=organisation), manager=line_manager.person
    )
    TalkingPoint.objects.create(
        conversation=other,
        author=line_manager.person,
        text=f"Shadow {NAME} on the Leigh round ({EMAIL})",
    )
    IdeaComment.objects.create(
        idea=world["idea"], author=colleague, body=f"{NAME.upper()} tried this first"
    )
    notify(
        recipient=line_manager,
        title=f"{NAME} has left the panel",
        body=f"Ask {NAME} for the notes",
        kind="test",
        email=False,
    )
    # A real subject access request: the reason names Sam, as people write.
    sar = start(dpo, person=staff.person, reference="SAR-DUMP")
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(
        reason=f"{NAME} ({EMAIL}) asked by email on 3 March"
    )
    return sar


def test_after_erasure_only_the_retained_audit_log_names_the_person(mentions, staff, hr_admin):
    before = _naming(_dump(), NAME, EMAIL)
    # The data really was there, in many places (the test would catch a leak).
    for table in (
        "core_notification",
        "appraisals_talkingpoint",
        "cms_ideacomment",
        "privacy_subjectaccessrequest",
        "core_user",
        "account_emailaddress",
    ):
        assert before.get(table), (table, before)

    record = person_erase(
        user=hr_admin,
        person=staff.person,
        reference="ER-DUMP",
        reason=f"{NAME} asked by letter to be erased",
    )

    after = _naming(_dump(), NAME, EMAIL)
    kept = registry.kept_after_erasure()
    assert kept == {AuditEntry._meta.db_table: kept[AuditEntry._meta.db_table]}
    assert set(after) <= set(kept), after
    # What stays is the accountability record, the erasure's own entry too.
    assert after.get("core_auditentry")
    assert AuditEntry.objects.filter(object_type="privacy.erasurerecord", object_id=str(record.pk))
    # Other people's words keep their meaning, without the name.
    assert TalkingPoint.objects.filter(text__startswith="Shadow Erased person").exists()
    assert Notification.objects.filter(title="Erased person has left the panel").exists()
    assert IdeaComment.objects.filter(body="Erased person tried this first").exists()
    record = ErasureRecord.objects.get(pk=record.pk)
    assert record.reason == "Erased person asked by letter to be erased"
    assert record.counts["free_text"] >= 4
    sar = SubjectAccessRequest.objects.get(pk=mentions.pk)
    assert NAME not in sar.reason and EMAIL not in sar.reason
    assert sar.person_id is None and sar.data is None and sar.archive is None


def test_a_dump_without_erasure_finds_the_name_everywhere_it_is(mentions, staff):
    """The check itself: with no erasure, the name is found outside the audit
    log (so an empty result after erasure means something)."""
    found = _naming(_dump(), NAME, EMAIL)
    assert set(found) - set(registry.kept_after_erasure())
    assert timezone.localdate() > datetime.date(2020, 1, 1)
