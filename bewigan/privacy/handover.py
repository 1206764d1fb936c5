"""What a leaver still owned, described for whoever takes it over.

`open_work(person_ids)` finds everyone's open work in a fixed number of
queries per 2,000 people, from what each app declares in its
`personal_data.py` (`open_work`, `handover_kinds`): my-time and team-time
actions they own, "you said, we did" survey actions they own, ideas they
look after as innovation lead, open vacancies they manage, and colleagues
who still report to them.

`describe(owned, viewer=...)` turns one piece into an `OpenItem` that the
viewer may read: the text and a link where the viewer may open the record
(the app that declared the kind decides), otherwise a neutral line. A my-time action
between the leaver and someone else is named, never quoted, because only the
two people in a my time read it. Notifications (and their emails) carry
counts only; the handover page shows the items.
"""

from __future__ import annotations

from bewigan.core.personal_data_types import OpenItem, Owned

from . import registry

__all__ = ["OpenItem", "Owned", "describe", "open_work", "summary_lines"]


def open_work(person_ids) -> dict[int, list[Owned]]:
    """Each person's open work, oldest due first within each kind, kinds in
    the order the apps declare them."""
    ids = sorted({int(p) for p in person_ids})
    owned: dict[int, list[Owned]] = {pk: [] for pk in ids}
    if not ids:
        return owned
    order = list(registry.handover_kinds())
    for declaration in registry.declarations():
        for find in declaration.open_work:
            for pk, items in find(ids).items():
                owned[pk].extend(items)
    for items in owned.values():
        items.sort(key=lambda o: order.index(o.kind) if o.kind in order else len(order))
    return owned


def summary_lines(owned: list[Owned]) -> list[str]:
    """'2 my time actions', '1 open vacancy they manage', ... in kind order."""
    kinds = registry.handover_kinds()
    counts = dict.fromkeys(kinds, 0)
    for item in owned:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return [
        f"{n} {kinds[kind].one if n == 1 else kinds[kind].many}" for kind, n in counts.items() if n
    ]


def describe(owned: Owned, *, viewer) -> OpenItem:
    kind = registry.handover_kinds()[owned.kind]
    text, url = kind.describe(owned.obj, viewer)
    return OpenItem(owned.kind, kind.heading, text, url, owned.due)
