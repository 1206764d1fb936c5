"""Staff pulse surveys, anonymous by design.

Three kinds of table, deliberately unlinked:

* who took part (`Participation`: wave + person, nothing else) — for
  one-response-per-person and reminders;
* what was answered (`Response` + `Answer`, `Comment`) — random ids, no user,
  no timestamp at all (the wave says when), only coarse attributes captured
  at submission; comments are not even linked to the scores;
* what may be shown (`GroupResult` + `QuestionResult`) — aggregates computed
  by `services.wave_refresh_results`, with suppression already applied.

Nothing shares an id with anything else, and every id on the anonymous side is
random (see `random_id`), so neither ids nor insertion order match
participation rows to answers.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bewigan.people.models import Neighbourhood, Organisation, Person, Team
from bewigan.values.models import Value

MIN_GROUP_FLOOR = 5  # nobody may configure a smaller group than this


def random_id() -> int:
    """A random positive 63-bit id: carries no order and no time."""
    return secrets.randbits(62) + 1


class RandomIdModel(models.Model):
    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)

    class Meta:
        abstract = True


class Theme(models.TextChoices):
    VALUE = "value", "Value"
    WELLBEING = "wellbeing", "Wellbeing"
    INVOLVEMENT = "involvement", "Involvement"
    ADVOCACY = "advocacy", "Advocacy"
    RECOGNITION = "recognition", "Recognition"
    INNOVATION = "innovation", "Innovation"
    ENPS = "enps", "Employee net promoter score"
    OTHER = "other", "Other"


class Question(models.Model):
    """An item in the question library."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", "Agreement (5-point scale)"
        ENPS = "enps", "Recommend as a place to work (0–10)"
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        TEXT = "text", "Free-text comment"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=300)
    theme = models.CharField(max_length=20, choices=Theme.choices, default=Theme.OTHER)
    value = models.ForeignKey(
        Value, null=True, blank=True, on_delete=models.PROTECT, related_name="survey_questions"
    )
    choices = models.JSONField(default=list, blank=True, help_text="Options for choice questions")
    is_library = models.BooleanField(default=True, help_text="Seeded with the service")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["theme", "kind", "text"]
        constraints = [
            models.UniqueConstraint(fields=["text", "kind"], name="uniq_survey_question_text"),
            models.CheckConstraint(
                condition=~Q(theme="value") | Q(value__isnull=False),
                name="value_question_has_value",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def scale(self) -> tuple[int, int] | None:
        if self.kind == self.Kind.AGREEMENT:
            return (1, 5)
        if self.kind == self.Kind.ENPS:
            return (0, 10)
        if self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE):
            return (0, len(self.choices) - 1)
        return None

    @property
    def is_scored(self) -> bool:
        return self.kind in (self.Kind.AGREEMENT, self.Kind.ENPS)

    def clean(self):
        if self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE) and len(self.choices) < 2:
            raise ValidationError({"choices": "Enter at least two options"})
        if self.theme == Theme.VALUE and self.value_id is None:
            raise ValidationError({"value": "Select the value this question is about"})


class Survey(models.Model):
    class Frequency(models.TextChoices):
        ONCE = "once", "Once"
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Fortnightly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    title = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    frequency = models.CharField(
        max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    questions = models.ManyToManyField(Question, through="SurveyQuestion", related_name="surveys")
    min_group_size = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(MIN_GROUP_FLOOR)],
        help_text="Smallest number of responses any score is shown for (never below 5)",
    )
    min_comment_group_size = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(MIN_GROUP_FLOOR)],
        help_text="Smallest group whose comments are shown",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_group_size__gte=MIN_GROUP_FLOOR), name="survey_min_group_floor"
            ),
            models.CheckConstraint(
                condition=Q(min_comment_group_size__gte=models.F("min_group_size")),
                name="survey_comment_min_not_below_score_min",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        sizes = (self.min_comment_group_size, self.min_group_size)
        if None not in sizes and self.min_comment_group_size < self.min_group_size:
            raise ValidationError(
                {
                    "min_comment_group_size": "The comment minimum cannot be smaller than the score minimum"
                }
            )


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "question"], name="uniq_survey_item")
        ]

    def __str__(self):
        return f"{self.survey_id}: {self.question_id}"


class WaveQuerySet(models.QuerySet):
    def open(self, on=None):
        on = on or timezone.localdate()
        return self.filter(opens_on__lte=on, closes_on__gte=on)

    def closed(self, on=None):
        on = on or timezone.localdate()
        return self.filter(closes_on__lt=on)

    def for_person(self, person):
        """Waves whose audience includes this person (one query with subqueries)."""
        from bewigan.people.models import TeamMembership

        teams = TeamMembership.objects.current().filter(person=person).values("team_id")
        hoods = (
            TeamMembership.objects.current()
            .filter(person=person, team__neighbourhood__isnull=False)
            .values("team__neighbourhood_id")
        )
        return self.filter(
            Q(organisations=person.organisation_id)
            | Q(teams__in=teams)
            | Q(neighbourhoods__in=hoods)
        ).distinct()


