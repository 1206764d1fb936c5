"""My time (one-to-ones), private notes, actions, shout-outs, 360 feedback,
team time, support routes and HR's audited "break glass" access.

Privacy rules live in the data shapes as well as in rules.py:
- `PrivateNote` belongs to its author only; it is never joined into a shared
  record, never registered in any admin, and its only reader is
  `PrivateNote.objects.visible_to(user)` which filters on the author.
- An anonymous 360 answer (`FeedbackResponse.rater` is NULL) has no link to
  the request or rater that produced it; the request only records that it
  was answered. It is sealed on submission (bewigan/core/sealed.py) and
  written here only once the round has closed, with at least
  MIN_ANONYMOUS others, in random order, with random ids and the closing
  date as its date.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bewigan.core.models import random_id
from bewigan.people.models import Person, Team
from bewigan.values.models import Behaviour, Value

LOW_WELLBEING = 2  # a score at or below this offers support routes
MIN_ANONYMOUS = 3  # anonymous 360 answers are released and shown only from this many


class SupportRoute(models.Model):
    """Where to get help (employee assistance, occupational health...).
    Edited by HR admins; shown to both people after a low wellbeing answer."""

    title = models.CharField(max_length=120)
    url = models.URLField()
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title


class Cadence(models.Model):
    """How often a pair meets (default monthly)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    manager = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    days = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(7), MaxValueValidator(120)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "manager"], name="uniq_cadence_pair")
        ]

    def __str__(self):
        return f"{self.person} with {self.manager}: every {self.days} days"


class ConversationQuerySet(models.QuerySet):
    def for_person(self, person):
        return self.filter(person=person)

    def my_time(self):
        return self.filter(kind=Conversation.Kind.MY_TIME)


class Conversation(models.Model):
    """A my time (or the annual conversation) between a person and the
    manager they had at the time. The shared record is visible to both."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    class Kind(models.TextChoices):
        MY_TIME = "my_time", "My time"
        ANNUAL = "annual", "Annual conversation"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MY_TIME)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="my_times")
    manager = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="my_times_held",
        help_text="The line manager at the time of the conversation",
    )
    meeting_date = models.DateField()
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Annual only")
    wellbeing_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    wellbeing_words = models.TextField(blank=True)
    what_matters = models.TextField(blank=True)
    going_well = models.TextField(blank=True)
    support_needed = models.TextField(blank=True)
    looking_ahead = models.TextField(blank=True, help_text="Annual: the year ahead")
    next_date = models.DateField(null=True, blank=True)
    staff_comments = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    recorded_at = models.DateTimeField(null=True, blank=True)
    person_confirmed_at = models.DateTimeField(null=True, blank=True)
    manager_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting_date", "-id"]
        indexes = [
            models.Index(fields=["person", "meeting_date"]),
            models.Index(fields=["manager", "meeting_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(wellbeing_score__isnull=True)
                | Q(wellbeing_score__gte=1, wellbeing_score__lte=5),
                name="wellbeing_score_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(person=models.F("manager")), name="conversation_not_with_self"
            ),
            models.CheckConstraint(
                condition=Q(next_date__isnull=True) | Q(next_date__gt=models.F("meeting_date")),
                name="next_date_after_meeting",
            ),
            models.UniqueConstraint(
                fields=["person", "year"],
                condition=Q(kind="annual"),
                name="one_annual_conversation_per_year",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.person} on {self.meeting_date:%d %b %Y}"

    @property
    def is_confirmed(self) -> bool:
        return bool(self.person_confirmed_at and self.manager_confirmed_at)

    @property
    def is_annual(self) -> bool:
        return self.kind == self.Kind.ANNUAL

    @property
    def status(self) -> str:
        if self.is_confirmed:
            return "Confirmed"
        if self.person_confirmed_at or self.manager_confirmed_at:
            return "Waiting for confirmation"
        if self.recorded_at:
            return "Record in progress"
        return "Planned"

    @property
    def low_wellbeing(self) -> bool:
        return self.wellbeing_score is not None and self.wellbeing_score <= LOW_WELLBEING


class Reflection(models.Model):
    """Reflections on one behaviour (of the framework version in force),
    with examples. The FK keeps the exact words the record used."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="reflections"
    )
    behaviour = models.ForeignKey(Behaviour, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "behaviour"], name="uniq_reflection")
        ]

    def __str__(self):
        return f"{self.behaviour}: {self.text[:40]}"


class PrivateNoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only ever the author's own notes: not the person, not a later
        manager, not HR, not superusers."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(author=user)


