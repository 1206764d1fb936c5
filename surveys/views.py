"""Thin views: check permission, call a selector or service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from bewigan.core.permissions import require_perm
from bewigan.people.roles import person_of

from . import charts, exports, selectors, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    AnswerForm,
    QuestionForm,
    ReplyForm,
    ScheduleForm,
    SurveyForm,
)


def index(request):
    person = person_of(request.user)
    to_answer = selectors.open_waves_to_answer(person=person) if person else []
    return render(
        request,
        "surveys/index.html",
        {
            "to_answer": to_answer,
            "result_waves": selectors.result_waves(user=request.user),
            "can_manage": request.user.has_perm("surveys.manage_surveys"),
        },
    )


# --- Answering -------------------------------------------------------------------


def answer(request, pk):
    wave = selectors.wave_get_for_answer(user=request.user, pk=pk)
    person = person_of(request.user)
    if selectors.has_participated(wave=wave, person=person):
        messages.info(request, "You have already answered this survey. Thank you.")
        return redirect("surveys:index")
    if not wave.is_open():
        messages.info(request, "This survey is not open for answers.")
        return redirect("surveys:index")
    questions = selectors.wave_questions(wave=wave)
    teams = services.reporting_teams_for(wave=wave, person=person)
    if request.method == "POST":
        saving = "save" in request.POST or request.POST.get("autosave") == "1"
        form = AnswerForm(request.POST, questions=questions, teams=teams, required=not saving)
        if saving:
            data = {k: request.POST.getlist(k) for k in form.fields if k in request.POST}
            try:
                services.draft_save(wave=wave, person=person, data=data)
            except services.SubmissionRefused as exc:
                if request.headers.get("X-Requested-With") == "fetch":
                    return JsonResponse({"saved": False, "error": str(exc)}, status=409)
                messages.error(request, str(exc))
                return redirect("surveys:index")
            if request.headers.get("X-Requested-With") == "fetch":
                return JsonResponse({"saved": True})
            messages.success(
                request,
                f"Your answers are saved. You can come back and finish before {wave.closes_on:%-d %B}.",
            )
            return redirect("surveys:index")
        if form.is_valid():
            try:
                services.response_submit(wave=wave, person=person, submission=form.submission())
            except services.SubmissionRefused as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("surveys:thanks", pk=wave.pk)
    else:
        draft = services.draft_for(wave=wave, person=person)
        form = AnswerForm(
            questions=questions,
            teams=teams,
            required=True,
            initial=_initial_from_draft(draft),
        )
    return render(
        request, "surveys/answer.html", {"wave": wave, "form": form, "questions": questions}
    )


def _initial_from_draft(draft: dict) -> dict:
    """Form initial data from a saved draft (lists of posted values)."""
    initial = {}
    for key, values in draft.items():
        if not isinstance(values, list):
            continue
        initial[key] = values if len(values) != 1 else values[0]
    return initial


def thanks(request, pk):
    wave = selectors.wave_get_for_answer(user=request.user, pk=pk)
    return render(request, "surveys/thanks.html", {"wave": wave})


# --- Results -----------------------------------------------------------------------


def _group(request, pk):
    scope = request.GET.get("scope") or request.POST.get("scope") or "all"
    return selectors.group_get_for_user(user=request.user, wave_pk=pk, scope=scope)


def results(request, pk):
    group = _group(request, pk)
    data = selectors.results_for(user=request.user, group=group)
    others = selectors.visible_groups(user=request.user, wave=group.wave)
    return render(
        request,
        "surveys/results.html",
        {
            "r": data,
            "charts": _result_charts(data, group),
            "group": group,
            "wave": group.wave,
            "others": others,
            "query": urlencode({"scope": group.scope}),
            "can_act": request.user.has_perm("surveys.add_action", group),
        },
    )


def _result_charts(data, group) -> dict:
    """The results page's SVG charts, from the same figures as its tables."""
    if group.suppressed:
        return {"trend": charts.trend(data.trend, group_label=group.label)}
    return {
        "scores": charts.score_distribution(data.rows, group_label=group.label),
        "enps": charts.enps(group),
        "trend": charts.trend(data.trend, group_label=group.label),
        "drivers": charts.drivers(data.drivers, source_label=data.drivers_source or group.label)
        if data.drivers
        else None,
    }


def results_export(request, pk, fmt):
    group = _group(request, pk)
    rows = exports.results_table(selectors.results_for(user=request.user, group=group))
    return _download(rows, f"survey-wave-{group.wave.number}-{group.scope}", fmt)


def _download(rows, name, fmt):
    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in name)
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _heat_wave(request, pk):
    wave = selectors.wave_get(pk=pk)
    if not (selectors.can_view_any_results(request.user) or wave.results_published):
        raise Http404
    return wave


def heatmap(request, pk):
    wave = _heat_wave(request, pk)
    level = request.GET.get("level", "team")
    heat = selectors.heatmap_for(user=request.user, wave=wave, level=level)
    return render(
        request,
        "surveys/heatmap.html",
        {
            "heat": heat,
            "heat_scale": charts.heat_scale(reference_label=heat.reference_label),
            "wave": wave,
            "levels": selectors.HEAT_LEVELS,
            "query": urlencode({"level": heat.level}),
        },
    )


def heatmap_export(request, pk, fmt):
    wave = _heat_wave(request, pk)
    heat = selectors.heatmap_for(
        user=request.user, wave=wave, level=request.GET.get("level", "team")
    )
    return _download(exports.heatmap_table(heat), f"heatmap-wave-{wave.number}-{heat.level}", fmt)


