"""The seeded question library: original items written for this project,
at least one for each current value and each theme. Idempotent."""

VALUE_ITEMS = {
    "positive": [
        "My team looks for what people can do, not only for what could go wrong.",
        "I feel hopeful about where my team is heading.",
    ],
    "accountable": [
        "I know what is expected of me at work.",
        "When something goes wrong in my team, we own it and put it right.",
    ],
    "courageous": [
        "I feel safe to speak up and challenge the way things are done.",
        "I am trusted to try new ways of working with residents.",
    ],
}
THEME_ITEMS = {
    "wellbeing": [
        "I can usually manage my workload within my working hours.",
        "I feel my wellbeing matters to the people I work for.",
    ],
    "involvement": ["I have a say in decisions that affect my work."],
    "advocacy": ["I would be happy for a friend or relative to use the services my team provides."],
    "recognition": ["When I do good work, someone notices and says so."],
    "innovation": ["Ideas for doing things better are taken seriously here."],
}
ENPS_TEXT = "How likely are you to recommend working here to a friend?"
SINGLE = (
    "Where do you mostly work?",
    ["Out in the community", "In an office or hub", "From home", "A mix of these"],
)
MULTIPLE = (
    "Which of these would most improve your working week?",
    [
        "Fewer meetings",
        "Better IT and equipment",
        "More time with residents",
        "Clearer priorities",
        "More training",
    ],
)
COMMENT_TEXT = "What one change would make the biggest difference to you at work?"

PULSE_ORDER = [
    ("value", "positive", 0),
    ("value", "accountable", 0),
    ("value", "courageous", 0),
    ("value", "accountable", 1),
    ("theme", "wellbeing", 0),
    ("theme", "wellbeing", 1),
    ("theme", "involvement", 0),
    ("theme", "advocacy", 0),
    ("theme", "recognition", 0),
    ("theme", "innovation", 0),
    ("enps", None, 0),
    ("text", None, 0),
]


def seed_library(Question, Value) -> dict:
    """Create the library items (for the current staff values). Returns the
    default pulse's questions in order."""
    from django.db.models import Q
    from django.utils import timezone

    today = timezone.localdate()
    values = {
        v.key: v
        for v in Value.objects.filter(
            version__status="published",
            version__framework__audience="all",
            version__effective_from__lte=today,
        ).filter(Q(version__effective_to__isnull=True) | Q(version__effective_to__gt=today))
    }
    made = {}
    for key, texts in VALUE_ITEMS.items():
        for i, text in enumerate(texts):
            if key in values:
                made[("value", key, i)] = Question.objects.get_or_create(
                    text=text, kind="agreement", defaults={"theme": "value", "value": values[key]}
                )[0]
    for theme, texts in THEME_ITEMS.items():
        for i, text in enumerate(texts):
            made[("theme", theme, i)] = Question.objects.get_or_create(
                text=text, kind="agreement", defaults={"theme": theme}
            )[0]
    made[("enps", None, 0)] = Question.objects.get_or_create(
        text=ENPS_TEXT, kind="enps", defaults={"theme": "enps"}
    )[0]
    Question.objects.get_or_create(
        text=SINGLE[0], kind="single", defaults={"theme": "other", "choices": SINGLE[1]}
    )
    Question.objects.get_or_create(
        text=MULTIPLE[0], kind="multiple", defaults={"theme": "other", "choices": MULTIPLE[1]}
    )
    made[("text", None, 0)] = Question.objects.get_or_create(
        text=COMMENT_TEXT, kind="text", defaults={"theme": "other"}
    )[0]
    return [made[k] for k in PULSE_ORDER if k in made]
