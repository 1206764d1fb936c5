"""JSON log lines carrying a request id, so one request can be followed
through the web process and into the background tasks it enqueued."""

import contextvars
import json
import logging
from datetime import UTC, datetime

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_task_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_id", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


def set_request_id(value: str | None):
    return _request_id.set(value)


def reset_request_id(token) -> None:
    _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id() or "-"
        record.task_id = _task_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        task_id = getattr(record, "task_id", "-")
        if task_id != "-":
            payload["task_id"] = task_id
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload)


# --- The request id in background tasks -----------------------------------
# A task enqueued while a request is handled runs later in a worker process.
# On enqueue we remember the request id in the shared cache (Redis or the
# database cache) under the task result id; when the worker starts the task it
# restores it, so every log line of the task carries the request's id. Task
# arguments stay untouched, so any task (Wagtail's and modelsearch's too) works.

TASK_REQUEST_ID_TTL = 7 * 24 * 60 * 60
_task_tokens: dict[str, tuple] = {}
logger = logging.getLogger("bewigan.tasks")


def _task_key(task_id) -> str:
    return f"bewigan:task-request-id:{task_id}"


def on_task_enqueued(sender, task_result, **kwargs):
    request_id = current_request_id()
    if request_id is None:
        return
    if sender.__module__.startswith("django_tasks.backends.immediate"):
        return  # runs now, in this context
    from django.core.cache import cache

    try:
        cache.set(_task_key(task_result.id), request_id, TASK_REQUEST_ID_TTL)
    except Exception:  # logging must never break the enqueue
        logger.warning("could not record the request id of task %s", task_result.id)
    logger.info("task enqueued %s id=%s", task_result.task.module_path, task_result.id)


def on_task_started(sender, task_result, **kwargs):
    from django.core.cache import cache

    task_id = str(task_result.id)
    request_id = None
    if not sender.__module__.startswith("django_tasks.backends.immediate"):
        try:
            request_id = cache.get(_task_key(task_id))
        except Exception:
            request_id = None
    tokens = (_task_id.set(task_id), _request_id.set(request_id) if request_id else None)
    _task_tokens[task_id] = tokens


def on_task_finished(sender, task_result, **kwargs):
    task_id = str(task_result.id)
    tokens = _task_tokens.pop(task_id, None)
    if tokens is None:
        return
    task_token, request_token = tokens
    if request_token is not None:
        _request_id.reset(request_token)
        from django.core.cache import cache

        try:
            cache.delete(_task_key(task_id))
        except Exception:
            logger.debug("could not delete the request id of task %s", task_id)
    _task_id.reset(task_token)


def connect_task_signals() -> None:
    from django_tasks.signals import log_task_started, task_enqueued, task_finished, task_started

    task_enqueued.connect(on_task_enqueued, dispatch_uid="bewigan-task-enqueued")
    # Ours must run before django-tasks' own "Task … RUNNING" log line.
    task_started.disconnect(log_task_started)
    task_started.connect(on_task_started, dispatch_uid="bewigan-task-started")
    task_started.connect(log_task_started)
    task_finished.connect(on_task_finished, dispatch_uid="bewigan-task-finished")


# --- Error reporting -------------------------------------------------------


def _add_request_id(event, hint):
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init_sentry(*, dsn, environment, release, traces_sample_rate) -> None:
    """Switch on Sentry (or a Sentry-compatible service such as GlitchTip)."""
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as exc:  # pragma: no cover - it is a declared dependency
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SENTRY_DSN is set but sentry-sdk is not installed.") from exc
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,  # no emails, IPs or cookies leave the service
        before_send=_add_request_id,
    )
