"""Recruitment's personal data (issue #16): candidates' applications,
scores and decisions in subject access packs; anonymisation of candidates
on erasure and on the retention schedule; leavers' panel seats; open
vacancies to hand over; holds on vacancies. It also declares the candidate
directory, through which the data protection tools find candidates without
importing this app. Run by bewigan.privacy through
settings.BEWIGAN_PERSONAL_DATA.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Q
from django.urls import reverse

from bewigan.core.db import chunks
from bewigan.core.models import AuditEntry
from bewigan.core.personal_data_types import (
    ANONYMISE,
    AUDIT_FIELDS,
    FREE,
    CandidateDirectory,
    FreeText,
    HandoverKind,
    Holdable,
    LeaverBatch,
    Owned,
    PersonalData,
    RetentionKind,
    Subject,
    audit_rows,
    details_text,
    name_of,
    section,
)
from bewigan.core.services import notify
from bewigan.people.models import Person

from .models import (
    Candidate,
    ConsensusScore,
    Decision,
    EqualityMonitoring,
    Interview,
    PanelMember,
    QuestionScore,
    Scorecard,
    ScorecardRevision,
    Vacancy,
    ValueRating,
)
from .services import candidate_anonymise, candidates_retention_due

# --- Subject access ------------------------------------------------------------------


def _recruitment_roles(s: Subject) -> list[dict]:
    return [
        section(
            "panels",
            "Interview panels you sat on",
            "Vacancies you were a panellist for. Your scores and notes about candidates are "
            "about them and are not included.",
            [("vacancy", "Vacancy", "text"), ("chair", "Chair", "bool")],
            [
                {"vacancy": str(m.vacancy), "chair": m.is_chair}
                for m in PanelMember.objects.filter(user=s.user)
                .select_related("vacancy")
                .order_by("vacancy__created_at")
            ],
        )
    ]


def candidate_sections(s: Subject) -> list[dict]:
    """Applications, equality monitoring, interviews, scorecards and panel
    decisions for the subject's candidacies (one or more vacancies)."""
    ids = [c.pk for c in s.candidates]
    vacancy = {c.pk: str(c.vacancy) for c in s.candidates}
    for c in s.candidates:
        s.connect(c.vacancy.recruiting_manager)
        for seat in c.vacancy.panel.all():
            s.connect(seat.user)
    applications = section(
        "applications",
        "Applications",
        "Your applications and the details the interview panel worked from.",
        [
            ("vacancy", "Vacancy", "text"),
            ("organisation", "Organisation", "text"),
            ("applicant_ref", "Applicant reference", "text"),
            ("name", "Name", "text"),
            ("email", "Email", "text"),
            ("guaranteed_interview", "Guaranteed interview", "bool"),
            ("consent", "Consented to share panel evidence with a future manager", "bool"),
            ("added", "Added", "datetime"),
            ("anonymised", "Anonymised", "datetime"),
        ],
        [
            {
                "vacancy": vacancy[c.pk],
                "organisation": c.vacancy.organisation.name,
                "applicant_ref": c.external_ref,
                "name": c.name,
                "email": c.email,
                "guaranteed_interview": c.guaranteed_interview,
                "consent": c.consent_share_evidence,
                "added": c.created_at,
                "anonymised": c.anonymised_at,
            }
            for c in s.candidates
        ],
    )
    equality = section(
        "equality_monitoring",
        "Equality monitoring",
        "Your equality monitoring answers. Panellists never see them; they are reported only "
        "in aggregate.",
        [
            ("vacancy", "Vacancy", "text"),
            ("sex", "Sex", "text"),
            ("age_band", "Age", "text"),
            ("ethnicity", "Ethnicity", "text"),
            ("disability", "Disability", "text"),
        ],
        [
            {
                "vacancy": vacancy[e.candidate_id],
                "sex": e.get_sex_display(),
                "age_band": e.get_age_band_display(),
                "ethnicity": e.get_ethnicity_display(),
                "disability": e.get_disability_display(),
            }
            for e in EqualityMonitoring.objects.filter(candidate_id__in=ids)
        ],
    )
    interviews = list(Interview.objects.filter(candidate_id__in=ids).order_by("scheduled_at"))
    of = {i.pk: vacancy[i.candidate_id] for i in interviews}
    interview = section(
        "interviews",
        "Interviews",
        "When and where you were interviewed.",
        [
            ("vacancy", "Vacancy", "text"),
            ("scheduled", "When", "datetime"),
            ("location", "Where", "text"),
            ("closed", "Panel closed", "datetime"),
        ],
        [
            {
                "vacancy": of[i.pk],
                "scheduled": i.scheduled_at,
                "location": i.location,
                "closed": i.panel_closed_at,
            }
            for i in interviews
        ],
    )
    cards = list(
        Scorecard.objects.filter(interview__in=interviews)
        .select_related("panellist")
        .order_by("interview_id", "id")
    )
    for card in cards:
        s.connect(card.panellist)
    card_label = {c.pk: name_of(c.panellist) for c in cards}
    scorecards = section(
        "scorecards",
        "Panel scorecards",
        "Each panellist's scorecard for your interview.",
        [
            ("vacancy", "Vacancy", "text"),
            ("panellist", "Panellist", "text"),
            ("status", "Status", "text"),
            ("submitted", "Submitted", "datetime"),
            ("amendments", "Amendments", "number"),
        ],
        [
            {
                "vacancy": of[c.interview_id],
                "panellist": card_label[c.pk],
                "status": c.get_status_display(),
                "submitted": c.submitted_at,
                "amendments": c.revision,
            }
            for c in cards
        ],
    )
    card_vacancy = {c.pk: of[c.interview_id] for c in cards}
    scores = section(
        "question_scores",
        "Scores for each question",
        "Each panellist's score (1 to 5) and the evidence they noted for each question.",
        [
            ("vacancy", "Vacancy", "text"),
            ("panellist", "Panellist", "text"),
            ("question", "Question", "text"),
            ("score", "Score", "number"),
            ("evidence", "Evidence noted", FREE),
        ],
        [
            {
                "vacancy": card_vacancy[q.scorecard_id],
                "panellist": card_label[q.scorecard_id],
                "question": q.plan_question.question_version.text,
                "score": q.score,
                "evidence": q.evidence,
            }
            for q in QuestionScore.objects.filter(scorecard__in=cards)
            .select_related("plan_question__question_version")
            .order_by("scorecard_id", "plan_question__order", "id")
        ],
    )
    ratings = section(
        "value_ratings",
        "Overall ratings for each value",
        "Each panellist's overall view of each value.",
        [
            ("vacancy", "Vacancy", "text"),
            ("panellist", "Panellist", "text"),
            ("value", "Value", "text"),
            ("score", "Score", "number"),
            ("comment", "Comment", FREE),
        ],
        [
            {
                "vacancy": card_vacancy[v.scorecard_id],
                "panellist": card_label[v.scorecard_id],
                "value": v.value.name,
                "score": v.score,
                "comment": v.comment,
            }
            for v in ValueRating.objects.filter(scorecard__in=cards)
            .select_related("value")
            .order_by("scorecard_id", "value__order", "id")
        ],
    )
    revisions = section(
        "scorecard_changes",
        "Changes to submitted scorecards",
        "Scorecards as they stood before a panellist amended them, with the reason.",
        [
            ("vacancy", "Vacancy", "text"),
            ("panellist", "Panellist", "text"),
            ("changed", "Changed", "datetime"),
            ("reason", "Reason", FREE),
            ("before", "Before the change", FREE),
        ],
        [
            {
                "vacancy": card_vacancy[r.scorecard_id],
                "panellist": card_label[r.scorecard_id],
                "changed": r.changed_at,
                "reason": r.reason,
                "before": details_text(r.snapshot),
            }
            for r in ScorecardRevision.objects.filter(scorecard__in=cards).order_by("changed_at")
        ],
    )
    consensus = section(
        "consensus",
        "Panel's agreed scores",
        "The score for each value that the panel agreed together.",
        [
            ("vacancy", "Vacancy", "text"),
            ("value", "Value", "text"),
            ("score", "Agreed score", "number"),
        ],
        [
            {"vacancy": of[c.interview_id], "value": c.value.name, "score": c.score}
            for c in ConsensusScore.objects.filter(interview__in=interviews)
            .select_related("value")
            .order_by("interview_id", "value__order")
        ],
    )
    decisions = list(
        Decision.objects.filter(interview__in=interviews)
        .select_related("decided_by")
        .order_by("decided_at")
    )
    for d in decisions:
        s.connect(d.decided_by)
    decision = section(
        "decisions",
        "Panel decisions",
        "The panel's decision, its reasons and the feedback prepared for you.",
        [
            ("vacancy", "Vacancy", "text"),
            ("outcome", "Outcome", "text"),
            ("rationale", "Reasons", FREE),
            ("decided_by", "Recorded by", "text"),
            ("decided", "Decided", "datetime"),
            ("feedback_intro", "Feedback", FREE),
            ("strengths", "Strengths", FREE),
            ("development", "To develop", FREE),
            ("feedback_sent", "Feedback sent", "datetime"),
        ],
        [
            {
                "vacancy": of[d.interview_id],
                "outcome": d.get_outcome_display(),
                "rationale": d.rationale,
                "decided_by": name_of(d.decided_by),
                "decided": d.decided_at,
                "feedback_intro": d.feedback_intro,
                "strengths": _lines(d.strengths),
                "development": _lines(d.development),
                "feedback_sent": d.feedback_sent_at,
            }
            for d in decisions
        ],
    )
    audit = section(
        "candidate_audit",
        "Audit log entries about your applications",
        "Each time someone viewed or changed your application records, who did it and why.",
        AUDIT_FIELDS,
        audit_rows(
            AuditEntry.objects.filter(
                object_type="recruitment.candidate", object_id__in=[str(i) for i in ids]
            )
            .select_related("actor")
            .order_by("at", "id")
        ),
    )
    return [
        applications,
        equality,
        interview,
        scorecards,
        scores,
        ratings,
        revisions,
        consensus,
        decision,
        audit,
    ]