def comments(request, pk):
    group = _group(request, pk)
    page = selectors.comments_for(user=request.user, group=group)
    can_reply = request.user.has_perm("surveys.reply_comment", group)
    if request.method == "POST":
        require_perm(request.user, "surveys.reply_comment", group)
        try:
            comment = selectors.comment_get_for_group(
                group=group, pk=int(request.POST.get("comment", "0"))
            )
        except ValueError as exc:
            raise Http404 from exc
        reply_form = ReplyForm(request.POST)
        if reply_form.is_valid():
            services.comment_reply(
                user=request.user,
                group=group,
                comment=comment,
                text=reply_form.cleaned_data["text"],
            )
            messages.success(request, "Your reply is published beside the comment.")
        else:
            messages.error(request, "Enter your reply before publishing it.")
        return redirect(
            f"{reverse('surveys:comments', args=[pk])}?{urlencode({'scope': group.scope})}"
        )
    return render(
        request,
        "surveys/comments.html",
        {"page": page, "group": group, "wave": group.wave, "can_reply": can_reply},
    )


def action_create(request, pk):
    group = _group(request, pk)
    require_perm(request.user, "surveys.add_action", group)
    questions = selectors.wave_questions(wave=group.wave)
    form = ActionForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.action_create(
                user=request.user,
                group=group,
                you_said=d["you_said"],
                we_did=d["we_did"],
                owner=person_of(request.user),
                due_on=d["due_on"],
                question=d["question"],
                theme=d["theme"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Action recorded. Your team sees it beside the results.")
            return redirect(
                f"{reverse('surveys:results', args=[pk])}?{urlencode({'scope': group.scope})}"
            )
    return render(
        request, "surveys/action_form.html", {"form": form, "group": group, "wave": group.wave}
    )


@require_POST
def action_status(request, pk, action_pk):
    group = _group(request, pk)
    require_perm(request.user, "surveys.add_action", group)
    action = selectors.action_get_for_group(group=group, pk=action_pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_set_status(
            user=request.user, action=action, group=group, status=form.cleaned_data["status"]
        )
        messages.success(request, "Action updated.")
    return redirect(f"{reverse('surveys:results', args=[pk])}?{urlencode({'scope': group.scope})}")


# --- Survey admin --------------------------------------------------------------------


def manage(request):
    require_perm(request.user, "surveys.manage_surveys")
    return render(request, "surveys/manage.html", {"surveys": selectors.survey_list()})


def question_list(request):
    require_perm(request.user, "surveys.manage_surveys")
    return render(
        request, "surveys/question_list.html", {"questions": selectors.question_library()}
    )


def question_create(request):
    require_perm(request.user, "surveys.manage_surveys")
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.question_create(
                user=request.user,
                kind=d["kind"],
                text=d["text"],
                theme=d["theme"],
                value=d["value"],
                choices=d["choices"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Question added to the library.")
            return redirect("surveys:question_list")
    return render(
        request,
        "surveys/form_page.html",
        {
            "form": form,
            "title": "Add a question to the library",
            "back": reverse("surveys:question_list"),
        },
    )


def survey_create(request):
    require_perm(request.user, "surveys.manage_surveys")
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        survey = services.survey_create(
            user=request.user,
            title=d["title"],
            description=d["description"],
            frequency=d["frequency"],
            questions=list(d["questions"]),
            min_group_size=d["min_group_size"],
            min_comment_group_size=d["min_comment_group_size"],
        )
        messages.success(request, "Survey created. Now schedule its waves.")
        return redirect("surveys:survey_detail", pk=survey.pk)
    return render(
        request,
        "surveys/form_page.html",
        {"form": form, "title": "Build a survey", "back": reverse("surveys:manage")},
    )


def survey_detail(request, pk):
    require_perm(request.user, "surveys.manage_surveys")
    survey = selectors.survey_detail(pk=pk)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            waves = services.survey_schedule_waves(
                user=request.user,
                survey=survey,
                first_opens_on=d["first_opens_on"],
                open_days=d["open_days"],
                count=d["count"],
                organisations=d["organisations"],
                teams=d["teams"],
                neighbourhoods=d["neighbourhoods"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{len(waves)} waves scheduled.")
            return redirect("surveys:survey_detail", pk=pk)
    return render(request, "surveys/survey_detail.html", {"survey": survey, "form": form})


@require_POST
def wave_publish(request, pk):
    require_perm(request.user, "surveys.manage_surveys")
    wave = selectors.wave_get(pk=pk)
    publish = request.POST.get("publish") == "1"
    services.wave_set_published(user=request.user, wave=wave, published=publish)
    messages.success(
        request,
        "Results published to all staff." if publish else "Results no longer shown to all staff.",
    )
    return redirect("surveys:survey_detail", pk=wave.survey_id)


@require_POST
def wave_remind(request, pk):
    require_perm(request.user, "surveys.manage_surveys")
    wave = selectors.wave_get(pk=pk)
    from .tasks import wave_remind_task

    transaction.on_commit(lambda: wave_remind_task.enqueue(wave.pk))
    messages.success(request, "Reminders are being sent to people who have not responded yet.")
    return redirect("surveys:survey_detail", pk=wave.survey_id)


@require_POST
def wave_refresh(request, pk):
    require_perm(request.user, "surveys.manage_surveys")
    wave = selectors.wave_get(pk=pk)
    from .tasks import wave_refresh_results_task

    transaction.on_commit(lambda: wave_refresh_results_task.enqueue(wave.pk))
    messages.success(request, "Results are being refreshed.")
    return redirect("surveys:survey_detail", pk=wave.survey_id)


def calendar(request):
    start = timezone.localdate().replace(day=1)
    return render(
        request, "surveys/calendar.html", {"months": selectors.calendar(start=start, months=6)}
    )
