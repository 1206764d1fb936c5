"""Forms validate and render (GOV.UK markup via the project renderer);
permissions are decided in views and rules."""

import secrets

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from bewigan.core.forms import BoundedFileField, GovukDateInput
from bewigan.people.models import Organisation, Person, Team
from bewigan.people.pickers import ColleagueField
from bewigan.people.roles import RECRUITING_MANAGER
from bewigan.values.selectors import current_behaviours, current_values

from .models import (
    SCALE,
    Candidate,
    Decision,
    EqualityMonitoring,
    Question,
    QuestionVersion,
    RoleFamily,
    Vacancy,
)

STATUS_CHOICES = [("", "Any status"), *Question.Status.choices]
STYLE_CHOICES = [("", "Any style"), *QuestionVersion.Style.choices]


class BankFilterForm(forms.Form):
    q = forms.CharField(label="Search the bank", required=False, max_length=100)
    value = forms.ChoiceField(label="Value", required=False)
    behaviour = forms.ChoiceField(label="Behaviour", required=False)
    style = forms.ChoiceField(label="Question style", required=False, choices=STYLE_CHOICES)
    role_family = forms.ChoiceField(label="Role family", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, values=None, behaviours=None, families=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].choices = [("", "Any value")] + [(v.key, v.name) for v in values]
        self.fields["behaviour"].choices = [("", "Any behaviour")] + [
            (b.key, b.statement) for b in behaviours
        ]
        self.fields["role_family"].choices = [("", "Any role family")] + [
            (f.slug, f.name) for f in families
        ]


def _scale_widget():
    return forms.TextInput(attrs={"class": "govuk-!-width-full"})


