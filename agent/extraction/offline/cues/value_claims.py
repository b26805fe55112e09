"""Cue: the value evoked at a VEP (step 3) and the propositions compared across thresholds (step 6).

A value proposition is "one expression of value, as said somewhere". In speech it shows up as:
a slogan in quotes after a telling verb ("the headline is "..."", "we tell them ..."), or a benefit said
to the customer ("you get", "saves you", "so you can", "without", "in minutes", "no more").
This module finds those, cuts a statement into its atomic claims, and names the audience when the
speaker does ("for lawyers", "enterprise customers"). It also reads whether the value *activates*
(people act on it: "it works", "beat the other versions") or only *resonates* ("they like it, but").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.extraction.offline.cues import CUSTOMER_ROLES, ORG_SUBJECT, phrases
from agent.extraction.offline.cues.caseless import CaselessPattern, caseless
from schemas.elements import Activation

# "You get a discount", not "you get to a moment" or "when you get acquired".
_YOU_GET = (
    r"(?:you|they)(?:'ll| will)? get (?:a|an|the|your|their|access|more|free|\d+|all|everything|unlimited|"
    r"personal\w*|priority|two|three|\w+ (?:percent|%))"
)
CLAIM = phrases((
    r"sav(?:e|es|ed|ing) (?:you |them |us )?(?:time|money|hours|days|\w+ (?:hours|minutes|percent|%))", r"faster",
    r"quicker", r"cheaper", r"easier", r"simpler", r"better (?:than|results|outcomes|deals|prices|quality|service)",
    r"(?:in|within) (?:minutes|seconds|hours|a day|days)",
    r"(?:no|without) (?:more )?(?:\w+ ){0,2}(?:hassle|surprises|paperwork|waiting|effort|fees|stress|risk|worries|shopping|waste)",
    r"never (?:again|worry)", _YOU_GET, r"help(?:s)? (?:you|them|teams|businesses|people|companies)",
    r"so (?:that )?(?:you|they) can", r"without (?:having to|the need|lifting)", r"instead of", r"guarantee(?:d|s)?",
    r"(?:all|everything) in one(?: place)?", r"one place", r"peace of mind", r"automatic(?:ally)?",
    r"(?:cut|cuts|reduce|reduces|slash|slashes|halve|halves) (?:\w+ ){0,3}(?:by|in half)", r"more (?:\w+ ){0,2}(?:revenue|clients|customers|sales|time|leads)",
    r"less (?:time|work|waste|stress|effort)", r"free", r"on us", r"(?:perfect|personal|tailored|personali[sz]ed) (?:\w+)",
    r"(?:checked|verified|vetted|certified|tested|approved|curated|hand-picked) by", r"the right (?:\w+ ){0,2}for you",
    r"(?:worry|stress|hassle)[- ]free", r"for (?:only|just) ", r"(?:your|a) (?:own|personal|dedicated) ", r"all you need",
    r"lets? (?:you|them)", r"gives? (?:you|them)", r"you'll (?:get|save|never)", r"you never have to",
    r"(?:you|they) (?:don't|do not) have to", r"(?:catch|catches|protect|protects|prevent|prevents) ", r"smarter",
    r"(?:no|zero) (?:\w+ )?(?:spend|fees|commission)", r"keep (?:your|their) own", r"(?:from|only|just) (?:€|\$|£)\s?\d",
    r"(?:below|under) (?:their|the|your) (?:normal|usual|regular|market)",
))  # fmt: skip
# A promise, a pitch or a headline is a value proposition by definition; "we say" needs a benefit too.
STRONG_TELLING = phrases((
    ORG_SUBJECT + r" (?:also )?(?:promise|promises|promised|guarantee|guarantees|guaranteed|pitch|pitches|pitched)",
    r"(?:the|our) (?:main )?(?:headline|tagline|slogan|strapline|promise|pitch|value prop(?:osition)?)"
    r"(?: (?:to|for) (?:the |our )?[\w-]+)? (?:is|was|says|said)",
    # A staff member's "I" telling the customer: "I tell them we're small and local".
    r"\bI (?:always |usually |just )?(?:tell|promise|pitch to) (?:them|customers|clients|families|people|parents|owners|"
    r"members|patients|buyers)\b",
    r"the (?:main )?line is", r"the offer is",
    # Told to the customer in so many words, whatever it claims: "we tell them it's a two-minute check", "the
    # website says ...", "clients are told ...", "the way I put it is ...". "We tell them to bring ID" is an instruction.
    ORG_SUBJECT + r" (?:also |always |usually )?(?:tell|tells|told) (?:them|customers|clients|people|parents|owners|"
    r"members|patients|buyers|families)(?! to\b)",
    r"(?:the|our) (?:[\w-]+ )?(?:website|site|brochure|leaflet|letter|ad|advert|landing page|homepage|label|banner) "
    r"(?:says|said|promises|promised)(?! to\b)",
    r"(?:[\w-]+s|people|they) (?:are|were) (?:told|sold|promised)(?! to\b)",
    r"(?:the way I put it|what I tell them(?: [\w-]+){0,4}|the idea) is",
    ORG_SUBJECT + r" (?:also |always |usually )?(?:say|says)(?= (?:that )?(?:we'll|we will|you'll|you will|they'll|it's|"
    r"it will|every|our|your)\b)",
    r"(?:our|the) (?:terms(?: and conditions)?|t&cs|small print|contract|agreement) (?:say|says|said)(?! to\b)",
))  # fmt: skip
TELLING = phrases((
    ORG_SUBJECT + r" (?:also )?(?:say|says|said|tell|tells|told|promise|promises|promised|claim|claims|pitch|pitches|"
    r"position|positions|advertise|advertises|market|markets|sell|sells|lead with|leads with|call it)",
    r"headline", r"tagline", r"slogan", r"strapline", r"pitch", r"messaging", r"(?:the|our|main) message", r"the line",
    r"the offer is", r"value prop(?:osition)?", r"our promise", r"the story is",
    r"(?:page|pager|site|website|homepage|ad|ads|email|banner|copy|deck|checklist|screen|button|popup|pop-up|letter|"
    r"slide|leaflet|flyer|brochure|poster|script|video|post|listing) "
    r"(?:says|said|reads|promises|promised|is|adds|opens with|starts with|leads with|ends with)",
    r"(?:is|was) presented as",
    r"(?:added|add|adding|put|putting) (?:the |a |an )?(?:[\w-]+ )?(?:slide|line|bullet|banner|headline|claim)",
))  # fmt: skip
# Where value is written for customers to read: a sentence that is all quotation after naming one ("Our own ads,
# on job boards. "Earn 25 an hour."") quotes what it says.
MEDIUM = phrases((
    r"ads?", r"adverts?", r"advertisements?", r"posters?", r"flyers?", r"banners?", r"(?:landing |sales |pricing |booking )?pages?",
    r"websites?", r"homepage", r"emails?", r"newsletters?", r"listings?", r"brochures?", r"billboards?", r"videos?",
    r"(?:job )?posts?", r"campaigns?", r"decks?", r"signs?", r"packaging", r"labels?", r"letters?", r"slides?",
    r"one-pagers?", r"leaflets?", r"scripts?",
))  # fmt: skip
_AFTER_TELLING = caseless(
    r"\s*(?:(?:to|at)\s+)?(?:(?:them|you|people|customers|users|him|her|it|us)\b\s*)?(?:(?:is|was|are|'s)\b\s*)?"
    r"(?:that\b\s*)?[:,]?\s*",
)
_FIRST_PERSON = caseless(r"^\W*(?:so |and |but |well |oh |yeah )?(?:I|I'm|I've|I'd|I'll|me|my)\b")
_QUOTED = re.compile(r'"([^"]{8,300}?)"')
_SAYS_JUST_BEFORE = caseless(
    r"\b(?:says|said|saying|reads|read|reading|promises|promised|hears?|heard|(?:are|is|were|was) told(?: (?:they get|that))?|"
    r"(?:sell|sells|sold|pitch|pitches|pitched|frame|frames|framed|present|presents|presented) it as|"
    r"(?:tells?|told|promises?|promised) (?:them|him|her|"
    r"people|customers|clients|everyone|parents|owners|members)|(?:line|pitch|promise|slogan) (?:(?:for|to) (?:that|it|this|the [\w-]+|our [\w-]+) )?is)"
    r"\s*[:,]?\s*$",
)
# What a quotation is, said right after it: "... " That's the headline.", "That's on every ad."
NAMED_NEXT = caseless(
    r"^\W*(?:that's|that is|it's|it is|this is)\s+(?:the|our|on (?:every|all|the|our))\s+(?:[\w-]+\s+)?(?:headline|line|"
    r"slogan|tagline|strapline|pitch|promise|phrase|ads?|page|website|banner|posters?|emails?|flyers?|brochure)\b",
)
# A sentence that points back at a line said before it and tells no value of its own: "That's our line, it's on the
# homepage", "That line was my idea", "It's the same line on the app store page", "That's what got me", "That's
# what I say at the table". It is one more quote of that line, not a proposition ("That's our line" is no value a
# client can be shown). Not "the bottom line", "our product line", "a bit expensive", nor what someone said once
# ("That's what I said to my manager"): the seller's line is said again and again, or told to the customers.
POINTS_BACK = caseless(
    r"^\W*(?:(?:and|but|so|yeah|yes|well)\W+)?(?:(?:(?:that's|that is|that was|it's|it is|this is)\s+(?:the|our|my|his|"
    r"her|their|same|whole|main|usual)|that)\s+(?:(?:same|whole|main|usual|one)\s+)?(?!(?:bottom|product|front|phone|"
    r"fine|finish|production|assembly|help|hot|party|credit|time|story|plot|tree|power|gas|water|land|pipe|picture)\s)"
    r"(?:[\w-]+\s+)?(?:headline|line|slogan|tagline|strapline|pitch|promise|phrase|message)\b|"
    r"that(?:'s| is| was)? (?:what|the bit that|the part that) (?:got|sold|hooked|convinced|won) (?:me|us|them|him|her|"
    r"it)(?=\s*(?:[,.;!?]|$))|"
    # "That skip bit was what got me": the part of the line named, then the same pointing.
    r"that (?!(?:first|last|final|middle|whole|next|other|early|late|scary|hard|sad|funny|worst|difficult|boring)\s)"
    r"(?:[\w-]+\s+){1,2}(?:bit|part) (?:was|is) (?:what|the (?:bit|part|thing) that) (?:got|sold|hooked|convinced|won) "
    r"(?:me|us|them|him|her|it)(?=\s*(?:[,.;!?]|$))|that(?:'s| is) what (?:I|we|they|you|he|she) (?:say|tell|promise|want to hear)\b|"
    r"that(?:'s| is| was) what (?:I|we|they|he|she) (?:told|promised|sold) (?:them|people|customers|clients|everyone|"
    r"parents|owners|members)\b|"
    r"that(?:'s| is| was) (?:on|in) (?:the|our|every|all) (?:[\w-]+ )?(?:homepage|website|site|page|ads?|brochure|"
    r"leaflet|flyers?|deck|proposal|emails?|posters?|banner)s?\b)",
)
_NAMED_AFTER = caseless(
    r"\s*(?:(?:is|was|'s)\s+(?:the|our|their|its)\s+(?:phrase|line|slogan|tagline|headline|strapline|promise)\b|"
    # Where it is written, said after the quote: ""Cooked fresh on site", that's on the website and the van."
    r"[,.]?\s*(?:that's|that is|it's|it is|which is)\s+(?:on|in)\s+(?:the|our|every|all)\s+(?:[\w-]+\s+)?(?:website|site|"
    r"page|homepage|van|vans|ad|ads|brochure|leaflet|flyer|banner|label|box|bag|email|menu|poster|window|sign|app|proposal)s?\b)",
)
_AUDIENCE_NOUNS = "|".join(r for r in CUSTOMER_ROLES if not r.startswith(("signups", "sign-ups", "trials", "accounts")))
_AUDIENCE = caseless(
    r"(?:\bfor|\bto|\bwith|\btalk(?:ing)? to|\bpitch(?:ing)? to|\bwhen we talk to)\s+(?:the\s+|our\s+|new\s+|most\s+)?"
    r"(?P<audience>(?:[\w-]+\s+){0,2}(?:" + _AUDIENCE_NOUNS + r"))(?![\w'])",
)
_NOT_AN_AUDIENCE = frozenset({"people", "folks", "you", "them", "everyone", "free", "us"})
_CLAIM_SPLIT = caseless(
    r"\s*(?:[,;:]|\s-\s|\.\s)\s*(?:and\s+(?:that\s+)?)?|\s+(?:and|plus)\s+(?:that\s+)?"
)
_WEAK_START = caseless(r"^(?:not|but|or|nor|than|then)\b")
_MAX_CLAIM_WORDS = 12


@dataclass(frozen=True)
class ValueStatement:
    start: int  # span of the statement in the sentence (a quoted slogan, or the sentence)
    end: int
    quoted: bool


def find_value_statements(plain: str, value_context: bool, told_before: bool) -> list[ValueStatement]:
    """The value propositions a sentence states: each slogan quoted in it, else the told part of it.

    `value_context`: the sentence answers "what do you tell them?"; `told_before`: the sentence before it in
    the same turn had a telling verb ("Below it, the page adds:").
    """
    telling = TELLING.search(plain)
    quoted: list[ValueStatement] = []
    for quote in _QUOTED.finditer(plain):
        inner = quote.group(1).strip()
        # A quoted question or first-person remark is someone's voice, not a slogan, unless it is said to be told.
        voice = "?" in inner or _FIRST_PERSON.match(inner) is not None
        told = telling or told_before or value_context
        # A sentence that is all quotation, in an interview about the business, is a line said to customers.
        whole = not plain[: quote.start()].strip(" \t-") and not plain[quote.end() :].strip(" .!\t")
        introduced = whole or _introduced_as_written(plain, quote.start(), quote.end())
        if len(inner.split()) >= 3 and (told or ((CLAIM.search(inner) or introduced) and not voice)):
            start = quote.start(1) + (len(quote.group(1)) - len(quote.group(1).lstrip()))
            quoted.append(ValueStatement(start, start + len(inner), quoted=True))
    if quoted or '"' in plain:
        return quoted  # quoted speech that is no claim is reported speech ("I thought this was included")
    strong = STRONG_TELLING.search(plain)
    if strong is not None:
        told_part = _told_part(plain, strong)
        if told_part is not None:
            return [told_part]
    if _FIRST_PERSON.match(plain):
        return []  # "I just want to organise how I read better": the speaker's own experience
    if CLAIM.search(plain) and (telling or value_context or _SECOND_PERSON_BENEFIT.search(plain)):
        if telling is not None and telling.end() < 0.6 * len(plain):
            told_part = _told_part(plain, telling)
            if told_part is not None:
                return [told_part]
        return [ValueStatement(0, len(plain), quoted=False)]
    return []


def _introduced_as_written(plain: str, start: int, end: int) -> bool:
    """A quotation the sentence presents as written or said to customers: after a medium ("the posts are all
    "..."", "everyone gets an email: "...""), after "the one that says", after a colon, or named as the phrase."""
    before = plain[:start]
    return (
        MEDIUM.search(before) is not None
        or _SAYS_JUST_BEFORE.search(before) is not None
        or before.rstrip().endswith(":")
        or _NAMED_AFTER.match(plain, end) is not None
    )


def _told_part(plain: str, telling: re.Match[str]) -> ValueStatement | None:
    """What follows "we promise them", "the pitch is": the statement as told, if there are words enough."""
    after = _AFTER_TELLING.match(plain, telling.end())
    start = after.end() if after else telling.end()
    end = len(plain.rstrip())
    if len(plain[start:end].split()) < 3:
        return None
    return ValueStatement(start, end, quoted=False)


_SECOND_PERSON_BENEFIT = phrases((
    _YOU_GET, r"sav(?:e|es) you", r"help(?:s)? you", r"so (?:that )?you can", r"lets? you", r"gives? you",
    r"you'll (?:get|save|never)", r"you never have to", r"you (?:don't|do not) have to", r"you keep",
    r"your (?:own|first|legal|personal)",
))  # fmt: skip


def audience_in(plain: str) -> str | None:
    """Whom the speaker says the value is for ("for lawyers", "to enterprise customers"), if anyone."""
    for match in _AUDIENCE.finditer(plain):
        audience = " ".join(match.group("audience").split()).lower()
        if audience not in _NOT_AN_AUDIENCE and not audience.startswith(("your ", "their ", "our ")):
            return audience
    return None


def claims_of(statement: str) -> list[str]:
    """A statement cut into atomic claims at commas and "and"; fragments too small to stand alone rejoin."""
    claims: list[str] = []
    for piece in _CLAIM_SPLIT.split(statement.strip().rstrip('.!?"')):
        piece = piece.strip(" .\"'")
        if not piece:
            continue
        if claims and (len(piece.split()) < 2 or _WEAK_START.match(piece)):
            claims[-1] = f"{claims[-1]}, {piece}"
        else:
            claims.append(piece)
    return [" ".join(claim.split()[:_MAX_CLAIM_WORDS]) for claim in claims]


_ACTIVATION_CUES: tuple[tuple[Activation, CaselessPattern], ...] = (
    (Activation.RESONATES, phrases((
        r"(?:like|love|liked|loved|likes|loves) (?:it|that|the \w+)(?:,)? but", r"(?:nice|interesting|cool|lovely|great),? but",
        r"doesn't (?:really )?move the needle", r"(?:nobody|no one) (?:acts|clicks|cares|changes)", r"nod(?:s|ded)? along",
        r"agree(?:s|d)?,? but", r"(?:doesn't|didn't|don't) (?:change (?:their|the) (?:mind|decision)|convert|do much)",
        r"rarely (?:works|saves|changes)", r"(?:feel|feels) good", r"(?:sympathetic|sympathy)", r"(?:still|then) (?:leave|cancel)",
        r"nice to have",
        # Liked, and nothing done: "people love the idea", "it sounds very sensible", "I liked the email. I never
        # did it.", "Everyone says 'ooh, that's nice' in the demo, and then they don't switch it on".
        r"(?:like|love|liked|loved|likes|loves) the (?:idea|sound|look)(?: of)?", r"(?:nice|lovely|great|good) idea", r"sounds? (?:very |really |so )?(?:sensible|reassuring|lovely|nice)",
        r"and then (?:they|nobody|no one|people|customers) (?:don't|doesn't|didn't|never)(?! (?:have|need) to)",
        r"(?:and )?then,? (?:mostly,? )?nothing happens", r"(?:I|they|we) (?:never|still didn't|still don't) (?:did|do|sent|send|"
        r"used|use|click(?:ed)?|booked|book|bought|buy|signed|sign|shared|share|switch(?:ed)? it on)",
        r"didn't make (?:me|them|us) want to",
    ))),
    (Activation.ACTIVATES, phrases((
        r"(?:it|that|this) works(?: (?:well|really well|very well))?", r"(?:beat|beats|outperform\w*) (?:the |all )?(?:other|every)",
        r"convert(?:s)? (?:well|better)", r"that's what gets (?:them|people|customers|users)", r"(?:drives|drove) (?:sign-?ups|bookings|conversions?|sales)",
        r"(?:people|they|customers|users) (?:respond|click|act|sign|pick up) (?:to|for) (?:that|it)",
        r"moves? the needle", r"(?:was|were) tested", r"(?:works|worked) (?:best|great)", r"(?:biggest|main) reason (?:they|people) (?:sign|buy|join)",
    ))),
)  # fmt: skip


def activation_in(plain: str) -> Activation:
    for activation, cue in _ACTIVATION_CUES:
        if cue.search(plain):
            return activation
    return Activation.UNKNOWN
