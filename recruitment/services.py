"""Every recruitment write. Multi-row writes run in one transaction; the
scorecard writes lock the scorecard row (select_for_update) so a double
submit or an autosave racing a submit cannot overwrite submitted work."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from bewigan.core.services import audit_record, notify
from bewigan.core.work import my_work_changed
from bewigan.people.models import Person
from bewigan.values.models import Behaviour, Value

from .models import (
    SCALE,
    Candidate,
    ConsensusScore,
    Decision,
    EqualityMonitoring,
    Interview,
    InterviewQuestionSummary,
    PanelMember,
    PlanQuestion,
    Question,
    QuestionScore,
    QuestionVersion,
    RoleFamily,
    Scorecard,
    ScorecardRevision,
    Vacancy,
    ValueRating,
)


class RecruitmentError(Exception):
    """A refused action, with a message for the person who tried it."""


class ScorecardLocked(RecruitmentError):
    pass


# ---------------------------------------------------------------- question bank

VERSION_FIELDS = [
    "text",
    "value",
    "style",
    "positive_evidence",
    "probes",
    "concerns",
    "anchor_1",
    "anchor_2",
    "anchor_3",
    "anchor_4",
    "anchor_5",
]


def _apply_version(version: QuestionVersion, data: dict) -> None:
    for name in VERSION_FIELDS:
        if name in data:
            setattr(version, name, data[name])


@transaction.atomic
def question_create(*, user, code: str, data: dict) -> Question:
    question = Question.objects.create(code=code, created_by=user)
    version = QuestionVersion(question=question, number=1, created_by=user)
    _apply_version(version, data)
    version.change_note = data.get("change_note", "")
    version.save()
    version.behaviours.set(data.get("behaviours", []))
    version.role_families.set(data.get("role_families", []))
    question.latest_version = version
    question.save(update_fields=["latest_version"])
    audit_record(actor=user, action="create", obj=question)
    return question


@transaction.atomic
def question_edit(*, user, question: Question, data: dict) -> QuestionVersion:
    """Edit the draft in place; editing approved words makes a new draft
    version, so interviews that used the approved words keep them."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status == Question.Status.RETIRED:
        raise RecruitmentError("This question is retired. Reinstate it before editing.")
    latest = question.latest_version
    if latest is not None and not latest.is_approved:
        version = latest
    else:
        number = (question.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = QuestionVersion(question=question, number=number, created_by=user)
    _apply_version(version, data)
    version.change_note = data.get("change_note", "")
    version.save()
    version.behaviours.set(data.get("behaviours", []))
    version.role_families.set(data.get("role_families", []))
    question.latest_version = version
    question.save(update_fields=["latest_version"])
    audit_record(actor=user, action="update", obj=question, details={"version": version.number})
    return version


@transaction.atomic
def question_approve(*, user, question: Question) -> Question:
    question = (
        Question.objects.select_for_update(of=("self",))
        .select_related("latest_version")
        .get(pk=question.pk)
    )
    version = question.latest_version
    if version is None or version.is_approved:
        raise RecruitmentError("There is no draft to approve.")
    if question.status == Question.Status.RETIRED:
        raise RecruitmentError("This question is retired.")
    version.approved_at = timezone.now()
    version.approved_by = user
    version.save(update_fields=["approved_at", "approved_by"])
    question.approved_version = version
    question.status = Question.Status.APPROVED
    question.save(update_fields=["approved_version", "status"])
    audit_record(
        actor=user, action="update", obj=question, details={"approved_version": version.number}
    )
    return question


@transaction.atomic
def question_retire(*, user, question: Question, retire: bool = True) -> Question:
    question = Question.objects.select_for_update().get(pk=question.pk)
    if retire:
        question.status = Question.Status.RETIRED
    else:
        question.status = (
            Question.Status.APPROVED if question.approved_version_id else Question.Status.DRAFT
        )
    question.save(update_fields=["status"])
    audit_record(actor=user, action="update", obj=question, details={"status": question.status})
    return question


CSV_COLUMNS = [
    "code",
    "status",
    "version",
    "value",
    "behaviours",
    "style",
    "role_families",
    "text",
    "positive_evidence",
    "probes",
    "concerns",
    "anchor_1",
    "anchor_2",
    "anchor_3",
    "anchor_4",
    "anchor_5",
]


def questions_export_csv(*, questions) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for q in questions:
        v = q.latest_version
        writer.writerow(
            [
                q.code,
                q.status,
                v.number,
                v.value.key,
                ";".join(b.key for b in v.behaviours.all()),
                v.style,
                ";".join(r.slug for r in v.role_families.all()),
                v.text,
                v.positive_evidence,
                v.probes,
                v.concerns,
                v.anchor_1,
                v.anchor_2,
                v.anchor_3,
                v.anchor_4,
                v.anchor_5,
            ]
        )
    return out.getvalue()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _read_csv(upload) -> list[dict]:
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecruitmentError("The file must be saved as UTF-8 CSV.") from exc
    return list(csv.DictReader(io.StringIO(text)))


def questions_import_csv(*, user, upload) -> ImportResult:
    """All or nothing: every row is checked first; one bad row saves nothing.
    New codes become draft questions; existing codes get a new draft version."""
    from .selectors import current_staff_values

    rows = _read_csv(upload)
    result = ImportResult()
    if not rows:
        result.errors.append("The file has no rows.")
        return result
    missing = [
        c for c in ["code", "value", "style", "text", "positive_evidence"] if c not in rows[0]
    ]
    if missing:
        result.errors.append(f"The file is missing the columns: {', '.join(missing)}.")
        return result
    values = {v.key: v for v in current_staff_values()}
    behaviours = {
        (b.value_id, b.key): b for b in Behaviour.objects.filter(value__in=values.values())
    }
    families = {r.slug: r for r in RoleFamily.objects.all()}
    styles = set(QuestionVersion.Style.values)
    existing = {q.code: q for q in Question.objects.all()}
    parsed = []
    seen = set()
    for n, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        errs = []
        if not code:
            errs.append("code is empty")
        elif code in seen:
            errs.append(f"code {code} appears twice")
        seen.add(code)
        value = values.get((row.get("value") or "").strip())
        if value is None:
            errs.append(f"value must be one of {', '.join(values)}")
        style = (row.get("style") or "").strip()
        if style not in styles:
            errs.append(f"style must be one of {', '.join(sorted(styles))}")
        for col in ["text", "positive_evidence"] + [f"anchor_{i}" for i in SCALE]:
            if not (row.get(col) or "").strip():
                errs.append(f"{col} is empty")
        bhv = []
        for key in filter(None, (row.get("behaviours") or "").split(";")):
            b = behaviours.get((value.pk if value else None, key.strip()))
            if b is None:
                errs.append(f"behaviour {key.strip()} is not part of that value")
            else:
                bhv.append(b)
        fam = []
        for slug in filter(None, (row.get("role_families") or "").split(";")):
            if slug.strip() not in families:
                errs.append(f"role family {slug.strip()} is unknown")
            else:
                fam.append(families[slug.strip()])
        if code in existing and existing[code].status == Question.Status.RETIRED:
            errs.append(f"question {code} is retired")
        if errs:
            result.errors.append(f"Row {n}: " + "; ".join(errs))
            continue
        data = {k: (row.get(k) or "").strip() for k in VERSION_FIELDS if k != "value"}
        data.update(value=value, behaviours=bhv, role_families=fam, change_note="Imported from CSV")
        parsed.append((code, data))
    if result.errors:
        return result
    with transaction.atomic():
        for code, data in parsed:
            if code in existing:
                question_edit(user=user, question=existing[code], data=data)
                result.updated += 1
            else:
                question_create(user=user, code=code, data=data)
                result.created += 1
        audit_record(
            actor=user,
            action="import",
            object_type="recruitment.question",
            details={"created": result.created, "updated": result.updated},
        )
    return result


# ------------------------------------------------------------------ vacancies


@transaction.atomic
def vacancy_save(*, user, vacancy: Vacancy | None, data: dict) -> Vacancy:
    creating = vacancy is None
    vacancy = vacancy or Vacancy()
    for name in [
        "title",
        "reference",
        "organisation",
        "team",
        "recruiting_manager",
        "essential_criteria",
        "visibility",
        "status",
    ]:
        if name in data:
            setattr(vacancy, name, data[name])
    vacancy.save()
    vacancy.values.set(data.get("values", []))
    vacancy.behaviours.set(data.get("behaviours", []))
    audit_record(actor=user, action="create" if creating else "update", obj=vacancy)
    return vacancy


def _my_work_changed(*, vacancy_id=None, interview_id=None, also=()) -> None:
    """The panel's and the recruiting manager's "my work" on the home page
    (scorecards to submit, decisions to record) for this vacancy."""
    vacancies = (
        Vacancy.objects.filter(pk=vacancy_id)
        if vacancy_id is not None
        else Vacancy.objects.filter(candidates__interview__pk=interview_id)
    )
    rows = vacancies.values_list("recruiting_manager_id", "panel__user_id")
    my_work_changed([user_id for row in rows for user_id in row] + list(also))


def _has_scores(vacancy) -> bool:
    """Scorecards exist as soon as interviews are scheduled; the plan freezes
    only once someone has recorded an answer."""
    return QuestionScore.objects.filter(scorecard__interview__candidate__vacancy=vacancy).exists()


@transaction.atomic
def plan_question_add(
    *, user, vacancy: Vacancy, question: Question, minutes: int = 8
) -> PlanQuestion:
    if question.status != Question.Status.APPROVED or question.approved_version_id is None:
        raise RecruitmentError("Only approved questions can go into an interview plan.")
    if _has_scores(vacancy):
        raise RecruitmentError("Panellists have started scoring, so the plan can no longer change.")
    Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.plan_questions.filter(question_version__question=question).exists():
        raise RecruitmentError("That question is already in the plan.")
    order = (vacancy.plan_questions.aggregate(m=Max("order"))["m"] or 0) + 1
    return PlanQuestion.objects.create(
        vacancy=vacancy,
        question_version_id=question.approved_version_id,
        order=order,
        minutes=minutes,
    )


@transaction.atomic
def plan_question_change(
    *, user, vacancy: Vacancy, plan_question_id: int, action: str, minutes=None
):
    plan = list(vacancy.plan_questions.select_for_update().order_by("order", "id"))
    target = next((pq for pq in plan if pq.pk == plan_question_id), None)
    if target is None:
        raise RecruitmentError("That question is not in this plan.")
    if action == "minutes":
        if minutes is None or not 1 <= minutes <= 60:
            raise RecruitmentError("Enter a time between 1 and 60 minutes.")
        target.minutes = minutes
        target.save(update_fields=["minutes"])
        return
    if _has_scores(vacancy):
        raise RecruitmentError("Panellists have started scoring, so the plan can no longer change.")
    i = plan.index(target)
    if action == "remove":
        target.delete()
        plan.pop(i)
    elif action == "up" and i > 0:
        plan[i - 1], plan[i] = plan[i], plan[i - 1]
    elif action == "down" and i < len(plan) - 1:
        plan[i + 1], plan[i] = plan[i], plan[i + 1]
    for n, pq in enumerate(plan, start=1):
        if pq.order != n:
            pq.order = n
            pq.save(update_fields=["order"])


@transaction.atomic
def panel_member_add(*, user, vacancy: Vacancy, member, is_chair: bool = False) -> PanelMember:
    Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.panel.filter(user=member).exists():
        raise RecruitmentError(f"{member} is already on the panel.")
    if is_chair:
        vacancy.panel.filter(is_chair=True).update(is_chair=False)
    seat = PanelMember.objects.create(vacancy=vacancy, user=member, is_chair=is_chair)
    for interview in Interview.objects.filter(candidate__vacancy=vacancy, decision__isnull=True):
        Scorecard.objects.get_or_create(interview=interview, panellist=member)
    _my_work_changed(vacancy_id=vacancy.pk)
    audit_record(actor=user, action="update", obj=vacancy, details={"panel_add": member.pk})
    return seat


@transaction.atomic
def panel_member_remove(*, user, vacancy: Vacancy, seat_id: int) -> None:
    seat = vacancy.panel.filter(pk=seat_id).first()
    if seat is None:
        raise RecruitmentError("That person is not on this panel.")
    if Scorecard.objects.filter(
        interview__candidate__vacancy=vacancy,
        panellist_id=seat.user_id,
        status=Scorecard.Status.SUBMITTED,
    ).exists():
        raise RecruitmentError(
            "This panellist has submitted scorecards, so they stay on the panel."
        )
    Scorecard.objects.filter(
        interview__candidate__vacancy=vacancy, panellist_id=seat.user_id
    ).delete()
    seat.delete()
    _my_work_changed(vacancy_id=vacancy.pk, also=[seat.user_id])
    audit_record(actor=user, action="update", obj=vacancy, details={"panel_remove": seat.user_id})


# ------------------------------------------------------------------ candidates

EQUALITY_FIELDS = ["sex", "age_band", "ethnicity", "disability"]


@transaction.atomic
def candidate_create(
    *, user, vacancy: Vacancy, data: dict, equality: dict | None = None
) -> Candidate:
    candidate = Candidate.objects.create(
        vacancy=vacancy,
        external_ref=data.get("external_ref", ""),
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data.get("email", ""),
        guaranteed_interview=bool(data.get("guaranteed_interview")),
        consent_share_evidence=bool(data.get("consent_share_evidence")),
    )
    EqualityMonitoring.objects.create(candidate=candidate, **(equality or {}))
    if data.get("scheduled_at"):
        interview_schedule(
            user=user,
            candidate=candidate,
            scheduled_at=data["scheduled_at"],
            location=data.get("location", ""),
        )
    audit_record(actor=user, action="create", obj=candidate)
    return candidate


CANDIDATE_COLUMNS = [
    "applicant_ref",
    "first_name",
    "last_name",
    "email",
    "guaranteed_interview",
    "interview_at",
    "location",
    *EQUALITY_FIELDS,
]
TRUE = {"yes", "y", "true", "1"}
FALSE = {"no", "n", "false", "0", ""}


def candidates_import_csv(*, user, vacancy: Vacancy, upload) -> ImportResult:
    """The recruitment system's export. All or nothing, with an error per row."""
    rows = _read_csv(upload)
    result = ImportResult()
    if not rows:
        result.errors.append("The file has no rows.")
        return result
    missing = [c for c in ["applicant_ref", "first_name", "last_name"] if c not in rows[0]]
    if missing:
        result.errors.append(f"The file is missing the columns: {', '.join(missing)}.")
        return result
    choices = {
        f: {k for k, _ in EqualityMonitoring._meta.get_field(f).choices} for f in EQUALITY_FIELDS
    }
    existing = set(
        vacancy.candidates.exclude(external_ref="").values_list("external_ref", flat=True)
    )
    seen, parsed = set(), []
    tz = timezone.get_current_timezone()
    for n, row in enumerate(rows, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        errs = []
        ref = row.get("applicant_ref", "")
        if not ref:
            errs.append("applicant_ref is empty")
        elif ref in existing or ref in seen:
            errs.append(f"applicant {ref} is already on this vacancy")
        seen.add(ref)
        for col in ["first_name", "last_name"]:
            if not row.get(col):
                errs.append(f"{col} is empty")
        if row.get("email"):
            try:
                validate_email(row["email"])
            except ValidationError:
                errs.append("email is not a valid email address")
        gi = row.get("guaranteed_interview", "").lower()
        if gi not in TRUE | FALSE:
            errs.append("guaranteed_interview must be yes or no")
        when = None
        if row.get("interview_at"):
            try:
                when = datetime.strptime(row["interview_at"], "%Y-%m-%d %H:%M").replace(tzinfo=tz)
            except ValueError:
                errs.append("interview_at must look like 2026-03-14 10:30")
        eq = {}
        for f in EQUALITY_FIELDS:
            answer = row.get(f, "") or EqualityMonitoring.PREFER_NOT
            if answer not in choices[f]:
                errs.append(f"{f} must be one of {', '.join(sorted(choices[f]))}")
            eq[f] = answer
        if errs:
            result.errors.append(f"Row {n}: " + "; ".join(errs))
            continue
        parsed.append(
            (
                {
                    "external_ref": ref,
                    "first_name": row["first_name"],
                    "last_name": row["last_name"],
                    "email": row.get("email", ""),
                    "guaranteed_interview": gi in TRUE,
                    "scheduled_at": when,
                    "location": row.get("location", ""),
                },
                eq,
            )
        )
    if result.errors:
        return result
    with transaction.atomic():
        for data, eq in parsed:
            candidate_create(user=user, vacancy=vacancy, data=data, equality=eq)
            result.created += 1
        audit_record(
            actor=user, action="import", obj=vacancy, details={"candidates": result.created}
        )
    return result


@transaction.atomic
def interview_schedule(
    *, user, candidate: Candidate, scheduled_at, location: str = ""
) -> Interview:
    interview, _ = Interview.objects.update_or_create(
        candidate=candidate, defaults={"scheduled_at": scheduled_at, "location": location}
    )
    for member in candidate.vacancy.panel.all():
        Scorecard.objects.get_or_create(interview=interview, panellist_id=member.user_id)
    _my_work_changed(vacancy_id=candidate.vacancy_id)
    return interview


@transaction.atomic
def candidate_set_consent(*, user, candidate: Candidate, consent: bool) -> None:
    candidate.consent_share_evidence = consent
    candidate.save(update_fields=["consent_share_evidence"])
    audit_record(
        actor=user, action="update", obj=candidate, details={"consent_share_evidence": consent}
    )


@transaction.atomic
def candidate_link_person(*, user, candidate: Candidate, person: Person | None) -> None:
    candidate.appointed_person = person
    candidate.save(update_fields=["appointed_person"])
    audit_record(
        actor=user,
        action="update",
        obj=candidate,
        subject=person.user if person else None,
        details={"appointed_person": person and person.pk},
    )


# ------------------------------------------------------------------ scorecards


def scorecard_for(*, interview: Interview, user) -> Scorecard:
    """The panellist's own scorecard, created on first use. A second request
    racing the first finds the row the unique constraint let through."""
    try:
        with transaction.atomic():
            scorecard, _ = Scorecard.objects.get_or_create(interview=interview, panellist=user)
    except IntegrityError:
        scorecard = Scorecard.objects.get(interview=interview, panellist=user)
    return scorecard


def _write_answers(scorecard: Scorecard, answers: dict) -> None:
    """answers = {"questions": {pq_id: (score|None, evidence)}, "values": {value_id: (score|None, comment)}}"""
    for pq_id, (score, evidence) in answers.get("questions", {}).items():
        if score is not None and score not in SCALE:
            raise RecruitmentError("Scores must be between 1 and 5.")
        QuestionScore.objects.update_or_create(
            scorecard=scorecard,
            plan_question_id=pq_id,
            defaults={"score": score, "evidence": evidence},
        )
    for value_id, (score, comment) in answers.get("values", {}).items():
        if score is not None and score not in SCALE:
            raise RecruitmentError("Scores must be between 1 and 5.")
        ValueRating.objects.update_or_create(
            scorecard=scorecard, value_id=value_id, defaults={"score": score, "comment": comment}
        )


def interview_summary_refresh(*, interview_id: int) -> None:
    """Recompute the anonymous per-question summary of submitted scores for
    one interview (called inside the submit/amend transaction; the interview
    row lock orders concurrent submits)."""
    from django.db.models import Count, Max, Min, Q, Sum

    list(Interview.objects.select_for_update().filter(pk=interview_id).values_list("pk"))
    rows = (
        QuestionScore.objects.filter(
            scorecard__interview_id=interview_id,
            scorecard__status=Scorecard.Status.SUBMITTED,
            score__isnull=False,
        )
        .values("plan_question_id", "plan_question__question_version__question_id")
        .annotate(
            scores=Count("id"),
            total=Sum("score"),
            lowest=Min("score"),
            highest=Max("score"),
            **{f"n{n}": Count("id", filter=Q(score=n)) for n in SCALE},
        )
        .order_by()
    )
    InterviewQuestionSummary.objects.filter(interview_id=interview_id).delete()
    InterviewQuestionSummary.objects.bulk_create(
        [
            InterviewQuestionSummary(
                interview_id=interview_id,
                plan_question_id=r["plan_question_id"],
                question_id=r["plan_question__question_version__question_id"],
                scores=r["scores"],
                total=r["total"],
                lowest=r["lowest"],
                highest=r["highest"],
                **{f"n{n}": r[f"n{n}"] for n in SCALE},
            )
            for r in rows
        ]
    )


STALE_TAB = (
    "This scorecard was changed in another window since you opened it. "
    "Reload to see the latest version, then make your changes again."
)


def _locked(scorecard_id: int, user) -> Scorecard:
    """The panellist's scorecard, locked for a write. Lock order, the same
    in every scorecard write and in `decision_record`: the Interview row
    first, then the Scorecard row. A decision therefore waits for a write in
    progress and the other way round, and a write that waited sees the
    decision and is refused: nothing changes after a decision.

    Each write then checks `_fresh`: a stale tab's write is refused instead
    of silently overwriting newer evidence."""
    interview_id = (
        Scorecard.objects.filter(pk=scorecard_id, panellist=user)
        .values_list("interview_id", flat=True)
        .first()
    )
    if interview_id is None:
        raise RecruitmentError("That scorecard is not yours.")
    list(Interview.objects.select_for_update().filter(pk=interview_id).values_list("pk"))
    scorecard = (
        Scorecard.objects.select_for_update(of=("self",))
        .select_related("interview")
        .get(pk=scorecard_id)
    )
    if Decision.objects.filter(interview_id=scorecard.interview_id).exists():
        raise ScorecardLocked(
            "The panel has made its decision, so scorecards can no longer change."
        )
    return scorecard


def _fresh(scorecard: Scorecard, expected_version: int | None, tab: str) -> None:
    """Refuse a write from a page (`tab`, a nonce per page load) that opened
    the scorecard at `expected_version` when another page has written since.
    The page's own autosaves move the version on without it knowing, so the
    last writer being this page is as good as an unchanged version. Views
    always pass both; None (commands, seeders) skips the check."""
    if expected_version is None or scorecard.version == expected_version:
        return
    if tab and scorecard.written_in == tab:
        return
    raise ScorecardLocked(STALE_TAB)


def _written(scorecard: Scorecard, tab: str, now) -> list[str]:
    scorecard.version += 1
    scorecard.written_in = tab
    scorecard.updated_at = now
    return ["version", "written_in", "updated_at"]


@transaction.atomic
def scorecard_save_draft(
    *,
    user,
    scorecard_id: int,
    answers: dict,
    expected_version: int | None = None,
    tab: str = "",
) -> Scorecard:
    """Save a draft. Two tabs on one draft cannot overwrite each other's
    evidence: the second to write is refused (`_fresh`)."""
    scorecard = _locked(scorecard_id, user)
    if scorecard.is_submitted:
        raise ScorecardLocked(
            "You have already submitted this scorecard. Use ‘Amend my scorecard’ to change it."
        )
    _fresh(scorecard, expected_version, tab)
    _write_answers(scorecard, answers)
    scorecard.save(update_fields=_written(scorecard, tab, timezone.now()))
    return scorecard


def _complete(answers: dict, plan_ids: set[int], value_ids: set[int]) -> list[str]:
    missing = []
    q = answers.get("questions", {})
    v = answers.get("values", {})
    if any(q.get(i, (None, ""))[0] is None for i in plan_ids):
        missing.append("Score every question before you submit.")
    if any(v.get(i, (None, ""))[0] is None for i in value_ids):
        missing.append("Give an overall score for every value before you submit.")
    return missing


@transaction.atomic
def scorecard_submit(
    *,
    user,
    scorecard_id: int,
    answers: dict,
    plan_ids: set[int],
    value_ids: set[int],
    expected_version: int | None = None,
    tab: str = "",
) -> Scorecard:
    scorecard = _locked(scorecard_id, user)
    if scorecard.is_submitted:
        raise ScorecardLocked("You have already submitted this scorecard.")
    _fresh(scorecard, expected_version, tab)
    problems = _complete(answers, plan_ids, value_ids)
    if problems:
        raise RecruitmentError(" ".join(problems))
    _write_answers(scorecard, answers)
    now = timezone.now()
    scorecard.status = Scorecard.Status.SUBMITTED
    scorecard.submitted_at = now
    scorecard.save(update_fields=["status", "submitted_at", *_written(scorecard, tab, now)])
    _my_work_changed(interview_id=scorecard.interview_id)
    interview_summary_refresh(interview_id=scorecard.interview_id)
    audit_record(actor=user, action="update", obj=scorecard, details={"submitted": True})
    return scorecard


def scorecard_snapshot(scorecard: Scorecard) -> dict:
    return {
        "submitted_at": scorecard.submitted_at.isoformat() if scorecard.submitted_at else None,
        "questions": {
            str(s.plan_question_id): {"score": s.score, "evidence": s.evidence}
            for s in scorecard.question_scores.all()
        },
        "values": {
            str(r.value_id): {"score": r.score, "comment": r.comment}
            for r in scorecard.value_ratings.all()
        },
    }


@transaction.atomic
def scorecard_amend(
    *,
    user,
    scorecard_id: int,
    answers: dict,
    plan_ids,
    value_ids,
    reason: str,
    expected_revision: int,
    expected_version: int | None = None,
    tab: str = "",
) -> Scorecard:
    """After submission: keep the earlier version and who changed it."""
    scorecard = _locked(scorecard_id, user)
    if not scorecard.is_submitted:
        raise RecruitmentError("This scorecard is still a draft: save it instead.")
    if scorecard.revision != expected_revision:
        raise ScorecardLocked(
            "This scorecard was amended in another window since you opened it. Reload to see the latest version."
        )
    _fresh(scorecard, expected_version, tab)
    if not reason.strip():
        raise RecruitmentError("Say why you are amending your scorecard.")
    problems = _complete(answers, plan_ids, value_ids)
    if problems:
        raise RecruitmentError(" ".join(problems))
    ScorecardRevision.objects.create(
        scorecard=scorecard,
        revision=scorecard.revision,
        snapshot=scorecard_snapshot(scorecard),
        changed_by=user,
        reason=reason.strip(),
    )
    _write_answers(scorecard, answers)
    scorecard.revision += 1
    scorecard.save(update_fields=["revision", *_written(scorecard, tab, timezone.now())])
    interview_summary_refresh(interview_id=scorecard.interview_id)
    audit_record(
        actor=user,
        action="update",
        obj=scorecard,
        reason=reason,
        details={"amended": scorecard.revision},
    )
    return scorecard


# ------------------------------------------------------------ consensus, decision


def feedback_draft(
    *, interview: Interview, agreed: dict[int, int], values: list[Value]
) -> tuple[str, list, list]:
    """Asset-based feedback: strengths first (what the panel saw at its
    best), then development written as what to build on next."""
    strengths, development = [], []
    best_evidence = {}
    for qs in (
        QuestionScore.objects.filter(scorecard__interview=interview, scorecard__status="submitted")
        .exclude(evidence="")
        .select_related("plan_question__question_version")
        .order_by("-score", "id")
    ):
        best_evidence.setdefault(qs.plan_question.question_version.value_id, qs.evidence)
    for value in values:
        score = agreed.get(value.pk)
        if score is None:
            continue
        if score >= 4:
            line = f"{value.name}: you showed this strongly."
            if value.pk in best_evidence:
                line += f" The panel noted: {best_evidence[value.pk]}"
            strengths.append(line)
        elif score == 3:
            strengths.append(f"{value.name}: you gave good, clear examples of this.")
            development.append(
                f"{value.name}: to build on this, think of examples where you led the way and can say what changed as a result."
            )
        else:
            development.append(
                f"{value.name}: you have a foundation to build on. Next time, bring a specific example of a time you "
                f"{value.summary[0].lower()}{value.summary[1:]}"
                if value.summary
                else f"{value.name}: bring specific examples next time."
            )
    candidate = interview.candidate
    intro = (
        f"Dear {candidate.first_name},\n\nThank you for meeting us about the {candidate.vacancy.title} role. "
        "We start with the strengths the panel saw, then what we think you could build on next."
    )
    return intro, strengths, development


@transaction.atomic
def decision_record(
    *, user, interview: Interview, agreed: dict[int, int], outcome: str, rationale: str
) -> Decision:
    from .selectors import plan_questions, rated_values

    # Interview, then its scorecards: the lock order of every scorecard write
    # (`_locked`). A write in progress finishes first; any later one sees the
    # decision and is refused.
    Interview.objects.select_for_update().get(pk=interview.pk)
    list(Scorecard.objects.select_for_update().filter(interview=interview).values_list("pk"))
    if Decision.objects.filter(interview=interview).exists():
        raise RecruitmentError("The panel's decision has already been recorded.")
    vacancy = interview.candidate.vacancy
    panel_ids = set(vacancy.panel.values_list("user_id", flat=True))
    submitted = set(
        interview.scorecards.filter(status=Scorecard.Status.SUBMITTED).values_list(
            "panellist_id", flat=True
        )
    )
    if not panel_ids or not panel_ids <= submitted:
        raise RecruitmentError(
            "Every panellist must submit their scorecard before the panel decides."
        )
    values = rated_values(vacancy=vacancy, plan=plan_questions(vacancy=vacancy))
    if any(agreed.get(v.pk) not in SCALE for v in values):
        raise RecruitmentError("Record an agreed score from 1 to 5 for every value.")
    if outcome not in Decision.Outcome.values:
        raise RecruitmentError("Choose the panel's decision.")
    if not rationale.strip():
        raise RecruitmentError("Give the reasons for the decision.")
    for v in values:
        ConsensusScore.objects.create(interview=interview, value=v, score=agreed[v.pk])
    intro, strengths, development = feedback_draft(
        interview=interview, agreed=agreed, values=values
    )
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                interview=interview,
                outcome=outcome,
                rationale=rationale.strip(),
                decided_by=user,
                feedback_intro=intro,
                strengths=strengths,
                development=development,
            )
    except IntegrityError as exc:
        raise RecruitmentError("The panel's decision has already been recorded.") from exc
    interview.panel_closed_at = timezone.now()
    interview.save(update_fields=["panel_closed_at"])
    _my_work_changed(vacancy_id=vacancy.pk)
    candidate = interview.candidate
    if (
        outcome == Decision.Outcome.APPOINT
        and candidate.appointed_person_id is None
        and candidate.email
    ):
        person = Person.objects.filter(user__email__iexact=candidate.email).first()
        if person is not None:
            candidate.appointed_person = person
            candidate.save(update_fields=["appointed_person"])
    audit_record(actor=user, action="create", obj=decision, details={"outcome": outcome})
    return decision


@transaction.atomic
def feedback_update(
    *, user, decision: Decision, intro: str, strengths: list[str], development: list[str]
) -> Decision:
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    decision.feedback_intro = intro
    decision.strengths = strengths
    decision.development = development
    decision.save(update_fields=["feedback_intro", "strengths", "development"])
    return decision


def feedback_text(decision: Decision) -> str:
    parts = [decision.feedback_intro.strip(), "", "What the panel saw at your best:"]
    parts += [f"- {s}" for s in decision.strengths]
    if decision.development:
        parts += ["", "What you could build on next:"]
        parts += [f"- {d}" for d in decision.development]
    return "\n".join(parts)


@transaction.atomic
def feedback_send(*, user, decision: Decision) -> Decision:
    decision = (
        Decision.objects.select_for_update()
        .select_related("interview__candidate__vacancy")
        .get(pk=decision.pk)
    )
    candidate = decision.interview.candidate
    if not candidate.email:
        raise RecruitmentError(
            "This candidate has no email address, so the feedback cannot be sent."
        )
    if decision.feedback_sent_at:
        raise RecruitmentError("This feedback has already been sent.")
    decision.feedback_sent_at = timezone.now()
    decision.save(update_fields=["feedback_sent_at"])
    body = feedback_text(decision)
    subject = f"Your interview for {candidate.vacancy.title}: feedback"
    transaction.on_commit(
        lambda: send_mail(
            subject, body, settings.DEFAULT_FROM_EMAIL, [candidate.email], fail_silently=False
        )
    )
    audit_record(actor=user, action="update", obj=decision, details={"feedback_sent": True})
    return decision


# ------------------------------------------------------------ scheduled work


def scorecard_reminders_send(*, now=None, grace_hours: int = 24) -> int:
    """Email panellists whose scorecard is outstanding a day after the
    interview; at most one reminder a day per scorecard."""
    now = now or timezone.now()
    held = Interview.objects.filter(
        scheduled_at__lte=now - timedelta(hours=grace_hours),
        decision__isnull=True,
        candidate__anonymised_at__isnull=True,
    )
    # a panellist who never opened the scorecard has no row yet
    missing = [
        Scorecard(interview_id=i, panellist_id=u)
        for i, u in PanelMember.objects.filter(vacancy__candidates__interview__in=held).values_list(
            "vacancy__candidates__interview", "user_id"
        )
    ]
    Scorecard.objects.bulk_create(missing, ignore_conflicts=True)
    due = (
        Scorecard.objects.filter(
            status=Scorecard.Status.DRAFT,
            interview__scheduled_at__lte=now - timedelta(hours=grace_hours),
            interview__decision__isnull=True,
            interview__candidate__anonymised_at__isnull=True,
        )
        .exclude(reminded_at__gt=now - timedelta(hours=23))
        .select_related("panellist", "interview__candidate__vacancy")
    )
    sent = 0
    for scorecard in due:
        with transaction.atomic():
            claimed = (
                Scorecard.objects.filter(pk=scorecard.pk, status=Scorecard.Status.DRAFT)
                .exclude(reminded_at__gt=now - timedelta(hours=23))
                .update(reminded_at=now)
            )
            if not claimed:
                continue
            vacancy = scorecard.interview.candidate.vacancy
            notify(
                recipient=scorecard.panellist,
                title=f"Your scorecard for {vacancy.title} is waiting",
                body="The interview has taken place. Please score it so the panel can reach its decision.",
                url=reverse("recruitment:scorecard", args=[scorecard.interview_id]),
                kind="recruitment_scorecard_reminder",
            )
            sent += 1
    return sent


UNSUCCESSFUL = [Decision.Outcome.NOT_APPOINTED, Decision.Outcome.RESERVE]


def candidates_retention_due(*, cutoff):
    """Unsuccessful (not appointed, reserve list) candidates decided before
    `cutoff` and not yet anonymised. The period and legal holds are the
    retention schedule's (bewigan/privacy/retention.py), which calls this."""
    return Candidate.objects.filter(
        anonymised_at__isnull=True,
        interview__decision__decided_at__lt=cutoff,
        interview__decision__outcome__in=UNSUCCESSFUL,
    )


@transaction.atomic
def candidate_anonymise(*, candidate, reason: str, actor=None, now=None) -> bool:
    """Delete a candidate's personal data and keep the numbers: names, email,
    reference, equality answers, evidence text, amendment snapshots and the
    decision's words go; numeric scores, consensus and outcome stay for the
    anonymous analytics. Used by the retention schedule and by erasure on
    request. False if the candidate was already anonymised."""
    now = now or timezone.now()
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.anonymised_at:
        return False
    candidate.first_name = ""
    candidate.last_name = ""
    candidate.email = ""
    candidate.external_ref = ""
    candidate.consent_share_evidence = False
    candidate.anonymised_at = now
    candidate.save()
    _my_work_changed(vacancy_id=candidate.vacancy_id)
    EqualityMonitoring.objects.filter(candidate=candidate).delete()
    QuestionScore.objects.filter(scorecard__interview__candidate=candidate).update(evidence="")
    ValueRating.objects.filter(scorecard__interview__candidate=candidate).update(comment="")
    ScorecardRevision.objects.filter(scorecard__interview__candidate=candidate).delete()
    Decision.objects.filter(interview__candidate=candidate).update(
        rationale="(removed with the candidate's personal data)",
        feedback_intro="",
        strengths=[],
        development=[],
    )
    audit_record(actor=actor, action="delete", obj=candidate, reason=reason)
    return True
