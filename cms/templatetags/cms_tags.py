"""Rich text is rendered through Wagtail's `richtext` expansion and then an
allow-list, so HTML that reached the database without the editor (imports,
scripts, the API) still cannot carry script, event handlers or javascript: links."""

from django import template
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html
from wagtail.whitelist import Whitelister, attribute_rule, check_url

register = template.Library()

_LINK = attribute_rule({"href": check_url, "class": True, "rel": True})
_IMG = attribute_rule({"src": check_url, "alt": True, "width": True, "height": True, "class": True})


class RenderedRichTextWhitelister(Whitelister):
    element_rules = {
        **Whitelister.element_rules,
        "a": _LINK,
        "img": _IMG,
        "code": attribute_rule({}),
        "blockquote": attribute_rule({}),
    }


_cleaner = RenderedRichTextWhitelister()


@register.filter
def safe_richtext(value) -> str:
    together = getattr(value, "expanded_together", None)  # cms.blocks.TextBlock
    if together is not None:
        html = together[0].get(together[1])
    else:
        html = expand_db_html(str(getattr(value, "source", value) or ""))
    return mark_safe(_cleaner.clean(html))  # noqa: S308 - allow-listed just above
