"""Thin views: check permission, call a selector or service, render.
Details come from `*_get_for_user` selectors, which answer 404 for a
missing record and for one that is not yours alike."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bewigan.core.permissions import require_perm
from bewigan.core.services import audit_record
from bewigan.values.selectors import current_behaviours, current_values

from . import analytics, selectors, services
from .forms import (
    BankFilterForm,
    CandidateForm,
    CsvUploadForm,
    DecisionForm,
    FeedbackForm,
    LinkPersonForm,
    PanelMemberForm,
    QuestionForm,
    ScheduleForm,
    ScorecardForm,
    VacancyForm,
)
from .models import QuestionVersion, RoleFamily, Vacancy
from .services import RecruitmentError

# ----------------------------------------------------------------------- home


def index(request):
    user = request.user
    interviews = list(selectors.my_interviews(user=user)[:30])
    vacancies = list(selectors.vacancy_list(user=user)[:30])
    return render(
        request,
        "recruitment/index.html",
        {"interviews": interviews, "vacancies": vacancies, "work": selectors.my_work(user=user)},
    )


# -------------------------------------------------------------- question bank


def question_list(request):
    require_perm(request.user, "recruitment.view_bank")
    values = list(current_values())
    form = BankFilterForm(
        request.GET or None,
        values=values,
        behaviours=current_behaviours(),
        families=RoleFamily.objects.all(),
    )
    filters = selectors.BankFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.BankFilters(**form.cleaned_data)
    vacancy = None
    if request.GET.get("vacancy"):
        try:
            vacancy = selectors.vacancy_get_for_user(
                user=request.user, pk=int(request.GET["vacancy"]), perm="recruitment.change_vacancy"
            )
        except ValueError as exc:
            raise Http404 from exc
    page = Paginator(selectors.question_bank(filters=filters), 20).get_page(request.GET.get("page"))
    in_plan = set()
    if vacancy is not None:
        in_plan = set(
            vacancy.plan_questions.values_list("question_version__question_id", flat=True)
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "recruitment/question_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "vacancy": vacancy,
            "in_plan": in_plan,
            "can_change": request.user.has_perm("recruitment.change_bank"),
        },
    )


def question_detail(request, pk):
    question = selectors.question_get(user=request.user, pk=pk)
    return render(
        request,
        "recruitment/question_detail.html",
        {
            "question": question,
            "versions": selectors.question_versions(question=question),
            "can_change": request.user.has_perm("recruitment.change_bank"),
            "can_approve": request.user.has_perm("recruitment.approve_question"),
        },
    )


def question_create(request):
    require_perm(request.user, "recruitment.change_bank")
    form = QuestionForm(request.POST or None, initial={"style": QuestionVersion.Style.ASSET})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        question = services.question_create(user=request.user, code=data.pop("code"), data=data)
        messages.success(
            request, f"Question {question.code} saved as a draft. Approve it to use it in plans."
        )
        return redirect("recruitment:question_detail", pk=question.pk)
    return render(request, "recruitment/question_form.html", {"form": form, "question": None})


def question_edit(request, pk):
    require_perm(request.user, "recruitment.change_bank")
    question = selectors.question_get(user=request.user, pk=pk)
    form = QuestionForm(
        request.POST or None,
        editing=True,
        initial=QuestionForm.initial_from(question.latest_version),
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.question_edit(
                user=request.user, question=question, data=form.cleaned_data
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved as draft version {version.number}.")
            return redirect("recruitment:question_detail", pk=question.pk)
    return render(request, "recruitment/question_form.html", {"form": form, "question": question})


@require_POST
def question_status(request, pk):
    question = selectors.question_get(user=request.user, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "approve":
            require_perm(request.user, "recruitment.approve_question")
            services.question_approve(user=request.user, question=question)
            messages.success(
                request, "Question approved. New interview plans will use these words."
            )
        elif action in ("retire", "reinstate"):
            require_perm(request.user, "recruitment.approve_question")
            services.question_retire(
                user=request.user, question=question, retire=action == "retire"
            )
            messages.success(
                request, "Question retired." if action == "retire" else "Question reinstated."
            )
        else:
            raise Http404
    except RecruitmentError as exc:
        messages.error(request, str(exc))
    return redirect("recruitment:question_detail", pk=question.pk)


def questions_export(request):
    require_perm(request.user, "recruitment.change_bank")
    body = services.questions_export_csv(questions=selectors.question_bank())
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="question-bank.csv"'
    audit_record(actor=request.user, action="export", object_type="recruitment.question")
    return response


def questions_import(request):
    require_perm(request.user, "recruitment.change_bank")
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.questions_import_csv(
                user=request.user, upload=form.cleaned_data["file"]
            )
        except RecruitmentError as exc:
            form.add_error("file", str(exc))
        else:
            if not result.errors:
                messages.success(
                    request,
                    f"Imported {result.created} new and {result.updated} changed questions as drafts.",
                )
                return redirect("recruitment:question_list")
            errors = result.errors
    return render(
        request,
        "recruitment/import.html",
        {
            "form": form,
            "row_errors": errors,
            "title": "Import questions",
            "columns": services.CSV_COLUMNS,
            "back": reverse("recruitment:question_list"),
        },
    )


# ------------------------------------------------------------------ vacancies


def vacancy_list(request):
    return render(
        request,
        "recruitment/vacancy_list.html",
        {
            "vacancies": selectors.vacancy_list(user=request.user)[:200],
            "can_add": request.user.has_perm("recruitment.add_vacancy"),
        },
    )


def vacancy_create(request):
    require_perm(request.user, "recruitment.add_vacancy")
    person = getattr(request.user, "person", None)
    initial = {
        "recruiting_manager": request.user.pk,
        "visibility": Vacancy.Visibility.AFTER_OWN,
        "status": Vacancy.Status.OPEN,
        "organisation": person.organisation_id if person else None,
        "values": [v.pk for v in current_values()],
    }
    form = VacancyForm(
        request.POST or None,
        initial=initial,
        organisation_ids=selectors.reach_organisation_ids(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.has_perm("recruitment.view_candidate_data"):  # only HR assign others
            data["recruiting_manager"] = request.user
        vacancy = services.vacancy_save(user=request.user, vacancy=None, data=data)
        messages.success(request, "Vacancy created. Now build the interview plan.")
        return redirect("recruitment:vacancy_detail", pk=vacancy.pk)
    return render(request, "recruitment/vacancy_form.html", {"form": form, "vacancy": None})


def vacancy_edit(request, pk):
    vacancy = selectors.vacancy_get_for_user(
        user=request.user, pk=pk, perm="recruitment.change_vacancy"
    )
    initial = {
        f: getattr(vacancy, f)
        for f in ["title", "reference", "essential_criteria", "visibility", "status"]
    }
    initial.update(
        organisation=vacancy.organisation_id,
        team=vacancy.team_id,
        recruiting_manager=vacancy.recruiting_manager_id,
        values=[v.pk for v in vacancy.values.all()],
        behaviours=[b.pk for b in vacancy.behaviours.all()],
    )
    form = VacancyForm(
        request.POST or None,
        initial=initial,
        vacancy=vacancy,
        organisation_ids=selectors.reach_organisation_ids(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.has_perm("recruitment.view_candidate_data"):
            data["recruiting_manager"] = vacancy.recruiting_manager
        services.vacancy_save(user=request.user, vacancy=vacancy, data=data)
        messages.success(request, "Vacancy saved.")
        return redirect("recruitment:vacancy_detail", pk=vacancy.pk)
    return render(request, "recruitment/vacancy_form.html", {"form": form, "vacancy": vacancy})


def vacancy_detail(request, pk, panel_form=None):
    vacancy = selectors.vacancy_get_for_user(user=request.user, pk=pk)
    plan = selectors.plan_questions(vacancy=vacancy)
    values = list(vacancy.values.all()) or selectors.current_staff_values()
    can_change = request.user.has_perm("recruitment.change_vacancy", vacancy)
    return render(
        request,
        "recruitment/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "plan": plan,
            "coverage": selectors.plan_coverage(plan=plan, values=values),
            "candidates": selectors.vacancy_candidates(vacancy=vacancy) if can_change else [],
            "can_change": can_change,
            "panel_form": panel_form
            or PanelMemberForm(
                organisations=selectors.panel_organisations(user=request.user, vacancy=vacancy)
                if can_change
                else None
            ),
            "my_seat": next((m for m in vacancy.panel.all() if m.user_id == request.user.id), None),
        },
        status=400 if panel_form is not None else 200,
    )


@require_POST
def plan_add(request, pk):
    vacancy = selectors.vacancy_get_for_user(
        user=request.user, pk=pk, perm="recruitment.change_vacancy"
    )
    try:
        question = selectors.question_get(
            user=request.user, pk=int(request.POST.get("question", 0))
        )
        services.plan_question_add(user=request.user, vacancy=vacancy, question=question)
    except ValueError as exc:
        raise Http404 from exc
    except RecruitmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Added {question.code} to the plan.")
    back = request.POST.get("next", "")
    if back.startswith("/recruitment/") and "//" not in back:
        return redirect(back)
    return redirect("recruitment:vacancy_detail", pk=vacancy.pk)


@require_POST
def plan_change(request, pk, plan_question_id):
    vacancy = selectors.vacancy_get_for_user(
        user=request.user, pk=pk, perm="recruitment.change_vacancy"
    )
    action = request.POST.get("action", "")
    minutes = None
    if action == "minutes":
        try:
            minutes = int(request.POST.get("minutes", ""))
        except ValueError:
            minutes = None
    try:
        services.plan_question_change(
            user=request.user,
            vacancy=vacancy,
            plan_question_id=plan_question_id,
            action=action,
            minutes=minutes,
        )
    except RecruitmentError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("recruitment:vacancy_detail", args=[vacancy.pk]) + "#plan")


@require_POST
def panel_add(request, pk):
    vacancy = selectors.vacancy_get_for_user(
        user=request.user, pk=pk, perm="recruitment.change_vacancy"
    )
    form = PanelMemberForm(
        request.POST,
        organisations=selectors.panel_organisations(user=request.user, vacancy=vacancy),
    )
    if form.is_valid():
        try:
            services.panel_member_add(
                user=request.user,
                vacancy=vacancy,
                member=form.user,
                is_chair=form.cleaned_data["is_chair"],
            )
        except RecruitmentError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, f"Added {form.user} to the panel.")
            return redirect(reverse("recruitment:vacancy_detail", args=[vacancy.pk]) + "#panel")
    return vacancy_detail(request, pk, panel_form=form)


@require_POST
def panel_remove(request, pk, seat_id):
    vacancy = selectors.vacancy_get_for_user(
        user=request.user, pk=pk, perm="recruitment.change_vacancy"
    )
    try:
        services.panel_member_remove(user=request.user, vacancy=vacancy, seat_id=seat_id)
    except RecruitmentError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("recruitment:vacancy_detail", args=[vacancy.pk]) + "#panel")


def interview_kit(request, pk):
    vacancy = selectors.vacancy_get_for_user(user=request.user, pk=pk)
    panel = list(vacancy.panel.all())
    if not request.user.has_perm("recruitment.change_vacancy", vacancy):
        panel = [m for m in panel if m.user_id == request.user.id]  # a panellist prints their own
    return render(
        request,
        "recruitment/kit.html",
        {"vacancy": vacancy, "plan": selectors.plan_questions(vacancy=vacancy), "panel": panel},
    )


def candidate_create(request, pk):
    vacancy = selectors.vacancy_get_for_user(
        user=request.user, pk=pk, perm="recruitment.change_vacancy"
    )
    form = CandidateForm(request.POST or None, vacancy=vacancy)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.candidate_create(
            user=request.user,
            vacancy=vacancy,
            data=d,
            equality={f: d[f] for f in services.EQUALITY_FIELDS},
        )
        messages.success(request, f"Added {d['first_name']} {d['last_name']}.")
        return redirect(reverse("recruitment:vacancy_detail", args=[vacancy.pk]) + "#candidates")
    return render(request, "recruitment/candidate_form.html", {"form": form, "vacancy": vacancy})


def candidates_import(request, pk):
    vacancy = selectors.vacancy_get_for_user(
        user=request.user, pk=pk, perm="recruitment.change_vacancy"
    )
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.candidates_import_csv(
                user=request.user, vacancy=vacancy, upload=form.cleaned_data["file"]
            )
        except RecruitmentError as exc:
            form.add_error("file", str(exc))
        else:
            if not result.errors:
                messages.success(request, f"Imported {result.created} candidates.")
                return redirect(
                    reverse("recruitment:vacancy_detail", args=[vacancy.pk]) + "#candidates"
                )
            errors = result.errors
    return render(
        request,
        "recruitment/import.html",
        {
            "form": form,
            "row_errors": errors,
            "title": f"Import candidates for {vacancy.title}",
            "columns": services.CANDIDATE_COLUMNS,
            "back": reverse("recruitment:vacancy_detail", args=[vacancy.pk]),
        },
        status=400 if errors else 200,
    )


def interview_schedule(request, pk, candidate_id):
    vacancy = selectors.vacancy_get_for_user(
        user=request.user, pk=pk, perm="recruitment.change_vacancy"
    )
    candidate = selectors.candidate_of_vacancy(vacancy=vacancy, pk=candidate_id)
    interview = getattr(candidate, "interview", None) if hasattr(candidate, "interview") else None
    initial = {}
    if interview is not None:
        local = timezone.localtime(interview.scheduled_at)
        initial = {
            "interview_date": local.date(),
            "interview_time": local.time(),
            "location": interview.location,
        }
    form = ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if interview is not None and selectors.hasattr_decision(interview):
            form.add_error(None, "The panel has decided, so this interview cannot be moved.")
        else:
            services.interview_schedule(
                user=request.user,
                candidate=candidate,
                scheduled_at=form.scheduled_at(),
                location=form.cleaned_data["location"],
            )
            messages.success(request, f"Interview with {candidate.name} scheduled.")
            return redirect(
                reverse("recruitment:vacancy_detail", args=[vacancy.pk]) + "#candidates"
            )
    return render(
        request,
        "recruitment/schedule.html",
        {"form": form, "vacancy": vacancy, "candidate": candidate},
        status=400 if form.is_bound and form.errors else 200,
    )


# ---------------------------------------------------------------- scorecards


def scorecard(request, pk):
    """The signed-in panellist's own scorecard for an interview."""
    interview = selectors.interview_get_for_user(user=request.user, pk=pk)
    vacancy = interview.candidate.vacancy
    if not any(m.user_id == request.user.id for m in vacancy.panel.all()):
        raise Http404  # managers and HR see the consensus page instead
    card = services.scorecard_for(interview=interview, user=request.user)
    plan = selectors.plan_questions(vacancy=vacancy)
    values = selectors.rated_values(vacancy=vacancy, plan=plan)
    decided = selectors.hasattr_decision(interview)
    amending = card.is_submitted and not decided and request.GET.get("amend") == "1"
    is_fetch = request.headers.get("X-Requested-With") == "fetch"
    if request.method == "POST":
        form = ScorecardForm(request.POST, plan=plan, values=values)
        action = "autosave" if request.POST.get("autosave") else request.POST.get("action", "save")
        if not form.is_valid():
            if is_fetch:
                return JsonResponse(
                    {"ok": False, "error": "Some answers are not valid."}, status=400
                )
            return _scorecard_page(
                request, interview, card, plan, values, form, amending, status=400
            )
        version = form.cleaned_data.get("version")
        tab = form.cleaned_data.get("tab", "")
        try:
            if action in ("autosave", "save"):
                saved = services.scorecard_save_draft(
                    user=request.user,
                    scorecard_id=card.pk,
                    answers=form.answers(),
                    expected_version=version,
                    tab=tab,
                )
                if is_fetch:
                    # The page's form carries the new version for its next save.
                    return JsonResponse({"ok": True, "version": saved.version})
                messages.success(request, "Draft saved. Only you can see it.")
                return redirect("recruitment:scorecard", pk=interview.pk)
            if action == "submit":
                if not form.require_complete():
                    return _scorecard_page(
                        request, interview, card, plan, values, form, amending, status=400
                    )
                services.scorecard_submit(
                    user=request.user,
                    scorecard_id=card.pk,
                    answers=form.answers(),
                    plan_ids={p.pk for p in plan},
                    value_ids={v.pk for v in values},
                    expected_version=version,
                    tab=tab,
                )
                messages.success(
                    request, "Scorecard submitted. You can now see the panel's scores."
                )
                return redirect("recruitment:scorecard", pk=interview.pk)
            if action == "amend":
                if not form.require_complete():
                    return _scorecard_page(
                        request, interview, card, plan, values, form, True, status=400
                    )
                services.scorecard_amend(
                    user=request.user,
                    scorecard_id=card.pk,
                    answers=form.answers(),
                    plan_ids={p.pk for p in plan},
                    value_ids={v.pk for v in values},
                    reason=form.cleaned_data.get("reason", ""),
                    expected_revision=form.cleaned_data.get("revision") or 0,
                    expected_version=version,
                    tab=tab,
                )
                messages.success(
                    request, "Scorecard amended. The earlier version is kept in its history."
                )
                return redirect("recruitment:scorecard", pk=interview.pk)
            raise Http404
        except RecruitmentError as exc:
            if is_fetch:
                return JsonResponse({"ok": False, "error": str(exc)}, status=409)
            form.add_error(None, str(exc))
            card.refresh_from_db()
            return _scorecard_page(
                request,
                interview,
                card,
                plan,
                values,
                form,
                amending or action == "amend",
                status=409,
            )
    qs, vr = selectors.scorecard_with_answers(scorecard=card)
    form = ScorecardForm(initial=ScorecardForm.initial_from(qs, vr, card), plan=plan, values=values)
    return _scorecard_page(request, interview, card, plan, values, form, amending)


