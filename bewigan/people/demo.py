"""The demo sign-ins that `seed_demo` creates (documented in the README).

The password is for local use only; the dev settings exempt exactly these
accounts from the MFA requirement so a newcomer can look around.
"""

from dataclasses import dataclass

DEMO_PASSWORD = "bewigan-demo-2026"


@dataclass(frozen=True)
class DemoSignIn:
    email: str
    role: str
    first_name: str
    last_name: str
    groups: tuple[str, ...]


DEMO_SIGN_INS = [
    DemoSignIn("staff@wigan.gov.uk", "Member of staff", "Sam", "Turner", ("Staff",)),
    DemoSignIn("manager@wigan.gov.uk", "Line manager", "Priya", "Shah", ("Staff",)),
    DemoSignIn(
        "panel@wwl.nhs.uk",
        "Hiring panel member",
        "Joe",
        "Fletcher",
        ("Staff", "Hiring panel member"),
    ),
    DemoSignIn(
        "recruiter@wigan.gov.uk",
        "Recruiting manager",
        "Aisha",
        "Khan",
        ("Staff", "Recruiting manager", "Hiring panel member"),
    ),
    DemoSignIn("hr@wigan.gov.uk", "HR admin", "Helen", "Barker", ("Staff", "HR admin")),
    DemoSignIn(
        "surveys@wigan.gov.uk", "Survey admin", "Tom", "Ashworth", ("Staff", "Survey admin")
    ),
    DemoSignIn("comms@wigan.gov.uk", "Comms editor", "Ruth", "Hughes", ("Staff", "Comms editor")),
    DemoSignIn(
        "innovation@wigan.gov.uk", "Innovation lead", "Dev", "Patel", ("Staff", "Innovation lead")
    ),
]
