from django import forms

from bewigan.core.forms import GovukDateInput
from bewigan.people.models import Neighbourhood, Organisation, Team
from bewigan.values.models import Value

from .models import MIN_GROUP_FLOOR, Action, AgeBand, Question, Survey, Theme

AGREEMENT_LABELS = [
    (5, "Strongly agree"),
    (4, "Agree"),
    (3, "Neither agree nor disagree"),
    (2, "Disagree"),
    (1, "Strongly disagree"),
]


def _field_name(question) -> str:
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    """Built from a wave's questions. `required=False` for saving a draft."""

    def __init__(self, *args, questions, teams=(), required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, q in enumerate(questions, start=1):
            name = _field_name(q)
            # GOV.UK: an error names what to fix, so eleven "This field is
            # required." become one message per question.
            required_message = {"required": f"Select an answer to question {number}: {q.text}"}
            if q.kind == Question.Kind.AGREEMENT:
                field = forms.TypedChoiceField(
                    label=q.text,
                    choices=AGREEMENT_LABELS,
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=required,
                    error_messages=required_message,
                )
            elif q.kind == Question.Kind.ENPS:
                field = forms.TypedChoiceField(
                    label=q.text,
                    choices=[(i, str(i)) for i in range(10, -1, -1)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=required,
                    help_text="10 is extremely likely, 0 is not at all likely",
                    error_messages=required_message,
                )
                field.small = True
            elif q.kind == Question.Kind.SINGLE:
                field = forms.TypedChoiceField(
                    label=q.text,
                    choices=list(enumerate(q.choices)),
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=required,
                    error_messages=required_message,
                )
            elif q.kind == Question.Kind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    label=q.text,
                    choices=list(enumerate(q.choices)),
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                    help_text="Select all that apply",
                )
            else:
                field = forms.CharField(
                    label=q.text,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text="Optional. Do not include names or anything that could identify you or others.",
                )
            self.fields[name] = field
        if len(teams) > 1:
            self.fields["team"] = forms.TypedChoiceField(
                label="Which team are you answering for?",
                choices=[(t.pk, t.name) for t in teams],
                coerce=int,
                widget=forms.RadioSelect,
                required=required,
                error_messages={"required": "Select which team you are answering for"},
            )
        self.fields["age_band"] = forms.ChoiceField(
            label="Your age (optional)",
            choices=[("", "Prefer not to say"), *AgeBand.choices],
            widget=forms.RadioSelect,
            required=False,
            help_text="Only used for groups of at least the minimum size",
        )

    def submission(self):
        from .services import Submission

        data = self.cleaned_data
        scores, multiple, comments = {}, {}, {}
        for q in self.questions:
            value = data.get(_field_name(q))
            if q.kind == Question.Kind.TEXT:
                comments[q.pk] = value or ""
            elif q.kind == Question.Kind.MULTIPLE:
                multiple[q.pk] = list(value or [])
            elif value not in (None, ""):
                scores[q.pk] = value
        return Submission(
            scores=scores,
            multiple=multiple,
            comments=comments,
            team_id=data.get("team") or None,
            age_band=data.get("age_band") or "",
        )


class QuestionForm(forms.Form):
    text = forms.CharField(label="Question", max_length=300)
    kind = forms.ChoiceField(
        label="Type of answer", choices=Question.Kind.choices, widget=forms.RadioSelect
    )
    theme = forms.ChoiceField(label="Theme", choices=Theme.choices)
    value = forms.ModelChoiceField(
        label="Value (for value questions)", queryset=Value.objects.current(), required=False
    )
    choices = forms.CharField(
        label="Options (choice questions)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line",
    )

    def clean(self):
        data = super().clean()
        options = [
            line.strip() for line in (data.get("choices") or "").splitlines() if line.strip()
        ]
        data["choices"] = options
        if data.get("kind") in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and len(options) < 2:
            self.add_error("choices", "Enter at least two options, one per line")
        if data.get("theme") == Theme.VALUE and not data.get("value"):
            self.add_error("value", "Select the value this question is about")
        if data.get("kind") == Question.Kind.ENPS:
            data["theme"] = Theme.ENPS
        return data


class SurveyForm(forms.Form):
    title = forms.CharField(max_length=150)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    frequency = forms.ChoiceField(choices=Survey.Frequency.choices, widget=forms.RadioSelect)
    questions = forms.ModelMultipleChoiceField(
        queryset=Question.objects.order_by("theme", "text"),
        widget=forms.CheckboxSelectMultiple,
        help_text="A pulse of 8 to 12 questions takes about two minutes",
    )
    min_group_size = forms.IntegerField(
        label="Minimum responses to show scores",
        min_value=MIN_GROUP_FLOOR,
        initial=5,
        help_text="At least 5",
    )
    min_comment_group_size = forms.IntegerField(
        label="Minimum responses to show comments",
        min_value=MIN_GROUP_FLOOR,
        initial=10,
        help_text="At least 5",
    )

    def clean_title(self):
        title = self.cleaned_data["title"]
        if Survey.objects.filter(title__iexact=title).exists():
            raise forms.ValidationError("A survey with this title already exists")
        return title

    def clean(self):
        data = super().clean()
        if (data.get("min_comment_group_size") or 0) < (data.get("min_group_size") or 0):
            self.add_error(
                "min_comment_group_size",
                "The comment minimum cannot be smaller than the score minimum",
            )
        return data


class ScheduleForm(forms.Form):
    first_opens_on = forms.DateField(label="First wave opens on", widget=GovukDateInput())
    open_days = forms.IntegerField(
        label="Days each wave is open", min_value=1, max_value=60, initial=10
    )
    count = forms.IntegerField(
        label="Number of waves to schedule", min_value=1, max_value=52, initial=6
    )
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )
    neighbourhoods = forms.ModelMultipleChoiceField(
        queryset=Neighbourhood.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.select_related("organisation"),
        required=False,
        help_text="Hold Ctrl to choose several",
    )

    def clean(self):
        data = super().clean()
        if not (data.get("organisations") or data.get("neighbourhoods") or data.get("teams")):
            raise forms.ValidationError(
                "Choose at least one organisation, neighbourhood or team for the audience"
            )
        return data


class ActionForm(forms.Form):
    you_said = forms.CharField(
        label="You said", max_length=300, help_text="What the results told you"
    )
    we_did = forms.CharField(
        label="We will", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    question = forms.ModelChoiceField(
        label="Question it answers (optional)", queryset=Question.objects.none(), required=False
    )
    theme = forms.ChoiceField(
        label="Theme (optional)", choices=[("", "None"), *Theme.choices], required=False
    )
    due_on = forms.DateField(label="Due by", widget=GovukDateInput())

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = Question.objects.filter(pk__in=[q.pk for q in questions])


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Your public reply", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
