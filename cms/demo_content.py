"""Original demo copy for the intranet: innovation stories, news and ideas
about community investment, reablement and neighbourhood teams."""

# title, summary, paragraphs, quote (text, attribution) or None, figures [(measure, before, after)], tags
STORIES = [
    (
        "Kettle on at the Hindley library",
        "A weekly drop-in run with the library turned a quiet room into the place neighbours sort out benefits, boilers and loneliness.",
        [
            "Staff from three partners started sitting in the library on Tuesday mornings with a kettle and no appointments.",
            "Within two months the drop-in was seeing more people than the formal advice surgery it replaced.",
        ],
        ("People come for a brew and leave with a plan.", "Community connector, Hindley"),
        [("People helped each month", "18", "64")],
        ["community investment", "neighbourhood teams"],
    ),
    (
        "Reablement that starts on the ward",
        "Reablement workers now meet patients before discharge, so the first visit at home is not the first hello.",
        [
            "A pilot on two wards let reablement workers join discharge planning a day early.",
            "Patients knew who was coming, and equipment was in place before they got home.",
        ],
        ("I already knew Jo's name when she knocked.", "Patient, Leigh"),
        [("Days until first home visit", "3", "1"), ("Readmissions within 30 days", "14%", "9%")],
        ["reablement"],
    ),
    (
        "Bikes for carers in Wigan Central",
        "Six e-bikes let home carers skip the traffic between short visits in the town centre.",
        [
            "The team borrowed the bikes from the council's fleet for a three-month trial.",
            "Carers spent less time in traffic and more time with people.",
        ],
        None,
        [("Minutes travelling per shift", "95", "60")],
        ["travel", "reablement"],
    ),
    (
        "A neighbourhood team with one front door",
        "Council, NHS and housing staff in Atherton and Tyldesley now share one phone number and one morning huddle.",
        [
            "The huddle takes fifteen minutes and covers every new referral.",
            "Nobody is passed between three services any more.",
        ],
        ("The huddle is the best fifteen minutes of my day.", "District nurse"),
        [("Hand-offs per referral", "3.1", "1.2")],
        ["neighbourhood teams"],
    ),
    (
        "Community chest grants decided by residents",
        "Residents in Wigan North chose which local groups got small grants, at a public vote in the market hall.",
        [
            "Twelve groups pitched for up to £1,000 each.",
            "Four hundred residents voted, and every group got feedback.",
        ],
        None,
        [("Residents taking part", "40", "400")],
        ["community investment"],
    ),
    (
        "Falls prevention classes in the park",
        "Strength and balance classes moved outdoors for the summer, and more people came.",
        [
            "Physiotherapists ran the classes with a local walking group.",
            "People who had never been to a clinic class joined in.",
        ],
        None,
        [("Weekly attendance", "12", "35")],
        ["reablement", "prevention"],
    ),
    (
        "Shared care records on one screen",
        "Social workers and GPs in Ashton, Golborne and Lowton can see the same up-to-date care plan.",
        [
            "Consent was asked once, in plain words, and recorded where everyone could see it.",
            "Visits stopped repeating the same questions.",
        ],
        None,
        [("Duplicate assessments a month", "30", "6")],
        ["digital", "neighbourhood teams"],
    ),
    (
        "Warm spaces map made by young people",
        "Sixth formers mapped every warm space in the borough and checked opening times each week.",
        ["The map is printed in libraries and online.", "Staff use it during home visits."],
        ("We found places even the council did not know about.", "Student volunteer"),
        [],
        ["community investment", "young people"],
    ),
    (
        "Hospital to home in one day",
        "A joined-up discharge team in Wigan West got most people home on the day they were ready.",
        [
            "Transport, medicines and equipment are booked by one coordinator.",
            "Families get a call the evening before.",
        ],
        None,
        [("People home on the day they were ready", "48%", "81%")],
        ["reablement"],
    ),
    (
        "Digital buddies for older residents",
        "Volunteers help residents book appointments and video-call family on donated tablets.",
        [
            "The scheme started with ten tablets from a local business.",
            "Buddies meet residents in their own homes or the library.",
        ],
        None,
        [("Residents supported", "0", "120")],
        ["digital", "community investment"],
    ),
    (
        "Police and housing walk the estate together",
        "Monthly walkabouts in Leigh let residents raise problems with the people who can fix them.",
        [
            "Each walk ends with a list of actions and names.",
            "Actions are reported back on the community noticeboard.",
        ],
        None,
        [("Repeat reports of fly-tipping", "22", "7")],
        ["neighbourhood teams"],
    ),
    (
        "Food club in Ince",
        "A members' food club replaced the emergency food parcel queue with a weekly shop for a small fee.",
        ["Members choose their own food.", "Advisers are on hand for money and energy questions."],
        ("It feels like shopping, not charity.", "Food club member"),
        [("Members", "30", "210")],
        ["community investment"],
    ),
    (
        "Reablement kit library",
        "Small aids like perching stools and grab rails are lent on the first visit instead of weeks later.",
        [
            "Workers carry the most-used items in their cars.",
            "Items come back cleaned and are logged by QR code.",
        ],
        None,
        [("Days waiting for small aids", "12", "0")],
        ["reablement"],
    ),
    (
        "Neighbourhood welcome packs for new staff",
        "New starters in the neighbourhood teams spend their first week meeting local groups.",
        [
            "Every new starter visits five community groups in their patch.",
            "They come back knowing who to call.",
        ],
        None,
        [],
        ["neighbourhood teams", "people"],
    ),
    (
        "Social prescribing goes to the football club",
        "Men referred for low mood now meet at the football club's community room.",
        [
            "The club hosts walking football and a weekly chat.",
            "Referrals come from GPs and job centres.",
        ],
        None,
        [("Men attending regularly", "5", "38")],
        ["community investment", "prevention"],
    ),
    (
        "Twenty-minute visits become forty",
        "A trial of longer, fewer home care visits gave people more time and carers less rushing.",
        ["Visits were planned with the person, not the rota.", "Carers reported less stress."],
        ("I can finally have a proper conversation.", "Home carer"),
        [("Carer sickness days per month", "41", "26")],
        ["reablement", "people"],
    ),
    (
        "Street champions in Golborne",
        "Residents look out for neighbours and know who to call in the neighbourhood team.",
        [
            "Thirty residents signed up in the first month.",
            "Champions meet the team every quarter.",
        ],
        None,
        [],
        ["community investment", "neighbourhood teams"],
    ),
    (
        "Plain-English letters",
        "A small team rewrote the fifty most-sent letters with residents, and calls asking what they meant fell.",
        ["Residents read every draft.", "Letters now say what happens next and who to contact."],
        None,
        [("Calls asking what a letter means", "900", "310")],
        ["digital"],
    ),
    (
        "Wheelchair repairs in the community",
        "A mobile repair van now fixes chairs at home instead of taking them away for weeks.",
        ["The van carries the most common parts.", "Most repairs are done in one visit."],
        None,
        [("Days without a chair", "16", "2")],
        ["reablement"],
    ),
    (
        "A garden at the health centre",
        "Staff and patients built a garden that is now used for walking groups and quiet breaks.",
        ["A local charity donated plants.", "The garden is looked after by volunteers."],
        None,
        [],
        ["community investment", "wellbeing"],
    ),
]

