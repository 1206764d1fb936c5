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
        "The organisation's slug (for example wigan-council) or its full name.",
    ),
    Column("email", True, "Work email address. It becomes their sign-in, so it must be unique."),
    Column("first_name", True, "First name."),
    Column("last_name", True, "Last name."),
    Column("job_title", False, "Job title."),
    Column(
        "team_codes",
        False,
        "Team codes separated by semicolons; the first is the primary team. Blank means no team.",
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
    Column("start_date", False, "Start date, as YYYY-MM-DD or DD/MM/YYYY."),
    Column(
        "leaver_date",
        False,
        "Leaving date, as YYYY-MM-DD or DD/MM/YYYY. Once it has passed, the person cannot sign in.",
    ),
]
COLUMN_NAMES = [c.name for c in COLUMNS]
REQUIRED = [c.name for c in COLUMNS if c.required]
