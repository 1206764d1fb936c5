from django.shortcuts import render

from .models import Framework
from .selectors import current_values, current_version


def values_index(request):
    """A clear page of the current values and behaviours, for all staff."""
    return render(
        request,
        "values/index.html",
        {
            "version": current_version(),
            "values": current_values(),
            "manager_version": current_version(audience=Framework.Audience.MANAGERS),
            "manager_values": current_values(audience=Framework.Audience.MANAGERS),
        },
    )
