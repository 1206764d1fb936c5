"""Collect every record the platform holds about one person, for a subject
access pack, from the personal-data registry (`registry.py`): each app
declares its sections in its own `personal_data.py`; this module adds the
data protection records themselves (leaving, legal holds, requests).

Each section has a title, a plain-words description, the fields (key,
label, kind) and the records as JSON-ready dicts. Fields of kind "free" are
free text that people typed; they are searched for other people's names
(sar_names.py) and redacted where the data protection officer decides.
Sections marked `confidential` hold other people's confidential writing
about the subject (a line manager's private notes): the officer reviews
each one before release (sar.py).
"""

from __future__ import annotations

from collections.abc import Callable

from bewigan.core.personal_data_types import FREE, Subject, section

from . import registry
from .models import LeaverRecord, LegalHold, SubjectAccessRequest

__all__ = ["FREE", "Subject", "candidate_collectors", "not_included", "person_collectors"]

Collector = Callable[[Subject], list[dict]]
PRIVACY_POSITION = 36  # after the appraisals records, as HR's own records about the person


def _leaving(p) -> dict:
    return section(
        "leaving",
        "Leaving",
        "When your leaving was processed: your account was closed and your manager was told "
        "about work you still owned.",
        [
            ("leaver_date", "Leaving date", "date"),
            ("source", "How", "text"),
            ("reason", "Reason recorded", FREE),
            ("processed", "Processed", "datetime"),
        ],
        [
            {
                "leaver_date": r.leaver_date,
                "source": r.get_source_display(),
                "reason": r.reason,
                "processed": r.processed_at,
            }
            for r in LeaverRecord.objects.filter(person=p).order_by("processed_at")
        ],
    )


def _holds_and_requests(s: Subject, LegalHold, SubjectAccessRequest, **target) -> list[dict]:
    holds = section(
        "legal_holds",
        "Legal holds",
        "Instructions to keep your records beyond the usual retention period, for example "
        "during a tribunal claim.",
        [
            ("reason", "Reason", FREE),
            ("placed", "Placed", "datetime"),
            ("released", "Released", "datetime"),
        ],
        [
            {"reason": h.reason, "placed": h.placed_at, "released": h.released_at}
            for h in LegalHold.objects.filter(**target).order_by("placed_at")
        ],
    )
    requests = section(
        "subject_access_requests",
        "Subject access requests",
        "Requests for a copy of your records, including this one.",
        [
            ("reference", "Reference", "text"),
            ("requested", "Requested", "datetime"),
            ("status", "Status", "text"),
        ],
        [
            {
                "reference": r.reference,
                "requested": r.requested_at,
                "status": r.get_status_display(),
            }
            for r in SubjectAccessRequest.objects.filter(**target).order_by("requested_at")
        ],
    )
    return [holds, requests]


def _privacy_records(s: Subject) -> list[dict]:
    if s.person is not None:
        return [_leaving(s.person), *_holds_and_requests(s, person=s.person)]
    # a candidate who is not (yet) staff: holds and requests are theirs
    return _holds_and_requests(s, candidate__in=s.candidates)


def _holds_and_requests(s: Subject, **target) -> list[dict]:
    holds = section(
        "legal_holds",
        "Legal holds",
        "Instructions to keep your records beyond the usual retention period, for example "
        "during a tribunal claim.",
        [
            ("reason", "Reason", FREE),
            ("placed", "Placed", "datetime"),
            ("released", "Released", "datetime"),
        ],
        [
            {"reason": h.reason, "placed": h.placed_at, "released": h.released_at}
            for h in LegalHold.objects.filter(**target).order_by("placed_at")
        ],
    )
    requests = section(
        "subject_access_requests",
        "Subject access requests",
        "Requests for a copy of your records, including this one.",
        [
            ("reference", "Reference", "text"),
            ("requested", "Requested", "datetime"),
            ("status", "Status", "text"),
        ],
        [
            {
                "reference": r.reference,
                "requested": r.requested_at,
                "status": r.get_status_display(),
            }
            for r in SubjectAccessRequest.objects.filter(**target).order_by("requested_at")
        ],
    )
    return [holds, requests]


# --- The whole pack ------------------------------------------------------------------------


def person_collectors() -> list[tuple[str, Collector]]:
    found = registry.person_sections() + [
        (PRIVACY_POSITION, "Leaving, holds and requests", _privacy_records)
    ]
    return [(label, collect) for _pos, label, collect in sorted(found, key=lambda c: c[0])]


def candidate_collectors() -> list[tuple[str, Collector]]:
    found = registry.candidate_sections() + [(900, "Holds and requests", _privacy_records)]
    return [(label, collect) for _pos, label, collect in sorted(found, key=lambda c: c[0])]


def not_included(s: Subject, sections: list[dict]) -> list[dict]:
    items = []
    if s.person is not None:
        items += registry.not_included()
    items.append(
        (
            "Other people's personal information",
            "Names of other people written in free text have been reviewed by the data "
            "protection officer before release. Where a name is replaced with “[name "
            "redacted]”, it was removed to protect that person's privacy.",
        )
    )
    return [{"title": t, "explanation": e} for t, e in items]
