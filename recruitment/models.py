"""Values-based recruitment: a versioned question bank, vacancies with an
interview plan (kit), candidates, independent panel scorecards, consensus
and decisions.

Records tie to version-specific Value/Behaviour rows and to an exact
QuestionVersion, so a past interview keeps the words it used even after the
bank or the framework changes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bewigan.partners.boundaries import HR, reach_q
from bewigan.people.models import Organisation, Person, Team
from bewigan.values.models import Behaviour, Value

SCALE = (1, 2, 3, 4, 5)
SCORE_CONDITION = Q(score__isnull=True) | Q(score__gte=1, score__lte=5)


class RoleFamily(models.Model):
    """Kinds of job a question suits (care, clinical, office, ...)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "role families"

    def __str__(self):
        return self.name


class QuestionQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Question.Status.APPROVED, approved_version__isnull=False)


class Question(models.Model):
    """A question's identity and lifecycle. Its words live in versions:
    `latest_version` is what the bank shows and edits; `approved_version` is
    what new interview plans use. Approved versions never change."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        RETIRED = "retired", "Retired"

    code = models.SlugField(max_length=40, unique=True, help_text="Stable reference, e.g. POS-01")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    latest_version = models.ForeignKey(
        "QuestionVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_version = models.ForeignKey(
        "QuestionVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code

    @property
    def has_pending_edit(self) -> bool:
        return (
            self.approved_version_id is not None
            and self.latest_version_id != self.approved_version_id
        )


class QuestionVersion(models.Model):
    class Style(models.TextChoices):
        ASSET = "asset", "Asset-based (strengths)"
        BEHAVIOURAL = "behavioural", "Values-based behavioural"
        SITUATIONAL = "situational", "Situational"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField("Question")
    value = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="recruitment_questions")
    behaviours = models.ManyToManyField(Behaviour, related_name="recruitment_questions", blank=True)
    style = models.CharField(max_length=20, choices=Style.choices, default=Style.ASSET)
    role_families = models.ManyToManyField(RoleFamily, related_name="question_versions", blank=True)
    positive_evidence = models.TextField("What positive evidence sounds like")
    probes = models.TextField("Follow-up probes", blank=True)
    concerns = models.TextField("What a concern sounds like", blank=True)
    anchor_1 = models.CharField("1 – little evidence", max_length=300)
    anchor_2 = models.CharField("2 – some evidence", max_length=300)
    anchor_3 = models.CharField("3 – good evidence", max_length=300)
    anchor_4 = models.CharField("4 – strong evidence", max_length=300)
    anchor_5 = models.CharField("5 – outstanding evidence", max_length=300)
    change_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["question", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="uniq_question_version"),
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(approved_at__isnull=True),
                name="one_draft_version_per_question",
            ),
        ]

    def __str__(self):
        return f"{self.question.code} v{self.number}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def anchors(self) -> list[tuple[int, str]]:
        return [(n, getattr(self, f"anchor_{n}")) for n in SCALE]


class VacancyQuerySet(models.QuerySet):
    def visible_to(self, user):
        from bewigan.people.roles import HR_ADMIN, in_group

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        mine = Q(recruiting_manager=user) | Q(panel__user=user)
        if in_group(user, HR_ADMIN):
            # HR: every vacancy of the organisations in reach (own + grants).
            return self.filter(
                Q(pk__in=self.model.objects.filter(reach_q(user, HR)).values("pk"))
                | Q(pk__in=self.model.objects.filter(mine).values("pk"))
            )
        return self.filter(mine).distinct()


class Vacancy(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Visibility(models.TextChoices):
        AFTER_OWN = (
            "after_own",
            "A panellist sees others' scores once they have submitted their own",
        )
        AFTER_CLOSE = (
            "after_close",
            "Everyone's scores stay hidden until the whole panel has submitted",
        )

    title = models.CharField(max_length=150)
    reference = models.CharField(max_length=40, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="vacancies"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="vacancies"
    )
    recruiting_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_vacancies"
    )
    values = models.ManyToManyField(Value, related_name="vacancies", blank=True)
    behaviours = models.ManyToManyField(Behaviour, related_name="vacancies", blank=True)
    essential_criteria = models.TextField(blank=True)
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.AFTER_OWN
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "vacancies"
        indexes = [models.Index(fields=["recruiting_manager", "status"])]

    def __str__(self):
        return f"{self.title} ({self.reference})"


class PlanQuestion(models.Model):
    """One question in a vacancy's interview plan, pinned to an exact version."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="plan_questions")
    question_version = models.ForeignKey(
        QuestionVersion, on_delete=models.PROTECT, related_name="plan_uses"
    )
    order = models.PositiveSmallIntegerField(default=0)
    minutes = models.PositiveSmallIntegerField(default=8)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "question_version"], name="uniq_plan_question"
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=60), name="plan_minutes_range"
            ),
        ]

    def __str__(self):
        return f"{self.vacancy.reference}: {self.question_version}"


class PanelMember(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats"
    )
    is_chair = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_chair", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "user"], name="uniq_panel_member"),
            models.UniqueConstraint(
                fields=["vacancy"], condition=Q(is_chair=True), name="one_chair_per_panel"
            ),
        ]

    def __str__(self):
        return f"{self.user} on {self.vacancy.reference}"


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(vacancy__in=Vacancy.objects.visible_to(user))


