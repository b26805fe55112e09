"""Cue: why the stream cannot proceed on its own (step 2: resistance), classified by the resource lacking.

Resistance is "organisational behaviour in response to resource constraint". People state it as a lack
("we don't have the data", "not enough people", "nobody trusts us") or as a hard limit ("we are four
people", "we can't give legal advice", "the fee doesn't pay for it"). Two kinds of cue:

- *lack statements*: a lack word right before a resource noun ("no budget", "not enough lawyers", "don't
  have their invoices"), or an idiom that is a lack on its own ("small team", "never heard of us");
- *resource nouns* ("trust", "data", "budget"), which count only in the answer to a "why" question,
  and only in a sentence that also says something is missing or limited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.extraction.offline.cues import any_of, phrases
from agent.extraction.offline.cues.caseless import caseless
from schemas.elements import Resource

# The nouns by which each resource is named. People are capacity: "not enough lawyers" means hands.
RESOURCE_NOUNS: dict[Resource, tuple[str, ...]] = {
    Resource.CAPITAL: ("money", "budget", "budgets", "cash", "capital", "funding", "funds", "runway", "investment",
                       "investors", "margin", "margins", "revenue", "profit", "profits", "financing", "balance sheet",
                       "cash flow", "working capital", "credit line", "bank", "loan", "loans", "overdraft"),
    Resource.CAPACITY: ("people", "staff", "hands", "time", "capacity", "bandwidth", "headcount", "engineers",
                        "developers", "devs", "salespeople", "reps", "employees", "manpower", "hours", "specialists",
                        "agents", "hires", "team members", "workers", "vans", "wagons", "lorries", "trucks", "vehicles",
                        "low-loaders", "slots", "trainers", "drivers", "surveyors", "installers", "technicians",
                        "van", "receptionist", "mechanics", "spare", "spares", "machines", "robots", "desks", "rooms",
                        "beds", "chairs"),
    Resource.EXPERTISE: ("expertise", "experience", "know-how", "skills", "skill", "knowledge", "experts", "expert",
                         "specialist knowledge", "qualifications", "licence", "license"),
    Resource.DATA: ("data", "information", "database", "content", "listings", "inventory", "catalogue", "catalog",
                    "history", "records", "reviews", "photos", "insight", "insights", "documents", "stock",
                    "benchmarks", "examples", "training data"),
    Resource.REACH: ("reach", "audience", "distribution", "channel", "channels", "traffic", "awareness", "leads",
                     "visibility", "followers", "exposure", "presence", "network", "brand recognition"),
    Resource.TRUST: ("trust", "credibility", "reputation", "track record", "references", "proof", "case studies",
                     "certification", "certifications", "credentials", "social proof", "testimonials",
                     "soc 2", "soc2", "iso 27001"),
    Resource.TECHNOLOGY: ("technology", "tech", "api", "apis", "integration", "integrations", "infrastructure",
                          "automation", "tooling", "platform", "app", "engineering", "algorithm", "model", "software", "trackers",
                          "tracking", "sensors"),
}  # fmt: skip
_LACK_LEADS = (
    r"not enough", r"(?:aren't|isn't|wasn't|weren't) enough", r"no", r"(?:don't|do not|didn't|did not|doesn't|does not|never) (?:have|had|get|got)",
    r"(?:haven't|hasn't|hadn't)(?: got| had)?", r"know nothing about", r"(?:have|has|had) no", r"lack(?:s|ed|ing)?(?: of)?", r"without",
    r"short (?:on|of)", r"shortage of", r"too (?:few|little)", r"limited", r"(?:can't|cannot|couldn't) afford",
    r"(?:running|ran|run) out of", r"out of", r"zero", r"nowhere near enough", r"not (?:much|many)", r"barely any",
    r"(?:can't|cannot|couldn't) (?:get|find|hire|build|buy|raise)", r"no way to get", r"(?:need|needs|needed) more",
    r"scarce", r"not the",
)  # fmt: skip
_COUNT = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|a few|a couple of|"
    r"a handful of|two or three|three or four)"
)
# Idioms that state a lack without naming the resource noun.
_IDIOMS: dict[Resource, tuple[str, ...]] = {
    Resource.CAPITAL: (r"(?:can't|cannot|couldn't) afford", r"(?:doesn't|don't|didn't|won't) pay for",
                       r"(?:doesn't|don't|didn't|won't) cover", r"(?:lose|losing|lost) money", r"burn(?:ing)? cash",
                       r"(?:too|very|so) expensive (?:for us|to|at our)", r"(?:our )?biggest cost", r"unprofitable",
                       r"not profitable", r"pay for itself", r"acquisition cost\w*", r"payback", r"bootstrapp\w*",
                       r"(?:thin|tight|low) margins?", r"margins? (?:are|is) (?:thin|tight|low)", r"cash[- ]strapped",
                       r"(?:no|never) (?:profit|money) (?:before|until)", r"subsidi[sz]\w*"),
    Resource.CAPACITY: (r"(?:too )?small (?:a )?team", r"(?:we are|we're|there are|there's) (?:only |just )?" + _COUNT + r" (?:people|of us)",
                        r"only " + _COUNT + r" (?:people|of us|engineers|developers|reps|specialists|hands|staff)",
                        r"one[- ](?:wo)?man (?:shop|band|team)", r"one[- ]person (?:team|shop|company)",
                        r"solo (?:dev|developer|founder)", r"by myself", r"on my own", r"understaffed",
                        r"(?:stretched|overloaded|swamped|overwhelmed)", r"backlog", r"one (?:\w+ )?at a time",
                        r"(?:\w+ )?(?:hours|days|weeks) (?:per|for each|for every) (?:\w+)",
                        r"(?:can't|cannot|couldn't) (?:keep up|scale|cope|handle (?:it|them|that|the volume))",
                        r"doesn't scale", r"don't scale", r"(?:is|are) the scarce", r"scarce",
                        r"(?:I'm|I am) (?:only |just )?one person", r"(?:it's|it is) (?:only|just) me\b",
                        r"(?:can't|cannot|couldn't) carry", r"(?:paid|get) nothing (?:on \w+ )?until",
                        r"(?:we've|we have|I've|I have)(?: got)? (?:only |just )?" + _COUNT + r" (?:[\w-]+ )?(?:people|vans|"
                        r"wagons|trucks|lorries|drivers|trainers|surveyors|installers|technicians|low-loaders|rooms)"),
    Resource.EXPERTISE: (r"(?:can't|cannot|can not|not allowed to|aren't allowed to) (?:give|offer|provide) (?:\w+ )?advice",
                         r"(?:we|I) (?:don't|didn't|do not) know how to",
                         r"(?:we're|we are|we aren't|we're not) (?:not )?(?:a|an) (?:\w+ ){0,2}(?:firm|practice|doctor|clinic|bank|agency|accountants?|experts?|consultancy)",
                         r"not (?:experts|specialists)", r"outside (?:our|my) expertise",
                         r"(?:we|I) (?:don't|didn't) understand", r"not qualified", r"no idea how"),
    Resource.DATA: (r"(?:don't|do not|didn't) know (?:who|which|how many|their|what (?:they|customers|users|people|buyers) (?:want|need|like|buy))",
                    r"(?:need|needs|needed) to know",
                    r"cold start", r"incomplete", r"(?:is|was|remains|still) (?:empty|thin|missing|patchy)",
                    r"no way to get (?:that|the|their) data", r"we have no way to (?:get|know|see)",
                    r"flying blind", r"guessing", r"know nothing about", r"(?:don't|doesn't) know (?:the|where)",
                    # The customer's data held by whoever served them before: "Their old provider holds the data".
                    r"(?:their|the|your) (?:old|previous|former|last|existing) (?:[\w-]+ )?(?:provider|supplier|vendor|"
                    r"system|software|bank|accountant|agency|platform|broker|insurer|bureau|crm) (?:still )?"
                    r"(?:holds|is holding|sits on|controls|won't release|won't hand over) (?:all )?(?:of )?(?:the|their|"
                    r"your) (?:data|records|history|files|information|details)"),
    Resource.REACH: (r"nobody knows (?:us|about us|who we are)", r"never heard of (?:us|them)",
                     r"(?:can't|cannot|couldn't) reach", r"hard to reach", r"cold (?:call\w*|email\w*|outreach)",
                     r"(?:don't|won't|didn't|never) (?:answer|call back|pick up|reply|respond)",
                     r"(?:unknown|small|new|tiny) (?:brand|player|startup|company)", r"nobody (?:comes|visits|finds us)",
                     r"ignor(?:e|es|ed|ing) (?:it|us|them|our \w+)", r"never hear from (?:them|\w+) again"),
    Resource.TRUST: (r"(?:nobody|no one)(?: [\w-]+){0,3} (?:trusts?|believes?)", r"(?:don't|doesn't|won't|didn't|never) (?:trust|believe)",
                     r"anonymous", r"skeptic\w*", r"sceptic\w*", r"suspicious", r"(?:unknown|new) (?:vendor|company|brand|name|supplier)",
                     r"(?:never|not) heard of", r"soc ?2", r"iso ?27001", r"security (?:review|questionnaire|audit|team)",
                     r"compliance", r"(?:no|without) (?:proof|evidence)", r"(?:won't|don't|doesn't) take (?:an? )?(?:anonymous|unknown)",
                     r"(?:risk|risky) for them", r"prove (?:it|ourselves|that)"),
    Resource.TECHNOLOGY: (r"(?:tech|technology|product|platform|app|software|feature|integration|api|model|algorithm|engine|system)"
                          r" (?:is|was|isn't|wasn't|are|aren't)?\s?(?:not |n't )?(?:ready|built|there yet|good enough|mature|reliable|accurate)",
                          r"(?:can't|cannot|couldn't|doesn't|don't) (?:integrate|automate|parse|extract|support|handle that)",
                          r"not (?:built|automated) yet", r"legacy (?:system|stack|code)", r"tech(?:nical)? debt",
                          r"(?:haven't|hasn't|didn't) (?:built|automated|shipped)",
                          r"(?:model|algorithm|system) (?:needs|need) (?:\w+ ){0,3}data"),
}  # fmt: skip
_LACK_WORDS = phrases((
    r"no", r"not", r"n't", r"never", r"nobody", r"no one", r"nothing", r"none", r"only", r"just", r"too", r"lack\w*",
    r"without", r"missing", r"short", r"shortage", r"limited", r"scarce", r"insufficient", r"incomplete", r"unable",
    r"hard", r"difficult", r"expensive", r"costly", r"bottleneck", r"can't", r"cannot", r"couldn't", r"won't",
    r"isn't", r"aren't", r"doesn't", r"don't", r"need", r"needs", r"needed",
))  # fmt: skip
# How a resistance was dealt with, when the speaker says so (an exchange is found separately, at the threshold).
RESOLVED_INTERNALLY = phrases((
    r"(?:we|I) (?:hired|built|bought|automated|invested|fixed|solved|outsourced|trained|raised)", r"in-house",
    r"internally", r"(?:we|I) (?:got|get) (?:it|the \w+) done ourselves",
))  # fmt: skip
UNRESOLVED = phrases((
    r"still (?:don't|can't|no|haven't|not)", r"(?:haven't|hasn't|never) (?:solved|fixed|found a way|figured)",
    r"no (?:fix|solution|answer) (?:yet|for)", r"(?:nobody|no one) knows (?:why|how)", r"unsolved", r"(?:can't|cannot) fix",
))  # fmt: skip
_WORD_NOUNS = {noun: resource for resource, nouns in RESOURCE_NOUNS.items() for noun in nouns}
_NOUN_PATTERN = any_of(_WORD_NOUNS)
_LACK_STATEMENT = caseless(
    r"(?<![\w'])(?:" + "|".join(_LACK_LEADS) + r")\s+(?:(?:the|any|enough|much|many|a lot of|our own|real|the right|"
    r"their|your|its|our|that|this|a|an)\s+)?(?:[\w-]+\s+)?(?P<noun>" + _NOUN_PATTERN + r")(?![\w'])",
)
_IDIOM_PATTERNS = {resource: phrases(idioms) for resource, idioms in _IDIOMS.items()}
_LEAD = r"(?<![\w'])(?:" + "|".join(_LACK_LEADS) + r")\s+"
# "We don't have their invoices": what the organisation lacks is the customer's own material.
# "We don't have our own vans": owning the means to do the work is capacity.
_LACK_OWN = caseless(_LEAD + r"our own\s+[\w-]+")
_LACK_THEIRS = caseless(
    _LEAD + r"(?:\w+ )?(?:their|your|the customer's|the client's)\s+(?:own\s+)?[\w-]+"
)
# "Not enough lawyers / drivers / specialists": people who do the work are capacity; buyers are reach.
_BUYERS = frozenset(
    {"customers", "users", "buyers", "subscribers", "members", "followers", "readers", "listeners", "visitors",
     "viewers", "players", "shoppers", "clients", "leads", "signups", "prospects", "fans"}
)  # fmt: skip
_WORKERS = (
    "lawyers", "doctors", "nurses", "drivers", "engineers", "developers", "designers", "writers", "editors", "translators",
    "moderators", "reviewers", "testers", "teachers", "tutors", "trainers", "coaches", "cleaners", "couriers", "riders",
    "packers", "pickers", "cooks", "chefs", "accountants", "consultants", "specialists", "analysts", "technicians",
    "partners", "suppliers", "sellers", "vendors", "hosts", "creators", "experts", "salespeople", "recruiters",
    "installers", "inspectors", "advisors", "advisers", "therapists", "instructors", "volunteers", "freelancers",
    "mechanics", "receptionists", "dentists", "surveyors", "nurses", "mentors",
)  # fmt: skip
_LACK_PEOPLE = caseless(
    _LEAD
    + r"(?:(?:enough|more|the|many|any)\s+)?(?:[\w-]+\s+)?(?P<people>"
    + any_of(_WORKERS + tuple(_BUYERS))
    + r")\b",
)
_UNABLE = caseless(
    r"\b(?:we|I)(?: just| simply| still)? (?:can't|cannot|couldn't|can not|aren't able to|are not able to|"
    r"have no way to|don't have (?:a|an|any) (?:way|means) to)\s+(?!afford\b)[a-z]",
)
_NOUN_ANYWHERE = phrases(re.escape(n) for n in _WORD_NOUNS)


@dataclass(frozen=True)
class ResistanceCue:
    resources: tuple[Resource, ...]  # in the order the framework lists them
    start: int  # where the first cue sits, for naming the resistance by its clause


def find_resistance(plain: str, answers_why: bool) -> ResistanceCue | None:
    """The resources a sentence says are lacking; None if it states no lack.

    `answers_why` relaxes the rule: in an answer to "why must the customer act?", a resource noun in a
    sentence that says something is missing or limited is enough.
    """
    found: dict[Resource, int] = {}
    for match in _LACK_STATEMENT.finditer(plain):
        resource = _WORD_NOUNS[match.group("noun").lower()]
        found.setdefault(resource, match.start())
    for match in _LACK_PEOPLE.finditer(plain):
        people = match.group("people").lower()
        found.setdefault(Resource.REACH if people in _BUYERS else Resource.CAPACITY, match.start())
    theirs = _LACK_THEIRS.search(plain)
    if theirs:
        found.setdefault(Resource.DATA, theirs.start())
    own = _LACK_OWN.search(plain)
    if own and not found:
        found[Resource.CAPACITY] = own.start()
    for resource, pattern in _IDIOM_PATTERNS.items():
        idiom = pattern.search(plain)
        if idiom:
            found.setdefault(resource, idiom.start())
    short_answer = len(plain.split()) <= 3  # "Capacity." answering "why can't you do it yourselves?"
    if not found and answers_why and (short_answer or _LACK_WORDS.search(plain)):
        for match in _NOUN_ANYWHERE.finditer(plain):
            found.setdefault(_WORD_NOUNS[match.group(0).lower()], match.start())
    if not found and answers_why:
        # "Because we can't watch the floor": the organisation cannot do it itself, so the customer must. With no
        # resource named, the hands to do it are what is short (capacity), the seed's commonest reading.
        unable = _UNABLE.search(plain)
        if unable:
            found[Resource.CAPACITY] = unable.start()
    if not found:
        return None
    ordered = tuple(resource for resource in Resource if resource in found)
    return ResistanceCue(ordered, min(found.values()))