class PrivateNote(models.Model):
    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PrivateNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "author"], name="one_private_note_per_author"
            )
        ]

    def __str__(self):
        return "Private note"


class TalkingPoint(models.Model):
    """Append-only agenda item: each side adds points, nobody edits another's,
    so two people preparing at once never overwrite each other."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="talking_points"
    )
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=500)
    discussed = models.BooleanField(default=False)
    carried_over = models.PositiveSmallIntegerField(default=0, help_text="Times carried forward")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:60]


class Action(models.Model):
    """An agreed action. The owner is one of the two people."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="actions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="my_time_actions")
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=500)
    due_date = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_at", "due_date", "id"]
        indexes = [models.Index(fields=["person", "done_at"])]

    def __str__(self):
        return self.text[:60]

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_date < timezone.localdate()


class TeamTime(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="team_times")
    facilitator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    meeting_date = models.DateField()
    attendees = models.ManyToManyField(Person, related_name="team_times_attended", blank=True)
    how_are_we = models.TextField("How are we?", blank=True)
    how_are_we_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-meeting_date", "-id"]

    def __str__(self):
        return f"Team time: {self.team} on {self.meeting_date:%d %b %Y}"


class TeamAction(models.Model):
    team_time = models.ForeignKey(TeamTime, on_delete=models.CASCADE, related_name="actions")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=500)
    due_date = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due_date", "id"]

    def __str__(self):
        return self.text[:60]


class TeamFeedback(models.Model):
    """The team 360 round: named feedback between members on a behaviour."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    team_time = models.ForeignKey(TeamTime, on_delete=models.CASCADE, related_name="feedback")
    giver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    behaviour = models.ForeignKey(Behaviour, on_delete=models.PROTECT, related_name="+")
    does_well = models.TextField()
    to_try = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=models.F("recipient")), name="team_feedback_not_to_self"
            )
        ]

    def __str__(self):
        return f"{self.giver} to {self.recipient}"


class ShoutOut(models.Model):
    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    giver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="shout_outs_given")
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="shout_outs")
    value = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="+")
    message = models.TextField()
    is_public = models.BooleanField(default=True)
    team_time = models.ForeignKey(
        TeamTime, null=True, blank=True, on_delete=models.SET_NULL, related_name="appreciations"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=models.F("recipient")), name="shout_out_not_to_self"
            )
        ]

    def __str__(self):
        return f"{self.giver} to {self.recipient} ({self.value})"


class FeedbackRound(models.Model):
    """A 360 round about one person."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_rounds")
    requested_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(blank=True)
    closes_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"360 for {self.subject} ({self.created_at:%b %Y})"


class FeedbackRequest(models.Model):
    """Who was asked. Records that they answered, never which answer."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="requests")
    rater = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_requests")
    answered = models.BooleanField(default=False)
    declined = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "rater"], name="uniq_rater_per_round"),
        ]

    def __str__(self):
        return f"Request to {self.rater}"


class FeedbackResponse(models.Model):
    """One answer. `rater` is NULL for anonymous answers, and then nothing
    links it to its request; `submitted_on` is a date (for anonymous
    answers, the round's closing date). Random ids: no order of arrival."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="responses")
    rater = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_anonymous = models.BooleanField()
    submitted_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["round", "is_anonymous", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=True, rater__isnull=True)
                | Q(is_anonymous=False, rater__isnull=False),
                name="anonymous_has_no_rater",
            )
        ]

    def __str__(self):
        return "Anonymous answer" if self.is_anonymous else f"Answer from {self.rater}"


class FeedbackAnswer(models.Model):
    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="answers")
    value = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="+")
    does_well = models.TextField()
    to_try = models.TextField(blank=True)

    class Meta:
        ordering = ["value__order", "id"]

    def __str__(self):
        return f"{self.value}"


class BreakGlassAccess(models.Model):
    """HR's exceptional access to one person's shared records (never private
    notes), with a recorded reason. Audited and the person is told."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    hr_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "break glass accesses"

    def __str__(self):
        return f"Access to {self.person}'s records"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()


class ReminderSent(models.Model):
    """So each reminder goes once per pair and due date."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    manager = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "manager", "kind", "due_date"], name="uniq_reminder"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.due_date}"


class ConversationDraft(models.Model):
    """Autosaved, unsaved edits of one author. Autosave never touches the
    shared record, so it cannot overwrite the other person's changes; the
    author's explicit "Save" applies the draft with a version check."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    base_version = models.PositiveIntegerField()
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "author"], name="one_draft_per_author")
        ]

    def __str__(self):
        return "Draft"
