"""Template helpers used everywhere (loaded as a builtin)."""

import re

from django import forms, template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

INPUT_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
}


@register.filter
def widget_type(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "select"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "input"


@register.filter
def govuk_widget(bound_field):
    """Render the widget with GOV.UK classes and accessible error wiring."""
    kind = widget_type(bound_field)
    css = INPUT_CLASSES.get(kind, "govuk-input")
    attrs = {}
    existing = bound_field.field.widget.attrs.get("class", "")
    if bound_field.errors:
        css += f" {css}--error"
    attrs["class"] = f"{css} {existing}".strip()
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def field_id(bound_field) -> str:
    """The id an error-summary link should point at (first option for radios)."""
    kind = widget_type(bound_field)
    if kind in ("radios", "checkboxes"):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.simple_tag
def error_summary(*forms_):
    """Collect errors from one or more forms (formsets too) for the summary."""
    items = []
    for form in forms_:
        if form is None:
            continue
        subforms = getattr(form, "forms", None)
        if subforms is not None:
            for err in form.non_form_errors():
                items.append({"href": "", "text": err})
            for sub in subforms:
                items.extend(_form_errors(sub))
        else:
            items.extend(_form_errors(form))
    return items


def _form_errors(form):
    out = []
    for err in form.non_field_errors():
        out.append({"href": "", "text": err})
    for bf in form:
        for err in bf.errors:
            out.append({"href": f"#{field_id(bf)}", "text": err})
    return out


@register.simple_tag
def tag(text, colour=""):
    cls = f"govuk-tag govuk-tag--{colour}" if colour else "govuk-tag"
    return format_html('<strong class="{}">{}</strong>', cls, text)


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


NAV = [
    ("Home", "/", ("/",)),
    ("Recruitment", "/recruitment/", ("/recruitment/",)),
    ("My time", "/my-time/", ("/my-time/",)),
    ("Surveys", "/surveys/", ("/surveys/",)),
    ("Ideas", "/ideas/", ("/ideas/", "/stories/")),
    ("Values", "/values/", ("/values/",)),
    ("People", "/people/find/", ("/people/find/",)),
]


@register.simple_tag(takes_context=True)
def nav_items(context):
    path = context["request"].path
    items = []
    for text, href, prefixes in NAV:
        active = path == "/" if href == "/" else any(path.startswith(p) for p in prefixes)
        items.append({"text": text, "href": href, "active": active, "current": path == href})
    return items


class DocumentTitleNode(template.Node):
    """`<title>`: "Page – BeWigan", and "Error: Page – BeWigan" whenever a bound
    form in the context has errors, so no template has to remember it."""

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        text = " ".join(self.nodelist.render(context).split())
        site = "BeWigan"
        if not text or text == site:
            return site
        if _context_has_form_errors(context) and not text.startswith("Error:"):
            text = f"Error: {text}"
        return f"{text} – {site}"


def _context_has_form_errors(context) -> bool:
    # Bound forms have been validated by the view, so is_valid() reads a cache.
    return any(
        isinstance(value, forms.BaseForm | forms.BaseFormSet)
        and value.is_bound
        and not value.is_valid()
        for value in context.flatten().values()
    )


@register.tag
def document_title(parser, token):
    nodelist = parser.parse(("enddocument_title",))
    parser.delete_first_token()
    return DocumentTitleNode(nodelist)


@register.simple_tag
def elided_page_range(page):
    """Page numbers for GOV.UK pagination: 1 … 4 5 6 … 20."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)
_OPEN_DIV_BEFORE = re.compile(r"<div\b[^>]*>\s*$")
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL)


@register.filter(is_safe=True)
def scroll_tables(html):
    """Wrap each data table in a keyboard-scrollable region, so that a page
    reflows at 320 px (WCAG 1.4.10) and the table scrolls on its own, as the
    heatmap does. Tables already inside a `*-scroll` container are left."""

    def wrap(match):
        before = html[max(0, match.start() - 400) : match.start()]
        opener = _OPEN_DIV_BEFORE.search(before)
        if opener and "scroll" in opener.group(0):
            return match.group(0)
        caption = _CAPTION.search(match.group(0))
        label = strip_tags(caption.group(1)).strip() if caption else ""
        label = " ".join(label.split()) or "Table"
        return format_html(
            '<div class="bw-table-scroll" role="region" aria-label="{}" tabindex="0">{}</div>',
            label,
            mark_safe(match.group(0)),  # noqa: S308 - already-rendered template output
        )

    return mark_safe(_TABLE.sub(wrap, str(html)))  # noqa: S308 - already-rendered template output


@register.filter
def record_kind(object_type: str) -> str:
    """An audit entry's kind of record in words ("Conversation", not
    "appraisals.conversation")."""
    from bewigan.core.labels import record_kind as kind

    return kind(object_type)
