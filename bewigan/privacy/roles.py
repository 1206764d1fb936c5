"""The data protection officer: the organisational role that answers subject
access requests (a group seeded by migration 0007). Not every HR admin: a
pack holds confidential records (a line manager's private notes), so only
the officer starts, reviews and releases one."""

import rules

from bewigan.people.roles import in_group

DATA_PROTECTION_OFFICER = "Data protection officer"


@rules.predicate
def is_data_protection_officer(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and in_group(
        user, DATA_PROTECTION_OFFICER
    )
