"""Sign-in history: every successful sign-in and sign-out is an audit entry
about the account (no password, no IP address: the request id ties it to the
server logs, which are kept for a short time). Subject access packs and the
HR audit log read it from there."""

from allauth.account.signals import user_logged_in
from django.contrib.auth.signals import user_logged_out


def _record(user, request, event: str) -> None:
    from .models import AuditEntry
    from .services import audit_record

    if user is None or not getattr(user, "pk", None):
        return
    backend = ""
    if request is not None and getattr(request, "session", None) is not None:
        backend = request.session.get("_auth_user_backend", "").rsplit(".", 1)[-1]
    audit_record(
        actor=user,
        action=AuditEntry.Action.SIGN_IN,
        obj=user,
        subject=user,
        details={"event": event, "backend": backend},
    )


def _on_login(sender, request, user, **kwargs):  # every sign-in goes through allauth
    _record(user, request, "signed in")


def _on_logout(sender, request, user, **kwargs):
    _record(user, request, "signed out")


def connect_signals() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="bewigan.core.signin_audit.login")
    user_logged_out.connect(_on_logout, dispatch_uid="bewigan.core.signin_audit.logout")
