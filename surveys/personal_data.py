"""Surveys' personal data (issue #16). Survey answers are anonymous by
design (docs/adr/004-survey-anonymity.md): nothing links them to a person,
so they are never in a subject access pack and erasure has nothing of them
to find. What is personal: who took part, unsent drafts, "you said, we did"
actions someone owns and replies they wrote. Raw answers are deleted on the
retention schedule once results are computed. Run by bewigan.privacy
through settings.BEWIGAN_PERSONAL_DATA.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from urllib.parse import urlencode

from django.urls import reverse

from bewigan.core.personal_data_types import (
    DELETE,
    FREE,
    FreeText,
    HandoverKind,
    Holdable,
    LeaverBatch,
    Owned,
    PersonalData,
    RetentionKind,
    Subject,
    count_all,
    deleted,
    section,
)

from .models import (
    Action,
    Answer,
    Comment,
    CommentReply,
    Draft,
    GroupResult,
    Participation,
    Response,
    Wave,
)

NOT_INCLUDED_SURVEYS = (
    "Staff survey answers and comments",
    "Survey answers are anonymous by design: they are stored with no name, account, email or "
    "time, and nothing links them to the person who gave them. Because they cannot be linked "
    "to you, they cannot be found or included. This pack lists the surveys you responded to, "
    "which is the only survey record kept about you.",
)

# --- Subject access ------------------------------------------------------------------


def _surveys(s: Subject) -> list[dict]:
    p = s.person
    took_part = section(
        "survey_participation",
        "Surveys you responded to",
        "The surveys you answered. Only the fact that you responded is kept; your answers are "
        "not linked to you (see “What this pack does not contain”).",
        [("survey", "Survey", "text"), ("opened", "Opened", "date"), ("closed", "Closed", "date")],
        [
            {"survey": x.wave.survey.title, "opened": x.wave.opens_on, "closed": x.wave.closes_on}
            for x in Participation.objects.filter(person=p)
            .select_related("wave__survey")
            .order_by("wave__opens_on")
        ],
    )
    drafts = section(
        "survey_drafts",
        "Unfinished survey answers",
        "Surveys you started but have not submitted. The answers in progress are shown only "
        "to you, in the survey itself, until you submit them or the survey closes, when they "
        "are deleted.",
        [("survey", "Survey", "text"), ("saved", "Last saved", "datetime")],
        [
            {"survey": d.wave.survey.title, "saved": d.updated_at}
            for d in Draft.objects.filter(person=p).select_related("wave__survey")
        ],
    )
    actions = section(
        "survey_actions",
        "“You said, we did” actions you own",
        "Actions recorded against survey results with you as the owner.",
        [
            ("survey", "Survey", "text"),
            ("you_said", "You said", FREE),
            ("we_did", "We did", FREE),
            ("status", "Status", "text"),
            ("due_on", "Due", "date"),
        ],
        [
            {
                "survey": a.wave.survey.title,
                "you_said": a.you_said,
                "we_did": a.we_did,
                "status": a.get_status_display(),
                "due_on": a.due_on,
            }
            for a in Action.objects.filter(owner=p)
            .select_related("wave__survey")
            .order_by("due_on")
        ],
    )
    replies = section(
        "survey_replies",
        "Replies you wrote to survey comments",
        "Your public replies to anonymous survey comments (the comments themselves are not "
        "linked to anyone).",
        [("text", "Reply", FREE), ("written", "Written", "datetime")],
        [
            {"text": r.text, "written": r.created_at}
            for r in CommentReply.objects.filter(author=s.user).order_by("created_at")
        ],
    )
    return [took_part, drafts, actions, replies]


# --- Erasure -------------------------------------------------------------------------


def erase_person(person, now) -> Counter:
    counts: Counter = Counter()
    deleted(counts, "survey_participations", Participation.objects.filter(person=person))
    deleted(counts, "survey_drafts", Draft.objects.filter(person=person))
    return counts


# --- Retention -----------------------------------------------------------------------


def _surveys_due(cutoff, holds, *, with_holds: bool = True):
    waves = Wave.objects.filter(closes_on__lt=cutoff.date)
    if with_holds:
        waves = waves.exclude(pk__in=holds.ids("surveys.wave"))
    # Only waves whose results have been computed: the stored aggregates are
    # what stays (surveys.services.wave_refresh_results keeps them once the
    # raw answers are gone).
    waves = waves.filter(refreshed_at__isnull=False).values("pk")
    return {
        "responses": Response.objects.filter(wave__in=waves),
        "comments": Comment.objects.filter(wave__in=waves),
        "participations": Participation.objects.filter(wave__in=waves),
        "drafts": Draft.objects.filter(wave__in=waves),
    }


def _surveys_apply(querysets, cutoff, reason: str) -> int:
    total = count_all(querysets)
    wave_ids = set()
    for qs in querysets.values():
        wave_ids.update(qs.values_list("wave_id", flat=True).distinct())
    # One wave at a time, answers first in one statement, so that deleting
    # the responses never loads millions of answers into memory.
    for wave_id in sorted(wave_ids):
        Answer.objects.filter(
            response__in=querysets["responses"].filter(wave_id=wave_id).values("pk")
        ).delete()
        for qs in querysets.values():
            qs.filter(wave_id=wave_id).delete()
    return total


RETENTION = [
    RetentionKind(
        key="survey_raw_answers",
        label="Raw survey answers",
        records=(
            "Anonymous responses, answers and comments of a wave, and who took part. The "
            "published results (aggregates with small groups suppressed) stay."
        ),
        starts="after the wave closes",
        action=DELETE,
        default_months=36,
        minimum_months=12,
        legal_basis=(
            "Kept only as long as needed to recompute and compare results (UK GDPR "
            "Art. 5(1)(e)); three years allows trends across yearly waves."
        ),
        held_by="a hold on the wave",
        due=_surveys_due,
        apply=_surveys_apply,
    ),
]


# --- Leavers -------------------------------------------------------------------------


def remove_drafts(batch: LeaverBatch) -> None:
    """Survey answers a leaver never submitted."""
    ids = batch.person_ids
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        drafts = list(Draft.objects.filter(person_id__in=chunk).values_list("pk", "person_id"))
        for _, person_id in drafts:
            batch.counts[person_id]["survey_drafts_removed"] += 1
        Draft.objects.filter(pk__in=[pk for pk, _ in drafts]).delete()


def open_work(person_ids) -> dict[int, list[Owned]]:
    owned: dict[int, list[Owned]] = defaultdict(list)
    ids = list(person_ids)
    for start in range(0, len(ids), 2000):
        for a in (
            Action.objects.filter(owner_id__in=ids[start : start + 2000])
            .exclude(status=Action.Status.DONE)
            .select_related("wave__survey")
            .order_by("due_on", "pk")
        ):
            owned[a.owner_id].append(Owned("survey_action", a, a.due_on))
    return owned


def _describe_action(action, viewer):
    group = GroupResult.objects.filter(wave_id=action.wave_id, scope=action.scope).first()
    if group is not None and viewer.has_perm("surveys.view_group", group):
        url = (
            reverse("surveys:results", args=[action.wave_id])
            + "?"
            + urlencode({"scope": action.scope})
        )
        return f"You said: {action.you_said}", url
    return f"An action from the results of {action.wave}", ""


DECLARATION = PersonalData(
    app="surveys",
    person_sections=[(50, "Surveys", _surveys)],
    not_included=[NOT_INCLUDED_SURVEYS],
    erase_person=[erase_person],
    count_labels={
        "survey_participations": "Records of which survey waves they answered",
        "survey_drafts": "Unsent survey answers",
    },
    free_text=[
        FreeText("surveys.Action", ("you_said", "we_did")),
        FreeText("surveys.CommentReply", ("text",)),
    ],
    retention=RETENTION,
    leaver_steps=[remove_drafts],
    open_work=[open_work],
    handover_kinds=[
        HandoverKind(
            "survey_action",
            "“you said, we did” survey action",
            "“you said, we did” survey actions",
            "Survey action",
            _describe_action,
        )
    ],
    holdable=[Holdable("surveys.wave", "Survey wave (its raw answers)", None)],
)
