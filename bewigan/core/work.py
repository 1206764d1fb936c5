""" "My work": what is waiting for a person, gathered from every capability.

Each capability exposes `my_work(*, user) -> list[WorkItem]` in its
selectors; settings.BEWIGAN_MY_WORK_PROVIDERS lists them. Core knows no
domain: it only defines the shape and collects.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class WorkItem:
    title: str
    url: str
    area: str  # "My time", "Recruitment", "Surveys", ...
    due: date | None = None
    overdue: bool = False
    hint: str = ""


def collect_my_work(*, user) -> dict[str, list[WorkItem]]:
    """Items per area, in the order of the settings; areas with nothing are left out."""
    out: dict[str, list[WorkItem]] = {}
    for dotted in settings.BEWIGAN_MY_WORK_PROVIDERS:
        items = import_string(dotted)(user=user)
        for item in items:
            out.setdefault(item.area, []).append(item)
    return out
