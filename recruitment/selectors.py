"""Reads for this capability. Contract used by the intranet home page:
`my_work(*, user) -> list[bewigan.core.work.WorkItem]`."""

from bewigan.core.work import WorkItem


def my_work(*, user) -> list[WorkItem]:
    return []


def consented_panel_evidence(*, person) -> dict | None:
    """For a new starter's first my time: the strengths and development points
    their recruitment panel recorded, only if they consented at interview.
    Returns {"vacancy": str, "strengths": [str], "development": [str]} or None."""
    return None