def _lines(value) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value or "")


def _staff_sections(s: Subject) -> list[dict]:
    """A member of staff: panels they sat on, and the candidacies that led
    to their job."""
    return _recruitment_roles(s) + candidate_sections(s)


# --- Erasure -------------------------------------------------------------------------


def erase_person(person, now) -> Counter:
    """Applications that led to this job are anonymised."""
    counts: Counter = Counter()
    for candidate in person.recruitment_candidacies.all():
        counts["candidacies"] += candidate_anonymise(
            candidate=candidate, reason="Erasure of the person appointed", now=now
        )
    return counts


def erase_candidate(candidate, now, reference: str) -> Counter:
    counts: Counter = Counter()
    counts["candidate"] += candidate_anonymise(
        candidate=candidate, reason=f"Erasure request {reference}", now=now
    )
    return counts


COUNT_LABELS = {
    "candidacies": "Their applications (candidate records anonymised)",
    "candidate": "Candidate record anonymised",
}

FREE_TEXT = [
    FreeText("recruitment.QuestionScore", ("evidence",)),
    FreeText("recruitment.ValueRating", ("comment",)),
    FreeText("recruitment.ScorecardRevision", ("reason",)),
    FreeText("recruitment.Decision", ("rationale", "feedback_intro")),
]


