"""The columns of an HR export, documented once (docs/people-import.md and
the upload page read this list)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: str


COLUMNS = [
    Column(
        "employee_number", True, "The person's employee number in their organisation's HR system."
    ),
    Column(
        "organisation",
        True,
        "The organisation's name, short name, slug (for example wigan-council) or one of the "
        "other names configured for it in the admin (for example Wrightington, Wigan and "
        "Leigh NHS FT). A column called Organisation name or Employer works too.",
    ),
    Column("email", True, "Work email address. It becomes their sign-in, so it must be unique."),
    Column("first_name", True, "First name."),
    Column("last_name", True, "Last name."),
    Column("job_title", False, "Job title."),
    Column(
        "team_codes",
        False,
        "Teams separated by semicolons, each by its code or its name; the first is the primary "
        "team. Blank means no team. A column called Team or Teams works too.",
    ),
    Column(
        "line_manager_employee_number",
        False,
        "The line manager's employee number. Blank means no line manager.",
    ),
    Column(
        "line_manager_organisation",
        False,
        "The line manager's organisation (slug or name) when it is not the person's own.",
    ),
    Column(
        "neighbourhood",
        False,
        "The neighbourhood (name or slug) of the person's teams, when a team name alone is "
        "not enough (Integrated Neighbourhood Team, Wigan Central).",
    ),
    Column("start_date", False, "Start date, as YYYY-MM-DD or DD/MM/YYYY."),
    Column(
        "leaver_date",
        False,
        "Leaving date, as YYYY-MM-DD or DD/MM/YYYY. Once it has passed, the person cannot sign in.",
    ),
]
COLUMN_NAMES = [c.name for c in COLUMNS]
REQUIRED = [c.name for c in COLUMNS if c.required]

# Headers real HR exports use for our columns (after normalisation: lower
# case, non-alphanumerics as "_").
HEADER_ALIASES = {
    "organisation_name": "organisation",
    "organization": "organisation",
    "employer": "organisation",
    "work_email": "email",
    "email_address": "email",
    "forename": "first_name",
    "surname": "last_name",
    "team": "team_codes",
    "teams": "team_codes",
    "team_name": "team_codes",
    "team_code": "team_codes",
    "neighbourhood_name": "neighbourhood",
}
