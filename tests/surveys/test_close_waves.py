"""`manage.py surveys_close_waves`: the last refresh of each closed wave and
the purge of unsubmitted drafts, once, leaving open and scheduled waves alone."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.utils import timezone

from bewigan.core import sealed
from bewigan.core.models import SealedAnswer
from surveys import services
from surveys.models import Draft, GroupResult, Wave

from .factories import add_responses, make_wave

pytestmark = pytest.mark.django_db

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "systemd"


def close_waves(*args):
    out = io.StringIO()
    call_command("surveys_close_waves", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def ended(survey, organisation):
    """A wave that closed yesterday, never refreshed."""
    return make_wave(survey, opens_on=days(-10), closes_on=days(-1), organisations=[organisation])


def team_group(wave, team):
    return GroupResult.objects.get(wave=wave, scope=f"team:{team.pk}")


def test_closed_wave_gets_its_last_refresh_and_drafts_are_purged(
    ended, open_wave, organisation, team, staff, colleague
):
    add_responses(ended, 6, organisation=organisation, team=team)
    Draft.objects.create(wave=ended, person=staff.person, data={"1": 4})
    Draft.objects.create(wave=open_wave, person=colleague.person, data={"1": 2})
    out = close_waves()
    assert f"Refreshed {ended}: 6 responses" in out
    assert "Deleted 1 unsubmitted draft(s)" in out
    assert team_group(ended, team).respondents == 6
    ended.refresh_from_db()
    assert ended.refreshed_at is not None
    # the open wave is neither refreshed nor purged
    assert not GroupResult.objects.filter(wave=open_wave).exists()
    assert Draft.objects.filter(wave=open_wave).count() == 1
    assert not Draft.objects.filter(wave=ended).exists()


def test_a_wave_nobody_answered_is_finalised_too(ended):
    assert f"Refreshed {ended}: 0 responses, 0 of 0 groups rewritten." in close_waves()
    ended.refresh_from_db()
    assert ended.refreshed_at is not None and not GroupResult.objects.exists()
    assert list(services.waves_awaiting_close()) == []


def test_running_again_changes_nothing(ended, organisation, team):
    add_responses(ended, 6, organisation=organisation, team=team)
    close_waves()
    ended.refresh_from_db()
    first = (ended.refreshed_at, list(GroupResult.objects.filter(wave=ended).values()))
    out = close_waves()
    assert "No wave has closed since the last run." in out
    assert "Deleted 0 unsubmitted draft(s)" in out
    ended.refresh_from_db()
    assert (ended.refreshed_at, list(GroupResult.objects.filter(wave=ended).values())) == first


def test_close_releases_every_sealed_answer_and_publishes_one_snapshot(ended, organisation, team):
    add_responses(ended, 10, organisation=organisation, team=team, value=5)
    scored = [
        [item.question_id, item.question.scale[0]]
        for item in ended.survey.items.select_related("question")
        if item.question.kind in ("agreement", "enps")
    ]
    for _ in range(3):  # still sealed when the wave closed
        sealed.seal(
            services.answers_channel(ended.pk),
            {"o": organisation.pk, "t": team.pk, "h": None, "a": "", "s": scored, "c": []},
        )
    close_waves()
    assert not SealedAnswer.objects.exists()
    group = team_group(ended, team)
    org = GroupResult.objects.get(wave=ended, scope=f"org:{organisation.pk}")
    # Every figure from the same 13 answers: no fresh total beside a stale part.
    assert group.respondents == org.respondents == 13
    assert group.questions.filter(question__kind="agreement").first().favourable == round(
        100 * 10 / 13, 1
    )


def test_last_refresh_shows_changes_of_the_minimum_or_more(ended, organisation, team):
    add_responses(ended, 10, organisation=organisation, team=team)
    services.wave_refresh_results(ended)
    assert team_group(ended, team).respondents == 10
    Wave.objects.filter(pk=ended.pk).update(refreshed_at=None)
    add_responses(ended, 5, organisation=organisation, team=team)
    close_waves()
    assert team_group(ended, team).respondents == 15


def test_open_scheduled_and_already_final_waves_are_left_alone(
    survey, open_wave, organisation, team
):
    scheduled = make_wave(
        survey, opens_on=days(3), closes_on=days(10), organisations=[organisation]
    )
    closes_today = make_wave(
        survey, opens_on=days(-5), closes_on=days(0), organisations=[organisation]
    )
    refreshed_after_close = make_wave(
        survey, opens_on=days(-20), closes_on=days(-10), organisations=[organisation]
    )
    for wave in (open_wave, scheduled, closes_today, refreshed_after_close):
        add_responses(wave, 5, organisation=organisation, team=team)
    Wave.objects.filter(pk=refreshed_after_close.pk).update(refreshed_at=timezone.now())
    assert list(services.waves_awaiting_close()) == []
    assert "No wave has closed since the last run." in close_waves()
    assert not GroupResult.objects.exists()


def test_dry_run_changes_nothing(ended, organisation, team, staff):
    add_responses(ended, 5, organisation=organisation, team=team)
    Draft.objects.create(wave=ended, person=staff.person, data={})
    out = close_waves("--dry-run")
    assert f"Would refresh: {ended}" in out and "Would delete 1 unsubmitted draft(s)" in out
    assert not GroupResult.objects.exists() and Draft.objects.count() == 1
    ended.refresh_from_db()
    assert ended.refreshed_at is None


def test_one_failing_wave_does_not_stop_the_others(
    ended, survey, organisation, team, staff, monkeypatch
):
    broken = make_wave(
        survey, opens_on=days(-30), closes_on=days(-20), organisations=[organisation]
    )
    add_responses(ended, 5, organisation=organisation, team=team)
    Draft.objects.create(wave=ended, person=staff.person, data={})
    real = services.wave_refresh_results

    def refresh(wave, **kwargs):
        if wave.pk == broken.pk:
            raise RuntimeError("boom")
        return real(wave, **kwargs)

    monkeypatch.setattr(services, "wave_refresh_results", refresh)
    with pytest.raises(CommandError, match="1 wave"):
        close_waves()
    assert team_group(ended, team).respondents == 5
    assert not Draft.objects.exists()
    assert [w.pk for w in services.waves_awaiting_close()] == [broken.pk]  # retried next run


def test_systemd_timer_runs_this_command_daily():
    service = (DEPLOY / "bewigan-surveys-close.service").read_text()
    command = re.search(r"^ExecStart=.* manage\.py (\S+)", service, re.M).group(1)
    assert command == "surveys_close_waves" and command in get_commands()
    timer = (DEPLOY / "bewigan-surveys-close.timer").read_text()
    assert re.search(r"^OnCalendar=\*-\*-\* \d\d:\d\d$", timer, re.M)
    assert "Persistent=true" in timer


def test_the_release_job_releases_open_batches_and_closed_waves(open_wave, ended, organisation):
    """Where the web servers hold only the public key, nothing is released
    at submission; `manage.py release_sealed_answers` does it."""
    for wave, n in ((open_wave, 31), (ended, 3)):
        for _ in range(n):
            sealed.seal(
                services.answers_channel(wave.pk),
                {"o": organisation.pk, "t": None, "h": None, "a": "", "s": [], "c": []},
            )
    out = io.StringIO()
    call_command("release_sealed_answers", stdout=out)
    # 31 waiting: a batch of 26, leaving 5; and the closed wave's 3.
    assert "surveys.services.waves_release_due: released 29" in out.getvalue()
    assert sealed.pending(services.answers_channel(open_wave.pk)) == 5
    assert sealed.pending(services.answers_channel(ended.pk)) == 0
