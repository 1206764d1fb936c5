"""Reads for this capability. Contract used by the intranet home page:
`my_work(*, user) -> list[bewigan.core.work.WorkItem]`."""

from bewigan.core.work import WorkItem


def my_work(*, user) -> list[WorkItem]:
    return []


def public_shout_outs(*, user, limit: int = 10) -> list:
    """Public shout-outs for the intranet feed, newest first. Each item has
    .giver_name, .recipient_name, .value_name, .message, .created_at, .url"""
    return []
