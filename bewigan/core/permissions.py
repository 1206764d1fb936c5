"""The one guard every view uses after fetching an object for the user."""

from django.core.exceptions import PermissionDenied


def require_perm(user, perm: str, obj=None, *, check=None) -> None:
    """Raise PermissionDenied unless `user` holds `perm` (on `obj`).

    `check(user, perm, obj)` replaces `user.has_perm` where an app's rules
    must not let superusers through (appraisals' private records)."""
    allowed = check(user, perm, obj) if check is not None else user.has_perm(perm, obj)
    if not allowed:
        raise PermissionDenied
