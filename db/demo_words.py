"""The words the demo agency is made of: people, companies, projects, tasks and the things
account managers write down. Kept apart from `db.demo` so the generator reads as logic."""

from __future__ import annotations

FIRST_NAMES = (
    "Anna", "Ben", "Clara", "David", "Elena", "Felix", "Grace", "Hugo", "Isabel", "Jonas",
    "Katja", "Leo", "Maya", "Nils", "Olivia", "Paul", "Quinn", "Rosa", "Samuel", "Tara",
    "Umar", "Vera", "Will", "Yara", "Zoe", "Amir", "Bianca", "Carlos", "Daria", "Emil",
    "Fatima", "Georg", "Hannah", "Ivan", "Julia", "Kai", "Lena", "Marco", "Nora", "Oscar",
    "Priya", "Rafael", "Sofia", "Theo", "Ines", "Lukas", "Mila", "Noah", "Chloe", "Mateo",
    "Aisha", "Erik", "Freya", "Jasper", "Lina", "Milan", "Ruby", "Simon", "Tessa", "Victor",
)  # fmt: skip

LAST_NAMES = (
    "Adler", "Bauer", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Hartmann", "Ivanova",
    "Jansen", "Keller", "Lindqvist", "Moreau", "Nowak", "O'Brien", "Petersen", "Quintana",
    "Rossi", "Schneider", "Torres", "Ueda", "Vogel", "Weber", "Young", "Zimmermann", "Andersen",
    "Brennan", "Castillo", "Dahl", "Engel", "Fontaine", "Gruber", "Holm", "Iglesias", "Jovanovic",
    "Kowalski", "Lambert", "Meyer", "Novak", "Olsen", "Patel", "Richter", "Silva", "Thomsen",
    "Varga", "Walsh", "Berger", "Chen", "Horvat", "Kim", "Larsen", "Murphy", "Nakamura",
    "Okafor", "Park", "Russo", "Sato", "Tanaka", "Wagner", "Yilmaz",
)  # fmt: skip

# First words of client names; each combines with a sector below ("Juniper Coffee Roasters").
BRANDS = (
    "Northwind", "Bluebell", "Copperleaf", "Harbor", "Juniper", "Larkspur", "Meridian",
    "Oakridge", "Pinecrest", "Quayside", "Redfern", "Saltmarsh", "Silverline", "Tidewater",
    "Wildflower", "Brightwater", "Fernhill", "Goldcrest", "Hollowbrook", "Ironbark", "Kestrel",
    "Lumen", "Marigold", "Nettle & Co", "Orchard Lane", "Pebble", "Riverstone", "Sunday",
    "Thistle", "Vantage", "Willow", "Alder", "Beacon", "Cobalt", "Driftwood", "Ember", "Foxglove",
    "Granite", "Heron", "Indigo",
)  # fmt: skip

# (name ending, industry)
SECTORS = (
    ("Coffee Roasters", "Food & beverage"),
    ("Bakery", "Food & beverage"),
    ("Brewing", "Food & beverage"),
    ("Wines", "Food & beverage"),
    ("Dental", "Healthcare"),
    ("Health Clinics", "Healthcare"),
    ("Fitness", "Sports & leisure"),
    ("Cycles", "Sports & leisure"),
    ("Outdoor", "Retail"),
    ("Apparel", "Fashion"),
    ("Skincare", "Beauty"),
    ("Hotels", "Hospitality"),
    ("Travel", "Hospitality"),
    ("Architects", "Architecture"),
    ("Legal", "Professional services"),
    ("Consulting", "Professional services"),
    ("Software", "Technology"),
    ("Robotics", "Technology"),
    ("Energy", "Energy"),
    ("Realty", "Real estate"),
    ("Furniture", "Retail"),
    ("Florists", "Retail"),
    ("Foundation", "Non-profit"),
    ("Museum", "Culture"),
    ("University", "Education"),
)

TAGS = (
    "retainer", "b2b", "b2c", "e-commerce", "print", "social", "video", "key account",
    "referral", "sustainability", "international", "quick payer", "needs hand-holding",
    "award potential", "startup", "family business",
)  # fmt: skip

