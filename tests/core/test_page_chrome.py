"""base.html's shared chrome (issue #14): titles "Page – BeWigan" with
"Error: " whenever a bound form has errors, and data tables wrapped in a
keyboard-scrollable region so pages reflow at 320 px."""

from django import forms
from django.template import engines

from bewigan.core.templatetags.bewigan import scroll_tables

TITLE = engines["django"].from_string("{% document_title %} {{ text }} {% enddocument_title %}")


class NameForm(forms.Form):
    name = forms.CharField()


def test_titles_read_page_then_service():
    assert TITLE.render({"text": "My time"}) == "My time – BeWigan"
    assert TITLE.render({"text": ""}) == "BeWigan"


def test_a_bound_form_with_errors_adds_error_once():
    assert TITLE.render({"text": "Ask", "form": NameForm({})}) == "Error: Ask – BeWigan"
    assert TITLE.render({"text": "Ask", "form": NameForm({"name": "x"})}) == "Ask – BeWigan"
    assert TITLE.render({"text": "Ask", "form": NameForm()}) == "Ask – BeWigan"
    assert TITLE.render({"text": "Error: Ask", "other": NameForm({})}) == "Error: Ask – BeWigan"


def test_tables_get_a_labelled_focusable_scroll_region_once():
    html = '<table class="govuk-table"><caption>Current <b>teams</b></caption></table>'
    wrapped = scroll_tables(html)
    assert wrapped.startswith(
        '<div class="bw-table-scroll" role="region" aria-label="Current teams" tabindex="0">'
    )
    already = f'<div class="bw-surveys-scroll" tabindex="0">{html}</div>'
    assert scroll_tables(already) == already
    assert 'aria-label="Table"' in scroll_tables("<table></table>")
