import time

from django.conf import settings


def site(request):
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if request.method in ("GET", "HEAD") and hasattr(user, "_unread_at_start"):
            # Counted with the group names before the view ran (one query,
            # middleware.load_groups_and_unread); a GET changes no notifications.
            unread = user._unread_at_start
        else:
            unread = user.notifications.filter(read_at__isnull=True).count()
        prime_permissions(user)
    demo_sign_ins = []
    if settings.BEWIGAN_DEMO_MODE:
        from bewigan.people.demo import DEMO_PASSWORD, DEMO_SIGN_INS

        demo_sign_ins = {"accounts": DEMO_SIGN_INS, "password": DEMO_PASSWORD}
    return {
        "demo_sign_ins": demo_sign_ins,
        "site_name": settings.BEWIGAN_SITE_NAME,
        "demo_mode": settings.BEWIGAN_DEMO_MODE,
        "unread_notifications": unread,
    }


# --- Model permissions for templates without two queries per page ----------
# ModelBackend answers `perms.app.codename` (the header's Admin link) with two
# queries per request: the user's own permissions and their groups'. Group
# permissions are the same for everyone in a group, and almost nobody has
# permissions of their own, so both are kept per process (cleared at once in
# this process by the signals below, in other processes within
# PERMISSION_MAP_SECONDS) and the backend's per-user cache is filled from them
# and the group names the request has already fetched. People with permissions
# of their own, superusers and inactive users are left to ModelBackend.
PERMISSION_MAP_SECONDS = 30
_PERMISSION_MAP: dict = {}


def _permission_map():
    hit = _PERMISSION_MAP.get("map")
    now = time.monotonic()
    if hit is not None and hit[0] > now:
        return hit[1]
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    by_group: dict[str, set[str]] = {}
    for group, app_label, codename in Permission.objects.filter(group__isnull=False).values_list(
        "group__name", "content_type__app_label", "codename"
    ):
        by_group.setdefault(group, set()).add(f"{app_label}.{codename}")
    through = get_user_model().user_permissions.through
    user_field = get_user_model()._meta.get_field("user_permissions").m2m_field_name()
    with_own = set(through.objects.values_list(f"{user_field}_id", flat=True).distinct())
    value = (by_group, with_own)
    _PERMISSION_MAP["map"] = (now + PERMISSION_MAP_SECONDS, value)
    return value


def clear_permission_map(*args, **kwargs):
    _PERMISSION_MAP.clear()


def prime_permissions(user) -> None:
    if hasattr(user, "_perm_cache") or not user.is_active or user.is_superuser:
        return
    from bewigan.people.roles import group_names

    by_group, with_own = _permission_map()
    if user.pk in with_own:
        return
    perms = set()
    for name in group_names(user):
        perms |= by_group.get(name, set())
    # The attributes ModelBackend fills on first use (django.contrib.auth.backends).
    user._user_perm_cache = set()
    user._group_perm_cache = perms
    user._perm_cache = set(perms)


def _connect_permission_signals():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    m2m_changed.connect(
        clear_permission_map, sender=Group.permissions.through, dispatch_uid="bw-perm-group"
    )
    m2m_changed.connect(
        clear_permission_map,
        sender=get_user_model().user_permissions.through,
        dispatch_uid="bw-perm-user",
    )
    for model in (Group, Permission):
        post_save.connect(clear_permission_map, sender=model, dispatch_uid=f"bw-perm-s-{model}")
        post_delete.connect(clear_permission_map, sender=model, dispatch_uid=f"bw-perm-d-{model}")


_connect_permission_signals()
