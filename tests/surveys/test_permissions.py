"""Who sees what: persona x group grid (grants and denials), admin pages,
actions and replies, and query counts at two data sizes."""

import pytest

from bewigan.people.models import TeamMembership
from surveys.models import Action, CommentReply, GroupResult
from surveys.services import wave_refresh_results
from tests.people.factories import TeamFactory

from .factories import add_responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(closed_wave, organisation, other_organisation, team, other_team, line_manager):
    TeamMembership.objects.filter(person=line_manager.person, team=team).update(role="lead")
    child = TeamFactory(
        organisation=organisation, name="Reablement nights", code="nights", parent=team
    )
    add_responses(
        closed_wave, 10, organisation=organisation, team=team, comment="Workload is heavy"
    )
    add_responses(closed_wave, 6, organisation=organisation, team=child)
    add_responses(closed_wave, 12, organisation=organisation, team=other_team)
    closed_wave.organisations.add(other_organisation)
    add_responses(
        closed_wave,
        8,
        organisation=other_organisation,
        team=TeamFactory(organisation=other_organisation, code="x", name="WWL team"),
    )
    wave_refresh_results(closed_wave)
    return {
        "all": "all",
        "own_org": f"org:{organisation.pk}",
        "other_org": f"org:{other_organisation.pk}",
        "team": f"team:{team.pk}",
        "child": f"team:{child.pk}",
        "other_team": f"team:{other_team.pk}",
        "age": "all|age:",
    }


def _get(client, wave, scope):
    return client.get(f"/surveys/waves/{wave.pk}/results/", {"scope": scope}).status_code


GRID = {
    # persona: scopes it may open (unpublished wave)
    "staff": set(),
    "line_manager": {"team", "child"},
    # Admins: partnership-wide groups and their own organisation's; another
    # partner's only with a data-sharing grant (tests/privacy/test_boundaries_surveys.py).
    "survey_admin": {"all", "own_org", "team", "child", "other_team"},
    "hr_admin": {"all", "own_org", "team", "child", "other_team"},
    "outsider": set(),
}
PUBLISHED_EXTRA = {
    "staff": {"all", "own_org"},
    "line_manager": {"all", "own_org"},
    "outsider": {"all", "other_org"},
}


@pytest.mark.parametrize("published", [False, True])
@pytest.mark.parametrize("persona", list(GRID))
def test_results_visibility_grid(request, client_for, closed_wave, results, persona, published):
    closed_wave.results_published = published
    closed_wave.save()
    user = request.getfixturevalue(persona)
    client = client_for(user)
    allowed = GRID[persona] | (PUBLISHED_EXTRA.get(persona, set()) if published else set())
    for name in ("all", "own_org", "other_org", "team", "child", "other_team"):
        expected = 200 if name in allowed else 404
        assert _get(client, closed_wave, results[name]) == expected, (persona, name)
        export = client.get(
            f"/surveys/waves/{closed_wave.pk}/results.csv", {"scope": results[name]}
        ).status_code
        assert export == expected, (persona, name, "export")


def test_comments_and_replies(client_for, closed_wave, results, line_manager, staff, colleague):
    scope = results["team"]
    manager = client_for(line_manager)
    page = manager.get(f"/surveys/waves/{closed_wave.pk}/comments/", {"scope": scope})
    assert page.status_code == 200 and page.content.count(b"Workload is heavy") == 10
    comment_id = page.context["page"].comments[0].pk
    manager.post(
        f"/surveys/waves/{closed_wave.pk}/comments/",
        {"scope": scope, "comment": comment_id, "text": "We hear you"},
    )
    assert CommentReply.objects.get().text == "We hear you"
    staff_client = client_for(staff)
    denied = staff_client.post(
        f"/surveys/waves/{closed_wave.pk}/comments/",
        {"scope": scope, "comment": comment_id, "text": "Hi"},
    )
    assert denied.status_code == 404
    assert CommentReply.objects.count() == 1


