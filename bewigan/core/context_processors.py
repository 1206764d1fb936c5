from django.conf import settings


def site(request):
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
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
