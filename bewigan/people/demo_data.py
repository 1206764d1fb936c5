"""Demo partnership for `manage.py seed_demo`: six organisations, the seven
neighbourhoods, about 40 teams and about 400 people in a 4-level hierarchy.

Deterministic (a fixed random seed) and idempotent: running it again finds
everything by its natural key and creates nothing new.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from .demo import DEMO_PASSWORD, DEMO_SIGN_INS
from .models import (
    Neighbourhood,
    Organisation,
    OrganisationKindPeriod,
    Person,
    Team,
    TeamMembership,
)

ORGANISATIONS = [
    # slug, name, short, kind, domains, kind history [(kind, from)]
    (
        "wigan-council",
        "Wigan Council",
        "Council",
        "council",
        ["wigan.gov.uk"],
        [("council", "1974-04-01")],
    ),
    (
        "wwl",
        "Wrightington, Wigan and Leigh Teaching Hospitals NHS Foundation Trust",
        "WWL",
        "nhs_trust",
        ["wwl.nhs.uk"],
        [("nhs_trust", "2001-04-01")],
    ),
    (
        "gm-icb-wigan",
        "NHS Greater Manchester Integrated Care (Wigan locality)",
        "GM ICB",
        "icb",
        ["gmicb.nhs.uk"],
        [("ccg", "2013-04-01"), ("icb", "2022-07-01")],
    ),
    (
        "gmp-wigan",
        "Greater Manchester Police, Wigan district",
        "GMP",
        "police",
        ["gmp.police.uk"],
        [("police", "1974-04-01")],
    ),
    (
        "wigan-homes",
        "Wigan and Leigh Homes",
        "Homes",
        "housing",
        ["wiganhomes.org.uk"],
        [("housing", "2005-04-01")],
    ),
    (
        "community-partners",
        "Wigan Community Partners",
        "Community",
        "voluntary",
        ["wiganpartners.org.uk"],
        [("voluntary", "2012-04-01")],
    ),
]

NEIGHBOURHOODS = [
    ("wigan-central", "Wigan Central", 44_000),
    ("wigan-north", "Wigan North", 41_000),
    ("wigan-west", "Wigan West", 38_000),
    ("hindley-ince", "Hindley and Ince", 36_000),
    ("leigh", "Leigh", 47_000),
    ("atherton-tyldesley", "Atherton and Tyldesley", 45_000),
    ("ashton-golborne-lowton", "Ashton, Golborne and Lowton", 49_000),
]

# org slug -> [(directorate, [teams])]
TEAMS = {
    "wigan-council": [
        (
            "Adult Social Care",
            [
                "Reablement Wigan",
                "Reablement Leigh",
                "Community Mental Health Social Work",
                "Learning Disability Support",
            ],
        ),
        (
            "Communities",
            [
                "Community Investment Fund",
                "Libraries and Heritage",
                "Environmental Services",
                "Start Well Family Hubs",
            ],
        ),
        (
            "Corporate Services",
            ["HR and Organisational Development", "Communications", "Digital and Data", "Finance"],
        ),
    ],
    "wwl": [
        (
            "Community Services",
            [
                "District Nursing Leigh",
                "District Nursing Wigan",
                "Community Therapy",
                "Hospital Discharge Team",
            ],
        ),
        ("Workforce", ["Recruitment Centre", "Staff Wellbeing"]),
    ],
    "gm-icb-wigan": [
        ("Locality Commissioning", ["Primary Care Development", "Population Health"]),
    ],
    "gmp-wigan": [
        (
            "Neighbourhood Policing",
            ["Neighbourhood Policing Wigan", "Neighbourhood Policing Leigh"],
        ),
    ],
    "wigan-homes": [
        (
            "Tenancy Services",
            ["Tenancy Sustainment", "Repairs and Maintenance", "Homelessness Prevention"],
        ),
    ],
    "community-partners": [
        ("Community Development", ["Volunteering", "Social Prescribing Link Workers"]),
    ],
}

FIRST = [
    "Amelia",
    "Ava",
    "Ben",
    "Chloe",
    "Daniel",
    "Ella",
    "Freya",
    "George",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "James",
    "Jess",
    "Kai",
    "Leah",
    "Liam",
    "Lily",
    "Maya",
    "Mia",
    "Noah",
    "Olivia",
    "Omar",
    "Oscar",
    "Poppy",
    "Ravi",
    "Rosie",
    "Ruby",
    "Ryan",
    "Sara",
    "Sophie",
    "Theo",
    "Tom",
    "Zara",
    "Zoe",
    "Kiran",
    "Niamh",
    "Callum",
    "Fatima",
    "Hassan",
]
LAST = [
    "Ali",
    "Ashton",
    "Baker",
    "Bennett",
    "Bradley",
    "Brown",
    "Clarke",
    "Cooper",
    "Davies",
    "Dixon",
    "Evans",
    "Fisher",
    "Green",
    "Hall",
    "Harris",
    "Hill",
    "Holt",
    "Hughes",
    "Jackson",
    "Jones",
    "Kaur",
    "Kelly",
    "Lee",
    "Lowe",
    "Martin",
    "Moss",
    "Naylor",
    "Owen",
    "Parker",
    "Patel",
    "Pennington",
    "Rigby",
    "Roberts",
    "Shaw",
    "Smith",
    "Taylor",
    "Thompson",
    "Walker",
    "Ward",
    "Wood",
    "Wright",
    "Yates",
]
JOBS = [
    "Social worker",
    "Support worker",
    "Occupational therapist",
    "District nurse",
    "Community connector",
    "Housing officer",
    "Police community support officer",
    "Data analyst",
    "Librarian",
    "Project officer",
    "Administrator",
    "Link worker",
    "Physiotherapist",
    "Repairs operative",
    "Family support worker",
]

INTEGRATED_TEAM = "Integrated Neighbourhood Team"

# Other names HR files use (the people import matches them; editable in the
# admin): docs/examples/people-partnership.csv uses the trust's.
ALIASES = {
    "wwl": "Wrightington, Wigan and Leigh NHS FT\nWWL NHS FT",
    "gm-icb-wigan": "NHS Greater Manchester ICB",
    "gmp-wigan": "Greater Manchester Police",
}


@transaction.atomic
def seed(stdout=None) -> dict:
    rng = random.Random(2026)
    User = get_user_model()
    password_hash = make_password(DEMO_PASSWORD)
    groups = {g.name: g for g in Group.objects.all()}

    orgs = {}
    for slug, name, short, kind, domains, history in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "short_name": short, "kind": kind, "email_domains": domains},
        )
        orgs[slug] = org
        if not org.aliases and slug in ALIASES:
            org.aliases = ALIASES[slug]
            org.save(update_fields=["aliases"])
        if not org.kind_history.exists():
            for i, (k, start) in enumerate(history):
                end = history[i + 1][1] if i + 1 < len(history) else None
                OrganisationKindPeriod.objects.create(
                    organisation=org,
                    kind=k,
                    valid_from=datetime.date.fromisoformat(start),
                    valid_to=datetime.date.fromisoformat(end) if end else None,
                )

    hoods = []
    for slug, name, population in NEIGHBOURHOODS:
        hood, _ = Neighbourhood.objects.get_or_create(
            slug=slug, defaults={"name": name, "population": population}
        )
        hoods.append(hood)

    # Teams: directorates (parents) and their teams, plus one integrated
    # cross-organisation team per neighbourhood, hosted by the trust.
    team_specs = []  # (org, directorate_team, [child teams])
    for org_slug, directorates in TEAMS.items():
        org = orgs[org_slug]
        for d_index, (directorate, children) in enumerate(directorates):
            parent, _ = Team.objects.get_or_create(
                code=f"{org_slug}-{_slug(directorate)}",
                defaults={"name": directorate, "organisation": org},
            )
            child_teams = []
            for c_index, child in enumerate(children):
                hood = (
                    hoods[(d_index * 3 + c_index) % len(hoods)]
                    if "Leigh" not in child
                    else hoods[4]
                )
                team, _ = Team.objects.get_or_create(
                    code=f"{org_slug}-{_slug(child)}",
                    defaults={
                        "name": child,
                        "organisation": org,
                        "parent": parent,
                        "neighbourhood": hood,
                    },
                )
                child_teams.append(team)
            team_specs.append((org, parent, child_teams))
    integrated = []
    for hood in hoods:
        team, _ = Team.objects.get_or_create(
            code=f"int-{hood.slug}",
            defaults={
                "name": f"{INTEGRATED_TEAM} – {hood.name}",
                "organisation": orgs["wwl"],
                "neighbourhood": hood,
                "is_cross_organisation": True,
            },
        )
        integrated.append(team)

    if Person.objects.filter(user__email__in=[d.email for d in DEMO_SIGN_INS]).count() == len(
        DEMO_SIGN_INS
    ):
        return _summary(stdout)

    counters = dict.fromkeys(orgs, 1000)
    used_emails = set(User.objects.values_list("email", flat=True))

    def make_person(
        org, first, last, job, manager, team, *, email=None, role="member", start_years=None
    ):
        counters[org.slug] += 1
        if email is None:
            base = f"{first}.{last}".lower()
            email = f"{base}@{org.email_domains[0]}"
            n = 2
            while email in used_emails:
                email = f"{base}{n}@{org.email_domains[0]}"
                n += 1
        used_emails.add(email)
        user, _ = User.objects.get_or_create(
            email=email,
            defaults={"first_name": first, "last_name": last, "password": password_hash},
        )
        start = datetime.date(2026, 1, 1) - datetime.timedelta(
            days=int(365 * (start_years or rng.uniform(0.3, 15)))
        )
        person, _ = Person.objects.get_or_create(
            user=user,
            defaults={
                "organisation": org,
                "employee_number": f"{org.short_name[:3].upper()}{counters[org.slug]}",
                "job_title": job,
                "line_manager": manager,
                "start_date": start,
            },
        )
        if team is not None:
            TeamMembership.objects.get_or_create(
                person=person,
                team=team,
                end_date=None,
                defaults={"role": role, "start_date": start},
            )
        user.groups.add(groups["Staff"])
        return person

    def rand_name():
        return rng.choice(FIRST), rng.choice(LAST)

    demo = {d.email: d for d in DEMO_SIGN_INS}
    council = orgs["wigan-council"]
    # Level 1: chief executives; level 2: directors; level 3: team managers; level 4: staff.
    chiefs = {}
    for slug, org in orgs.items():
        f, last = rand_name()
        chiefs[slug] = make_person(org, f, last, "Chief executive", None, None, start_years=12)
    demo_manager = None
    for org, parent, children in team_specs:
        f, last = rand_name()
        director = make_person(
            org,
            f,
            last,
            f"Director of {parent.name}",
            chiefs[org.slug],
            parent,
            role="lead",
            start_years=9,
        )
        for team in children:
            if team.code == "wigan-council-reablement-wigan":
                d = demo["manager@wigan.gov.uk"]
                lead = make_person(
                    org,
                    d.first_name,
                    d.last_name,
                    "Reablement team manager",
                    director,
                    team,
                    email=d.email,
                    role="lead",
                    start_years=7,
                )
                demo_manager = lead
            else:
                f, last = rand_name()
                lead = make_person(
                    org, f, last, f"{team.name} manager", director, team, role="lead"
                )
            for _ in range(rng.randint(8, 12)):
                f, last = rand_name()
                make_person(org, f, last, rng.choice(JOBS), lead, team)
    # Integrated neighbourhood teams: a lead from the trust and members
    # seconded from the council and the trust.
    trust = orgs["wwl"]
    for team in integrated:
        f, last = rand_name()
        lead = make_person(
            trust, f, last, "Integrated neighbourhood lead", chiefs["wwl"], team, role="lead"
        )
        for org in (council, trust, orgs["community-partners"]):
            for _ in range(2):
                f, last = rand_name()
                make_person(org, f, last, rng.choice(JOBS), lead, team)

    # The documented demo sign-ins, in sensible places.
    def team(code):
        return Team.objects.get(code=code)

    placements = {
        "staff@wigan.gov.uk": (
            council,
            "Reablement support worker",
            demo_manager,
            team("wigan-council-reablement-wigan"),
        ),
        "panel@wwl.nhs.uk": (trust, "Community therapy lead", None, team("wwl-community-therapy")),
        "recruiter@wigan.gov.uk": (
            council,
            "Head of workforce",
            None,
            team("wigan-council-hr-and-organisational-development"),
        ),
        "hr@wigan.gov.uk": (
            council,
            "HR business partner",
            None,
            team("wigan-council-hr-and-organisational-development"),
        ),
        "surveys@wigan.gov.uk": (
            council,
            "Organisational development adviser",
            None,
            team("wigan-council-hr-and-organisational-development"),
        ),
        "comms@wigan.gov.uk": (
            council,
            "Internal communications officer",
            None,
            team("wigan-council-communications"),
        ),
        "innovation@wigan.gov.uk": (
            council,
            "Innovation lead",
            None,
            team("wigan-council-community-investment-fund"),
        ),
    }
    for email, (org, job, manager, t) in placements.items():
        d = demo[email]
        if manager is None:
            manager = Person.objects.filter(memberships__team=t, memberships__role="lead").first()
        make_person(org, d.first_name, d.last_name, job, manager, t, email=email)
    # The line manager is also seconded one day a week to an integrated team.
    if demo_manager is not None:
        TeamMembership.objects.get_or_create(
            person=demo_manager,
            team=integrated[0],
            end_date=None,
            defaults={
                "role": "seconded",
                "is_primary": False,
                "start_date": datetime.date(2025, 9, 1),
            },
        )
    for d in DEMO_SIGN_INS:
        user = User.objects.get(email=d.email)
        user.groups.add(*[groups[g] for g in d.groups])
        _verify_email(user)
    return _summary(stdout)


def _verify_email(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _slug(text):
    from django.utils.text import slugify

    return slugify(text)


def _summary(stdout):
    summary = {
        "organisations": Organisation.objects.count(),
        "neighbourhoods": Neighbourhood.objects.count(),
        "teams": Team.objects.count(),
        "people": Person.objects.count(),
    }
    if stdout is not None:
        stdout.write("People: " + ", ".join(f"{v} {k}" for k, v in summary.items()))
    return summary