# --- Retention -----------------------------------------------------------------------


def _candidates_due(cutoff, holds, *, with_holds: bool = True):
    qs = candidates_retention_due(cutoff=cutoff.moment)
    if with_holds:
        qs = qs.exclude(pk__in=sorted(holds.candidate_ids))
        qs = qs.exclude(pk__in=holds.ids("recruitment.candidate"))
        qs = qs.exclude(vacancy_id__in=holds.ids("recruitment.vacancy"))
        # an appointed person's candidacy is never due, but a reserve-list
        # candidate may since have joined: a hold on that person keeps it
        qs = qs.exclude(appointed_person_id__in=sorted(holds.person_ids))
    return {"candidates": qs}


def _candidates_apply(querysets, cutoff, reason: str) -> int:
    done = 0
    for candidate in querysets["candidates"].order_by("pk"):
        done += candidate_anonymise(candidate=candidate, reason=reason)
    return done


RETENTION = [
    RetentionKind(
        key="candidates_unsuccessful",
        label="Unsuccessful candidates",
        records=(
            "Names, email, applicant reference, equality answers, evidence text and the "
            "decision's words of candidates not appointed or on a reserve list. Numeric "
            "scores and outcomes stay for the anonymous recruitment analytics."
        ),
        starts="after the panel's decision",
        action=ANONYMISE,
        default_months=6,
        minimum_months=6,
        legal_basis=(
            "A discrimination claim must normally reach a tribunal within 3 months, extended "
            "by ACAS early conciliation (Equality Act 2010 s.123); the ICO's employment "
            "guidance expects recruitment records to go soon after. 6 months covers both."
        ),
        held_by="a hold on the candidate, their vacancy or (for a reserve-list candidate who "
        "joined) the person",
        due=_candidates_due,
        apply=_candidates_apply,
    ),
]


# --- Leavers -------------------------------------------------------------------------


