"""HR admins' pages for the retention schedule, legal holds and erasure.
Thin: check the permission, call a selector or service, render. People and
candidates outside the HR admin's reach answer 404, like missing ones."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from bewigan.core.permissions import require_perm

from . import erasure, holds, retention
from .forms_retention import (
    ErasureForm,
    HoldReasonForm,
    HoldRecordForm,
    HoldReleaseForm,
    RetentionRuleForm,
    SubjectSearchForm,
)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Retention schedule ----------------------------------------------------------------


def retention_schedule(request):
    require_perm(request.user, "privacy.manage_retention")
    runs = list(retention.retention_runs(limit=10))
    last_dry_run = next((r for r in runs if r.dry_run), None)
    return render(
        request,
        "privacy/retention_schedule.html",
        {
            "rows": retention.retention_schedule(),
            "runs": runs,
            "last_dry_run": last_dry_run,
            "last_dry_run_lines": retention.run_lines(last_dry_run) if last_dry_run else [],
        },
    )


@require_http_methods(["GET", "POST"])
def retention_rule_edit(request, kind):
    require_perm(request.user, "privacy.manage_retention")
    kind = retention.KINDS_BY_KEY.get(kind)
    if kind is None:
        raise Http404
    row = next(r for r in retention.retention_schedule() if r.kind.key == kind.key)
    form = RetentionRuleForm(
        request.POST or None,
        kind=kind,
        initial={"period_months": row.period_months, "enabled": row.enabled},
    )
    if request.method == "POST" and form.is_valid():
        try:
            retention.retention_rule_update(
                user=request.user,
                kind=kind,
                period_months=form.cleaned_data["period_months"],
                enabled=form.cleaned_data["enabled"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"{kind.label}: saved. The change takes effect after the next dry run has "
                "reported on it.",
            )
            return redirect("privacy:retention_schedule")
    return render(
        request, "privacy/retention_rule_edit.html", {"form": form, "kind": kind, "row": row}
    )


@require_POST
def retention_dry_run(request):
    require_perm(request.user, "privacy.manage_retention")
    run = retention.retention_run(dry_run=True, user=request.user)
    return redirect("privacy:retention_run_detail", pk=run.pk)


def retention_run_detail(request, pk):
    require_perm(request.user, "privacy.manage_retention")
    run = retention.retention_run_get(pk=pk)
    if run is None:
        raise Http404
    return render(
        request,
        "privacy/retention_run_detail.html",
        {"run": run, "lines": retention.run_lines(run)},
    )


# --- Legal holds -------------------------------------------------------------------------


def _search(request):
    form = SubjectSearchForm(request.GET or None)
    people, candidates = [], []
    searched = form.is_bound and form.is_valid() and form.cleaned_data["q"].strip()
    if searched:
        people, candidates = erasure.subjects_matching(
            user=request.user, text=form.cleaned_data["q"]
        )
    return form, bool(searched), people, candidates


def hold_list(request):
    require_perm(request.user, "privacy.manage_legal_holds")
    form, searched, people, candidates = _search(request)
    return render(
        request,
        "privacy/hold_list.html",
        {
            "holds": holds.holds_visible_to(user=request.user),
            "released": holds.holds_visible_to(user=request.user, active=False)[:20],
            "form": form,
            "searched": searched,
            "people": people,
            "candidates": candidates,
        },
    )


@require_http_methods(["GET", "POST"])
def hold_new(request):
    """A hold on the person (?person=), candidate (?candidate=) or, without
    either, a record chosen by kind and number."""
    require_perm(request.user, "privacy.manage_legal_holds")
    person = candidate = None
    if "person" in request.GET:
        person = _int_or_404(request.GET["person"], erasure.person_for_erasure, request.user)
    elif "candidate" in request.GET:
        candidate = _int_or_404(
            request.GET["candidate"], erasure.candidate_for_erasure, request.user
        )
    form_class = HoldReasonForm if (person or candidate) else HoldRecordForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hold = holds.hold_place(
                user=request.user,
                reason=data["reason"],
                person=person,
                candidate=candidate,
                object_type=data.get("object_type", ""),
                object_id=data.get("object_id", ""),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"Legal hold placed on {holds.hold_target_label(hold)}. The retention schedule "
                "and erasure will leave what it covers alone until it is released.",
            )
            return redirect("privacy:hold_list")
    return render(
        request,
        "privacy/hold_new.html",
        {"form": form, "person": person, "candidate": candidate},
    )


def _int_or_404(value, getter, user):
    if not str(value).isdigit():
        raise Http404
    found = getter(user=user, pk=int(value))
    if found is None:
        raise Http404
    return found


@require_http_methods(["GET", "POST"])
def hold_release(request, pk):
    require_perm(request.user, "privacy.manage_legal_holds")
    hold = holds.hold_get_for_user(user=request.user, pk=pk)
    if hold is None:
        raise Http404
    form = HoldReleaseForm(request.POST or None)
    if hold.released_at is None and request.method == "POST" and form.is_valid():
        try:
            holds.hold_release(user=request.user, hold=hold, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Legal hold on {hold.target_label} released.")
            return redirect("privacy:hold_list")
    return render(request, "privacy/hold_release.html", {"hold": hold, "form": form})


# --- Erasure -------------------------------------------------------------------------------


def erasure_list(request):
    require_perm(request.user, "privacy.erase_person")
    form, searched, people, candidates = _search(request)
    return render(
        request,
        "privacy/erasure_list.html",
        {
            "records": erasure.erasure_records_visible_to(user=request.user)[:50],
            "form": form,
            "searched": searched,
            "people": people,
            "candidates": candidates,
        },
    )


@require_http_methods(["GET", "POST"])
def erasure_person(request, pk):
    require_perm(request.user, "privacy.erase_person")
    person = erasure.person_for_erasure(user=request.user, pk=pk)
    if person is None:
        raise Http404
    problems = erasure.person_erasure_problems(user=request.user, person=person)
    return _erasure_confirm(
        request,
        problems=problems,
        subject_label=person.name,
        subject_kind="person",
        context={"person": person},
        preview=lambda: erasure.person_erasure_preview(user=request.user, person=person),
        erase=lambda data: erasure.person_erase(
            user=request.user, person=person, reference=data["reference"], reason=data["reason"]
        ),
    )


@require_http_methods(["GET", "POST"])
def erasure_candidate(request, pk):
    require_perm(request.user, "privacy.erase_person")
    candidate = erasure.candidate_for_erasure(user=request.user, pk=pk)
    if candidate is None:
        raise Http404
    problems = erasure.candidate_erasure_problems(candidate=candidate)
    return _erasure_confirm(
        request,
        problems=problems,
        subject_label=candidate.name,
        subject_kind="candidate",
        context={"candidate": candidate},
        preview=lambda: erasure.candidate_erasure_preview(user=request.user, candidate=candidate),
        erase=lambda data: erasure.candidate_erase(
            user=request.user,
            candidate=candidate,
            reference=data["reference"],
            reason=data["reason"],
        ),
    )


def _erasure_confirm(request, *, problems, subject_label, subject_kind, context, preview, erase):
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and not problems and form.is_valid():
        try:
            record = erase(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Erasure {record.reference} done.")
            return redirect("privacy:erasure_detail", pk=record.pk)
    lines = [] if problems else erasure.count_lines(preview())
    return render(
        request,
        "privacy/erasure_confirm.html",
        {
            **context,
            "form": form,
            "problems": problems,
            "lines": lines,
            "subject_label": subject_label,
            "subject_kind": subject_kind,
        },
    )


def erasure_detail(request, pk):
    require_perm(request.user, "privacy.erase_person")
    record = erasure.erasure_record_get_for_user(user=request.user, pk=pk)
    if record is None:
        raise Http404
    return render(
        request,
        "privacy/erasure_detail.html",
        {"record": record, "lines": erasure.count_lines(record.counts)},
    )
