"""The short privacy notices shown where BeWigan collects personal data.

One place for the wording: each collection point (a form or page) has a
`Notice` saying what is kept, why, for how long and who sees it. Templates
show one with `{% load privacy_notices %}{% privacy_notice "survey_answer" %}`;
the site privacy notice (`core:privacy`) lists them all by capability.

Retention periods are never written here as numbers: a `Retention` names a
kind of the retention schedule (`bewigan/privacy/retention.py`) and the
notice shows the period in force, including an HR admin's change. The
periods are read once per process and kept for `PERIODS_SECONDS` (or until
a rule is saved in this process), so a notice costs no query on most
requests. Group-size minimums come from the same settings the features use.

Keep each part to a sentence or three, in plain English, addressed to the
person filling in the form ("you"). When a feature changes what it keeps or
who sees it, change its notice here and its record in
docs/privacy/records-of-processing.md.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from . import retention
from .models import RetentionRule

PERIODS_SECONDS = 300
MIN_GROUP_FLOOR = 5  # surveys and recruitment never report a smaller group


@dataclass(frozen=True)
class Retention:
    """A sentence about one kind of the retention schedule; `{period}` is
    replaced by its period in words ("6 years")."""

    kind: str
    text: str
    # Said instead when HR has switched the kind off.
    off: str = (
        "Nothing is deleted automatically at present: HR have switched this retention rule off."
    )


@dataclass(frozen=True)
class Notice:
    key: str
    capability: str  # a key of CAPABILITIES
    title: str  # where the notice appears, for the site privacy notice
    kept: str
    why: str
    how_long: tuple[str | Retention, ...]
    who_sees: str
    note: str = ""  # a word to the person filling in the form, if needed


@dataclass(frozen=True)
class Capability:
    key: str
    title: str
    summary: str
    lawful_basis: str


CAPABILITIES = [
    Capability(
        "people",
        "Your account and profile",
        "Your working details come from your employer's HR records so that colleagues can find "
        "you and the right people can work with you. An audit log records who viewed or changed "
        "sensitive records.",
        "To manage your employment (UK GDPR Article 6(1)(b), your contract) and to carry out "
        "your employer's public tasks (Article 6(1)(e)); the audit log keeps your employer able "
        "to show that personal data is secure and used lawfully (Articles 5(2) and 32, Article "
        "6(1)(c)).",
    ),
    Capability(
        "recruitment",
        "Recruitment",
        "Interview panels record candidates, scores and evidence to reach fair decisions. "
        "Equality monitoring answers are kept apart and reported only in aggregate.",
        "Steps before a contract, at the candidate's request (UK GDPR Article 6(1)(b)). Equality "
        "monitoring (ethnic group, disability) is special category data, processed for "
        "employment obligations and equality of opportunity (Article 9(2)(b) with Data Protection "
        "Act 2018 Schedule 1 paragraph 1, and Article 9(2)(g) with paragraph 8). Sharing the "
        "panel's evidence with a future line manager needs the candidate's consent (Article "
        "6(1)(a)), which they can withdraw.",
    ),
    Capability(
        "appraisals",
        "My time, team time, 360 feedback and shout-outs",
        "Your my time record is shared only between you and your current line manager. "
        "360 feedback is seen only by the person it is about. HR see totals, not content.",
        "To manage and support you at work (UK GDPR Article 6(1)(b), your contract, and Article "
        "6(1)(e), your employer's public tasks). What you say about your health or wellbeing is "
        "special category data, processed for employment obligations (Article 9(2)(b) with Data "
        "Protection Act 2018 Schedule 1 paragraph 1).",
    ),
    Capability(
        "surveys",
        "Staff surveys",
        "Survey answers are stored with no link to you, and results are shown only for groups "
        "large enough that no one can be picked out.",
        "Your employer's public tasks, including its duty of care for staff wellbeing (UK GDPR "
        "Article 6(1)(e)). Answering is voluntary.",
    ),
    Capability(
        "intranet",
        "Intranet, ideas and stories",
        "Ideas, comments and stories are shared with colleagues across the partnership, with "
        "your name.",
        "Your employer's public tasks and your contract (UK GDPR Article 6(1)(e) and 6(1)(b)). "
        "Sharing an idea, commenting or writing a story is voluntary.",
    ),
]
CAPABILITIES_BY_KEY = {c.key: c for c in CAPABILITIES}


def _recruitment_min_group() -> int:
    return max(MIN_GROUP_FLOOR, int(getattr(settings, "BEWIGAN_RECRUITMENT_MIN_GROUP", 5)))


def _survey_min_group() -> int:
    return max(MIN_GROUP_FLOOR, int(getattr(settings, "SURVEYS_MIN_GROUP_SIZE", 5)))


def _survey_min_comment_group() -> int:
    configured = int(getattr(settings, "SURVEYS_MIN_COMMENT_GROUP_SIZE", 10))
    return max(MIN_GROUP_FLOOR, configured, _survey_min_group())


LEAVERS = "my_time_leavers"

NOTICES: list[Notice] = [
    # --- People and accounts -----------------------------------------------------------
    Notice(
        key="profile",
        capability="people",
        title="Your profile",
        kept=(
            "Your name, work email, job title, organisation, employee number, start and leaving "
            "dates, line manager and teams, from your employer's HR records; and your sign-in "
            "details (your password only as a one-way hash, and two-step verification if you set "
            "it up)."
        ),
        why=(
            "So that colleagues can find you, and so that my time, recruitment panels and surveys "
            "reach the right people. Your employer needs this to manage your employment."
        ),
        how_long=(
            "While you work for a BeWigan partner. When you leave, your account is closed at once "
            "and your roles are removed.",
            Retention(LEAVERS, "Your my time records are deleted {period} after you leave."),
        ),
        who_sees=(
            "Everyone signed in sees your name, job, organisation, line manager and teams. Your "
            "employee number and dates are seen only by you, the managers above you and your "
            "organisation's HR admins (and HR of a partner your organisation has agreed to share "
            "HR administration with)."
        ),
    ),
    Notice(
        key="invitation",
        capability="people",
        title="Inviting someone to BeWigan",
        kept=(
            "The email address, the organisation they work for, who invited them, and when the "
            "invitation was sent and accepted."
        ),
        why=(
            "So that someone whose email address is outside the organisation's sign-up domains "
            "can create an account, and only that person."
        ),
        how_long=(
            "The invitation is kept as the record of how their account was created; once they "
            "join, their profile is kept as described on the privacy page.",
        ),
        who_sees="HR admins of the organisation, and the person invited (by email).",
    ),
    Notice(
        key="people_import",
        capability="people",
        title="Importing people from an HR export",
        kept=(
            "The uploaded file, on the server only, until you confirm or discard the import; "
            "then its content is wiped and only counts remain. The profiles it creates or changes "
            "are kept as described on the privacy page."
        ),
        why="To keep BeWigan's directory and reporting lines the same as your HR system.",
        how_long=(
            "The file's content: until you confirm or discard it, or its preview expires after "
            "2 hours. Each import is written to the audit log.",
        ),
        who_sees=(
            "Only you see the upload and its preview. The profiles are seen as described on the "
            "privacy page."
        ),
    ),
    # --- Recruitment -------------------------------------------------------------------
    Notice(
        key="recruitment_candidate",
        capability="recruitment",
        title="Adding a candidate",
        kept=(
            "The candidate's name, email (to send feedback), applicant reference, whether they "
            "have a guaranteed interview, their interview time and place, whether they consent "
            "to share the panel's evidence, and their equality monitoring answers (sex, age band, "
            "ethnic group, disability), which are stored apart from everything else."
        ),
        why=(
            "To run a fair interview and send the candidate feedback. Equality answers are used "
            "only in totals, to check that recruitment is fair (Equality Act 2010). If the "
            "candidate consents and is appointed, the panel's agreed strengths and development "
            "points are shown at their first my time with their new line manager, so they start "
            "from what the panel saw. Without consent nothing from the interview reaches their "
            "manager."
        ),
        how_long=(
            Retention(
                "candidates_unsuccessful",
                "If they are not appointed (or go on a reserve list), their name, email, "
                "reference, equality answers and the panel's written evidence are removed "
                "{period} after the decision; the numeric scores stay, anonymously, for analytics.",
            ),
            "If they are appointed, the record stays linked to their staff profile.",
        ),
        who_sees=(
            "The interview panel (never the equality answers), the vacancy's recruiting manager, "
            "and HR admins, whose every view of the candidate record is written to the audit log. "
            "Equality answers are reported only for groups of at least {recruitment_min_group} "
            "candidates."
        ),
        note=(
            "Tell the candidate what you record here, and ask them about sharing the panel's "
            "evidence: tick the consent box only if they said yes. They can change their mind by "
            "telling HR."
        ),
    ),
    Notice(
        key="recruitment_scorecard",
        capability="recruitment",
        title="Scoring an interview",
        kept=(
            "Your score (1 to 5) and your evidence, in your own words, for each question and "
            "value, with your name; if you amend a submitted scorecard, the earlier version and "
            "your reason."
        ),
        why=(
            "So that the panel reaches a fair decision from evidence and can write the "
            "candidate's feedback. Scores stay independent: you see the others' only after "
            "submitting yours."
        ),
        how_long=(
            Retention(
                "candidates_unsuccessful",
                "For a candidate who is not appointed, your evidence text is removed {period} "
                "after the decision; scores stay for anonymous analytics.",
            ),
            "For an appointed candidate the scorecard stays with their record.",
        ),
        who_sees=(
            "The other panellists once they have submitted their own (or once the whole panel "
            "has, if the vacancy says so), the recruiting manager and HR admins. The candidate "
            "may ask for a copy of what is recorded about them (a subject access request), so "
            "write evidence you would be happy for them to read."
        ),
    ),
    # --- My time, team time, 360, shout-outs --------------------------------------------
    Notice(
        key="my_time",
        capability="appraisals",
        title="My time conversations",
        kept=(
            "What you both write: how you are (1 to 5 and your words), what matters, what is "
            "going well, reflections on the behaviours, support needed, talking points, agreed "
            "actions, comments and dates. While you type, an autosaved draft is kept for you "
            "alone."
        ),
        why=(
            "So that you and your line manager share one record of your conversations and follow "
            "up what you agreed. If you joined through a BeWigan interview and consented, your "
            "first my time shows the panel's strengths and development points."
        ),
        how_long=(
            Retention(LEAVERS, "Kept while you work here, and deleted {period} after you leave."),
        ),
        who_sees=(
            "You and your current line manager only. If your manager changes, the new one sees "
            "the shared history and the previous one no longer does. HR and system administrators "
            "cannot read it, except by recorded \u201cbreak glass\u201d access: an HR admin gives "
            "a reason, sees the shared record (never private notes) for 24 hours, every view is "
            "audited and you are told. A low wellbeing answer shows support links to you both; "
            "nobody else is told."
        ),
    ),
    Notice(
        key="private_note",
        capability="appraisals",
        title="A manager's private notes",
        kept="Your note and its date, attached to this conversation.",
        why="To help you, the line manager, prepare for and remember your conversations.",
        how_long=(
            Retention(
                LEAVERS,
                "Deleted {period} after the member of staff leaves, or {period} after you leave, "
                "whichever is sooner.",
            ),
        ),
        who_sees=(
            "In BeWigan only you: not the member of staff, a later manager, HR or system "
            "administrators. Notes are never printed or shown through break-glass access. They "
            "are the member of staff's personal data, though: if they ask for a copy of what is "
            "recorded about them (a subject access request), the law gives them your notes, "
            "after a data protection officer has reviewed them, and you are told. Write only "
            "what you would be happy for them to read."
        ),
    ),
    Notice(
        key="feedback_360",
        capability="appraisals",
        title="360 feedback",
        kept=(
            "Who was asked and when; each answer per value (what they do well, one thing to "
            "try). A named answer keeps the rater's name. An anonymous answer keeps only the "
            "text and the day: nothing links it to the rater, and their request records only "
            "that they answered."
        ),
        why="To give the person balanced feedback on the values for their development.",
        how_long=(Retention(LEAVERS, "Deleted {period} after the person it is about leaves."),),
        who_sees=(
            "Only the person it is about, as a summary per value. Anonymous answers are shown "
            "only once at least 3 exist, in no particular order and never with a name. A line "
            "manager can ask for feedback for someone but does not see the answers; HR do not "
            "see them."
        ),
    ),
    Notice(
        key="shout_out",
        capability="appraisals",
        title="Shout-outs",
        kept="Who gave it, who received it, the value, your message, the date and whether it is public.",
        why="To thank colleagues and show the values in action.",
        how_long=(Retention(LEAVERS, "Deleted {period} after the person who received it leaves."),),
        who_sees=(
            "A public shout-out: everyone signed in (on the home page and the shout-outs page). "
            "A private one: you, the person you thank and their current line manager (on their "
            "timeline and next my time agenda)."
        ),
    ),
    Notice(
        key="team_time",
        capability="appraisals",
        title="Team time",
        kept=(
            "The date, the facilitator and who attended; how the team is (1 to 5 and words); "
            "appreciations, which become shout-outs; named team feedback on behaviours; team "
            "actions and their owners."
        ),
        why="So that the team can reflect together and follow up its actions.",
        how_long=(
            "The session is kept as the team's history.",
            Retention(
                LEAVERS,
                "Appreciations and feedback a person received are deleted {period} after they "
                "leave.",
            ),
        ),
        who_sees=(
            "The team's current members and the facilitator. Feedback and appreciations carry "
            "the giver's name, and appreciations also reach the recipient's timeline."
        ),
    ),
    # --- Surveys -----------------------------------------------------------------------
    Notice(
        key="survey_answer",
        capability="surveys",
        title="Answering a survey",
        kept=(
            "Your answers and comment, with your organisation, team, neighbourhood and (if you "
            "give it) age band as they are when you submit, but no name, email, account or time "
            "finer than the survey. Separately, a record that you took part, which stops you "
            "answering twice and stops reminders; it cannot be matched to your answers. \u201cSave "
            "and finish later\u201d keeps a draft only you can see, deleted when you submit or "
            "when the survey closes."
        ),
        why="To understand how staff feel and act on it (\u201cyou said, we did\u201d).",
        how_long=(
            Retention(
                "survey_raw_answers",
                "Answers, comments and the records of who took part are deleted {period} after "
                "the survey closes; the published results (totals for groups) stay.",
            ),
        ),
        who_sees=(
            "Nobody sees an individual answer: not your manager, HR, survey admins or system "
            "administrators. Results are shown only for groups of at least {survey_min_group} "
            "people (a survey may set more) and comments for groups of at least "
            "{survey_min_comment_group}, after the "
            "survey closes; smaller teams are combined with the team above. Managers see their "
            "teams' results, HR and survey admins every group's, and everyone the published "
            "organisation and partnership results."
        ),
    ),
    # --- Intranet and ideas ------------------------------------------------------------
    Notice(
        key="idea",
        capability="intranet",
        title="Sharing an idea",
        kept=(
            "Your idea as you write it (title, what matters, the idea, its value, team, "
            "organisation, neighbourhood and the support it needs) with your name, its status "
            "history with the reasons given, and who supports it."
        ),
        why="To share and develop ideas across the partnership.",
        how_long=(
            "Kept as part of the intranet's record of ideas. An adopted idea may become a "
            "published story, with you named as its author.",
        ),
        who_sees=(
            "Everyone signed in to BeWigan across the partnership, with your name. Innovation "
            "leads triage it; you and its supporters are told when its status changes."
        ),
    ),
    Notice(
        key="idea_comment",
        capability="intranet",
        title="Commenting on an idea",
        kept="Your comment, your name, and when it was written or edited.",
        why="To discuss and improve the idea together.",
        how_long=(
            Retention(
                "idea_comments_deleted",
                "Kept with the idea. If you or an innovation lead delete it, the text goes at "
                "once and the note that a comment was deleted goes {period} later.",
                off=(
                    "Kept with the idea. If you or an innovation lead delete it, the text goes "
                    "at once; the note that a comment was deleted stays."
                ),
            ),
        ),
        who_sees="Everyone signed in, with your name. The idea's author is told about new comments.",
    ),
    Notice(
        key="story",
        capability="intranet",
        title="Writing a story",
        kept="Your story (title, summary, text and values) and your name as its author.",
        why="To share what works across the partnership.",
        how_long=(
            "A published story stays on the intranet until the comms team unpublish or delete "
            "it; a draft until it is published or deleted.",
        ),
        who_sees=(
            "The comms editors check it before it is published; once published, everyone "
            "signed in. People you name in it see it too, so ask them first."
        ),
    ),
]
NOTICES_BY_KEY = {n.key: n for n in NOTICES}


# --- Retention periods in force ----------------------------------------------------------

_periods: dict = {"at": 0.0, "value": None}


def months_in_words(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return "1 year" if years == 1 else f"{years} years"
    return "1 month" if months == 1 else f"{months} months"


def retention_periods() -> dict[str, int | None]:
    """{kind: months in force, or None if HR switched it off}. Read from the
    schedule's defaults and HR's rules, at most once per `PERIODS_SECONDS`
    in each process."""
    now = time.monotonic()
    if _periods["value"] is None or now - _periods["at"] > PERIODS_SECONDS:
        rules = {r.kind: r for r in RetentionRule.objects.all()}
        value = {}
        for kind in retention.KINDS:
            rule = rules.get(kind.key)
            if rule is None:
                value[kind.key] = kind.default_months
            else:
                value[kind.key] = rule.period_months if rule.enabled else None
        _periods.update(at=now, value=value)
    return _periods["value"]


def forget_retention_periods(**kwargs) -> None:
    _periods["value"] = None


def _connect() -> None:
    post_save.connect(forget_retention_periods, sender=RetentionRule, dispatch_uid="notices_rr_s")
    post_delete.connect(forget_retention_periods, sender=RetentionRule, dispatch_uid="notices_rr_d")


_connect()


# --- Rendering ---------------------------------------------------------------------------


def _figures() -> dict[str, int]:
    return {
        "recruitment_min_group": _recruitment_min_group(),
        "survey_min_group": _survey_min_group(),
        "survey_min_comment_group": _survey_min_comment_group(),
    }


def _sentence(part: str | Retention, periods: dict) -> str:
    if isinstance(part, str):
        return part
    months = periods.get(part.kind)
    if months is None:
        return part.off
    return part.text.replace("{period}", months_in_words(months))


@dataclass(frozen=True)
class RenderedNotice:
    key: str
    capability: Capability
    title: str
    kept: str
    why: str
    how_long: list[str]
    who_sees: str
    note: str

    @property
    def anchor(self) -> str:
        return f"notice-{self.key.replace('_', '-')}"


def notice_for(key: str) -> RenderedNotice:
    """The notice for one collection point, with periods and group sizes
    filled in. An unknown key is a programming error: KeyError."""
    notice = NOTICES_BY_KEY[key]
    periods = retention_periods()
    figures = _figures()
    return RenderedNotice(
        key=notice.key,
        capability=CAPABILITIES_BY_KEY[notice.capability],
        title=notice.title,
        kept=notice.kept.format(**figures),
        why=notice.why.format(**figures),
        how_long=[_sentence(p, periods) for p in notice.how_long],
        who_sees=notice.who_sees.format(**figures),
        note=notice.note,
    )


def notices_by_capability() -> list[tuple[Capability, list[RenderedNotice]]]:
    """Every notice, grouped in the order of CAPABILITIES (for the site
    privacy notice)."""
    rendered = [notice_for(n.key) for n in NOTICES]
    return [(c, [n for n in rendered if n.capability.key == c.key]) for c in CAPABILITIES]