def leave_panels(batch: LeaverBatch) -> None:
    """Seats on the panels of open vacancies go, with unsubmitted scorecards
    for interviews not yet decided; recruiting managers are told who left
    their panels (and if it lost its chair)."""
    person_of_user = batch.person_of_user()
    seats = []
    for chunk in chunks(batch.user_ids):
        found = list(
            PanelMember.objects.filter(
                user_id__in=chunk, vacancy__status=Vacancy.Status.OPEN
            ).select_related("vacancy__recruiting_manager")
        )
        Scorecard.objects.filter(
            panellist_id__in=chunk,
            status=Scorecard.Status.DRAFT,
            interview__decision__isnull=True,
            interview__candidate__vacancy__status=Vacancy.Status.OPEN,
        ).delete()
        PanelMember.objects.filter(pk__in=[s.pk for s in found]).delete()
        seats += found
    for seat in seats:
        batch.counts[person_of_user[seat.user_id]]["panel_seats_removed"] += 1
    leaving = {p.user_id: p for p in batch.people}
    for seat in seats:
        vacancy = seat.vacancy
        manager = vacancy.recruiting_manager
        if not manager.is_active or manager.pk in leaving:
            continue
        name = leaving[seat.user_id].name
        body = (
            f"{name} has left, so they are no longer on the panel for {vacancy.title} "
            f"({vacancy.reference}). Scorecards they submitted stay; unsubmitted ones were removed."
        )
        if seat.is_chair:
            body += " The panel has no chair now: choose one."
        notify(
            recipient=manager,
            title=f"{name} has left the panel for {vacancy.title}",
            body=body,
            url=reverse("recruitment:vacancy_detail", args=[vacancy.pk]),
            kind="leaver_panel",
        )


def open_work(person_ids) -> dict[int, list[Owned]]:
    """Open vacancies the leavers manage."""
    owned: dict[int, list[Owned]] = defaultdict(list)
    for chunk in chunks(person_ids):
        person_of_user = dict(Person.objects.filter(pk__in=chunk).values_list("user_id", "pk"))
        for vacancy in Vacancy.objects.filter(
            recruiting_manager_id__in=list(person_of_user), status=Vacancy.Status.OPEN
        ).order_by("created_at", "pk"):
            owned[person_of_user[vacancy.recruiting_manager_id]].append(Owned("vacancy", vacancy))
    return owned


def _describe_vacancy(vacancy, viewer):
    label = f"{vacancy.title} ({vacancy.reference})"
    if Vacancy.objects.visible_to(viewer).filter(pk=vacancy.pk).exists():
        return label, reverse("recruitment:vacancy_detail", args=[vacancy.pk])
    return label, ""


# --- Candidates ----------------------------------------------------------------------


def _search_q(word: str) -> Q:
    return (
        Q(first_name__icontains=word)
        | Q(last_name__icontains=word)
        | Q(email__icontains=word)
        | Q(external_ref__iexact=word)
        | Q(vacancy__reference__iexact=word)
    )


def _same_applicant(candidate):
    """The same applicant's applications to the same organisation."""
    same = Q(pk=candidate.pk)
    if candidate.email:
        same |= Q(
            email__iexact=candidate.email,
            vacancy__organisation_id=candidate.vacancy.organisation_id,
            anonymised_at__isnull=True,
        )
    return Candidate.objects.filter(same)


def _holds_q(candidate) -> Q:
    return (
        Q(candidate=candidate)
        | Q(object_type="recruitment.candidate", object_id=str(candidate.pk))
        | Q(object_type="recruitment.vacancy", object_id=str(candidate.vacancy_id))
    )


CANDIDATES = CandidateDirectory(
    model=Candidate,
    organisation_id=lambda candidate: candidate.vacancy.organisation_id,
    organisation_path="vacancy__organisation",
    search_q=_search_q,
    same_applicant=_same_applicant,
    of_person=lambda person: Candidate.objects.filter(appointed_person=person),
    anonymise=candidate_anonymise,
    holds_q=_holds_q,
)


DECLARATION = PersonalData(
    app="recruitment",
    person_sections=[(60, "Recruitment", _staff_sections)],
    candidate_sections=[(10, "Recruitment records", candidate_sections)],
    erase_person=[erase_person],
    erase_candidate=[erase_candidate],
    count_labels=COUNT_LABELS,
    free_text=FREE_TEXT,
    retention=RETENTION,
    leaver_steps=[leave_panels],
    open_work=[open_work],
    handover_kinds=[
        HandoverKind(
            "vacancy",
            "open vacancy they manage",
            "open vacancies they manage",
            "Vacancy",
            _describe_vacancy,
        )
    ],
    holdable=[Holdable("recruitment.vacancy", "Vacancy (all its candidates)", "organisation_id")],
    candidates=CANDIDATES,
)