NEWS = [
    (
        "New neighbourhood hub opens in Leigh",
        "Council, NHS and police staff now share one building on the high street.",
    ),
    (
        "Community investment fund opens for bids",
        "Local groups can bid for up to £5,000 until the end of next month.",
    ),
    (
        "Reablement service rated good",
        "Inspectors praised how quickly people get help after leaving hospital.",
    ),
    (
        "Staff survey results published",
        "Thank you to everyone who took part: the results and actions are on the surveys page.",
    ),
    (
        "Winter pressures: what to expect",
        "Extra beds, extra home care and longer opening hours at urgent care.",
    ),
    (
        "Ideas scheme: one year on",
        "Staff shared more than a hundred ideas; here is what happened to them.",
    ),
    (
        "New starters' induction moves online",
        "The first morning is now a short online welcome, followed by a neighbourhood visit.",
    ),
    ("Carers' week events", "Coffee mornings and advice stalls across all seven neighbourhoods."),
    (
        "Digital skills sessions for staff",
        "Short sessions on shared records, video calls and safe email.",
    ),
    (
        "Volunteers' awards nominations open",
        "Tell us about a volunteer who makes a difference in your neighbourhood.",
    ),
]

IDEA_TITLES = [
    "Share one van between the two reablement teams",
    "Text reminders for falls classes",
    "A lending shelf for walking aids in every library",
    "Let carers finish at home on the last visit",
    "Monthly resident panel for the neighbourhood team",
    "Translate the discharge leaflet into Polish and Urdu",
    "One referral form for all partners",
    "Free bus passes for carers between visits",
    "Quiet room for staff at the hub",
    "Community fridge at the food club",
    "Move team huddles outdoors in summer",
    "Use the police station's meeting room for advice surgeries",
    "Shadow a colleague in another partner for a day",
    "Put the warm spaces map on the back of council tax bills",
    "Reuse returned equipment faster with QR labels",
    "Lunch and learn on benefits changes",
    "A buddy for every new starter",
    "Pool cars booked by app",
    "Plain-English reablement plan for families",
    "Fix the hub's broken hearing loop",
    "Weekend drop-in for young carers",
    "Ask residents to score our letters",
    "Shared calendar of community events",
    "Offer flu jabs at the food club",
    "Walking meetings for one-to-ones",
]

IDEA_PROBLEMS = [
    "People wait too long, and staff spend the time chasing paperwork instead of helping.",
    "Residents tell us the same story three times to three services.",
    "Carers lose an hour a day in traffic between short visits.",
    "Families do not know what happens after discharge and ring the ward for answers.",
    "Staff in different partners do not know each other, so referrals bounce.",
]

IDEA_DESCRIPTIONS = [
    "Try it for six weeks in one neighbourhood, count what changes, and share the results with the team.",
    "Start small with volunteers from our team, ask residents what they think, then decide whether to keep it.",
    "Borrow what we already have from another partner rather than buying anything new.",
    "Agree a simple measure with the neighbourhood team before we start, and check it every fortnight.",
]

COMMENTS = [
    "We tried something similar in Leigh and it worked well. Happy to share notes.",
    "Would this need sign-off from the data protection officer?",
    "Love this. Count me in for the trial.",
    "Residents asked for exactly this at the last panel.",
    "Could we start in one team first?",
    "The money is small compared with the time it would save.",
]

STATUS_REASONS = {
    "under_review": "Thanks for this. I am talking to the service manager about what it would take.",
    "supported": "The service manager agrees: you have time to try it for six weeks.",
    "trialling": "The trial has started in one neighbourhood; we will check the numbers in a month.",
    "adopted": "The trial worked and the service is making it the normal way of working.",
    "not_now": "Not now: the service is being redesigned this year. We will look again in the spring.",
    "merged": "This is the same as an earlier idea, so we have joined them up. Your support carries over.",
}
