"""Forms validate and render (GOV.UK markup via the project renderer); they
never decide permissions."""

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone

from bewigan.core.forms import GovukDateInput
from bewigan.people.models import Person
from bewigan.people.pickers import ColleagueField, colleagues_resolve

from .models import SupportRoute

WELLBEING_CHOICES = [
    ("5", "5 – Very good"),
    ("4", "4 – Good"),
    ("3", "3 – Okay"),
    ("2", "2 – Not great"),
    ("1", "1 – Struggling"),
]
TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _date(label, **kwargs):
    return forms.DateField(
        label=label,
        widget=GovukDateInput(),
        error_messages={
            "invalid": f"{label} must be a real date",
            "required": f"Enter the {label.lower()}",
        },
        **kwargs,
    )


class _Ids:
    """Several forms share a page: give each its own element ids."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class PlanForm(forms.Form):
    meeting_date = _date("Date of the my time", help_text="For example, 27 March 2026")


class ConversationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    wellbeing_score = forms.TypedChoiceField(
        label="How are you?",
        help_text="On a scale of 1 to 5",
        choices=WELLBEING_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    wellbeing_words = forms.CharField(label="In your own words", required=False, widget=TEXTAREA)
    what_matters = forms.CharField(
        label="What matters to you right now", required=False, widget=TEXTAREA
    )
    going_well = forms.CharField(
        label="What is going well", help_text="Strengths first", required=False, widget=TEXTAREA
    )
    support_needed = forms.CharField(label="Support needed", required=False, widget=TEXTAREA)
    next_date = _date("Date of the next my time", required=False)

    def __init__(self, *args, behaviours=(), annual=False, future_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.behaviour_fields = []
        for b in behaviours:
            name = f"reflection_{b.pk}"
            self.fields[name] = forms.CharField(
                label=f"{b.value.name}: {b.statement}",
                help_text="Reflections with examples",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.behaviour_fields.append((b.pk, name))
        if annual:
            self.fields["looking_ahead"] = forms.CharField(
                label="Looking ahead to next year", required=False, widget=TEXTAREA
            )
            del self.fields["next_date"]
        if future_date:
            # Saving the record says the my time was held: a date still to
            # come is almost always a slip, so it needs saying out loud.
            when = f"{future_date:%-d %B %Y}"
            self.fields["held_early"] = forms.BooleanField(
                label="This my time has already taken place",
                help_text=f"It is dated {when}, which is in the future. Only tick this if you met early.",
                error_messages={
                    "required": f"This my time is dated {when}, in the future. "
                    "Tick the box if it has already taken place, or save the record after you meet"
                },
            )

    def reflections(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(name, "") for pk, name in self.behaviour_fields}


class CommentForm(_Ids, forms.Form):
    id_prefix = "comment"
    staff_comments = forms.CharField(
        label="Your comments",
        help_text="Only you can write here; your manager can read them",
        required=False,
        widget=TEXTAREA,
    )


class PrivateNoteForm(_Ids, forms.Form):
    id_prefix = "note"
    text = forms.CharField(
        label="Private notes",
        help_text="Only you see these in BeWigan. They are about the person, so the law gives "
        "them a copy if they ask for their data (a data protection officer reviews it first "
        "and you are told): write only what you would be happy for them to read",
        required=False,
        widget=TEXTAREA,
    )


class TalkingPointForm(_Ids, forms.Form):
    id_prefix = "point"
    text = forms.CharField(
        label="Add a talking point",
        max_length=500,
        error_messages={"required": "Enter a talking point"},
    )


class ActionForm(_Ids, forms.Form):
    id_prefix = "action"
    text = forms.CharField(
        label="Action", max_length=500, error_messages={"required": "Enter the action"}
    )
    owner = forms.TypedChoiceField(
        label="Owner",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": "The owner must be one of the two people in this conversation",
            "required": "Choose who owns the action",
        },
    )
    due_date = _date("Due date")

    def __init__(self, *args, conversation=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = [conversation.person, conversation.manager] if conversation else []
        self.fields["owner"].choices = [(p.pk, p.name) for p in people]


class CadenceForm(forms.Form):
    days = forms.TypedChoiceField(
        label="How often do you meet?",
        coerce=int,
        choices=[
            (14, "Every 2 weeks"),
            (30, "Monthly"),
            (42, "Every 6 weeks"),
            (60, "Every 2 months"),
        ],
        widget=forms.RadioSelect,
    )


class AnnualForm(forms.Form):
    year = forms.TypedChoiceField(label="Year", coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in (this, this - 1)]


class ShoutOutForm(forms.Form):
    recipient = ColleagueField(
        label="Who are you giving it to?",
        help_text="Their name or work email address. They can work for any partner organisation",
    )
    value = forms.ModelChoiceField(
        label="Which value did they show?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose a value"},
    )
    message = forms.CharField(
        label="What did they do?",
        help_text="For example: I saw Sam be courageous when…",
        widget=TEXTAREA,
        error_messages={"required": "Say what they did"},
    )
    is_public = forms.BooleanField(
        label="Show it in the feed on the home page", required=False, initial=True
    )

    def __init__(self, *args, values=(), **kwargs):
        super().__init__(*args, **kwargs)
        from bewigan.values.models import Value

        self.fields["value"].queryset = Value.objects.filter(pk__in=[v.pk for v in values])


class FeedbackRoundForm(forms.Form):
    raters = forms.CharField(
        label="Who would you like to ask?",
        help_text="Names or work email addresses, one a line: peers, reports, your manager, colleagues in partner organisations",
        widget=forms.Textarea(
            attrs={"rows": 5, "data-colleague-picker-list": reverse_lazy("people:suggest")}
        ),
        error_messages={"required": "Enter at least one name or email address"},
    )
    message = forms.CharField(label="Message to them", required=False, widget=TEXTAREA)
    closes_on = _date("Closing date")

    def clean_raters(self):
        return colleagues_resolve(
            self.cleaned_data["raters"], queryset=Person.objects.active().select_related("user")
        )


class FeedbackAnswerForm(forms.Form):
    anonymous = forms.TypedChoiceField(
        label="How should your answer appear?",
        choices=[("0", "With my name"), ("1", "Anonymously")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        help_text="Anonymous answers are shown only once at least 3 anonymous answers exist, never with your name",
        error_messages={"required": "Choose named or anonymous"},
    )

    def __init__(self, *args, values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.value_fields = []
        for v in values:
            self.fields[f"good_{v.pk}"] = forms.CharField(
                label=f"{v.name}: what do they do well?",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"try_{v.pk}"] = forms.CharField(
                label=f"{v.name}: one thing to try",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.value_fields.append(v)

    def answers(self):
        return {
            v: (self.cleaned_data.get(f"good_{v.pk}", ""), self.cleaned_data.get(f"try_{v.pk}", ""))
            for v in self.value_fields
        }


class TeamTimeForm(forms.Form):
    team = forms.TypedChoiceField(label="Team", coerce=int)
    meeting_date = _date("Date of the team time")

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(t.pk, t.name) for t in teams]


class _MembersMixin:
    def _person_choices(self, members):
        return [(p.pk, p.name) for p in members]


class CheckInForm(_Ids, _MembersMixin, forms.Form):
    id_prefix = "checkin"
    attendees = forms.TypedMultipleChoiceField(
        label="Who is here?", coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    how_are_we_score = forms.TypedChoiceField(
        label="How are we?",
        choices=WELLBEING_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    how_are_we = forms.CharField(label="How are we, in our words?", required=False, widget=TEXTAREA)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = self._person_choices(members)


class AppreciationForm(_Ids, _MembersMixin, forms.Form):
    id_prefix = "appreciation"
    recipient = forms.TypedChoiceField(label="Who are you recognising?", coerce=int)
    value = forms.ModelChoiceField(
        label="Value", queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    message = forms.CharField(label="I saw them… when…", widget=TEXTAREA)
    is_public = forms.BooleanField(
        label="Also show it in the feed on the home page", required=False
    )

    def __init__(self, *args, members=(), values=(), **kwargs):
        super().__init__(*args, **kwargs)
        from bewigan.values.models import Value

        self.fields["recipient"].choices = self._person_choices(members)
        self.fields["value"].queryset = Value.objects.filter(pk__in=[v.pk for v in values])


class TeamFeedbackForm(_Ids, _MembersMixin, forms.Form):
    id_prefix = "teamfeedback"
    recipient = forms.TypedChoiceField(label="Feedback for", coerce=int)
    behaviour = forms.TypedChoiceField(label="Behaviour", coerce=int)
    does_well = forms.CharField(label="What they do well", widget=TEXTAREA)
    to_try = forms.CharField(label="One thing to try", required=False, widget=TEXTAREA)

    def __init__(self, *args, members=(), behaviours=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = self._person_choices(members)
        self.fields["behaviour"].choices = [
            (b.pk, f"{b.value.name}: {b.statement}") for b in behaviours
        ]


class TeamActionForm(_Ids, _MembersMixin, forms.Form):
    id_prefix = "teamaction"
    text = forms.CharField(label="Team action", max_length=500)
    owner = forms.TypedChoiceField(
        label="Owner",
        coerce=int,
        error_messages={"invalid_choice": "The owner must be a member of the team"},
    )
    due_date = _date("Due date")

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = self._person_choices(members)


class SupportRouteForm(forms.ModelForm):
    class Meta:
        model = SupportRoute
        fields = ["title", "url", "description", "order", "is_active"]
        labels = {"url": "Web address", "is_active": "Show this route"}


class BreakGlassForm(forms.Form):
    person = ColleagueField(
        label="Whose records?",
        help_text="Their name or work email address",
        params={"scope": "hr"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Recorded in the audit log and sent to the person. At least 20 characters.",
        widget=TEXTAREA,
    )


class CoverageForm(forms.Form):
    by = forms.ChoiceField(
        label="Group by",
        choices=[
            ("organisation", "Organisation"),
            ("team", "Team"),
            ("neighbourhood", "Neighbourhood"),
        ],
        required=False,
    )
