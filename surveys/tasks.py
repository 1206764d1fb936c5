"""Background work: thin wrappers around services."""

from django_tasks import task


@task()
def wave_refresh_results_task(wave_id: int) -> dict:
    from .models import Wave
    from .services import wave_refresh_results

    wave = Wave.objects.select_related("survey").get(pk=wave_id)
    return wave_refresh_results(wave)


@task()
def wave_remind_task(wave_id: int) -> int:
    from .models import Wave
    from .services import wave_remind_non_responders

    return wave_remind_non_responders(wave=Wave.objects.select_related("survey").get(pk=wave_id))


@task()
def drafts_purge_task() -> int:
    from .services import drafts_purge_closed

    return drafts_purge_closed()
