"""Organisations, neighbourhoods, teams and people (staff profiles)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Organisation(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        NHS_TRUST = "nhs_trust", "NHS trust"
        ICB = "icb", "Integrated care board"
        CCG = "ccg", "Clinical commissioning group"
        POLICE = "police", "Police"
        DWP = "dwp", "DWP"
        HOUSING = "housing", "Housing"
        VOLUNTARY = "voluntary", "Voluntary sector"
        OTHER = "other", "Other"

    name = models.CharField(max_length=150, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="Current kind")
    email_domains = models.JSONField(
        default=list, blank=True, help_text="Staff email domains, e.g. ['wigan.gov.uk']"
    )
    self_sign_up = models.BooleanField(
        default=True, help_text="Staff with an email in these domains may create their own account"
    )
    aliases = models.TextField(
        blank=True,
        help_text=(
            "Other names HR files use for this organisation, one a line "
            "(for example: Wrightington, Wigan and Leigh NHS FT). The people import matches "
            "them, like the name, short name and slug, whatever their case."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("aliases"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("email_domains"),
        FieldPanel("self_sign_up"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return self.short_name or self.name


class OrganisationKindPeriod(models.Model):
    """History of an organisation's kind (CCGs became ICBs): never overwritten."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="kind_history"
    )
    kind = models.CharField(max_length=20, choices=Organisation.Kind.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Exclusive")

    class Meta:
        ordering = ["organisation", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(valid_to__isnull=True),
                name="one_open_kind_period",
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_kind_display()} from {self.valid_from}"


class Neighbourhood(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    population = models.PositiveIntegerField(help_text="Residents, roughly 30,000–50,000")
    description = models.TextField(blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("population"),
        FieldPanel("description"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=150)
    code = models.SlugField(max_length=60, unique=True, help_text="Used by the HR import")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.SET_NULL, related_name="teams"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_cross_organisation = models.BooleanField(
        default=False, help_text="An integrated team with members from several partners"
    )

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="uniq_team_name_per_org"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="team_not_own_parent"),
        ]

    def __str__(self):
        return self.name


class PersonQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(
            Q(leaver_date__isnull=True) | Q(leaver_date__gt=on), user__is_active=True
        )

    def with_people(self):
        return self.select_related("user", "organisation", "line_manager__user")

    def reports_of(self, person, *, direct_only=False):
        """Direct and indirect reports in ONE query, whatever the depth
        (a recursive CTE, supported by SQLite and PostgreSQL)."""
        if direct_only:
            return self.filter(line_manager=person)
        table = Person._meta.db_table
        sql = (
            f"WITH RECURSIVE chain(id) AS ("  # noqa: S608 - table name is ours, value is a param
            f" SELECT id FROM {table} WHERE line_manager_id = %s"
            f" UNION SELECT p.id FROM {table} p JOIN chain c ON p.line_manager_id = c.id"
            f") SELECT id FROM chain"
        )
        return self.filter(id__in=RawSQL(sql, [person.pk]))  # noqa: S611 - parameterised

    def managers_of(self, person):
        """Everyone above `person` in the line, in one query."""
        table = Person._meta.db_table
        sql = (
            f"WITH RECURSIVE chain(id, manager_id) AS ("  # noqa: S608
            f" SELECT id, line_manager_id FROM {table} WHERE id = %s"
            f" UNION SELECT p.id, p.line_manager_id FROM {table} p JOIN chain c ON p.id = c.manager_id"
            f") SELECT id FROM chain WHERE id <> %s"
        )
        return self.filter(id__in=RawSQL(sql, [person.pk, person.pk]))  # noqa: S611 - parameterised


class Person(models.Model):
    """A member of staff: one per user account."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    employee_number = models.CharField(max_length=30)
    job_title = models.CharField(max_length=150, blank=True)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    start_date = models.DateField(null=True, blank=True)
    leaver_date = models.DateField(null=True, blank=True)
    teams = models.ManyToManyField(Team, through="TeamMembership", related_name="people")

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_number"], name="uniq_employee_number_per_org"
            ),
            models.CheckConstraint(
                condition=~Q(line_manager=models.F("id")), name="person_not_own_manager"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.email

    @property
    def is_leaver(self) -> bool:
        return self.leaver_date is not None and self.leaver_date <= timezone.localdate()


class TeamMembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gt=on))


class TeamMembership(models.Model):
    """Dated, because secondments and integrated posts mean a person can
    belong to several teams, and teams change."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        LEAD = "lead", "Team lead"
        SECONDED = "seconded", "Seconded in"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    is_primary = models.BooleanField(default=True)
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True, help_text="Exclusive")

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-is_primary", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="membership_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["person", "team"],
                condition=Q(end_date__isnull=True),
                name="one_open_membership_per_team",
            ),
        ]

    def __str__(self):
        return f"{self.person} in {self.team}"


class Invitation(models.Model):
    """An HR admin's invitation for someone outside the self-sign-up domains."""

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    email = models.EmailField()
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.email


# The HR bulk import's upload record lives with the importer.
from .importing.models import PeopleImport  # noqa: E402,F401
