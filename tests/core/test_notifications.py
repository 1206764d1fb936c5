"""notify(): an on-site row at once, an email after the transaction commits
(through the task framework), nothing when it rolls back."""

import pytest
from django.core import mail
from django.db import transaction

from bewigan.core.models import Notification
from bewigan.core.services import notification_mark_read, notify

pytestmark = pytest.mark.django_db


def test_notify_creates_an_on_site_row_and_emails_after_commit(
    staff, settings, django_capture_on_commit_callbacks
):
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify(
            recipient=staff,
            title="Your conversation is confirmed",
            body="See the notes.",
            url="/my-time/",
        )
        assert Notification.objects.filter(pk=notification.pk, recipient=staff).exists()
        assert mail.outbox == []  # not before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    (message,) = mail.outbox
    assert message.to == [staff.email]
    assert "Your conversation is confirmed" in message.subject
    assert "/my-time/" in message.body and "See the notes." in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_no_email_when_the_transaction_rolls_back(staff, django_capture_on_commit_callbacks):
    class Boom(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        notify(recipient=staff, title="Never sent")
        raise Boom
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.filter(title="Never sent").exists()


def test_email_false_and_inactive_recipients_get_no_email(
    staff, colleague, django_capture_on_commit_callbacks
):
    colleague.is_active = False
    colleague.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=staff, title="On site only", email=False)
        notify(recipient=colleague, title="Inactive")
    assert mail.outbox == []
    assert Notification.objects.filter(title__in=["On site only", "Inactive"]).count() == 2


def test_email_is_sent_once(staff, django_capture_on_commit_callbacks):
    from bewigan.core.tasks import notification_send_email

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=staff, title="Once")
    notification_send_email.enqueue(notification.pk)
    assert len(mail.outbox) == 1


def test_notifications_page_shows_only_your_own(client_for, staff, colleague):
    notify(recipient=staff, title="For Sam", email=False)
    notify(recipient=colleague, title="For Kai", email=False)
    html = client_for(staff).get("/notifications/").content.decode()
    assert "For Sam" in html and "For Kai" not in html
    assert html.count("<h1") == 1


def test_mark_all_read_marks_only_your_own(client_for, staff, colleague):
    mine = [notify(recipient=staff, title=f"Mine {i}", email=False) for i in range(3)]
    theirs = notify(recipient=colleague, title="Theirs", email=False)
    client = client_for(staff)
    assert 'bw-count">3<' in client.get("/values/").content.decode()
    response = client.post("/notifications/read/")
    assert response.status_code == 302
    assert 'bw-count"' not in client.get("/values/").content.decode()
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read_needs_post_and_csrf(staff, password):
    from tests.core.signin import csrf_client, sign_in

    notify(recipient=staff, title="Unread", email=False)
    client = csrf_client()
    sign_in(client, staff.email)
    assert client.get("/notifications/read/").status_code == 405
    assert client.post("/notifications/read/").status_code == 403  # no CSRF token
    assert Notification.objects.filter(recipient=staff, read_at__isnull=True).count() == 1


def test_notification_mark_read_service_by_ids(staff):
    a = notify(recipient=staff, title="A", email=False)
    b = notify(recipient=staff, title="B", email=False)
    assert notification_mark_read(user=staff, notification_ids=[a.pk]) == 1
    assert Notification.objects.get(pk=b.pk).read_at is None


def test_notifications_page_query_count_is_constant(
    client_for, staff, django_assert_max_num_queries
):
    client = client_for(staff)
    for i in range(3):
        notify(recipient=staff, title=f"N{i}", email=False)
    client.get("/notifications/")
    with django_assert_max_num_queries(15) as few:
        client.get("/notifications/")
    Notification.objects.bulk_create(
        Notification(recipient=staff, title=f"M{i}") for i in range(60)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/notifications/")
