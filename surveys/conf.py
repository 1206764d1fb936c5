"""Minimum group sizes. Configurable through settings, never below the floor
of 5 (a system check fails a smaller setting, and the effective value is
clamped anyway)."""

from django.conf import settings
from django.core import checks

from .models import MIN_GROUP_FLOOR


def min_group_size(survey=None) -> int:
    configured = getattr(settings, "SURVEYS_MIN_GROUP_SIZE", 5)
    own = survey.min_group_size if survey is not None else 0
    return max(MIN_GROUP_FLOOR, configured, own)


def min_comment_group_size(survey=None) -> int:
    configured = getattr(settings, "SURVEYS_MIN_COMMENT_GROUP_SIZE", 10)
    own = survey.min_comment_group_size if survey is not None else 0
    return max(MIN_GROUP_FLOOR, configured, own, min_group_size(survey))


@checks.register()
def check_minimums(app_configs=None, **kwargs):
    errors = []
    for name, default in (("SURVEYS_MIN_GROUP_SIZE", 5), ("SURVEYS_MIN_COMMENT_GROUP_SIZE", 10)):
        value = getattr(settings, name, default)
        if not isinstance(value, int) or value < MIN_GROUP_FLOOR:
            errors.append(
                checks.Error(
                    f"{name} must be a whole number of at least {MIN_GROUP_FLOOR}",
                    id="surveys.E001",
                )
            )
    return errors
