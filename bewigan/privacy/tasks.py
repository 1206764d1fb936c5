"""Background tasks for data protection. Thin wrappers around services."""

from django_tasks import task


@task()
def sar_generate_task(request_id: int) -> str:
    """Collect the records for a subject access request."""
    from .sar import sar_generate

    return sar_generate(request_id=request_id)


@task()
def sar_build_task(request_id: int) -> str:
    """Build a subject access pack's archive once every name is decided."""
    from .sar import sar_build_archive

    return sar_build_archive(request_id=request_id)
