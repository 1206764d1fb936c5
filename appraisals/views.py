"""Thin views: check permission, call a selector or service, render.
Reads go through selectors (404 for "missing" and "not yours" alike)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bewigan.core.permissions import require_perm
from bewigan.core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_lines, xlsx_bytes
from bewigan.people.roles import person_of

from . import analytics, selectors, services
from .forms import (
    ActionForm,
    AnnualForm,
    AppreciationForm,
    BreakGlassForm,
    CadenceForm,
    CheckInForm,
    CommentForm,
    ConversationForm,
    CoverageForm,
    FeedbackAnswerForm,
    FeedbackRoundForm,
    PlanForm,
    PrivateNoteForm,
    ShoutOutForm,
    SupportRouteForm,
    TalkingPointForm,
    TeamActionForm,
    TeamFeedbackForm,
    TeamTimeForm,
)
from .rules import can


def _apply_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _require(user, perm, obj=None):
    require_perm(user, perm, obj, check=can)


# --- Home, dashboard, timeline -------------------------------------------------------------


def index(request):
    home = selectors.my_time_home(user=request.user)
    return render(
        request,
        "appraisals/index.html",
        {
            "home": home,
            "plan_form": PlanForm(),
            "annual_form": AnnualForm(),
            "today": timezone.localdate(),
        },
    )


def dashboard(request):
    rows = selectors.manager_dashboard(user=request.user)
    # URL prefixes resolved once, not once per row (the page is benchmarked)
    return render(
        request,
        "appraisals/dashboard.html",
        {
            "rows": rows,
            "timeline_base": reverse("appraisals:timeline", args=[0])[:-2],
            "conversation_base": reverse("appraisals:conversation_detail", args=[0])[:-2],
        },
    )


def timeline(request, pk: int):
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    entries = selectors.person_timeline(user=request.user, person=person)
    page = Paginator(entries, 30).get_page(request.GET.get("page"))
    is_me = person.user_id == request.user.id
    return render(
        request,
        "appraisals/timeline.html",
        {
            "person": person,
            "page": page,
            "is_me": is_me,
            "plan_form": PlanForm(),
            "cadence_form": CadenceForm(initial={"days": 30}),
            "annual_form": AnnualForm(),
        },
    )


def records(request, pk: int):
    """A print-friendly page of every my-time record the viewer may open."""
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    conversations = selectors.my_time_records(user=request.user, person=person)
    return render(
        request,
        "appraisals/records.html",
        {
            "person": person,
            "conversations": conversations,
            "is_me": person.user_id == request.user.id,
        },
    )


RECORD_COLUMNS = [
    "Date",
    "Conversation",
    "Manager",
    "Status",
    "How are you (1 to 5)",
    "In your own words",
    "What matters",
    "Going well",
    "Support needed",
    "Looking ahead",
    "Reflections",
    "Actions",
    "Comments",
    "Next my time",
]


def _record_rows(conversations):
    yield RECORD_COLUMNS
    for c in conversations:
        yield [
            c.meeting_date.isoformat(),
            c.get_kind_display(),
            c.manager.name,
            c.status,
            c.wellbeing_score,
            c.wellbeing_words,
            c.what_matters,
            c.going_well,
            c.support_needed,
            c.looking_ahead,
            "\n".join(f"{r.behaviour.value.name}: {r.text}" for r in c.reflections.all()),
            "\n".join(
                f"{a.text} ({a.owner.name}, due {a.due_date:%-d %B %Y}"
                f"{', done' if a.done_at else ''})"
                for a in c.actions.all()
            ),
            c.staff_comments,
            c.next_date.isoformat() if c.next_date else "",
        ]


def records_export(request, pk: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    conversations = selectors.my_time_records(user=request.user, person=person)
    services.my_time_records_exported(
        actor=request.user, person=person, fmt=fmt, count=len(conversations)
    )
    name = f"my-time-{person.name.lower().replace(' ', '-')}-{timezone.localdate():%Y%m%d}"
    if fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(_record_rows(conversations), title="My time"),
            content_type=XLSX_CONTENT_TYPE,
        )
    else:
        response = StreamingHttpResponse(
            csv_lines(_record_rows(conversations)), content_type=CSV_CONTENT_TYPE
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_POST
def plan(request, pk: int):
    person = selectors.person_get_for_user(user=request.user, pk=pk, perm="appraisals.plan_my_time")
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            conversation = services.conversation_plan(
                actor=request.user, person=person, meeting_date=form.cleaned_data["meeting_date"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, "My time planned. Add your talking points to the shared agenda."
            )
            return redirect("appraisals:conversation_detail", conversation.pk)
    return render(request, "appraisals/plan.html", {"person": person, "form": form}, status=400)


@require_POST
def cadence(request, pk: int):
    person = selectors.person_get_for_user(user=request.user, pk=pk, perm="appraisals.plan_my_time")
    form = CadenceForm(request.POST)
    if form.is_valid() and person.line_manager_id:
        services.cadence_set(actor=request.user, person=person, days=form.cleaned_data["days"])
        messages.success(request, "How often you meet has been saved.")
    else:
        messages.error(request, "Choose how often you meet.")
    return redirect("appraisals:timeline", person.pk)


@require_POST
def annual_start(request, pk: int):
    person = selectors.person_get_for_user(user=request.user, pk=pk, perm="appraisals.plan_my_time")
    form = AnnualForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a year.")
        return redirect("appraisals:timeline", person.pk)
    try:
        conversation = services.annual_conversation_start(
            actor=request.user, person=person, year=form.cleaned_data["year"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("appraisals:timeline", person.pk)
    return redirect("appraisals:conversation_detail", conversation.pk)


# --- Conversation ---------------------------------------------------------------------------


def conversation_detail(request, pk: int):
    conversation = selectors.conversation_get_for_user(user=request.user, pk=pk)
    page = selectors.conversation_page(user=request.user, conversation=conversation)
    if page.break_glass:
        services.break_glass_record_view(actor=request.user, conversation=conversation)
    context = {
        "page": page,
        "c": conversation,
        "point_form": TalkingPointForm(),
        "action_form": ActionForm(conversation=conversation),
        "comment_form": CommentForm(initial={"staff_comments": conversation.staff_comments}),
        "note_form": PrivateNoteForm(
            initial={"text": page.private_note.text if page.private_note else ""}
        ),
        "today": timezone.localdate(),
        **_pop_invalid_form(request, conversation),
    }
    if conversation.is_annual:
        context["review"] = selectors.year_in_review(user=request.user, conversation=conversation)
    return render(request, "appraisals/conversation_detail.html", context)


# Post/redirect/get for the agenda and action forms on the record page: an
# invalid POST keeps what was typed and its errors in the session, then
# redirects, so the error page is a GET that reloading cannot re-post.
_INVALID_FORMS = {"point_form": TalkingPointForm, "action_form": ActionForm}


def _invalid_form_key(conversation) -> str:
    return f"appraisals:invalid-form:{conversation.pk}"


def _redirect_with_invalid_form(request, conversation, name: str, form, anchor: str):
    request.session[_invalid_form_key(conversation)] = {
        "name": name,
        "data": {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"},
        "errors": {field: list(errors) for field, errors in form.errors.items()},
    }
    return redirect(f"{conversation_url(conversation)}#{anchor}")


def _pop_invalid_form(request, conversation) -> dict:
    stored = request.session.pop(_invalid_form_key(conversation), None)
    if not stored or stored.get("name") not in _INVALID_FORMS:
        return {}
    form_class = _INVALID_FORMS[stored["name"]]
    kwargs = {"conversation": conversation} if form_class is ActionForm else {}
    form = form_class(stored["data"], **kwargs)
    form.is_valid()
    for field, messages_ in stored["errors"].items():
        for message in messages_:
            if message not in form.errors.get(field, []):
                form.add_error(None if field == "__all__" else field, message)
    return {stored["name"]: form}


def conversation_edit(request, pk: int):
    conversation = selectors.conversation_get_for_user(
        user=request.user, pk=pk, perm="appraisals.change_conversation"
    )
    behaviours = selectors.reflection_behaviours(conversation=conversation)
    future = conversation.meeting_date > timezone.localdate() and not conversation.recorded_at
    kwargs = {
        "behaviours": behaviours,
        "annual": conversation.is_annual,
        "future_date": conversation.meeting_date if future else None,
    }
    conflict = None
    if request.method == "POST":
        if request.POST.get("autosave"):
            services.conversation_draft_save(
                actor=request.user, conversation=conversation, data=request.POST.dict()
            )
            return JsonResponse({"saved": True})
        form = ConversationForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.conversation_update(
                    actor=request.user,
                    conversation=conversation,
                    expected_version=form.cleaned_data["version"],
                    data=form.cleaned_data,
                    reflections=form.reflections(),
                )
            except services.ConversationConflict as exc:
                conflict = exc.current
                form = ConversationForm(
                    {**request.POST.dict(), "version": conflict.version}, **kwargs
                )
                form.is_valid()
                form.add_error(
                    None,
                    "The other person saved this record while you were editing. Your changes have not been "
                    "saved yet: compare them with the saved version below, then save again.",
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, "Record saved. Both of you now confirm it.")
                return redirect("appraisals:conversation_detail", conversation.pk)
        status = 409 if conflict else 400
    else:
        initial = {
            "version": conversation.version,
            **{f: getattr(conversation, f) for f in services.SHARED_FIELDS},
        }
        if initial["wellbeing_score"] is not None:
            initial["wellbeing_score"] = str(initial["wellbeing_score"])
        for r in conversation.reflections.all():
            initial[f"reflection_{r.behaviour_id}"] = r.text
        draft = selectors.draft_for(user=request.user, conversation=conversation)
        if draft:
            initial.update(draft.data)
            initial["version"] = conversation.version
            messages.info(
                request,
                f"We restored the changes you had not saved yet (from {timezone.localtime(draft.saved_at):%H:%M}).",
            )
        form = ConversationForm(initial=initial, **kwargs)
        status = 200
    return render(
        request,
        "appraisals/conversation_edit.html",
        {"c": conversation, "form": form, "conflict": conflict, "future": future},
        status=status,
    )


@require_POST
def conversation_confirm(request, pk: int):
    conversation = selectors.conversation_get_for_user(user=request.user, pk=pk)
    _require(request.user, "appraisals.confirm_conversation", conversation)
    try:
        conversation = services.conversation_confirm(actor=request.user, conversation=conversation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "Record confirmed by both of you."
            if conversation.is_confirmed
            else "You have confirmed the record.",
        )
    return redirect("appraisals:conversation_detail", conversation.pk)


@require_POST
def conversation_comment(request, pk: int):
    conversation = selectors.conversation_get_for_user(user=request.user, pk=pk)
    _require(request.user, "appraisals.comment_conversation", conversation)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.conversation_comment(
            actor=request.user, conversation=conversation, text=form.cleaned_data["staff_comments"]
        )
        messages.success(request, "Your comments have been saved.")
    return redirect("appraisals:conversation_detail", conversation.pk)


@require_POST
def private_note(request, pk: int):
    conversation = selectors.conversation_get_for_user(user=request.user, pk=pk)
    _require(request.user, "appraisals.write_private_note", conversation)
    form = PrivateNoteForm(request.POST)
    if form.is_valid():
        services.private_note_save(
            actor=request.user, conversation=conversation, text=form.cleaned_data["text"]
        )
        messages.success(request, "Your private notes have been saved.")
    return redirect("appraisals:conversation_detail", conversation.pk)


def private_note_list(request):
    notes = selectors.my_private_notes(user=request.user)
    page = Paginator(notes, 25).get_page(request.GET.get("page"))
    return render(request, "appraisals/private_notes.html", {"page": page})


@require_POST
def talking_point_add(request, pk: int):
    conversation = selectors.conversation_get_for_user(user=request.user, pk=pk)
    _require(request.user, "appraisals.add_talking_point", conversation)
    form = TalkingPointForm(request.POST)
    if form.is_valid():
        services.talking_point_add(
            actor=request.user, conversation=conversation, text=form.cleaned_data["text"]
        )
        messages.success(request, "Talking point added to the shared agenda.")
        return redirect(f"{conversation_url(conversation)}#agenda")
    return _redirect_with_invalid_form(request, conversation, "point_form", form, "agenda")


@require_POST
def talking_point_mark(request, pk: int):
    point = selectors.talking_point_get_for_user(user=request.user, pk=pk)
    _require(request.user, "appraisals.change_conversation", point.conversation)
    services.talking_point_mark(
        actor=request.user, point=point, discussed=request.POST.get("discussed") == "1"
    )
    return redirect(f"{conversation_url(point.conversation)}#agenda")


@require_POST
def action_add(request, pk: int):
    conversation = selectors.conversation_get_for_user(user=request.user, pk=pk)
    _require(request.user, "appraisals.add_action", conversation)
    form = ActionForm(request.POST, conversation=conversation)
    if form.is_valid():
        owner = next(
            (
                p
                for p in (conversation.person, conversation.manager)
                if p.pk == form.cleaned_data["owner"]
            ),
            None,
        )
        try:
            services.action_add(
                actor=request.user,
                conversation=conversation,
                owner=owner,
                text=form.cleaned_data["text"],
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Action agreed.")
            return redirect(f"{conversation_url(conversation)}#actions")
    return _redirect_with_invalid_form(request, conversation, "action_form", form, "actions")


@require_POST
def action_done(request, pk: int):
    action = selectors.action_get_for_user(user=request.user, pk=pk)
    _require(request.user, "appraisals.add_action", action.conversation)
    services.action_set_done(
        actor=request.user, action=action, done=request.POST.get("done") == "1"
    )
    return redirect(
        request.POST.get("next") if _safe_next(request) else conversation_url(action.conversation)
    )


def _safe_next(request) -> bool:
    nxt = request.POST.get("next", "")
    return nxt.startswith("/my-time/") and "//" not in nxt


def conversation_url(conversation) -> str:
    from django.urls import reverse

    return reverse("appraisals:conversation_detail", args=[conversation.pk])


# --- Shout-outs ----------------------------------------------------------------------------


def shout_out_list(request):
    page = Paginator(selectors.shout_out_feed(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "appraisals/shout_outs.html", {"page": page})


def shout_out_new(request):
    values = selectors.values_for_forms()
    form = ShoutOutForm(request.POST or None, values=values)
    if request.method == "POST" and form.is_valid():
        try:
            services.shout_out_give(
                actor=request.user,
                recipient=form.cleaned_data["recipient"],
                value=form.cleaned_data["value"],
                message=form.cleaned_data["message"],
                is_public=form.cleaned_data["is_public"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied:
            form.add_error(
                None, "Your account has no staff profile, so you cannot give shout-outs yet."
            )
        else:
            messages.success(request, "Shout-out sent. Thank you for noticing.")
            return redirect("appraisals:shout_out_list")
    return render(
        request, "appraisals/shout_out_new.html", {"form": form}, status=400 if form.errors else 200
    )


# --- 360 ------------------------------------------------------------------------------------


def feedback_index(request):
    rounds, requests = selectors.feedback_home(user=request.user)
    return render(
        request, "appraisals/feedback_index.html", {"rounds": rounds, "requests": requests}
    )


def feedback_round_new(request):
    me = person_of(request.user)
    if me is None:
        raise Http404
    subject = me
    if request.GET.get("for") or request.POST.get("for"):
        pk = request.GET.get("for") or request.POST.get("for")
        if not str(pk).isdigit():
            raise Http404
        subject = selectors.person_get_for_user(
            user=request.user, pk=int(pk), perm="appraisals.request_feedback_for"
        )
    form = FeedbackRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_round = services.feedback_round_create(
                actor=request.user,
                subject=subject,
                raters=form.cleaned_data["raters"],
                message=form.cleaned_data["message"],
                closes_on=form.cleaned_data["closes_on"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, f"Feedback requested from {feedback_round.requests.count()} people."
            )
            return redirect("appraisals:feedback_index")
    return render(
        request,
        "appraisals/feedback_new.html",
        {"form": form, "subject": subject, "is_me": subject == me},
        status=400 if form.errors else 200,
    )


def feedback_round_detail(request, pk: int):
    feedback_round = selectors.feedback_round_get_for_user(user=request.user, pk=pk)
    # The daily job releases closed rounds; the subject need not wait for it.
    services.feedback_round_release(feedback_round)
    summary = selectors.feedback_summary(feedback_round=feedback_round)
    return render(
        request,
        "appraisals/feedback_round.html",
        {"summary": summary, "min_anonymous": selectors.MIN_ANONYMOUS},
    )


def feedback_answer(request, pk: int):
    feedback_request = selectors.feedback_request_get_for_user(user=request.user, pk=pk)
    values = selectors.values_for_forms()
    form = FeedbackAnswerForm(request.POST or None, values=values)
    if request.method == "POST":
        if request.POST.get("decline"):
            services.feedback_request_decline(actor=request.user, request=feedback_request)
            messages.success(request, "You have declined this request.")
            return redirect("appraisals:feedback_index")
        if form.is_valid():
            try:
                services.feedback_answer(
                    actor=request.user,
                    request=feedback_request,
                    anonymous=form.cleaned_data["anonymous"],
                    answers=form.answers(),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, "Thank you. Your feedback has been sent.")
                return redirect("appraisals:feedback_index")
    return render(
        request,
        "appraisals/feedback_answer.html",
        {"form": form, "req": feedback_request},
        status=400 if form.errors else 200,
    )


# --- Team time -----------------------------------------------------------------------------


def team_time_list(request):
    teams = selectors.my_teams(user=request.user)
    form = TeamTimeForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        team = next(t for t in teams if t.pk == form.cleaned_data["team"])
        team_time = services.team_time_create(
            actor=request.user, team=team, meeting_date=form.cleaned_data["meeting_date"]
        )
        messages.success(request, "Team time started. You are the facilitator.")
        return redirect("appraisals:team_time_detail", team_time.pk)
    page = Paginator(selectors.team_times_for(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "appraisals/team_time_list.html",
        {"page": page, "form": form, "teams": teams},
        status=400 if form.errors else 200,
    )


def team_time_detail(request, pk: int):
    team_time = selectors.team_time_get_for_user(user=request.user, pk=pk)
    data = selectors.team_time_page(team_time=team_time)
    values = selectors.values_for_forms()
    from bewigan.values.selectors import current_behaviours

    behaviours = list(current_behaviours())
    members = [m for m in data.members if m.user_id != request.user.id]
    forms = {
        "checkin": CheckInForm(
            members=data.members,
            initial={
                "attendees": [p.pk for p in data.attendees],
                "how_are_we": team_time.how_are_we,
                "how_are_we_score": team_time.how_are_we_score and str(team_time.how_are_we_score),
            },
        ),
        "appreciation": AppreciationForm(members=members, values=values),
        "feedback": TeamFeedbackForm(members=members, behaviours=behaviours),
        "action": TeamActionForm(members=data.members),
    }
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        by_id = {p.pk: p for p in data.members}
        try:
            if which == "checkin":
                _require(request.user, "appraisals.facilitate_team_time", team_time)
                f = forms["checkin"] = CheckInForm(request.POST, members=data.members)
                if f.is_valid():
                    services.team_time_check_in(
                        actor=request.user,
                        team_time=team_time,
                        attendees=[by_id[i] for i in f.cleaned_data["attendees"]],
                        how_are_we=f.cleaned_data["how_are_we"],
                        score=f.cleaned_data["how_are_we_score"],
                    )
                    return _team_saved(request, team_time, "Check-in saved.")
            elif which == "appreciation":
                f = forms["appreciation"] = AppreciationForm(
                    request.POST, members=members, values=values
                )
                if f.is_valid():
                    services.appreciation_add(
                        actor=request.user,
                        team_time=team_time,
                        recipient=by_id[f.cleaned_data["recipient"]],
                        value=f.cleaned_data["value"],
                        message=f.cleaned_data["message"],
                        is_public=f.cleaned_data["is_public"],
                    )
                    return _team_saved(request, team_time, "Appreciation added.")
            elif which == "feedback":
                f = forms["feedback"] = TeamFeedbackForm(
                    request.POST, members=members, behaviours=behaviours
                )
                if f.is_valid():
                    behaviour = next(b for b in behaviours if b.pk == f.cleaned_data["behaviour"])
                    services.team_feedback_add(
                        actor=request.user,
                        team_time=team_time,
                        recipient=by_id[f.cleaned_data["recipient"]],
                        behaviour=behaviour,
                        does_well=f.cleaned_data["does_well"],
                        to_try=f.cleaned_data["to_try"],
                    )
                    return _team_saved(request, team_time, "Feedback added.")
            elif which == "action":
                f = forms["action"] = TeamActionForm(request.POST, members=data.members)
                if f.is_valid():
                    services.team_action_add(
                        actor=request.user,
                        team_time=team_time,
                        owner=by_id[f.cleaned_data["owner"]],
                        text=f.cleaned_data["text"],
                        due_date=f.cleaned_data["due_date"],
                    )
                    return _team_saved(request, team_time, "Team action added.")
            else:
                raise Http404
        except ValidationError as exc:
            _apply_errors(forms[which], exc)
        status = 400
    return render(
        request,
        "appraisals/team_time_detail.html",
        {
            "data": data,
            "tt": team_time,
            "forms": forms,
            "is_facilitator": can(request.user, "appraisals.facilitate_team_time", team_time),
        },
        status=status,
    )


def _team_saved(request, team_time, message):
    messages.success(request, message)
    return redirect("appraisals:team_time_detail", team_time.pk)


@require_POST
def team_action_done(request, pk: int):
    action = selectors.team_action_get_for_user(user=request.user, pk=pk)
    services.team_action_set_done(
        actor=request.user, action=action, done=request.POST.get("done") == "1"
    )
    return redirect("appraisals:team_time_detail", action.team_time_id)


# --- HR -------------------------------------------------------------------------------------


def coverage(request):
    _require(request.user, "appraisals.view_coverage")
    form = CoverageForm(request.GET or None)
    by = form.cleaned_data.get("by") if form.is_valid() else ""
    by = by or "organisation"
    rows = selectors.coverage_rows(
        organisation_ids=selectors.hr_reach_organisation_ids(user=request.user)
    )
    groups = analytics.coverage(rows, by=by, min_size=analytics.MIN_GROUP_SIZE)
    return render(
        request,
        "appraisals/coverage.html",
        {
            "form": form,
            "groups": groups,
            "overall": analytics.overall(rows),
            "by": by,
            "min_size": analytics.MIN_GROUP_SIZE,
            "scores": analytics.SCORES,
        },
    )


def break_glass(request):
    _require(request.user, "appraisals.break_glass")
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            access = services.break_glass_open(
                actor=request.user,
                person=form.cleaned_data["person"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Access recorded in the audit log. The person has been told.")
            return redirect("appraisals:break_glass_detail", access.pk)
    accesses = selectors.break_glass_accesses(user=request.user)[:20]
    return render(
        request,
        "appraisals/break_glass.html",
        {"form": form, "accesses": accesses},
        status=400 if form.errors else 200,
    )


def break_glass_detail(request, pk: int):
    access = selectors.break_glass_get_for_user(user=request.user, pk=pk)
    conversations = selectors.break_glass_conversations(access=access)
    return render(
        request,
        "appraisals/break_glass_detail.html",
        {"access": access, "conversations": conversations},
    )


def support_route_list(request):
    _require(request.user, "appraisals.manage_support_routes")
    form = SupportRouteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.support_route_save(actor=request.user, route=form.save(commit=False))
        messages.success(request, "Support route added.")
        return redirect("appraisals:support_route_list")
    return render(
        request,
        "appraisals/support_routes.html",
        {"routes": selectors.support_routes(), "form": form},
        status=400 if form.errors else 200,
    )


def support_route_edit(request, pk: int):
    _require(request.user, "appraisals.manage_support_routes")
    route = selectors.support_route_get(pk=pk)
    form = SupportRouteForm(request.POST or None, instance=route)
    if request.method == "POST":
        if request.POST.get("delete"):
            services.support_route_delete(actor=request.user, route=route)
            messages.success(request, "Support route removed.")
            return redirect("appraisals:support_route_list")
        if form.is_valid():
            services.support_route_save(actor=request.user, route=form.save(commit=False))
            messages.success(request, "Support route saved.")
            return redirect("appraisals:support_route_list")
    return render(
        request,
        "appraisals/support_route_edit.html",
        {"form": form, "route": route},
        status=400 if form.errors else 200,
    )
