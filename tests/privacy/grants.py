"""Helpers for the partner-boundary tests: grants in every state."""

import datetime

from django.utils import timezone

from bewigan.partners.models import DataSharingGrant


def make_grant(sharing, receiving, purpose="hr", state="active", **extra) -> DataSharingGrant:
    """A grant from `sharing` to `receiving`; `state` is one of active,
    expired, revoked, future."""
    today = timezone.localdate()
    dates = {
        "active": {"starts_on": today - datetime.timedelta(days=30)},
        "expired": {
            "starts_on": today - datetime.timedelta(days=60),
            "ends_on": today,  # exclusive: ended at midnight
        },
        "revoked": {"starts_on": today - datetime.timedelta(days=30)},
        "future": {"starts_on": today + datetime.timedelta(days=1)},
    }[state]
    grant = DataSharingGrant.objects.create(
        sharing_organisation=sharing,
        receiving_organisation=receiving,
        purpose=purpose,
        agreement_reference=extra.pop("agreement_reference", f"DSA-{purpose}-{state}"),
        **dates,
        **extra,
    )
    if state == "revoked":
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
    return grant


# (state of a grant from the other organisation to the admin's, does the admin reach it?)
GRANT_STATES = [
    (None, False),
    ("active", True),
    ("expired", False),
    ("revoked", False),
    ("future", False),
    ("one_way_reverse", False),  # the admin's organisation shares with the other: not the reverse
    ("other_purpose", False),  # a grant for the other purpose
]


def apply_state(state, *, own, other, purpose="hr"):
    """Create the grant a GRANT_STATES row describes, for the other
    organisation's people and the admin's organisation `own`."""
    if state is None:
        return None
    if state == "one_way_reverse":
        return make_grant(own, other, purpose)
    if state == "other_purpose":
        return make_grant(other, own, "surveys" if purpose == "hr" else "hr")
    return make_grant(other, own, purpose, state)
