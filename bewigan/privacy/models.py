"""UK GDPR duties as data: legal holds, the retention schedule and its runs,
subject access requests (with the third-party mentions and confidential
sections a data protection officer reviews before release), erasure records
and leavers. Data-sharing grants between partners live in bewigan.partners.

Each duty's code lives in its own module: `sar.py` (subject access packs),
`retention.py` (schedule and daily task), `erasure.py`, `leavers.py`,
`holds.py`; they run what each app declares in its `personal_data.py`
(`registry.py`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bewigan.people.models import Organisation, Person


class LegalHoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(released_at__isnull=True)


class LegalHold(models.Model):
    """Stops retention and erasure for a person (every record about them) or
    for one record (`object_type` app_label.model + `object_id`)."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="legal_holds"
    )
    candidate = models.ForeignKey(
        "recruitment.Candidate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_holds",
    )
    object_type = models.CharField(max_length=100, blank=True, help_text="app_label.model")
    object_id = models.CharField(max_length=64, blank=True)
    reason = models.TextField(help_text="e.g. employment tribunal claim, reference")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, candidate__isnull=True, object_type="")
                    | Q(person__isnull=True, candidate__isnull=False, object_type="")
                    | Q(person__isnull=True, candidate__isnull=True)
                    & ~Q(object_type="")
                    & ~Q(object_id="")
                ),
                name="legal_hold_has_one_target",
            )
        ]

    def __str__(self):
        target = self.person or self.candidate or f"{self.object_type} {self.object_id}"
        return f"Legal hold on {target}"


class RetentionRule(models.Model):
    """HR's setting for one kind of record. The kinds, their defaults and what
    happens on expiry (delete or anonymise) are declared in `retention.py`;
    a row here overrides the default period."""

    kind = models.CharField(max_length=60, unique=True)
    period_months = models.PositiveIntegerField()
    enabled = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind"]

    def __str__(self):
        return f"{self.kind}: {self.period_months} months"


class RetentionRun(models.Model):
    """One run of the retention schedule: counts only, never content."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=True)
    as_of = models.DateField(default=timezone.localdate)
    counts = models.JSONField(default=dict, blank=True, help_text="{kind: number of records}")
    held = models.JSONField(default=dict, blank=True, help_text="{kind: records kept by a hold}")
    skipped = models.JSONField(
        default=dict, blank=True, help_text="{kind: why it was not applied (disabled, notice)}"
    )
    periods = models.JSONField(
        default=dict, blank=True, help_text="{kind: period in months used by this run}"
    )
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        kind = "Dry run" if self.dry_run else "Run"
        return f"{kind} on {self.as_of}"


class SubjectAccessRequest(models.Model):
    """A subject access request for a member of staff or a candidate.

    Generation (a background task) collects the records into `data`, finds
    other people's names in free text (`mentions`), and waits for the HR
    admin's review; the archive is built once every mention is decided.
    """

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Collecting records"
        REVIEW = "review", "Ready for review"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        IN_PERSON = "in_person", "In person or by phone"
        ONLINE = "online", "Online form"
        OTHER = "other", "Other"

    reference = models.CharField(max_length=60, help_text="Your reference for the request")
    reason = models.TextField()
    # The request as received: a pack is made only for a recorded request.
    received_on = models.DateField(null=True, blank=True, help_text="When the request arrived")
    received_via = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    subject_told_at = models.DateTimeField(
        null=True, blank=True, help_text="When the person was told the request is being handled"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    candidate = models.ForeignKey(
        "recruitment.Candidate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject_label = models.CharField(max_length=200, help_text="Name at the time of the request")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The subject's organisation (a candidate's: the vacancy's) when the request"
        " was made; decides which HR admins may act on the request",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent")
    progress_message = models.CharField(max_length=200, blank=True)
    data = models.JSONField(null=True, blank=True)
    archive = models.BinaryField(null=True, blank=True, editable=False)
    archive_name = models.CharField(max_length=120, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False)
                | Q(candidate__isnull=False)
                | Q(status="ready")
                | Q(status="failed"),
                name="sar_has_subject",
            )
        ]

    def __str__(self):
        return f"Subject access {self.reference} ({self.subject_label})"


class SubjectAccessMention(models.Model):
    """Something the data protection officer decides before release: another
    person's name found in the pack's free text (redact or release it), or a
    confidential section (release it, or withhold it under an exemption)."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    class Kind(models.TextChoices):
        NAME = "name", "Another person's name"
        CONFIDENTIAL = "confidential", "Confidential section"

    class Decision(models.TextChoices):
        PENDING = "pending", "Not reviewed"
        REDACT = "redact", "Redact"
        RELEASE = "release", "Release"

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="mentions"
    )
    name = models.CharField(max_length=200)
    section = models.CharField(max_length=100, help_text="Where in the pack")
    excerpt = models.TextField()
    occurrences = models.PositiveIntegerField(default=1)
    forms = models.JSONField(
        default=list, blank=True, help_text="The exact words found, replaced when redacted"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NAME)
    section_key = models.CharField(max_length=60, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "section"]

    def __str__(self):
        return f"{self.name} in {self.section}"


class ErasureRecord(models.Model):
    """Evidence that an erasure request was carried out: counts, not content."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    reference = models.CharField(max_length=60)
    reason = models.TextField()
    subject_kind = models.CharField(max_length=20, help_text="person or candidate")
    subject_id = models.PositiveIntegerField()
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    erased_at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self):
        return f"Erasure {self.reference}"


# --- Leavers (leavers.py, sessions.py) ---------------------------------------


class UserSession(models.Model):
    """Which signed-in session belongs to whom. Django's session table keeps
    the user only inside its encoded data, so ending a leaver's sessions at
    once needs this index. Written on sign-in (and when a session's key
    changes), removed on sign-out; rows never outlive SESSION_COOKIE_AGE."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Session of user {self.user_id}"


class LeaverRecord(models.Model):
    """That a person's leaving was processed: account closed, sessions ended,
    panels and pending requests cleared, their manager told what they owned.
    One per person and leaving date, so processing never runs twice."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    class Source(models.TextChoices):
        IMPORT = "import", "HR import"
        MANUAL = "manual", "Marked by an HR admin"
        SCHEDULED = "scheduled", "Leaving date reached"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="leaver_records")
    leaver_date = models.DateField()
    source = models.CharField(max_length=20, choices=Source.choices)
    reason = models.TextField(blank=True)
    processed_at = models.DateTimeField(default=timezone.now)
    processed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handover_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who was told about the open work (their line manager, or HR)",
    )
    counts = models.JSONField(default=dict, blank=True, help_text="What was done: counts only")

    class Meta:
        ordering = ["-processed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "leaver_date"], name="one_record_per_leaving")
        ]

    def __str__(self):
        return f"Leaving of person {self.person_id} on {self.leaver_date}"
