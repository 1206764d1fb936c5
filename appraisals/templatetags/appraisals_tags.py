from django import template

from appraisals.rules import can

register = template.Library()


@register.simple_tag(takes_context=True)
def appraisals_can(context, perm, obj=None):
    """Hide a link the view would refuse (the view still guards). Uses the
    appraisals rules, not Django's superuser shortcut."""
    return can(context["request"].user, perm, obj)