CURRENCIES = ("EUR", "EUR", "EUR", "EUR", "GBP", "USD", "CHF")

CONTACT_TITLES = (
    "Marketing Director", "Head of Brand", "CEO", "Founder", "Communications Manager",
    "Head of Digital", "Marketing Manager", "Product Owner", "Chief Operating Officer",
    "Social Media Lead", "PR Manager", "Head of E-commerce", "Procurement", "Managing Director",
    "Brand Manager", "Content Lead",
)  # fmt: skip

RAPPORT_NOTES = (
    "Two kids, {kid} and {kid2}; coaches their football team on Saturdays.",
    "Trail runner, did the Zugspitze ultra last year. Ask how training goes.",
    "Vegetarian; loves the Lebanese place near their office.",
    "Big jazz fan, plays the saxophone in a local band.",
    "Just got a puppy (a border collie called {pet}).",
    "Prefers calls before 10:00; hates long email threads.",
    "Into sourdough baking and swaps starters with anyone who asks.",
    "Supports the local handball club, season ticket holder.",
    "Avid sailor, spends August on the Baltic coast.",
    "Daughter {kid} started university this autumn.",
    "Collects vinyl; mentioned hunting for a first pressing of Kind of Blue.",
    "Coffee snob: flat white, oat milk, never before a meeting.",
    "Learning Japanese for a trip next spring.",
    "Keen gardener, grows tomatoes on the office roof terrace.",
    "Likes detailed agendas sent a day ahead; appreciates brevity.",
    "Cycles to work year-round; ask about the new cargo bike.",
)  # fmt: skip

PET_NAMES = ("Biscuit", "Luna", "Pepper", "Otto", "Maple", "Juno")

NOTES_BY_KIND = {
    "vision": (
        "Become the best-loved {industry} brand in the region.",
        "Be known for sustainability, not just price.",
        "Grow from a local favourite into a national name.",
        "A brand younger customers recommend to friends.",
    ),
    "goal": (
        "Double online sales within three years.",
        "Open two new locations and make them feel like the flagship.",
        "Launch a membership programme by next year.",
        "Win back the 25-35 audience lost to newer competitors.",
    ),
    "need": (
        "A refreshed website before the spring season.",
        "Social content they can post three times a week without us.",
        "Packaging that works for the new retail partner.",
        "A trade-fair presence on a tight budget.",
    ),
    "pain_point": (
        "Approval chain is slow; the CEO signs off everything.",
        "In-house team is stretched, briefs arrive late.",
        "Previous agency over-promised on SEO.",
        "Brand feels inconsistent across locations.",
    ),
    "opportunity": (
        "Annual report could move from PDF to an interactive site.",
        "They mentioned a podcast idea at the last lunch.",
        "New product line next year will need a launch campaign.",
        "Their sister company is unhappy with its agency.",
    ),
}

INTERACTION_SUMMARIES = {
    "call": (
        "Quick call about the timeline",
        "Check-in call on campaign results",
        "Call about budget for next quarter",
        "Catch-up call, mostly about their reorganisation",
    ),
    "email": (
        "Sent revised estimate",
        "Shared first concepts by email",
        "Answered questions about usage rights",
        "Sent meeting notes and next steps",
    ),
    "meeting": (
        "Quarterly review at their office",
        "Workshop on brand values",
        "Lunch with the marketing team",
        "Kick-off meeting for the new project",
        "Presented concepts to the board",
    ),
    "note": (
        "Heard they are hiring a new CMO",
        "Competitor launched a similar campaign",
        "They won an industry award; congratulate",
    ),
    "report_sent": (
        "Monthly performance report sent",
        "Social media report for last quarter",
        "Campaign wrap-up report delivered",
    ),
    "gift": (
        "Sent a hamper for the holidays",
        "Birthday flowers delivered",
        "Sent a bottle of wine after launch",
    ),
}

OUTCOMES = {
    "positive": (
        "Very happy, wants to extend the scope.",
        "Approved without changes.",
        "Great energy; they mentioned a referral.",
    ),
    "neutral": (
        "Will get back to us next week.",
        "Needs internal alignment first.",
        "Noted, no action needed.",
    ),
    "negative": (
        "Unhappy with the delay; promised a recovery plan.",
        "Pushed back on the estimate.",
        "Concerned about the quality of the last deliverable.",
    ),
}

