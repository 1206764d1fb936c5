"""Forms for ideas, comments and front-end stories. They validate and
render (GOV.UK markup through the project form renderer); permissions are
decided in views and services, never here."""

from django import forms
from django.core.exceptions import ValidationError

from bewigan.people.models import Neighbourhood, Team
from bewigan.values.models import Value

from .models import TRANSITIONS, Idea, IdeaStatus


def _not_blank(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


class ValueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}: {obj.summary}"


class IdeaForm(forms.ModelForm):
    SUPPORT_CHOICES = [
        ("time", "Time"),
        ("money", "Money"),
        ("rule", "A rule waived"),
    ]
    value = ValueChoiceField(
        queryset=Value.objects.none(),
        widget=forms.RadioSelect,
        label="Which of our values does it show?",
        empty_label=None,
        error_messages={"required": "Select the value your idea shows"},
    )
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, label="Team")
    neighbourhood = forms.ModelChoiceField(queryset=Neighbourhood.objects.none(), required=False)
    support = forms.MultipleChoiceField(
        choices=SUPPORT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What permission or support do you need to try it?",
        help_text="Select all that apply",
    )

    class Meta:
        model = Idea
        fields = [
            "title",
            "what_matters",
            "description",
            "value",
            "team",
            "neighbourhood",
            "support_detail",
        ]
        labels = {
            "title": "Give your idea a short title",
            "what_matters": "What matters? (the problem, and who it matters to)",
            "description": "What is your idea?",
            "support_detail": "Tell us more about the support you need",
        }
        help_texts = {
            "what_matters": "Up to 2,000 characters",
            "description": "Up to 4,000 characters",
            "support_detail": "For example: two hours a week for six weeks, £300 for materials",
        }
        error_messages = {
            "title": {
                "required": "Enter a title for your idea",
                "max_length": "Title must be 150 characters or fewer",
            },
            "what_matters": {"required": "Enter what matters"},
            "description": {"required": "Enter your idea"},
        }
        widgets = {
            "what_matters": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "support_detail": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = [
        "title",
        "what_matters",
        "description",
        "value",
        "team",
        "neighbourhood",
        "support",
        "support_detail",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].queryset = Value.objects.current().order_by("order", "name")
        self.fields["team"].queryset = Team.objects.select_related("organisation").order_by(
            "organisation__name", "name"
        )
        self.fields["neighbourhood"].queryset = Neighbourhood.objects.order_by("name")
        if self.instance.pk:
            self.initial["support"] = [
                key
                for key, flag in (
                    ("time", self.instance.needs_time),
                    ("money", self.instance.needs_money),
                    ("rule", self.instance.needs_rule_waived),
                )
                if flag
            ]

    def clean_title(self):
        return _not_blank(self.cleaned_data.get("title"), "Enter a title for your idea")

    def clean_what_matters(self):
        return _not_blank(self.cleaned_data.get("what_matters"), "Enter what matters")

    def clean_description(self):
        return _not_blank(self.cleaned_data.get("description"), "Enter your idea")

    def idea_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        support = set(self.cleaned_data.get("support") or [])
        data.update(
            needs_time="time" in support,
            needs_money="money" in support,
            needs_rule_waived="rule" in support,
        )
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add a comment",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Plain text, up to 2,000 characters. You can change it for 15 minutes.",
        error_messages={
            "required": "Enter a comment",
            "max_length": "Comment must be 2,000 characters or fewer",
        },
    )

    def clean_body(self):
        return _not_blank(self.cleaned_data.get("body"), "Enter a comment")


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label="New status", widget=forms.RadioSelect, choices=[])
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone can read this: the author and supporters are told",
        error_messages={"required": "Enter the reason for the change"},
    )
    merged_into = forms.IntegerField(
        label="Merge into idea number",
        required=False,
        min_value=1,
        help_text="Only when merging a duplicate: the number of the idea it joins",
    )

    def __init__(self, *args, idea: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.idea = idea
        self.fields["to_status"].choices = [
            (s.value, s.label) for s in TRANSITIONS[IdeaStatus(idea.status)]
        ]
        self.fields["to_status"].error_messages["required"] = "Select the new status"

    def clean_reason(self):
        return _not_blank(self.cleaned_data.get("reason"), "Enter the reason for the change")

    def clean(self):
        data = super().clean()
        if data.get("to_status") == IdeaStatus.MERGED:
            number = data.get("merged_into")
            target = Idea.objects.filter(pk=number).first() if number else None
            if target is None:
                self.add_error("merged_into", "Enter the number of an existing idea to merge into")
            elif target.pk == self.idea.pk:
                self.add_error("merged_into", "An idea cannot be merged into itself")
            data["merged_target"] = target
        return data


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Innovation lead looking after it",
        empty_label="Nobody yet",
    )

    def __init__(self, *args, leads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = leads
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.email


class StoryDraftForm(forms.Form):
    title = forms.CharField(max_length=150, error_messages={"required": "Enter a title"})
    summary = forms.CharField(
        max_length=300,
        help_text="One or two sentences, shown in lists",
        error_messages={
            "required": "Enter a summary",
            "max_length": "Summary must be 300 characters or fewer",
        },
    )
    text = forms.CharField(
        label="Your story",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Plain text; leave a blank line between paragraphs. A comms editor will add images and polish it.",
        error_messages={
            "required": "Enter your story",
            "max_length": "Story must be 10,000 characters or fewer",
        },
    )
    values = forms.ModelMultipleChoiceField(
        queryset=Value.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which values does it show?",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["values"].queryset = Value.objects.current().order_by("order", "name")

    def clean_title(self):
        return _not_blank(self.cleaned_data.get("title"), "Enter a title")

    def clean_text(self):
        return _not_blank(self.cleaned_data.get("text"), "Enter your story")
