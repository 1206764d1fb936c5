"""One scorecard open in two tabs: the tab that opened an older version
cannot overwrite the other's evidence, for drafts as for amendments. And
nothing changes after the panel's decision, even a write racing it (lock
order Interview, then Scorecard)."""

import re
import threading

import pytest
from django.db import connection

from recruitment import services
from recruitment.models import Decision, QuestionScore, Scorecard
from tests.recruitment.factories import full_answers, post_data, submit

pytestmark = pytest.mark.django_db
FETCH = {"X-Requested-With": "fetch"}


def url(interview):
    return f"/recruitment/interviews/{interview.pk}/scorecard/"


def open_tab(client, interview) -> dict:
    """GET the scorecard page: the hidden fields this tab will post."""
    html = client.get(url(interview)).content.decode()
    return {
        name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', html).group(1)
        for name in ("version", "tab")
    }


def draft(interview, score, evidence, tab, action="save"):
    data = post_data(interview.candidate.vacancy, score, action=action) | tab
    return {k: (evidence if k.endswith("_evidence") else v) for k, v in data.items()}


def stored_evidence(interview, panellist) -> set[str]:
    return set(
        QuestionScore.objects.filter(
            scorecard__interview=interview, scorecard__panellist=panellist
        ).values_list("evidence", flat=True)
    )


def test_a_stale_tab_cannot_overwrite_a_draft(client_for, interview, panellist):
    c = client_for(panellist)
    tab_a, tab_b = open_tab(c, interview), open_tab(c, interview)
    assert tab_a["version"] == tab_b["version"] and tab_a["tab"] != tab_b["tab"]

    # Tab A autosaves twice: its own saves move the version on, still accepted.
    first = c.post(
        url(interview), draft(interview, 3, "A first", tab_a) | {"autosave": "1"}, headers=FETCH
    )
    assert first.status_code == 200 and first.json()["ok"] is True
    again = c.post(
        url(interview), draft(interview, 3, "A second", tab_a) | {"autosave": "1"}, headers=FETCH
    )
    assert again.status_code == 200 and again.json() == {"ok": True, "version": 2}

    # Tab B opened before those saves: its autosave and its "Save draft" are refused.
    stale = c.post(
        url(interview), draft(interview, 1, "B", tab_b) | {"autosave": "1"}, headers=FETCH
    )
    assert stale.status_code == 409
    assert "changed in another window" in stale.json()["error"]
    page = c.post(url(interview), draft(interview, 1, "B", tab_b))
    assert page.status_code == 409
    assert "changed in another window" in page.content.decode()
    assert stored_evidence(interview, panellist) == {"A second"}

    # Reloaded, tab B sees A's evidence and may write.
    tab_b = open_tab(c, interview)
    assert c.post(url(interview), draft(interview, 2, "B after reload", tab_b)).status_code == 302
    assert stored_evidence(interview, panellist) == {"B after reload"}


def test_a_stale_tab_cannot_submit_over_newer_evidence(client_for, interview, panellist):
    c = client_for(panellist)
    tab_a, tab_b = open_tab(c, interview), open_tab(c, interview)
    assert c.post(url(interview), draft(interview, 4, "A", tab_a)).status_code == 302
    stale = c.post(url(interview), draft(interview, 2, "B", tab_b, action="submit"))
    assert stale.status_code == 409
    card = Scorecard.objects.get(interview=interview, panellist=panellist)
    assert card.status == "draft"
    assert stored_evidence(interview, panellist) == {"A"}


def test_services_without_a_version_are_unchecked(interview, panellist):
    """Seeders and commands pass no version; each write still counts."""
    answers, _, _ = full_answers(interview.candidate.vacancy)
    card = services.scorecard_for(interview=interview, user=panellist)
    services.scorecard_save_draft(user=panellist, scorecard_id=card.pk, answers=answers)
    services.scorecard_save_draft(user=panellist, scorecard_id=card.pk, answers=answers)
    card.refresh_from_db()
    assert card.version == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_nothing_changes_after_a_decision_even_a_racing_amendment(
    interview, panellist, second_panellist, recruiting_manager, monkeypatch
):
    """The decision holds the Interview lock; an amendment that starts
    meanwhile waits for it, then sees the decision and is refused."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    for user in (panellist, second_panellist, recruiting_manager):
        submit(interview, user, score=4)
    card = Scorecard.objects.get(interview=interview, panellist=panellist)
    answers, plan_ids, value_ids = full_answers(interview.candidate.vacancy, score=1)
    deciding, release = threading.Event(), threading.Event()
    real_feedback_draft = services.feedback_draft

    def slow_feedback_draft(**kwargs):
        deciding.set()  # the decision holds its locks here
        assert release.wait(30)
        return real_feedback_draft(**kwargs)

    monkeypatch.setattr(services, "feedback_draft", slow_feedback_draft)
    outcome = {}

    def decide():
        try:
            values = dict.fromkeys(value_ids, 4)
            services.decision_record(
                user=recruiting_manager,
                interview=interview,
                agreed=values,
                outcome=Decision.Outcome.APPOINT,
                rationale="Strong on every value",
            )
            outcome["decision"] = "recorded"
        finally:
            connection.close()

    def amend():
        try:
            services.scorecard_amend(
                user=panellist,
                scorecard_id=card.pk,
                answers=answers,
                plan_ids=plan_ids,
                value_ids=value_ids,
                reason="Changed my mind after the decision",
                expected_revision=0,
            )
            outcome["amend"] = "saved"
        except services.ScorecardLocked as exc:
            outcome["amend"] = str(exc)
        finally:
            connection.close()

    decider = threading.Thread(target=decide)
    decider.start()
    assert deciding.wait(30)
    amender = threading.Thread(target=amend)
    amender.start()
    amender.join(1)
    assert amender.is_alive(), "the amendment waits for the decision's lock"
    release.set()
    decider.join(30)
    amender.join(30)
    assert outcome["decision"] == "recorded"
    assert "decision" in outcome["amend"]
    assert set(QuestionScore.objects.filter(scorecard=card).values_list("score", flat=True)) == {4}
