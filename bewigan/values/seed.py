"""BeWigan's values and behaviours, written for this project. Used by the
seed data migration (and by tests that need a framework)."""

import datetime

STAFF_FRAMEWORK = {
    "name": "BeWigan values",
    "slug": "bewigan",
    "audience": "all",
    "description": "The three values every member of staff, in every partner, is hired, supported and appraised on.",
    "effective_from": datetime.date(2015, 4, 1),
    "values": [
        {
            "key": "positive",
            "name": "Positive",
            "summary": "We start from what is strong, not what is wrong — in residents, in colleagues and in ourselves — and we bring energy and hope to the work.",
            "behaviours": [
                (
                    "strengths-first",
                    "I look for what is strong, not what is wrong",
                    "Starts conversations with what a person or community can already do; builds plans on those strengths.",
                    "Leads with deficits and risks; describes people by their problems.",
                ),
                (
                    "energy-and-hope",
                    "I bring energy and hope to my team",
                    "Is encouraging when things are hard; others leave conversations feeling they can act.",
                    "Spreads cynicism; treats setbacks as proof nothing will change.",
                ),
                (
                    "problems-as-chances",
                    "I see problems as a chance to do things differently",
                    "Responds to a blocker with 'what could we try?'; offers options, not only objections.",
                    "Stops at 'we can't'; waits for someone else to find the answer.",
                ),
                (
                    "credit-others",
                    "I notice and celebrate other people's successes",
                    "Gives specific thanks in public; shares credit across teams and partners.",
                    "Takes the credit; only notices what went wrong.",
                ),
            ],
        },
        {
            "key": "accountable",
            "name": "Accountable",
            "summary": "We do what we say we will, we own our decisions and their results, and we treat public money and residents' trust as our own.",
            "behaviours": [
                (
                    "do-what-i-say",
                    "I do what I say I will, and say early when I can't",
                    "Follows through on commitments; renegotiates openly and in good time.",
                    "Lets things drift; colleagues have to chase.",
                ),
                (
                    "own-decisions",
                    "I own my decisions and learn from my mistakes",
                    "Explains the reasons for a decision; talks openly about what went wrong and what changed as a result.",
                    "Blames others or 'the system'; hides mistakes.",
                ),
                (
                    "public-money",
                    "I use public money and time as carefully as my own",
                    "Asks whether something is worth what it costs; removes waste they find.",
                    "Spends because the budget is there; repeats work nobody needs.",
                ),
                (
                    "seek-feedback",
                    "I ask how I'm doing and act on what I hear",
                    "Asks for feedback from colleagues and residents; changes their approach as a result.",
                    "Avoids feedback or becomes defensive.",
                ),
            ],
        },
        {
            "key": "courageous",
            "name": "Courageous",
            "summary": "We try new things, speak up when something is not right and have honest conversations, even when it would be easier not to.",
            "behaviours": [
                (
                    "try-new-things",
                    "I try new things, even when the outcome is uncertain",
                    "Tests ideas in small ways; shares what they learned whether it worked or not.",
                    "Waits for certainty or permission before trying anything.",
                ),
                (
                    "speak-up",
                    "I speak up when something isn't right",
                    "Raises concerns about safety, fairness or waste promptly and respectfully.",
                    "Stays silent, or complains afterwards instead of at the time.",
                ),
                (
                    "challenge-habits",
                    "I question 'the way we've always done it'",
                    "Asks why a rule or process exists and proposes a better way.",
                    "Defends habits because they are familiar.",
                ),
                (
                    "honest-conversations",
                    "I have honest conversations, including the hard ones",
                    "Gives clear, kind feedback; names difficult issues instead of working around them.",
                    "Avoids difficult conversations; says different things to different people.",
                ),
            ],
        },
    ],
}

MANAGER_FRAMEWORK = {
    "name": "BeWigan manager behaviours",
    "slug": "bewigan-managers",
    "audience": "managers",
    "description": "What the three values ask of people who lead and manage others.",
    "effective_from": datetime.date(2016, 4, 1),
    "values": [
        {
            "key": "positive",
            "name": "Positive",
            "summary": "Managers build on their team's strengths and give people permission to act.",
            "behaviours": [
                (
                    "permission-to-try",
                    "I give my team permission to try things",
                    "Says 'yes, try it' and removes blockers; backs people when a trial does not work.",
                    "Needs to approve every change; punishes failure.",
                ),
                (
                    "know-my-people",
                    "I know what matters to each person in my team",
                    "Holds regular my time conversations that start with how the person is.",
                    "Only talks to people about tasks and targets.",
                ),
                (
                    "recognise-people",
                    "I recognise good work promptly and specifically",
                    "Gives shout-outs that name the value shown.",
                    "Gives praise rarely or only in general terms.",
                ),
            ],
        },
        {
            "key": "accountable",
            "name": "Accountable",
            "summary": "Managers are clear about expectations and take responsibility for their team's results and wellbeing.",
            "behaviours": [
                (
                    "clear-expectations",
                    "I am clear about what good looks like",
                    "Agrees actions with owners and dates; follows them up.",
                    "Leaves expectations vague, then is surprised by results.",
                ),
                (
                    "team-wellbeing",
                    "I look after my team's wellbeing",
                    "Notices when someone is struggling and offers support routes.",
                    "Treats wellbeing as someone else's job.",
                ),
                (
                    "fair-decisions",
                    "I make fair, explained decisions",
                    "Explains decisions and applies rules consistently.",
                    "Has favourites; decisions come as a surprise.",
                ),
            ],
        },
        {
            "key": "courageous",
            "name": "Courageous",
            "summary": "Managers challenge, take considered risks and tackle difficult issues early.",
            "behaviours": [
                (
                    "tackle-issues-early",
                    "I tackle difficult issues early and kindly",
                    "Raises performance or conduct concerns in the moment, with care.",
                    "Lets issues build up until they need a formal process.",
                ),
                (
                    "share-power",
                    "I share power with my team and with residents",
                    "Involves the people affected in decisions.",
                    "Decides alone and announces.",
                ),
                (
                    "work-across-boundaries",
                    "I work across organisational boundaries",
                    "Builds joint work with partner organisations around residents.",
                    "Protects their own patch.",
                ),
            ],
        },
    ],
}

FRAMEWORKS = [STAFF_FRAMEWORK, MANAGER_FRAMEWORK]


def seed_frameworks(Framework, FrameworkVersion, Value, Behaviour):
    """Idempotent: creates version 1 of each framework when missing."""
    for spec in FRAMEWORKS:
        framework, _ = Framework.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "audience": spec["audience"],
                "description": spec["description"],
            },
        )
        if framework.versions.exists():
            continue
        version = FrameworkVersion.objects.create(
            framework=framework,
            number=1,
            status="published",
            effective_from=spec["effective_from"],
            change_note="The original values.",
        )
        for order, v in enumerate(spec["values"], start=1):
            value = Value.objects.create(
                version=version, key=v["key"], name=v["name"], summary=v["summary"], order=order
            )
            for sort_order, (key, statement, present, absent) in enumerate(v["behaviours"]):
                Behaviour.objects.create(
                    value=value,
                    key=key,
                    statement=statement,
                    when_present=present,
                    when_absent=absent,
                    sort_order=sort_order,
                )
