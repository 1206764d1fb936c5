from django.db.models import Prefetch, QuerySet

from .models import Behaviour, Framework, FrameworkVersion, Value


def current_values(*, audience: str = Framework.Audience.ALL_STAFF, on=None) -> QuerySet[Value]:
    """The current version's values with behaviours prefetched (2 queries)."""
    return (
        Value.objects.current(audience=audience, on=on)
        .select_related("version__framework")
        .prefetch_related(Prefetch("behaviours", queryset=Behaviour.objects.order_by("sort_order")))
        .order_by("order", "name")
    )


def current_behaviours(*, audience: str = Framework.Audience.ALL_STAFF, on=None):
    return (
        Behaviour.objects.filter(value__in=Value.objects.current(audience=audience, on=on))
        .select_related("value")
        .order_by("value__order", "sort_order")
    )


def current_version(*, audience: str = Framework.Audience.ALL_STAFF, on=None):
    return (
        FrameworkVersion.objects.current(on)
        .filter(framework__audience=audience)
        .select_related("framework")
        .first()
    )


def frameworks_for_admin() -> QuerySet[Framework]:
    """Every framework with its versions (newest first) and each version's
    value and behaviour counts: 2 queries whatever the number of versions."""
    from django.db.models import Count

    versions = FrameworkVersion.objects.annotate(
        value_count=Count("values", distinct=True),
        behaviour_count=Count("values__behaviours", distinct=True),
    ).order_by("-number")
    return Framework.objects.prefetch_related(Prefetch("versions", queryset=versions))


def version_get_for_admin(*, pk: int) -> FrameworkVersion:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(FrameworkVersion.objects.select_related("framework"), pk=pk)
