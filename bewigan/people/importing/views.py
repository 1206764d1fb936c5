"""HR admin pages: upload a file, check the preview, confirm."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .columns import COLUMNS
from .forms import PeopleImportForm
from .selectors import people_import_get_for_user
from .services import (
    ImportExpiredError,
    ImportFileError,
    importable_organisation_names,
    people_import_confirm,
    people_import_discard,
    people_import_upload,
)

EXAMPLE_FILE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "people-example.csv"


def _require_importer(request):
    if not request.user.has_perm("people.import_people"):
        raise PermissionDenied


def import_upload(request):
    _require_importer(request)
    form = PeopleImportForm(
        request.POST or None,
        request.FILES or None,
        organisation_names=importable_organisation_names(request.user),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            people_import = people_import_upload(
                user=request.user,
                filename=upload.name,
                content=form.cleaned_data["content"],
                full_organisation=form.cleaned_data["full_organisation"],
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("people:import_preview", pk=people_import.pk)
    return render(request, "people/import_upload.html", {"form": form, "columns": COLUMNS})


def import_preview(request, pk: int):
    _require_importer(request)
    people_import = people_import_get_for_user(user=request.user, pk=pk)
    if people_import.status == people_import.Status.APPLIED:
        return render(
            request,
            "people/import_result.html",
            {"people_import": people_import, "s": people_import.summary},
        )
    summary = people_import.summary
    errors = summary.get("errors", [])
    summary_errors = [
        {"text": e["message"], "href": f"#import-error-{i}"}
        for i, e in enumerate(errors[:10], start=1)
    ]
    return render(
        request,
        "people/import_preview.html",
        {
            "people_import": people_import,
            "s": summary,
            "errors": errors,
            "summary_errors": summary_errors,
            "more_errors": summary.get("error_count", 0) - len(summary_errors),
        },
    )


@require_POST
def import_confirm(request, pk: int):
    _require_importer(request)
    people_import = people_import_get_for_user(user=request.user, pk=pk)
    try:
        people_import, plan = people_import_confirm(
            user=request.user, people_import_id=people_import.pk
        )
    except ImportExpiredError as exc:
        messages.error(request, str(exc))
        return redirect("people:import_upload")
    except ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("people:import_upload")
    if not plan.ok:
        messages.error(
            request, "People's records changed since your preview, and the file now has problems."
        )
    return redirect("people:import_preview", pk=people_import.pk)


@require_POST
def import_discard(request, pk: int):
    _require_importer(request)
    people_import = people_import_get_for_user(user=request.user, pk=pk)
    people_import_discard(user=request.user, people_import_id=people_import.pk)
    messages.info(request, "Import cancelled. Nothing was changed.")
    return redirect("people:import_upload")


def import_example(request):
    _require_importer(request)
    return FileResponse(EXAMPLE_FILE.open("rb"), as_attachment=True, filename="people-example.csv")