class QuestionForm(forms.Form):
    code = forms.SlugField(
        label="Reference code",
        max_length=40,
        help_text="For example POS-20. Letters, numbers and hyphens.",
    )
    text = forms.CharField(label="Question", widget=forms.Textarea(attrs={"rows": 3}))
    value = forms.ModelChoiceField(
        label="Value", queryset=None, empty_label=None, widget=forms.RadioSelect
    )
    behaviours = forms.ModelMultipleChoiceField(
        label="Behaviours it looks for",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    style = forms.ChoiceField(
        label="Question style", choices=QuestionVersion.Style.choices, widget=forms.RadioSelect
    )
    role_families = forms.ModelMultipleChoiceField(
        label="Role families it suits",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    positive_evidence = forms.CharField(
        label="What positive evidence sounds like", widget=forms.Textarea(attrs={"rows": 3})
    )
    probes = forms.CharField(
        label="Follow-up probes",
        required=False,
        help_text="One a line",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    concerns = forms.CharField(
        label="What a concern sounds like", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    anchor_1 = forms.CharField(
        label="Score 1 – little evidence", max_length=300, widget=_scale_widget()
    )
    anchor_2 = forms.CharField(
        label="Score 2 – some evidence", max_length=300, widget=_scale_widget()
    )
    anchor_3 = forms.CharField(
        label="Score 3 – good evidence", max_length=300, widget=_scale_widget()
    )
    anchor_4 = forms.CharField(
        label="Score 4 – strong evidence", max_length=300, widget=_scale_widget()
    )
    anchor_5 = forms.CharField(
        label="Score 5 – outstanding evidence", max_length=300, widget=_scale_widget()
    )
    change_note = forms.CharField(label="What changed, and why", required=False, max_length=300)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].queryset = current_values()
        self.fields["behaviours"].queryset = current_behaviours()
        self.fields["behaviours"].label_from_instance = lambda b: f"{b.value.name}: {b.statement}"
        self.fields["role_families"].queryset = RoleFamily.objects.all()
        if editing:
            del self.fields["code"]

    def clean_code(self):
        code = self.cleaned_data["code"].upper()
        if Question.objects.filter(code__iexact=code).exists():
            raise ValidationError("A question with this reference code already exists")
        return code

    def clean(self):
        data = super().clean()
        value, behaviours = data.get("value"), data.get("behaviours") or []
        if value and any(b.value_id != value.pk for b in behaviours):
            self.add_error("behaviours", "Choose behaviours that belong to the value you chose")
        return data

    @staticmethod
    def initial_from(version: QuestionVersion) -> dict:
        data = {
            f: getattr(version, f)
            for f in [
                "text",
                "style",
                "positive_evidence",
                "probes",
                "concerns",
                "anchor_1",
                "anchor_2",
                "anchor_3",
                "anchor_4",
                "anchor_5",
            ]
        }
        data["value"] = version.value_id
        data["behaviours"] = [b.pk for b in version.behaviours.all()]
        data["role_families"] = [r.pk for r in version.role_families.all()]
        return data


class CsvUploadForm(forms.Form):
    file = BoundedFileField(
        label="CSV file", max_bytes=settings.BEWIGAN_IMPORT_MAX_BYTES, extensions=("csv",)
    )


class VacancyForm(forms.Form):
    title = forms.CharField(label="Job title", max_length=150)
    reference = forms.CharField(
        label="Vacancy reference",
        max_length=40,
        help_text="From the recruitment system, for example WC-2026-014",
    )
    organisation = forms.ModelChoiceField(label="Organisation", queryset=Organisation.objects.all())
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.select_related("organisation"), required=False
    )
    recruiting_manager = forms.ModelChoiceField(label="Recruiting manager", queryset=None)
    values = forms.ModelMultipleChoiceField(
        label="Values the role weighs",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="The coverage check warns when the plan has no question for one of these",
    )
    behaviours = forms.ModelMultipleChoiceField(
        label="Behaviours the person specification names",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    essential_criteria = forms.CharField(
        label="Essential criteria", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    visibility = forms.ChoiceField(
        label="When may panellists see each other's scores?",
        choices=Vacancy.Visibility.choices,
        widget=forms.RadioSelect,
    )
    status = forms.ChoiceField(
        label="Status", choices=Vacancy.Status.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, vacancy=None, organisation_ids=None, **kwargs):
        """`organisation_ids`: the organisations the user may recruit for and
        whose staff they may see (their reach for HR); None means all. The
        vacancy's current organisation and manager stay choosable."""
        super().__init__(*args, **kwargs)
        self.vacancy = vacancy
        managers = get_user_model().objects.filter(groups__name=RECRUITING_MANAGER, is_active=True)
        if organisation_ids is not None:
            org_ids = set(organisation_ids)
            keep_manager = get_user_model().objects.none()
            if vacancy is not None:
                org_ids.add(vacancy.organisation_id)
                keep_manager = get_user_model().objects.filter(pk=vacancy.recruiting_manager_id)
            self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=org_ids)
            self.fields["team"].queryset = self.fields["team"].queryset.filter(
                organisation_id__in=org_ids
            )
            managers = managers.filter(person__organisation_id__in=org_ids) | keep_manager
        # Never a leaver, not even the vacancy's current manager (issue #8).
        self.fields["recruiting_manager"].queryset = (
            managers.filter(is_active=True)
            .exclude(person__leaver_date__lte=timezone.localdate())
            .distinct()
        )
        self.fields["values"].queryset = current_values()
        self.fields["behaviours"].queryset = current_behaviours()
        self.fields["behaviours"].label_from_instance = lambda b: f"{b.value.name}: {b.statement}"

    def clean_reference(self):
        ref = self.cleaned_data["reference"].strip()
        qs = Vacancy.objects.filter(reference__iexact=ref)
        if self.vacancy is not None:
            qs = qs.exclude(pk=self.vacancy.pk)
        if qs.exists():
            raise ValidationError("Another vacancy already uses this reference")
        return ref

    def clean(self):
        data = super().clean()
        team, org = data.get("team"), data.get("organisation")
        if team and org and team.organisation_id != org.pk:
            self.add_error("team", "Choose a team in the organisation you chose")
        return data


class PanelMemberForm(forms.Form):
    email = ColleagueField(
        label="Who should sit on the panel?",
        help_text="Their name or work email address. Panellists can come from any partner organisation",
        not_found="Nobody with this email address has a BeWigan account",
    )
    is_chair = forms.BooleanField(label="Chair of the panel", required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        """`organisations`: whose staff may sit on this panel (the vacancy's
        organisation and those in the user's reach); None means any."""
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        people = Person.objects.active().select_related("user")
        if organisations is not None:
            names = ", ".join(o.label for o in organisations)
            self.fields["email"].help_text = f"Their name or work email address. Staff of {names}"
            # Outside those organisations nobody is found: the form does not
            # tell whether another partner employs someone.
            people = people.filter(organisation__in=[o.pk for o in organisations])
            self.fields["email"].set_limits(params={"org": [o.pk for o in organisations]})
        self.fields["email"].set_limits(queryset=people)

    def clean_email(self):
        person = self.cleaned_data["email"]
        self.user = person.user
        return person.user.email.lower()


class CandidateForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=80)
    last_name = forms.CharField(label="Last name", max_length=80)
    email = forms.EmailField(label="Email", required=False, help_text="For sending feedback")
    external_ref = forms.CharField(label="Applicant reference", max_length=40, required=False)
    guaranteed_interview = forms.BooleanField(
        label="Guaranteed interview (Disability Confident)", required=False
    )
    consent_share_evidence = forms.BooleanField(
        label="Consents to share panel evidence with their future line manager", required=False
    )
    interview_date = forms.DateField(
        label="Interview date", required=False, widget=GovukDateInput()
    )
    interview_time = forms.TimeField(
        label="Interview time",
        required=False,
        help_text="For example 14:30",
        widget=forms.TimeInput(attrs={"class": "govuk-input--width-5"}),
    )
    location = forms.CharField(label="Where", max_length=150, required=False)
    sex = forms.ChoiceField(
        label="Sex", choices=EqualityMonitoring.SEX, initial="prefer_not", widget=forms.RadioSelect
    )
    age_band = forms.ChoiceField(
        label="Age", choices=EqualityMonitoring.AGE, initial="prefer_not", widget=forms.RadioSelect
    )
    ethnicity = forms.ChoiceField(
        label="Ethnic group",
        choices=EqualityMonitoring.ETHNICITY,
        initial="prefer_not",
        widget=forms.RadioSelect,
    )
    disability = forms.ChoiceField(
        label="Disability",
        choices=EqualityMonitoring.DISABILITY,
        initial="prefer_not",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, vacancy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.vacancy = vacancy

    def clean_external_ref(self):
        ref = self.cleaned_data["external_ref"].strip()
        if ref and Candidate.objects.filter(vacancy=self.vacancy, external_ref=ref).exists():
            raise ValidationError(
                "A candidate with this applicant reference is already on this vacancy"
            )
        return ref

    def clean(self):
        data = super().clean()
        d, t = data.get("interview_date"), data.get("interview_time")
        if (
            bool(d) != bool(t)
            and not self.errors.get("interview_date")
            and not self.errors.get("interview_time")
        ):
            self.add_error(
                "interview_time" if d else "interview_date",
                "Enter both the date and the time of the interview",
            )
        if d and t:
            data["scheduled_at"] = timezone.make_aware(timezone.datetime.combine(d, t))
        return data


def score_choices(anchors=None):
    if anchors:
        return [(str(n), f"{n} – {text}") for n, text in anchors]
    return [(str(n), str(n)) for n in SCALE]


class ScorecardForm(forms.Form):
    """One score (on the anchored scale) and evidence per question, and an
    overall score and comment per value. Drafts may be incomplete."""

    def __init__(self, *args, plan=(), values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.values = list(plan), list(values)
        for pq in self.plan:
            v = pq.question_version
            self.fields[f"q{pq.pk}_score"] = forms.TypedChoiceField(
                label=f"Score for question {pq.order}",
                choices=score_choices(v.anchors),
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                empty_value=None,
                error_messages={"invalid_choice": "Choose a score from 1 to 5"},
            )
            self.fields[f"q{pq.pk}_evidence"] = forms.CharField(
                label=f"Evidence for question {pq.order}, in your own words",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        for value in self.values:
            self.fields[f"v{value.pk}_score"] = forms.TypedChoiceField(
                label=f"Overall score for {value.name}",
                choices=score_choices(),
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                empty_value=None,
                error_messages={"invalid_choice": "Choose a score from 1 to 5"},
            )
            self.fields[f"v{value.pk}_comment"] = forms.CharField(
                label=f"Your overall view of {value.name}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields["revision"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        # The scorecard's version when this form was opened: a write from a
        # stale tab is refused (services._locked).
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        self.fields["tab"] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=32
        )
        self.fields["reason"] = forms.CharField(
            label="Why are you amending your scorecard?",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def answers(self) -> dict:
        d = self.cleaned_data
        return {
            "questions": {
                pq.pk: (d.get(f"q{pq.pk}_score"), d.get(f"q{pq.pk}_evidence", ""))
                for pq in self.plan
            },
            "values": {
                v.pk: (d.get(f"v{v.pk}_score"), d.get(f"v{v.pk}_comment", "")) for v in self.values
            },
        }

    def require_complete(self):
        for pq in self.plan:
            if self.cleaned_data.get(f"q{pq.pk}_score") is None:
                self.add_error(f"q{pq.pk}_score", f"Score question {pq.order} before you submit")
        for v in self.values:
            if self.cleaned_data.get(f"v{v.pk}_score") is None:
                self.add_error(
                    f"v{v.pk}_score", f"Give an overall score for {v.name} before you submit"
                )
        return not self.errors

    def question_fields(self, pq):
        return self[f"q{pq.pk}_score"], self[f"q{pq.pk}_evidence"]

    @staticmethod
    def initial_from(question_scores: dict, value_ratings: dict, scorecard) -> dict:
        # `tab`: a nonce per page load, so this page's own autosaves are not
        # mistaken for another tab's (services._fresh).
        initial = {
            "revision": scorecard.revision,
            "version": scorecard.version,
            "tab": secrets.token_hex(8),
        }
        for pq_id, s in question_scores.items():
            initial[f"q{pq_id}_score"] = s.score
            initial[f"q{pq_id}_evidence"] = s.evidence
        for v_id, r in value_ratings.items():
            initial[f"v{v_id}_score"] = r.score
            initial[f"v{v_id}_comment"] = r.comment
        return initial


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="The panel's decision", choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label="Reasons for the decision", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.values = list(values)
        for value in self.values:
            self.fields[f"agreed_{value.pk}"] = forms.TypedChoiceField(
                label=f"Agreed score for {value.name}",
                choices=score_choices(),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Record the agreed score for {value.name}",
                    "invalid_choice": "Choose a score from 1 to 5",
                },
            )
        self.order_fields([f"agreed_{v.pk}" for v in self.values] + ["outcome", "rationale"])

    def agreed(self) -> dict[int, int]:
        return {v.pk: self.cleaned_data[f"agreed_{v.pk}"] for v in self.values}


class FeedbackForm(forms.Form):
    intro = forms.CharField(label="Opening", widget=forms.Textarea(attrs={"rows": 4}))
    strengths = forms.CharField(
        label="Strengths the panel saw",
        help_text="One a line. These come first.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    development = forms.CharField(
        label="What the candidate could build on next",
        help_text="One a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]


class LinkPersonForm(forms.Form):
    email = forms.EmailField(label="The new starter's BeWigan email")

    def __init__(self, *args, organisation_ids=None, **kwargs):
        """`organisation_ids`: whose staff may be linked (the HR admin's
        reach); None means any."""
        super().__init__(*args, **kwargs)
        self.organisation_ids = organisation_ids

    def clean_email(self):
        email = self.cleaned_data["email"]
        people = Person.objects.active().select_related("user").filter(user__email__iexact=email)
        if self.organisation_ids is not None:
            people = people.filter(organisation_id__in=list(self.organisation_ids))
        person = people.first()
        if person is None:
            raise ValidationError("Nobody with this email address has a staff profile")
        self.person = person
        return email


class ScheduleForm(forms.Form):
    interview_date = forms.DateField(label="Interview date", widget=GovukDateInput())
    interview_time = forms.TimeField(
        label="Interview time",
        help_text="For example 14:30",
        widget=forms.TimeInput(attrs={"class": "govuk-input--width-5"}),
    )
    location = forms.CharField(label="Where", max_length=150, required=False)

    def scheduled_at(self):
        d = self.cleaned_data
        return timezone.make_aware(
            timezone.datetime.combine(d["interview_date"], d["interview_time"])
        )