class Wave(models.Model):
    """One numbered run of a survey, with its audience and dates (inclusive)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    number = models.PositiveIntegerField()
    opens_on = models.DateField()
    closes_on = models.DateField()
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="+")
    teams = models.ManyToManyField(Team, blank=True, related_name="+")
    neighbourhoods = models.ManyToManyField(Neighbourhood, blank=True, related_name="+")
    results_published = models.BooleanField(
        default=False, help_text="Staff can see partnership and organisation results"
    )
    refreshed_at = models.DateTimeField(null=True, blank=True)

    objects = WaveQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="uniq_wave_number"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="wave_dates_ordered"
            ),
        ]
        indexes = [models.Index(fields=["opens_on", "closes_on"])]

    def __str__(self):
        return f"{self.survey.title} – wave {self.number}"

    def is_open(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.opens_on <= on <= self.closes_on

    def is_closed(self, on=None) -> bool:
        return (on or timezone.localdate()) > self.closes_on

    @property
    def status(self) -> str:
        if self.is_closed():
            return "Closed"
        return "Open" if self.is_open() else "Scheduled"


class Participation(RandomIdModel):
    """That a person responded to a wave — and nothing about what they said.
    No date, no link to a Response."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="survey_participations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "person"], name="one_response_per_person")
        ]

    def __str__(self):
        return "Participation"  # deliberately says nothing about the person


class Draft(models.Model):
    """Answers in progress, visible only to their author; deleted when the
    response is submitted and purged when the wave closes."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "person"], name="one_draft_per_person")
        ]

    def __str__(self):
        return "Draft answers"


class AgeBand(models.TextChoices):
    UNDER_25 = "under-25", "Under 25"
    AGE_25_34 = "25-34", "25 to 34"
    AGE_35_49 = "35-49", "35 to 49"
    AGE_50_PLUS = "50-plus", "50 or over"


class Response(RandomIdModel):
    """One anonymous response: coarse attributes captured at submission.
    No person, no user, no email, no time (the wave is the time)."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, null=True, on_delete=models.PROTECT, related_name="+")
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, on_delete=models.PROTECT, related_name="+"
    )
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)

    class Meta:
        indexes = [models.Index(fields=["wave", "team"])]

    def __str__(self):
        return "Anonymous response"


class Answer(RandomIdModel):
    """A scored or choice answer. The wave and the response's coarse
    attributes are copied onto each answer so that aggregation is one
    index-only scan with no join (they are the same coarse attributes the
    response already carries, so nothing more is known about anyone)."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+", db_index=False)
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    value = models.SmallIntegerField()
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    team = models.ForeignKey(
        Team,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    age_band = models.CharField(max_length=10, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=[
                    "wave",
                    "organisation",
                    "team",
                    "neighbourhood",
                    "age_band",
                    "question",
                    "value",
                ],
                name="surveys_answer_rollup",
            )
        ]

    def __str__(self):
        return "Anonymous answer"


class Comment(RandomIdModel):
    """A free-text answer, deliberately not linked to its response (so scores
    cannot be read next to words), with the same coarse attributes."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, null=True, on_delete=models.PROTECT, related_name="+")
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(max_length=2000)

    class Meta:
        ordering = ["id"]  # random: no submission order
        indexes = [models.Index(fields=["wave", "team"])]

    def __str__(self):
        return "Anonymous comment"


class CommentReply(models.Model):
    """A manager's public reply, shown to everyone who can see the comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Reply by {self.author}"


class GroupResult(models.Model):
    """What may be shown for one group ("scope") of one wave. Scopes:
    "all", "org:<id>", "team:<id>" (after small teams roll up), "hood:<id>",
    and "all|age:<band>", "org:<id>|age:<band>" for the age filter."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="group_results")
    scope = models.CharField(max_length=60)
    label = models.CharField(max_length=200)
    level = models.CharField(max_length=10)  # all, org, team, hood, age
    invited = models.PositiveIntegerField(default=0)
    respondents = models.PositiveIntegerField(null=True, help_text="Empty when suppressed")
    suppressed = models.BooleanField(default=False)
    suppressed_reason = models.CharField(max_length=200, blank=True)
    team_ids = models.JSONField(default=list, blank=True, help_text="Teams reported here (roll-up)")
    enps = models.FloatField(null=True)
    promoters = models.FloatField(null=True)
    passives = models.FloatField(null=True)
    detractors = models.FloatField(null=True)
    engagement = models.FloatField(null=True, help_text="Mean favourable share of agreement items")
    themes = models.JSONField(default=dict, blank=True, help_text="theme/value key -> favourable %")
    drivers = models.JSONField(default=list, blank=True)
    comments_visible = models.BooleanField(default=False)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["level", "label"]
        constraints = [models.UniqueConstraint(fields=["wave", "scope"], name="uniq_group_result")]

    def __str__(self):
        return f"{self.wave} {self.label}"

    @property
    def response_rate(self) -> float | None:
        if self.respondents is None or not self.invited:
            return None
        return round(100 * self.respondents / self.invited, 1)


class QuestionResult(models.Model):
    group = models.ForeignKey(GroupResult, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    n = models.PositiveIntegerField()
    favourable = models.FloatField(null=True)
    neutral = models.FloatField(null=True)
    unfavourable = models.FloatField(null=True)
    mean = models.FloatField(null=True)
    distribution = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "question"], name="uniq_question_result")
        ]

    def __str__(self):
        return f"{self.group_id}: {self.question_id}"


class Action(models.Model):
    """'You said, we did': an action recorded against a group's results."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="actions")
    scope = models.CharField(max_length=60)
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    theme = models.CharField(max_length=20, choices=Theme.choices, blank=True)
    you_said = models.CharField("You said", max_length=300)
    we_did = models.TextField("We will do / we did", max_length=2000)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="survey_actions")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    due_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["status", "due_on"]

    def __str__(self):
        return self.you_said


def validate_answer_value(question: Question, value: int):
    low, high = question.scale
    if not (low <= value <= high):
        raise ValidationError(f"Answer must be between {low} and {high}")
