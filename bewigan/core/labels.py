"""Words for the audit log's machine labels ("appraisals.conversation")."""

from functools import cache

from django.apps import apps

# Labels that are not a model, or whose verbose name says too little.
KINDS = {
    "core.auditentry": "Audit log",
    "core.user": "Account",
}


@cache
def record_kind(object_type: str) -> str:
    """'appraisals.conversation' -> 'Conversation'; unknown labels are made
    readable rather than shown raw ('partners.data_sharing' -> 'Data sharing')."""
    if not object_type:
        return ""
    if object_type in KINDS:
        return KINDS[object_type]
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        words = object_type.rsplit(".", 1)[-1].replace("_", " ").strip()
        return words[:1].upper() + words[1:]
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]
