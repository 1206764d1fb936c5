"""Reads for this capability. Contract used by the intranet home page:
`my_work(*, user) -> list[bewigan.core.work.WorkItem]`."""

from bewigan.core.work import WorkItem


def my_work(*, user) -> list[WorkItem]:
    return []