def test_you_said_we_did(client_for, closed_wave, results, line_manager, staff):
    scope = results["team"]
    manager = client_for(line_manager)
    form = manager.get(f"/surveys/waves/{closed_wave.pk}/actions/new/", {"scope": scope})
    assert form.status_code == 200
    bad = manager.post(
        f"/surveys/waves/{closed_wave.pk}/actions/new/?scope={scope}",
        {"you_said": "", "we_did": ""},
    )
    assert b"govuk-error-summary" in bad.content and not Action.objects.exists()
    ok = manager.post(
        f"/surveys/waves/{closed_wave.pk}/actions/new/?scope={scope}",
        {
            "you_said": "Workload is heavy",
            "we_did": "Two more posts",
            "due_on": "2027-01-31",
            "theme": "wellbeing",
        },
    )
    assert ok.status_code == 302
    action = Action.objects.get()
    assert action.owner == line_manager.person and action.scope == scope
    page = manager.get(f"/surveys/waves/{closed_wave.pk}/results/", {"scope": scope})
    assert b"Two more posts" in page.content
    manager.post(
        f"/surveys/waves/{closed_wave.pk}/actions/{action.pk}/status/?scope={scope}",
        {"status": "done"},
    )
    action.refresh_from_db()
    assert action.status == "done"
    # staff cannot record actions, even on a published org group
    closed_wave.results_published = True
    closed_wave.save()
    staff_client = client_for(staff)
    assert (
        staff_client.get(
            f"/surveys/waves/{closed_wave.pk}/actions/new/", {"scope": results["own_org"]}
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    "path",
    [
        "/surveys/manage/",
        "/surveys/manage/questions/",
        "/surveys/manage/questions/new/",
        "/surveys/manage/surveys/new/",
    ],
)
def test_manage_pages_only_for_survey_admins(
    client_for, staff, line_manager, hr_admin, survey_admin, path
):
    for user in (staff, line_manager, hr_admin):
        assert client_for(user).get(path).status_code == 403
    assert client_for(survey_admin).get(path).status_code == 200


def test_survey_admin_builds_and_schedules(client_for, survey_admin, organisation):
    from surveys.models import Question, Survey, Wave

    client = client_for(survey_admin)
    bad = client.post(
        "/surveys/manage/questions/new/",
        {"text": "Pick one", "kind": "single", "theme": "other", "choices": "Only"},
    )
    assert b"at least two options" in bad.content
    client.post(
        "/surveys/manage/questions/new/",
        {"text": "I feel safe here", "kind": "agreement", "theme": "wellbeing"},
    )
    q = Question.objects.get(text="I feel safe here")
    low = client.post(
        "/surveys/manage/surveys/new/",
        {
            "title": "Quarterly",
            "frequency": "quarterly",
            "questions": [q.pk],
            "min_group_size": 3,
            "min_comment_group_size": 10,
        },
    )
    assert (
        b"govuk-error-summary" in low.content
        and not Survey.objects.filter(title="Quarterly").exists()
    )
    made = client.post(
        "/surveys/manage/surveys/new/",
        {
            "title": "Quarterly",
            "frequency": "quarterly",
            "questions": [q.pk],
            "min_group_size": 6,
            "min_comment_group_size": 10,
        },
    )
    survey = Survey.objects.get(title="Quarterly")
    assert made.status_code == 302
    client.post(
        f"/surveys/manage/surveys/{survey.pk}/",
        {
            "first_opens_on": "2027-01-04",
            "open_days": 10,
            "count": 3,
            "organisations": [organisation.pk],
        },
    )
    assert [
        (w.number, str(w.opens_on)) for w in Wave.objects.filter(survey=survey).order_by("number")
    ] == [(1, "2027-01-04"), (2, "2027-04-04"), (3, "2027-07-04")]
    cal = client.get("/surveys/calendar/")
    assert cal.status_code == 200


def test_reminders_go_only_to_non_responders(open_wave, staff, colleague, line_manager, mailoutbox):
    from bewigan.core.models import Notification
    from surveys.services import wave_remind_non_responders

    from .factories import participate

    participate(open_wave, staff.person)
    sent = wave_remind_non_responders(wave=open_wave)
    assert sent == 2
    assert set(Notification.objects.values_list("recipient__email", flat=True)) == {
        colleague.email,
        line_manager.email,
    }


def _bulk(closed_wave, organisation, n_teams):
    for i in range(n_teams):
        t = TeamFactory(
            organisation=organisation, code=f"bulk-{n_teams}-{i}", name=f"Bulk {n_teams} {i}"
        )
        add_responses(closed_wave, 6, organisation=organisation, team=t)
    wave_refresh_results(closed_wave, force=True)


@pytest.mark.parametrize("n_teams", [3, 15])
def test_query_counts_do_not_grow(
    client_for,
    survey_admin,
    closed_wave,
    organisation,
    team,
    n_teams,
    django_assert_max_num_queries,
):
    _bulk(closed_wave, organisation, n_teams)
    client = client_for(survey_admin)
    client.get("/surveys/")  # warm the session
    scope = GroupResult.objects.filter(wave=closed_wave, level="team").first().scope
    with django_assert_max_num_queries(16):
        assert (
            client.get(f"/surveys/waves/{closed_wave.pk}/results/", {"scope": scope}).status_code
            == 200
        )
    with django_assert_max_num_queries(14):
        assert client.get(f"/surveys/waves/{closed_wave.pk}/heatmap/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/surveys/").status_code == 200
    with django_assert_max_num_queries(14):
        assert (
            client.get(f"/surveys/waves/{closed_wave.pk}/comments/", {"scope": "all"}).status_code
            == 200
        )