def _scorecard_page(request, interview, card, plan, values, form, amending, status=200):
    qs, vr = selectors.scorecard_with_answers(scorecard=card)
    editable = not selectors.hasattr_decision(interview) and (not card.is_submitted or amending)
    return render(
        request,
        "recruitment/scorecard.html",
        {
            "interview": interview,
            "candidate": interview.candidate,
            "vacancy": interview.candidate.vacancy,
            "card": card,
            "form": form,
            "editable": editable,
            "amending": amending,
            "questions": [(pq, *form.question_fields(pq), qs.get(pq.pk)) for pq in plan],
            "value_fields": [
                (v, form[f"v{v.pk}_score"], form[f"v{v.pk}_comment"], vr.get(v.pk)) for v in values
            ],
            "revisions": list(card.revisions.select_related("changed_by"))
            if card.is_submitted
            else [],
        },
        status=status,
    )


def consensus(request, pk):
    interview = selectors.interview_get_for_user(user=request.user, pk=pk)
    view = selectors.consensus_view(interview=interview)
    if not selectors.may_see_panel_scores(
        user=request.user, interview=interview, scorecards=view.scorecards
    ):
        messages.info(
            request,
            "You will see the panel's scores once you have submitted your own"
            + (
                " and the whole panel has submitted."
                if interview.candidate.vacancy.visibility == Vacancy.Visibility.AFTER_CLOSE
                else "."
            ),
        )
        return redirect("recruitment:scorecard", pk=interview.pk)
    can_decide = request.user.has_perm("recruitment.decide_interview", interview)
    values = [cv.value for cv in view.values]
    form = None
    if can_decide:
        form = DecisionForm(
            request.POST or None,
            values=values,
            initial={f"agreed_{cv.value.pk}": cv.overall_suggestion for cv in _suggest(view)},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.decision_record(
                    user=request.user,
                    interview=interview,
                    agreed=form.agreed(),
                    outcome=form.cleaned_data["outcome"],
                    rationale=form.cleaned_data["rationale"],
                )
            except RecruitmentError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, "Decision recorded. Check the candidate's feedback before sending it."
                )
                return redirect("recruitment:feedback", pk=interview.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "recruitment/consensus.html",
        {
            "interview": interview,
            "view": view,
            "form": form,
            "candidate": interview.candidate,
            "can_feedback": request.user.has_perm("recruitment.edit_feedback", interview),
            "vacancy": interview.candidate.vacancy,
            "decision": getattr(interview, "decision", None)
            if selectors.hasattr_decision(interview)
            else None,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


def _suggest(view):
    for cv in view.values:
        scores = [c.score for c in cv.overall.cells if c.score is not None]
        cv.overall_suggestion = round(sum(scores) / len(scores)) if scores else None
        yield cv


def feedback(request, pk):
    interview = selectors.interview_get_for_user(
        user=request.user, pk=pk, perm="recruitment.edit_feedback"
    )
    if not selectors.hasattr_decision(interview):
        raise Http404
    decision = interview.decision
    form = FeedbackForm(
        request.POST or None,
        initial={
            "intro": decision.feedback_intro,
            "strengths": "\n".join(decision.strengths),
            "development": "\n".join(decision.development),
        },
    )
    if request.method == "POST":
        if decision.feedback_sent_at:
            messages.error(request, "This feedback has already been sent.")
            return redirect("recruitment:feedback", pk=interview.pk)
        if form.is_valid():
            decision = services.feedback_update(
                user=request.user,
                decision=decision,
                intro=form.cleaned_data["intro"],
                strengths=form.lines(form.cleaned_data["strengths"]),
                development=form.lines(form.cleaned_data["development"]),
            )
            if request.POST.get("action") == "send":
                try:
                    services.feedback_send(user=request.user, decision=decision)
                except RecruitmentError as exc:
                    form.add_error(None, str(exc))
                    return _feedback_page(request, interview, decision, form, 400)
                messages.success(request, "Feedback sent to the candidate.")
            else:
                messages.success(request, "Feedback saved.")
            return redirect("recruitment:feedback", pk=interview.pk)
        return _feedback_page(request, interview, decision, form, 400)
    return _feedback_page(request, interview, decision, form, 200)


def _feedback_page(request, interview, decision, form, status):
    return render(
        request,
        "recruitment/feedback.html",
        {
            "interview": interview,
            "decision": decision,
            "form": form,
            "candidate": interview.candidate,
            "preview": services.feedback_text(decision),
        },
        status=status,
    )


# ------------------------------------------------------------- HR: candidates


def candidate_detail(request, pk):
    candidate = selectors.candidate_get_for_hr(user=request.user, pk=pk)
    form = LinkPersonForm(
        request.POST or None,
        organisation_ids=selectors.reach_organisation_ids(user=request.user),
    )
    if request.method == "POST":
        if request.POST.get("action") == "consent":
            services.candidate_set_consent(
                user=request.user, candidate=candidate, consent=request.POST.get("consent") == "yes"
            )
            messages.success(request, "Consent updated.")
            return redirect("recruitment:candidate_detail", pk=candidate.pk)
        if form.is_valid():
            services.candidate_link_person(
                user=request.user, candidate=candidate, person=form.person
            )
            messages.success(request, f"Linked to {form.person}.")
            return redirect("recruitment:candidate_detail", pk=candidate.pk)
    else:
        audit_record(
            actor=request.user, action="view", obj=candidate, reason="HR view of candidate data"
        )
    return render(
        request,
        "recruitment/candidate_detail.html",
        {"candidate": candidate, "form": form, "equality": getattr(candidate, "equality", None)},
        status=400 if form.is_bound and form.errors else 200,
    )


# ----------------------------------------------------------------- analytics


def analytics_page(request):
    require_perm(request.user, "recruitment.view_analytics")
    # Question statistics describe the shared bank; timings and equality
    # outcomes cover the vacancies of the organisations in reach only.
    reach = selectors.reach_organisation_ids(user=request.user)
    stats = analytics.question_stats()
    timings, overall_days = analytics.time_to_decision(organisation_ids=reach)
    equality = [
        (label, analytics.equality_outcomes(field=f, organisation_ids=reach))
        for f, label in analytics.EQUALITY_FIELDS
    ]
    audit_record(
        actor=request.user,
        action="view",
        object_type="recruitment.analytics",
        reason="Recruitment analytics (aggregate)",
    )
    return render(
        request,
        "recruitment/analytics.html",
        {
            "stats": stats,
            "distribution": analytics.overall_distribution(stats),
            "timings": timings,
            "timing_bars": analytics.timing_bars(timings),
            "overall_days": overall_days,
            "equality": equality,
            "min_group": analytics.min_group_size(),
        },
    )
