"""`{% privacy_notice "key" %}`: the short notice for one collection point
(see `bewigan/privacy/notices.py` for the keys and the wording)."""

from django import template

from bewigan.privacy import retention
from bewigan.privacy.notices import (
    months_in_words,
    notice_for,
    notices_by_capability,
    retention_periods,
)

register = template.Library()


@register.inclusion_tag("components/privacy_notice.html")
def privacy_notice(key: str, open: bool = False):  # noqa: A002 - mirrors the HTML attribute
    return {"notice": notice_for(key), "open": open}


@register.simple_tag
def privacy_notice_groups():
    """[(capability, [notice, ...]), ...] for the site privacy notice."""
    return notices_by_capability()


@register.simple_tag
def retention_in_force():
    """The retention schedule as it stands: one row per kind of record, with
    the period in words, or None where HR switched the rule off."""
    periods = retention_periods()
    return [
        {
            "label": kind.label,
            "records": kind.records,
            "starts": kind.starts,
            "action": kind.action_label,
            "period": months_in_words(periods[kind.key]) if periods.get(kind.key) else None,
        }
        for kind in retention.KINDS
    ]
