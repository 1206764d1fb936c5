"""The personal-data registry: every app's declaration, gathered.

settings.BEWIGAN_PERSONAL_DATA lists one `personal_data.DECLARATION` per
app (core, people, then each capability). The data protection tools read
only what this module gathers, so they import no capability, and a new
personal-data model is declared once, in its own app.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from bewigan.core.personal_data_types import (
    CandidateDirectory,
    HandoverKind,
    Holdable,
    PersonalData,
    RetentionKind,
)


def declarations() -> list[PersonalData]:
    return [import_string(dotted) for dotted in settings.BEWIGAN_PERSONAL_DATA]


def person_sections():
    return [c for d in declarations() for c in d.person_sections]


def candidate_sections():
    return [c for d in declarations() for c in d.candidate_sections]


def not_included():
    return [n for d in declarations() for n in d.not_included]


def confidential_items(person) -> list:
    return [item for d in declarations() for find in d.confidential for item in find(person)]


def retention_kinds() -> list[RetentionKind]:
    return [k for d in declarations() for k in d.retention]


def count_labels() -> dict[str, str]:
    out: dict[str, str] = {}
    for d in declarations():
        out.update(d.count_labels)
    return out


def holdable() -> dict[str, Holdable]:
    return {h.label: h for d in declarations() for h in d.holdable}


def handover_kinds() -> dict[str, HandoverKind]:
    return {k.key: k for d in declarations() for k in d.handover_kinds}


def candidates() -> CandidateDirectory:
    """The candidate directory (recruitment declares it)."""
    for d in declarations():
        if d.candidates is not None:
            return d.candidates
    raise LookupError("No app declares a candidate directory")


def kept_after_erasure() -> dict[str, str]:
    out: dict[str, str] = {}
    for d in declarations():
        out.update(d.kept_after_erasure)
    return out
