"""Reads for the leavers pages. Everyone outside the viewer's reach answers
404, like a missing person."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from bewigan.partners.boundaries import HR, filter_in_reach
from bewigan.people.models import Person

from .handover import OpenItem, describe, open_work
from .models import LeaverRecord

RECENT_DAYS = 90


def people_to_mark(*, user, query: str, limit: int = 20) -> list[Person]:
    """Current staff in the HR admin's reach whose name or email matches
    every word of `query` (the admin themself left out)."""
    words = query.split()[:5]
    if not words:
        return []
    qs = Person.objects.active().select_related("user", "organisation").exclude(user=user)
    for word in words:
        qs = qs.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
        )
    return list(
        filter_in_reach(qs, user, HR).order_by("user__last_name", "user__first_name", "pk")[:limit]
    )


def leavers_scheduled(*, user, limit: int = 50) -> list[Person]:
    """People in reach with a leaving date still to come."""
    qs = Person.objects.filter(
        leaver_date__gt=timezone.localdate(), user__is_active=True
    ).select_related("user", "organisation")
    return list(filter_in_reach(qs, user, HR).order_by("leaver_date", "pk")[:limit])


def leavers_recent(*, user, limit: int = 50) -> list[LeaverRecord]:
    """Leavings processed in the last RECENT_DAYS days, people in reach."""
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    qs = LeaverRecord.objects.filter(processed_at__gte=since).select_related(
        "person__user", "person__organisation", "handover_to"
    )
    return list(filter_in_reach(qs, user, HR, field="person__organisation")[:limit])


def person_for_marking(*, user, pk: int) -> Person:
    person = Person.objects.select_related("user", "organisation").filter(pk=pk).first()
    if person is None or not user.has_perm("privacy.mark_leaver", person):
        raise Http404
    return person


@dataclass
class Handover:
    person: Person
    record: LeaverRecord | None
    items: list[OpenItem]


def handover_for(*, user, pk: int) -> Handover:
    """A leaver's open work as the viewer may see it: their line (direct or
    indirect), HR admins in reach."""
    person = (
        Person.objects.select_related("user", "organisation", "line_manager__user")
        .filter(pk=pk)
        .first()
    )
    if (
        person is None
        or not person.is_leaver
        or not user.has_perm("privacy.view_leaver_handover", person)
    ):
        raise Http404
    record = (
        person.leaver_records.filter(leaver_date=person.leaver_date)
        .select_related("handover_to", "processed_by")
        .first()
    )
    items = [describe(owned, viewer=user) for owned in open_work([person.pk])[person.pk]]
    return Handover(person=person, record=record, items=items)
