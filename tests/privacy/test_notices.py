"""Every form that collects personal data shows its short privacy notice
(what is kept, why, how long, who sees it), the wording lives in one place
(`bewigan/privacy/notices.py`), the periods are the retention schedule's in
force, and the site privacy notice lists them all."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from bewigan.privacy import notices
from bewigan.privacy.models import RetentionRule

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_periods():
    notices.forget_retention_periods()
    yield
    notices.forget_retention_periods()


# --- Each collection point shows its notice ----------------------------------------------


def _vacancy(recruiting_manager, organisation, panellist):
    from tests.recruitment.factories import InterviewFactory, VacancyFactory, plan_vacancy

    vacancy = plan_vacancy(
        VacancyFactory(recruiting_manager=recruiting_manager, organisation=organisation),
        panel=[panellist],
        chair=recruiting_manager,
    )
    return vacancy, InterviewFactory(candidate__vacancy=vacancy)


def _my_time(staff, line_manager):
    from appraisals import services

    conversation = services.conversation_plan(
        actor=staff,
        person=staff.person,
        meeting_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    return services.conversation_update(
        actor=line_manager,
        conversation=conversation,
        expected_version=conversation.version,
        data={"wellbeing_score": 4, "wellbeing_words": "Fine", "what_matters": "My course"},
    )


def _feedback_request(staff, colleague):
    from appraisals import services
    from appraisals.models import FeedbackRequest

    services.feedback_round_create(
        actor=staff,
        subject=staff.person,
        raters=[colleague.person],
        message="Thanks!",
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    return FeedbackRequest.objects.get(rater=colleague.person)


def _open_wave(organisation):
    from tests.surveys.factories import make_survey, make_wave

    return make_wave(make_survey(), organisations=[organisation])


def _team_time(line_manager, team):
    from appraisals import services

    return services.team_time_create(
        actor=line_manager, team=team, meeting_date=timezone.localdate()
    )


def _idea():
    from tests.cms.factories import IdeaFactory

    return IdeaFactory()


def _comment(author):
    from cms import services

    return services.comment_add(user=author, idea=_idea(), body="First thoughts")


def _story_index():
    from cms.demo import _home
    from cms.models import StoryIndexPage

    home = _home()
    index = StoryIndexPage(title="Innovation stories", slug="stories")
    home.add_child(instance=index)
    index.save_revision().publish()


# (id, persona, notice key, url builder taking the request's fixture getter)
COLLECTION_POINTS = [
    ("profile", "staff", "profile", lambda f: reverse("people:my_profile")),
    ("invite", "hr_admin", "invitation", lambda f: reverse("people:invite")),
    ("people_import", "hr_admin", "people_import", lambda f: reverse("people:import_upload")),
    (
        "candidate_form",
        "recruiting_manager",
        "recruitment_candidate",
        lambda f: reverse(
            "recruitment:candidate_create",
            args=[_vacancy(f("recruiting_manager"), f("organisation"), f("panellist"))[0].pk],
        ),
    ),
    (
        "candidates_import",
        "recruiting_manager",
        "recruitment_candidate",
        lambda f: reverse(
            "recruitment:candidates_import",
            args=[_vacancy(f("recruiting_manager"), f("organisation"), f("panellist"))[0].pk],
        ),
    ),
    (
        "scorecard",
        "panellist",
        "recruitment_scorecard",
        lambda f: reverse(
            "recruitment:scorecard",
            args=[_vacancy(f("recruiting_manager"), f("organisation"), f("panellist"))[1].pk],
        ),
    ),
    (
        "my_time_record",
        "line_manager",
        "my_time",
        lambda f: reverse(
            "appraisals:conversation_edit", args=[_my_time(f("staff"), f("line_manager")).pk]
        ),
    ),
    (
        "my_time_agenda",
        "staff",
        "my_time",
        lambda f: reverse(
            "appraisals:conversation_detail", args=[_my_time(f("staff"), f("line_manager")).pk]
        ),
    ),
    (
        "private_note",
        "line_manager",
        "private_note",
        lambda f: reverse(
            "appraisals:conversation_detail", args=[_my_time(f("staff"), f("line_manager")).pk]
        ),
    ),
    ("feedback_ask", "staff", "feedback_360", lambda f: reverse("appraisals:feedback_round_new")),
    (
        "feedback_answer",
        "colleague",
        "feedback_360",
        lambda f: reverse(
            "appraisals:feedback_answer", args=[_feedback_request(f("staff"), f("colleague")).pk]
        ),
    ),
    ("shout_out", "staff", "shout_out", lambda f: reverse("appraisals:shout_out_new")),
    (
        "team_time",
        "staff",
        "team_time",
        lambda f: reverse(
            "appraisals:team_time_detail", args=[_team_time(f("line_manager"), f("team")).pk]
        ),
    ),
    (
        "survey_answer",
        "staff",
        "survey_answer",
        lambda f: reverse("surveys:answer", args=[_open_wave(f("organisation")).pk]),
    ),
    ("idea", "staff", "idea", lambda f: reverse("cms:idea_create")),
    (
        "idea_comment",
        "staff",
        "idea_comment",
        lambda f: reverse("cms:idea_detail", args=[_idea().pk]),
    ),
    (
        "comment_edit",
        "staff",
        "idea_comment",
        lambda f: reverse("cms:comment_edit", args=[_comment(f("staff")).pk]),
    ),
    ("story", "staff", "story", lambda f: (_story_index(), reverse("cms:story_write"))[1]),
]


def _notice_block(html: str, key: str) -> str:
    match = re.search(
        rf'<details class="govuk-details bw-privacy-notice" data-privacy-notice="{key}".*?</details>',
        html,
        re.S,
    )
    return match.group(0) if match else ""


@pytest.mark.parametrize(
    "persona, key, build", [p[1:] for p in COLLECTION_POINTS], ids=[p[0] for p in COLLECTION_POINTS]
)
def test_collection_point_shows_its_notice(request, client_for, persona, key, build):
    url = build(request.getfixturevalue)
    response = client_for(request.getfixturevalue(persona)).get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    block = _notice_block(html, key)
    assert block, f"{url} has no {key} notice"
    expected = notices.notice_for(key)
    for heading in ("What we keep", "Why", "How long", "Who sees it"):
        assert heading in block
    for part in (expected.kept, expected.who_sees, *expected.how_long):
        assert _escaped(part) in block
    assert f'href="/privacy/#{expected.anchor}"' in block
    assert html.count("<h1") == 1


def _escaped(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


def test_every_notice_is_shown_somewhere_and_every_shown_key_exists():
    """A notice nobody sees, or a template naming a missing one, fails here."""
    used = set()
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        used.update(re.findall(r'privacy_notice "([a-z0-9_]+)"', path.read_text()))
    assert used == set(notices.NOTICES_BY_KEY)
    tested = {p[2] for p in COLLECTION_POINTS}
    assert tested == set(notices.NOTICES_BY_KEY)


def test_unknown_notice_is_an_error():
    with pytest.raises(KeyError):
        Template('{% load privacy_notices %}{% privacy_notice "nope" %}').render(Context())


# --- Accurate content --------------------------------------------------------------------


def test_periods_are_the_retention_schedule_in_force():
    from bewigan.privacy.retention import KINDS_BY_KEY

    default = KINDS_BY_KEY["survey_raw_answers"].default_months
    text = " ".join(notices.notice_for("survey_answer").how_long)
    assert f"deleted {notices.months_in_words(default)} after the survey closes" in text

    # HR change the period: the notice follows at once in this process.
    RetentionRule.objects.create(kind="survey_raw_answers", period_months=18)
    text = " ".join(notices.notice_for("survey_answer").how_long)
    assert "deleted 18 months after the survey closes" in text

    # HR switch it off: the notice says nothing is deleted automatically.
    RetentionRule.objects.filter(kind="survey_raw_answers").delete()
    RetentionRule.objects.create(kind="survey_raw_answers", period_months=18, enabled=False)
    text = " ".join(notices.notice_for("survey_answer").how_long)
    assert "after the survey closes" not in text
    assert "Nothing is deleted automatically" in text


def test_candidate_notice_uses_the_recruitment_retention_and_explains_consent():
    from bewigan.privacy.retention import KINDS_BY_KEY

    months = KINDS_BY_KEY["candidates_unsuccessful"].default_months
    n = notices.notice_for("recruitment_candidate")
    assert f"removed {notices.months_in_words(months)} after the decision" in " ".join(n.how_long)
    assert "first my time" in n.why and "consent" in n.why
    assert "never the equality answers" in n.who_sees
    assert "tick the consent box only if they said yes" in n.note


def test_group_sizes_follow_the_settings(settings):
    settings.SURVEYS_MIN_GROUP_SIZE = 7
    settings.SURVEYS_MIN_COMMENT_GROUP_SIZE = 12
    settings.BEWIGAN_RECRUITMENT_MIN_GROUP = 3  # below the floor: the floor applies
    assert "groups of at least 7 people" in notices.notice_for("survey_answer").who_sees
    assert "at least 12, after" in notices.notice_for("survey_answer").who_sees
    assert "at least 5 candidates" in notices.notice_for("recruitment_candidate").who_sees


def test_leaver_periods_match_the_schedule():
    from bewigan.privacy.retention import KINDS_BY_KEY

    words = notices.months_in_words(KINDS_BY_KEY["my_time_leavers"].default_months)
    for key in ("my_time", "private_note", "feedback_360", "shout_out", "team_time"):
        assert words in " ".join(notices.notice_for(key).how_long), key


@pytest.mark.parametrize(
    "months, words",
    [(1, "1 month"), (6, "6 months"), (12, "1 year"), (18, "18 months"), (72, "6 years")],
)
def test_months_in_words(months, words):
    assert notices.months_in_words(months) == words


def test_a_notice_costs_no_query_once_warm(django_assert_num_queries):
    template = Template('{% load privacy_notices %}{% privacy_notice "survey_answer" %}')
    template.render(Context())
    with django_assert_num_queries(0):
        html = template.render(Context())
    assert "How we use this information" in html


# --- The site privacy notice -------------------------------------------------------------


def test_site_privacy_notice_lists_every_capability_and_notice(client):
    response = client.get(reverse("core:privacy"))  # signed out
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for capability in notices.CAPABILITIES:
        assert f'id="{capability.key}"' in html
        assert f'href="#{capability.key}"' in html
        assert _escaped(capability.lawful_basis) in html
    for notice in notices.NOTICES:
        rendered = notices.notice_for(notice.key)
        assert f'id="{rendered.anchor}"' in html
        assert _escaped(rendered.kept) in html
    assert "Article 9(2)(b)" in html
    assert "ico.org.uk" in html


def test_site_privacy_notice_shows_the_retention_schedule_in_force(client):
    from bewigan.privacy.retention import KINDS

    RetentionRule.objects.create(kind="notifications", period_months=24)
    RetentionRule.objects.create(kind="audit_log", period_months=72, enabled=False)
    html = client.get(reverse("core:privacy")).content.decode()
    table = html.split("The retention schedule in force")[-1]
    for kind in KINDS:
        assert _escaped(kind.label) in table
    assert "2 years after they were sent" in table
    assert "No limit at present (switched off by HR)" in table