class Candidate(models.Model):
    """Minimal personal data: what the panel needs to run the interview."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="candidates")
    external_ref = models.CharField("Applicant reference", max_length=40, blank=True)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    email = models.EmailField(blank=True)
    guaranteed_interview = models.BooleanField(
        default=False,
        help_text="Disability Confident: meets the essential criteria and asked for an interview",
    )
    consent_share_evidence = models.BooleanField(
        "Consents to share panel evidence with their future line manager", default=False
    )
    appointed_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recruitment_candidacies",
    )
    created_at = models.DateTimeField(default=timezone.now)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "external_ref"],
                condition=~Q(external_ref=""),
                name="uniq_candidate_ref",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if self.anonymised_at:
            return f"Anonymised candidate {self.pk}"
        return f"{self.first_name} {self.last_name}".strip()


class EqualityMonitoring(models.Model):
    """Answers panellists never see; reported only in aggregate."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    PREFER_NOT = "prefer_not"
    SEX = [("female", "Female"), ("male", "Male"), (PREFER_NOT, "Prefer not to say")]
    AGE = [
        ("16-24", "16–24"),
        ("25-34", "25–34"),
        ("35-44", "35–44"),
        ("45-54", "45–54"),
        ("55-64", "55–64"),
        ("65+", "65 or over"),
        (PREFER_NOT, "Prefer not to say"),
    ]
    ETHNICITY = [
        ("white", "White"),
        ("mixed", "Mixed or multiple ethnic groups"),
        ("asian", "Asian or Asian British"),
        ("black", "Black, Black British, Caribbean or African"),
        ("other", "Other ethnic group"),
        (PREFER_NOT, "Prefer not to say"),
    ]
    DISABILITY = [("yes", "Yes"), ("no", "No"), (PREFER_NOT, "Prefer not to say")]

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="equality")
    sex = models.CharField(max_length=20, choices=SEX, default=PREFER_NOT)
    age_band = models.CharField(max_length=20, choices=AGE, default=PREFER_NOT)
    ethnicity = models.CharField(max_length=20, choices=ETHNICITY, default=PREFER_NOT)
    disability = models.CharField(max_length=20, choices=DISABILITY, default=PREFER_NOT)

    def __str__(self):
        return f"Equality monitoring for candidate {self.candidate_id}"


class Interview(models.Model):
    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="interview")
    scheduled_at = models.DateTimeField()
    location = models.CharField(max_length=150, blank=True)
    panel_closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheduled_at", "id"]

    def __str__(self):
        return f"Interview {self.pk}"


class Scorecard(models.Model):
    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    panellist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scorecards"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(
        default=0, help_text="Bumped by each amendment after submission"
    )
    version = models.PositiveIntegerField(
        default=0,
        db_default=0,  # the previous release's code still inserts during a deploy
        help_text="Bumped by every write (draft, submission, amendment): a tab that "
        "opened an older version cannot overwrite a newer one",
    )
    written_in = models.CharField(
        max_length=32,
        blank=True,
        default="",
        db_default="",
        help_text="The page (browser tab) of the last write: its own autosaves since "
        "it opened an older version are not stale",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["interview", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "panellist"], name="uniq_scorecard_per_panellist"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["panellist", "status"])]

    def __str__(self):
        return f"Scorecard {self.pk}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class QuestionScore(models.Model):
    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="question_scores"
    )
    plan_question = models.ForeignKey(PlanQuestion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "plan_question"], name="uniq_question_score"
            ),
            models.CheckConstraint(condition=SCORE_CONDITION, name="question_score_on_scale"),
        ]

    def __str__(self):
        return f"Score {self.score} for plan question {self.plan_question_id}"


class ValueRating(models.Model):
    """A panellist's overall view of one value."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="value_ratings")
    value = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "value"], name="uniq_value_rating"),
            models.CheckConstraint(condition=SCORE_CONDITION, name="value_rating_on_scale"),
        ]

    def __str__(self):
        return f"Overall {self.score} for value {self.value_id}"


class ScorecardRevision(models.Model):
    """The scorecard as it stood before an amendment, and who changed it."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField()
    snapshot = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()

    class Meta:
        ordering = ["scorecard", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "revision"], name="uniq_scorecard_revision"
            )
        ]

    def __str__(self):
        return f"Scorecard {self.scorecard_id} revision {self.revision}"


class Decision(models.Model):
    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    class Outcome(models.TextChoices):
        APPOINT = "appoint", "Appoint"
        RESERVE = "reserve", "Reserve list"
        NOT_APPOINTED = "not_appointed", "Not appointed"

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    feedback_intro = models.TextField(blank=True)
    strengths = models.JSONField(default=list, blank=True)
    development = models.JSONField(default=list, blank=True)
    feedback_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.interview_id})"


class ConsensusScore(models.Model):
    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="consensus_scores"
    )
    value = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interview", "value"], name="uniq_consensus_per_value"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="consensus_on_scale"
            ),
        ]

    def __str__(self):
        return f"Agreed {self.score} for value {self.value_id}"


class InterviewQuestionSummary(models.Model):
    """Submitted scores for one question at one interview, kept up to date
    by the scorecard services so analytics aggregate small rows instead of
    scanning every score. Anonymous: no evidence, no panellist."""

    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="question_summaries"
    )
    plan_question = models.ForeignKey(PlanQuestion, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    scores = models.PositiveSmallIntegerField()
    total = models.PositiveIntegerField()
    lowest = models.PositiveSmallIntegerField()
    highest = models.PositiveSmallIntegerField()
    n1 = models.PositiveSmallIntegerField(default=0)
    n2 = models.PositiveSmallIntegerField(default=0)
    n3 = models.PositiveSmallIntegerField(default=0)
    n4 = models.PositiveSmallIntegerField(default=0)
    n5 = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "plan_question"], name="uniq_interview_question_summary"
            )
        ]

    def __str__(self):
        return f"Interview {self.interview_id}, plan question {self.plan_question_id}"