FOLLOW_UP_TITLES = (
    "Send revised proposal",
    "Book quarterly review",
    "Call about renewal",
    "Share case study",
    "Send thank-you note",
    "Chase approval of concepts",
    "Prepare pitch deck",
    "Invite to the summer party",
    "Ask for a testimonial",
    "Confirm photo shoot date",
)
# The ones an account manager would let the client see; the rest (chasing, thank-you notes,
# invitations, asking favours) stay internal.
SHARED_FOLLOW_UP_TITLES = frozenset(
    {
        "Send revised proposal",
        "Book quarterly review",
        "Share case study",
        "Confirm photo shoot date",
    }
)

OPPORTUNITY_TITLES = (
    "Website relaunch",
    "Social media retainer",
    "Annual report",
    "Employer branding campaign",
    "Packaging for new product line",
    "Trade fair booth",
    "Podcast series",
    "Newsletter programme",
    "Brand workshop",
    "Video campaign",
)

GIFT_IDEAS = (
    ("Birthday", "Flowers and a handwritten card"),
    ("Christmas", "Hamper with local delicacies"),
    ("Project launch", "Bottle of champagne"),
    ("Work anniversary", "Engraved notebook"),
    ("New baby", "Organic cotton baby set"),
    ("Promotion", "Book by their favourite author"),
    ("Thank you", "Tickets to a jazz concert"),
)

RATING_COMMENTS = (
    "Great collaboration, very responsive.",
    "Happy overall, deadlines were tight.",
    "Quality good, communication could be better.",
    "Loved the new campaign.",
    "Budget overruns are a concern.",
    "",
)

PROJECT_NAMES = (
    "{season} rebrand",
    "Website relaunch",
    "{season} social campaign",
    "Product launch video",
    "Annual report",
    "Packaging refresh",
    "Trade fair booth",
    "Newsletter redesign",
    "Brand guidelines",
    "Online shop",
    "Podcast series",
    "Recruiting campaign",
    "Store opening",
    "Anniversary campaign",
)

PROJECT_BRIEFS = (
    "Refresh the brand so it feels modern without losing loyal customers.",
    "A faster, accessible website that turns visitors into enquiries.",
    "Grow reach with the 25-35 audience through short-form video.",
    "Launch the new product nationally with a hero film and cut-downs.",
    "Tell the year's story in print and on the web.",
)

# (phase name, task names, closing milestone or deliverable: (name, kind))
PHASES = (
    (
        "Discovery",
        ("Kick-off meeting", "Stakeholder interviews", "Competitor audit", "Creative brief"),
        ("Brief approved", "milestone"),
    ),
    (
        "Concept",
        ("Moodboard", "Concept sketches", "Copy draft", "Internal review", "Client review"),
        ("Concept signed off", "milestone"),
    ),
    (
        "Design",
        ("Key visual", "Layout design", "Photo shoot", "Illustrations", "Copy final", "Proofing"),
        ("Design files", "deliverable"),
    ),
    (
        "Production",
        ("Artwork final", "Development", "Print production", "QA and testing", "Client review"),
        ("Final files delivered", "deliverable"),
    ),
    (
        "Launch",
        ("Launch plan", "Media booking", "Go-live", "Launch report"),
        ("Launch", "milestone"),
    ),
)

# A phase's tasks may gather under a group of this name, one level deeper.
PHASE_GROUPS = {
    "Discovery": "Research",
    "Concept": "Creative development",
    "Design": "Assets",
    "Production": "Build",
    "Launch": "Campaign",
}

COST_NOTES = (
    "Photographer day rate",
    "Stock images",
    "Print proofs",
    "Freelance illustrator",
    "Studio hire",
    "Font licence",
    "Hosting",
    "Courier",
)

CHANGE_REQUESTS = (
    "Add a second language version",
    "Extra round of revisions on the key visual",
    "Move launch forward by a week for the trade fair",
    "Add three more product pages",
    "Replace stock photos with a custom shoot",
    "Include a short teaser video",
)

TIME_OFF_REASONS = ("Vacation", "Vacation", "Parental leave", "Conference", "Training", "Sick")
