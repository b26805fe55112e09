"""Cue: where the system requires the customer to act (step 1: the value evocation point).

An action verb alone ("book", "upload", "pay") is not enough: "the book I was reading" is no VEP, and
"we imported the registers" is the organisation's own work. A VEP needs the verb *and* a frame that
puts the customer under an obligation or a gate:

- strong: "you need to sign up", "we ask them to upload", "until they pay", "the first ask is the
  account", "18 percent create an account", an imperative in a call to action ("Book your free call"),
  or a bare imperative answering "what do you need them to do?";
- medium: the customer simply doing it ("they pick a slot"): evidence of an existing VEP, not a new one;
- mention: the verb (or its noun, "the signup") anywhere, used only to link other cues to a VEP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import IntEnum
from functools import cache

from agent.extraction.offline.cues import (
    CUSTOMER_SUBJECT,
    any_of,
    inflections,
    is_negation,
    noun_use,
    phrases,
    singular,
)
from agent.extraction.offline.cues.caseless import caseless
from agent.extraction.offline.cues.questions import QuestionTopic
from schemas.elements import GiveKind


@dataclass(frozen=True)
class ActionFamily:
    """Verbs that ask the same thing of the customer; a VEP is one family acting on one object."""

    name: str
    forms: tuple[tuple[str, str], ...]  # (base verb, regex of what must follow it)
    nouns: tuple[str, ...]  # nouns that name the action: "the signup", "bookings"
    gives: tuple[GiveKind, ...]  # what the customer hands over by doing it
    purchase: bool = False
    # Whether what is acted on tells two VEPs apart ("book a demo" vs "book a table"); for synonyms of
    # one step ("sign up", "register", "create an account") it does not.
    by_object: bool = True
    # A verb outside the known families, read from a sentence that obliges the customer to do it.
    open: bool = False


_ARTICLE = r"(?:(?:a|an|the|their|your|his|her|my|our|this|that|some|all|more|real|this week's) )?"
_BOOKABLE = (
    r" " + _ARTICLE + r"(?:[\w-]+ ){0,2}?(?:demos?|calls?|consultations?|slots?|meetings?|appointments?|sessions?|"
    r"class(?:es)?|tables?|rooms?|visits?|viewings?|lessons?|tours?|deliver(?:y|ies)|onboarding|spot|seats?|"
    r"test drive|intro|(?:test )?rides?|surveys?|fittings?|assessments?|inspections?|check-?ups?|scans?)\b"
)
_DETAILS = (
    r" (?:us )?" + _ARTICLE + r"(?:[\w-]+ )?(?:email|e-mail|details|phone number|number|address|information|"
    r"data|feedback|name|postcode|zip code|preferences)\b"
)
_DOCUMENTS = (
    r" (?:us )?(?:over )?" + _ARTICLE + r"(?:[\w-]+ ){0,2}?(?:invoices?|documents?|files?|batch(?:es)?|"
    r"applications?|requests?|photos?|orders?|briefs?|receipts?|statements?|samples?|contracts?|designs?)\b"
)
_TRIAL = r"(?:[\w-]+ ){0,2}?trial\b"
# When, not what, someone signs: "sign within seven days", "sign today" (the step is still the signing).
_WHEN_SIGNED = r"(?:within|today|on the day|at the table|there and then|on the spot)"
_PAID_AS_ADJECTIVE = (
    r"(?! (?:social|ads?|plans?|tiers?|users?|customers?|versions?|acquisition|search|marketing|media|"
    r"accounts?|subscribers?|conversions?|off|traffic|channels?|features?|members?|products?|lessons?|sessions?|"
    r"hours?|work|jobs?|time|leave|holidays?|trials?|pilots?|seats?|licen[cs]es?|staff|interns?)\b)"
)

FAMILIES: tuple[ActionFamily, ...] = (
    # Purchase and trial forms first: "sign up for the plan" must not be read as a plain signup.
    ActionFamily(
        "start a trial",
        (
            ("start", r" " + _ARTICLE + _TRIAL),
            ("begin", r" " + _ARTICLE + _TRIAL),
            ("take", r" (?:a|the|our) " + _TRIAL),
            ("sign", r"[ -]?up for " + _ARTICLE + _TRIAL),
            ("try", r" (?:it|us|the product|the app|the tool|the service) (?:out|for free)\b"),
        ),
        ("free trial", "trial", "trials"),
        (GiveKind.TIME, GiveKind.DATA),
        by_object=False,
    ),
    ActionFamily(
        "sign the contract",
        (
            (
                "sign",
                r" " + _ARTICLE + r"(?:[\w-]+ ){0,2}?(?:contract|agreement|deal|order form|po|purchase order|"
                r"paperwork|lease|renewal|membership|quote)s?\b",
            ),
            # Signing as the act of buying: "sign within seven days of the quote", "sign for another twelve months".
            ("sign", r" " + _WHEN_SIGNED + r"\b"),
            ("sign", r" for (?:another |a |the )?(?:[\w-]+ )?(?:months?|years?|term)\b"),
        ),
        ("contract", "contracts"),
        (GiveKind.COMMITMENT, GiveKind.MONEY),
        purchase=True,
        by_object=False,
    ),
    ActionFamily(
        "subscribe",
        (
            ("subscribe", ""),
            ("upgrade", ""),
            ("renew", ""),
            ("convert", r" to (?:paid|a paid plan|paying|premium|pro|a subscription)\b"),
            ("go", r" (?:paid|premium|pro)\b"),
            ("become", r" (?:a )?(?:paying|paid) (?:customers?|users?|subscribers?|members?|accounts?)\b"),
            ("sign", r"[ -]?up for " + _ARTICLE + r"(?:[\w-]+ )?(?:plan|subscription|membership|tier)\b"),
        ),
        ("subscription", "subscriptions", "upgrade", "upgrades", "renewal", "renewals"),
        (GiveKind.MONEY, GiveKind.COMMITMENT),
        purchase=True,
        by_object=False,
    ),
    ActionFamily(
        "pay",
        (
            ("pay", _PAID_AS_ADJECTIVE),
            ("add", r" (?:a|their|your|my|our|the) (?:credit |debit |payment )?(?:card|payment method)\b"),
            ("enter", r" (?:a|their|your|my|our|the) (?:credit |debit |payment )?(?:card|payment details)\b"),
            ("put", r" (?:in )?(?:a|their|your|my|our|the) (?:credit |debit )?card\b"),
            ("set", r" up (?:a|the|their|your) (?:direct debit|standing order|payment plan|monthly payment)s?\b"),
        ),
        ("payment", "payments"),
        (GiveKind.MONEY,),
        purchase=True,
        by_object=False,
    ),
    ActionFamily(
        "buy",
        (
            ("buy", ""),
            ("purchase", ""),
            ("order", r"(?= (?:a|the|their|your|an|our|another|more|it|one)\b)"),
            ("place", r" (?:an?|their|your) order\b"),
            ("check", r" out\b"),
        ),
        ("purchase", "purchases", "checkout"),
        (GiveKind.MONEY,),
        purchase=True,
    ),
    ActionFamily(
        "sign up",
        (
            ("sign", r"[ -]?up\b"),
            ("register", ""),
            ("create", r" (?:an?|their|your|his|her) (?:free |new |own )?(?:account|profile|login)\b"),
            ("open", r" (?:an?|their|your) (?:free |new )?account\b"),
            ("make", r" (?:an?|their|your) (?:free |new |own )?(?:account|profile|login)\b"),
            ("set", r" up (?:an?|their|your) (?:free |new |own )?(?:account|profile|login)\b"),
            ("enrol", ""),
            ("enroll", ""),
            ("join", r" (?:us|the platform|our platform|the waitlist|the wait list|the community|for free|the app)\b"),
        ),
        ("signup", "signups", "sign-up", "sign-ups", "registration", "registrations"),
        (GiveKind.DATA, GiveKind.TIME),
        by_object=False,
    ),
    ActionFamily(
        "log in",
        (("log", r"[ -]?in(?:to)?\b"), ("sign", r" in(?:to)?\b")),
        ("login", "logins"),
        (GiveKind.ATTENTION,),
        by_object=False,
    ),
    ActionFamily(
        "book",
        (("book", _BOOKABLE), ("schedule", _BOOKABLE), ("reserve", _BOOKABLE)),
        ("booking", "bookings", "appointment", "appointments"),
        (GiveKind.TIME, GiveKind.COMMITMENT),
    ),
    ActionFamily(
        "upload",
        (
            ("upload", ""),
            ("import", ""),
            ("attach", ""),
            (
                "add",
                r" " + _ARTICLE + r"(?:[\w-]+ ){0,2}?(?:data|files?|documents?|invoices?|photos?|products?|"
                r"listings?|contacts?|books?|items?|history|inventory|team ?mates?|colleagues?)\b",
            ),
        ),
        ("upload", "uploads", "import", "imports"),
        (GiveKind.DATA, GiveKind.EFFORT),
    ),
    ActionFamily(
        "fill in",
        (
            ("fill", r" (?:in|out)\b"),
            (
                "complete",
                r" " + _ARTICLE + r"(?:[\w-]+ ){0,2}?(?:forms?|questionnaires?|profiles?|surveys?|quiz(?:zes)?|"
                r"checklists?|onboarding|applications?|steps?|setup)\b",
            ),
            ("answer", r" " + _ARTICLE + r"(?:[\w-]+ )?(?:questions|questionnaires?|surveys?|quiz)\b"),
            ("take", r" (?:the|a|our) (?:[\w-]+ )?(?:quiz|survey|assessment|test)\b"),
            ("describe", r" " + _ARTICLE + r"(?:case|problem|issue|needs?|project|situation)\b"),
        ),
        ("questionnaire", "questionnaires", "quiz"),
        (GiveKind.DATA, GiveKind.EFFORT),
    ),
    ActionFamily(
        "verify",
        (
            ("verify", ""),
            ("validate", ""),
            ("confirm", r" " + _ARTICLE + r"(?:[\w-]+ )?(?:email|identity|phone|address|account|number)\b"),
        ),
        ("verification",),
        (GiveKind.DATA, GiveKind.EFFORT),
        by_object=False,
    ),
    ActionFamily(
        "invite",
        (
            ("invite", ""),
            ("refer", r" " + _ARTICLE + r"(?:friends?|colleagues?|others|people|someone|peers|clients)\b"),
            ("recommend", r" (?:us|it|the app|the product)\b"),
        ),
        ("invitation", "invitations", "invite", "invites", "referral", "referrals"),
        (GiveKind.REFERRAL,),
        by_object=False,
    ),
    ActionFamily(
        "choose",
        (
            ("choose", ""),
            ("select", ""),
            ("pick", r"(?! up\b)(?! it up\b)(?! them up\b)"),
            ("mark", r"(?! down\b)(?! up\b)"),
            ("shortlist", ""),
            ("favourite", ""),
            ("favorite", ""),
            ("rate", r" " + _ARTICLE + r"[\w-]+\b"),
            (
                "add",
                r" (?:[\w-]+ ){0,3}?to (?:their|your|a|the) (?:cart|basket|list|shortlist|favourites|favorites|wishlist)\b",
            ),
        ),
        ("shortlist", "shortlists", "selection", "marks"),
        (GiveKind.EFFORT, GiveKind.DATA),
    ),
    ActionFamily(
        "install",
        (
            ("install", ""),
            ("deploy", ""),
            (
                "download",
                r" " + _ARTICLE + r"(?:[\w-]+ )?(?:app|extension|plugin|plug-in|client|software|tool|sdk|cli)\b",
            ),
            ("set", r" up " + _ARTICLE + r"(?:[\w-]+ )?(?:integration|app|account|workspace|pixel|tracking|sdk)\b"),
        ),
        ("installation", "installs", "install"),
        (GiveKind.ACCESS, GiveKind.EFFORT),
    ),
    ActionFamily(
        "connect",
        (
            ("connect", ""),
            ("integrate", ""),
            ("sync", ""),
            (
                "link",
                r" " + _ARTICLE + r"(?:[\w-]+ )?(?:accounts?|bank|calendar|card|repo|repository|store|erp|crm|data)\b",
            ),
            ("grant", r" (?:us )?access\b"),
            ("give", r" us access\b"),
        ),
        ("integration", "integrations", "connection"),
        (GiveKind.ACCESS, GiveKind.EFFORT),
    ),
    ActionFamily(
        "share details",
        (
            ("give", _DETAILS),
            ("enter", _DETAILS),
            ("provide", _DETAILS),
            ("share", _DETAILS),
            ("leave", _DETAILS),
            ("leave", r" " + _ARTICLE + r"(?:review)\b"),
            ("tell", r" us (?:about|what|who|where|how|which)\b"),
        ),
        (),
        (GiveKind.DATA,),
    ),
    ActionFamily(
        "send",
        (
            ("send", _DOCUMENTS),
            ("forward", _DOCUMENTS),
            ("submit", ""),
            ("post", r" " + _ARTICLE + r"(?:[\w-]+ )?(?:job|listing|request|review|brief)\b"),
        ),
        ("submission", "submissions"),
        (GiveKind.CONTENT, GiveKind.EFFORT),
    ),
    ActionFamily(
        "claim",
        (
            (
                "claim",
                r" "
                + _ARTICLE
                + r"(?:[\w-]+ )?(?:profile|listing|account|offer|page|spot|business|discount|voucher)s?\b",
            ),
        ),
        ("claim", "claims"),
        (GiveKind.EFFORT, GiveKind.COMMITMENT),
    ),
    ActionFamily(
        "accept",
        (
            (
                "accept",
                r" " + _ARTICLE + r"(?:[\w-]+ )?(?:request|terms|invite|invitation|offer|quote|proposal|booking|"
                r"conditions|renewal|match)e?s?\b",
            ),
            ("agree", r" to\b"),
            ("approve", r" " + _ARTICLE + r"(?:[\w-]+ )?(?:quote|proposal|purchase|budget|order|draft|plan)\b"),
            ("opt", r" in\b"),
            ("commit", r" to\b"),
        ),
        (),
        (GiveKind.COMMITMENT,),
    ),
    ActionFamily(
        "attend",
        (
            ("attend", ""),
            ("show", r" up\b"),
            ("turn", r" up\b"),
            ("join", r" " + _ARTICLE + r"(?:[\w-]+ )?(?:call|demo|webinar|session|meeting|onboarding|class)\b"),
        ),
        ("attendance",),
        (GiveKind.TIME, GiveKind.ATTENTION),
        by_object=False,
    ),
    ActionFamily(
        "watch",
        (
            ("watch", r" " + _ARTICLE + r"(?:[\w-]+ )?(?:demo|video|tutorial|webinar|walkthrough)s?\b"),
            ("read", r" " + _ARTICLE + r"(?:[\w-]+ )?(?:guide|docs|documentation|manual|terms)\b"),
        ),
        (),
        (GiveKind.ATTENTION, GiveKind.TIME),
    ),
    ActionFamily(
        "activate",
        (
            ("activate", ""),
            ("enable", r" " + _ARTICLE + r"(?:[\w-]+ )?(?:feature|integration|setting|account|notifications)s?\b"),
        ),
        ("activation",),
        (GiveKind.EFFORT,),
        by_object=False,
    ),
    # Being there is asked of the customer too: "you have to be home for the delivery", "be in for the window".
    ActionFamily(
        "be there",
        (
            ("be", r" (?:at )?home\b"),
            ("be", r" (?:in|there|around|available|on site|present)(?= for\b| when\b| between\b| to (?:let|take|"
                   r"receive|sign|meet|open)\b|[,.;!?]|$)"),
            # Coming in is being there: "they have to come into the clinic for the scan".
            # Not "come and register": the act after "and" is the step, read on its own.
            ("come", r" (?:in|into|to|down to|over to|along to)\b(?! (?:terms|a decision|an agreement|the conclusion|"
                     r"the realisation|the realization|contact|effect|light|play|mind|life|force|an end|a head|grips|"
                     r"pass|rest|think|realise|realize|see|know|expect|trust|like|love|hate|"
                     r"that way|this way|through|via|from|organically|inbound|understand|appreciate|handy|useful)\b)"),  # how they arrive: a channel
        ),
        (),
        (GiveKind.TIME,),
    ),
)


class Frame(IntEnum):
    """How firmly a sentence says the customer must act."""

    MENTION = 0
    MEDIUM = 1
    STRONG = 2


@dataclass(frozen=True)
class ActionHit:
    family: ActionFamily
    start: int  # span of the verb phrase in the sentence
    end: int
    phrase: str  # "book the first consultation": base verb + what it acts on, as said
    object_words: frozenset[str]  # what is acted on, for telling "book a demo" from "book a table"
    frame: Frame
    coordinated: bool = False  # "they have to fill in the profile and agree to ...": part of one requirement

    @property
    def verb(self) -> str:
        """The base verb the act is said with ("book" of "book the first consultation")."""
        return self.phrase.split()[0]


_ADVERBS = (
    r"(?:first|then|also|just|actually|still|really|all|both|now|each|simply|usually|typically|basically|even|"
    r"either|only|always|already|immediately|quickly|eventually|literally|at least|go|go and|come and|please|"
    r"physically|manually|themselves|yourself|ever)"
)
_MODALS = any_of(
    ("have to", "has to", "had to", "need to", "needs to", "needed to", "must", "should", "got to", "'ve got to",
     "have got to", "has got to", "are required to", "is required to", "were required to", "are asked to",
     "is asked to", "were asked to", "are expected to", "is expected to", "will have to", "'ll have to", "'d have to",
     "would have to", "can only", "are supposed to", "is supposed to", "are forced to", "is forced to", "gotta")
)  # fmt: skip
_ASK_VERBS = any_of(
    form
    for verb in ("ask", "require", "make", "let", "get", "invite", "encourage", "push", "prompt", "nudge", "want",
                 "need", "tell", "force", "expect", "allow", "remind", "urge", "oblige")
    for form in inflections(verb)
)  # fmt: skip
# Coordination: "we let the owner go through the list and mark the ones they like".
_COORDINATED = r"(?P<coord>(?:[\w'-]+,? ){0,10}?and )?"
_STRONG_BEFORE = (
    caseless(
        rf"\b{CUSTOMER_SUBJECT}\s+(?P<neg>[\w']+\s+)?{_MODALS}\s+(?:{_ADVERBS}\s+){{0,2}}{_COORDINATED}"
        rf"(?:{_ADVERBS}\s+)?$",
    ),
    caseless(
        rf"\b{_ASK_VERBS}\s+{CUSTOMER_SUBJECT}\s+(?:to\s+)?(?:{_ADVERBS}\s+){{0,2}}{_COORDINATED}(?:{_ADVERBS}\s+)?$",
    ),
    caseless(
        rf"\b(?:before|until|unless|once|only if|only when|only after|as soon as|so that)\s+{CUSTOMER_SUBJECT}\s+"
        rf"(?:(?:can|could|will|'ll|have to|has to|need to|do|does|actually|first|finally|really)\s+)*$",
    ),
    caseless(
        r"\b(?:first|next|last|only|main|big|one|second|third|final) (?:ask|step|requirement|gate|thing (?:we|they|you) "
        r"(?:ask|need|require|want)\w*(?: (?:of )?(?:them|you|people|customers|users))?(?: to do)?)"
        r"(?: there| here| at (?:that|this) (?:point|stage))? (?:is|was|'s):?\s+(?:to\s+|that (?:they|you)\s+)?$",
    ),
    # A crossing figure: "18 percent create an account", "nobody books", "half of them upload".
    caseless(
        r"(?:%|\bpercent|\bper cent|\bhalf|\b(?:a|one|two|three|four|nine|\d+)\s+(?:thirds?|quarters?|fifths?|tenths?)|"
        r"\bmost|\bfew|\bnobody|\bno one|"
        r"\bout of \w+|\bin \w+)"
        r"\s+(?:of\s+)?(?:(?:the|our|all|those|them|these)\s+)?(?:[\w-]+\s+){0,6}?(?:(?:who|that)\s+)?"
        rf"(?:{_ADVERBS}\s+)?(?:(?:will|would|then|ends? up|ended up|go(?:es)? on to|went on to)\s+)?$",
    ),
)
_MEDIUM_BEFORE = (
    caseless(
        rf"(?:^|[,;:]\s*|\b(?:and|then|so|if|when|after|is|was|that|because|where|once)\s+)(?:{CUSTOMER_SUBJECT}|I)\s+"
        rf"(?:(?:{_ADVERBS}|can|could|will|'ll|would|'d|do|did|want to|wants to|try to|tries to|get to|gets to)\s+){{0,2}}$",
    ),
    caseless(rf"\b(?:who|that)\s+(?:{_ADVERBS}\s+)?$"),
)
_SENTENCE_OPENING = caseless(
    r"^(?:(?:so|well|basically|just|first|then|and|okay|ok|right|yes|yeah|now|honestly)[,.]?\s+)*$"
)
_NOUN_GATE = caseless(
    r"\b(?:first|next|last|only|main|big|one) (?:ask|step|requirement|gate) (?:is|was|'s) (?:the |an? |their |your )?"
    r"(?P<noun>[\w-]+(?: [\w-]+)?)",
)
_OBJECT_STOP = frozenset(
    {"and", "or", "but", "so", "because", "before", "after", "until", "unless", "when", "while", "if", "which",
     "that", "who", "where", "then", "than", "since", "as", "though", "although", "they", "we", "you", "he", "she",
     "i", "it's", "there", "whether", "within", "during", "per", "every", "each", "by", "via", "through", "in",
     "on", "from", "with", "without", "into", "for", "to", "at", "like", "is", "are", "was", "were", "just",
     "they'd", "they'll", "you'd", "you'll", "we'll", "we'd", "it", "them", "this", "that's"}
)  # fmt: skip
_GENERIC = frozenset(
    {"a", "an", "the", "their", "your", "his", "her", "my", "our", "its", "some", "any", "all", "more", "most",
     "first", "new", "real", "free", "own", "next", "last", "few", "little", "whole", "full", "actual", "basic",
     "least", "one", "ones", "thing", "things", "stuff", "lot", "bit", "kind", "sort", "way", "up", "out", "in",
     "us", "this", "that", "these", "those", "week's", "every", "each", "other", "another", "just", "also",
     "over", "down", "back", "off", "on", "to", "of", "for", "anything", "everything", "something", "nothing",
     "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "hundred", "thousand", "couple",
     "several", "many", "much"}
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z][\w'-]*")
_MAX_OBJECT_WORDS = 6

_FORM_INDEX: list[tuple[ActionFamily, str]] = []
_alternatives: list[str] = []
for _family in FAMILIES:
    for _verb, _tail in _family.forms:
        _alternatives.append(f"(?P<f{len(_FORM_INDEX)}>{any_of(inflections(_verb))}{_tail})")
        _FORM_INDEX.append((_family, _verb))
# The lookahead (every verb form in one prefix tree) lets `re` skip a word without trying all the forms.
_ANY_VERB = any_of(form for _, verb in _FORM_INDEX for form in inflections(verb))
_ACTION = caseless(rf"(?<![\w'-])(?={_ANY_VERB})(?:" + "|".join(_alternatives) + r")(?![\w'-])")
_NOUNS = {noun: family for family in FAMILIES for noun in family.nouns}
_NOUN = phrases(re.escape(n) for n in sorted(_NOUNS, key=len, reverse=True))


def _families_by_verb() -> dict[str, ActionFamily]:
    """Each verb that belongs to one family only: a bare imperative names its step by the verb alone."""
    seen: dict[str, set[str]] = {}
    for family, verb in _FORM_INDEX:
        seen.setdefault(verb, set()).add(family.name)
    return {verb: family_named(next(iter(names))) for verb, names in seen.items() if len(names) == 1}


# The answer to "what do you need them to do?" that starts with a verb is the step, whatever follows it
# ("Send us their data.", "Book them in the app."): the known families' verbs, and a few acts of handing over.
_ANSWER_OPENING = caseless(
    r"^\W*(?:(?:so|well|basically|just|first|then|and|okay|ok|right|yes|yeah|now|honestly)[,.]?\s+)*(?P<verb>[a-z]+)\b",
)
_HANDING_OVER = frozenset({"send", "bring", "share", "provide", "return", "hand", "agree", "apply", "approve", "sign",
                           "complete", "submit", "finish", "pass", "sit", "walk", "log", "record", "print", "post"})
# "The admissions coding challenge." answering "what do they have to do next?": the step, named by its noun.
_NAMED_STEP = caseless(
    r"^\W*(?:the|a|an|their|your)\s+(?P<noun>(?:[\w-]+\s+){0,3}(?:challenge|test|exam|interview|assessment|form|"
    r"survey|questionnaire|quiz|check|checks|review|audit|application|induction|walk-through|walkthrough|workshop|"
    r"session|consultation|appointment|visit|call|meeting))\s*[.!]?\s*$",
)
_SPEAKING = frozenset({"tell", "say", "ask", "explain", "talk", "speak", "mention"})


def _answered_imperative(plain: str, hits: list[ActionHit]) -> ActionHit | None:
    named = _NAMED_STEP.match(plain)
    if named is not None and not hits:
        noun = named.group("noun")
        words = content_words(noun)
        if words:
            return ActionHit(_open_family("complete"), named.start("noun"), named.end("noun"), f"complete the {noun}",
                             words, Frame.STRONG)
    opening = _ANSWER_OPENING.match(plain)
    if opening is None or any(h.start <= opening.start("verb") < h.end for h in hits):
        return None
    verb = opening.group("verb").lower()
    if verb in _SPEAKING:
        return None  # "Tell people the truth": advice to staff, not the customer's step
    family = _FAMILY_OF_VERB.get(verb) or (_open_family(verb) if verb in _HANDING_OVER else None)
    if family is None:
        return None
    start, end = opening.span("verb")
    obj = _trimmed(_object_after(plain, end))
    return ActionHit(family, start, end, f"{verb} {obj}".strip(), content_words(obj), Frame.STRONG)


def family_named(name: str) -> ActionFamily:
    return next(family for family in FAMILIES if family.name == name)


# "The first ask is the account": the nouns a gate may be named by, beyond the families' own.
_GATE_NOUNS = {
    **_NOUNS,
    "account": family_named("sign up"),
    "email": family_named("share details"),
    "card": family_named("pay"),
    "credit card": family_named("pay"),
}


# "We ask for an email address before we show the menu": a requirement named by what is handed over.
_ASK_FOR = caseless(
    r"\b(?:(?:ask|asks|asked|asking|require|requires|required|requiring|request|requests|requested)\s+"
    r"(?:(?:them|you|people|customers|users|visitors|everyone|the [\w-]+)\s+)?for|"
    r"(?:we|they) (?:want|wanted|need|needed|require|required|asked for))\s+(?P<what>(?:(?:a|an|the|their|your|"
    r"some|at least|a few|more|all)\s+)*(?:[\w'-]+\s+){0,4}?(?P<noun>e-?mail(?: address(?:es)?)?|phone numbers?|"
    r"address(?:es)?|(?:credit )?card(?: details)?|details|documents?|invoices?|data|information|photos?|id|"
    r"payment|deposit|referrals?|introductions?|reviews?|feedback|files?|history|exclusivity|commitment|signature|"
    r"sign-off|approval|consent|access|(?:(?<=their )|(?<=your ))(?:[\w-]+ )?(?:forecasts?|lists?|briefs?|artwork|logos?|"
    r"floor plans?)))\b",
)
# "We take a fifty percent deposit to confirm", "then we collect their card details", "they put down a deposit": the
# money the organisation takes is a payment required of the customer.
_MONEY_TAKEN = caseless(
    r"\b(?:(?:we|I)(?:'ll| will| then| also| usually| always| normally| just)? (?:take|took|collect|collected)|"
    r"(?:they|customers|clients|people) (?:then |also |usually |just )?(?:put|puts) down)\s+"
    r"(?P<what>(?:(?:a|an|the|their|your|his|her)\s+)*(?:[\w'-]+\s+){0,4}?"
    r"(?P<noun>(?:credit )?card details|deposits?|payment))"
    r"(?=\s*(?:[.,;:!?]|$|(?:of|to|from|on|by|upfront|up front|before|when|and|for|at|first|in)\b))",
)
_HANDED_OVER = {  # what is asked for -> (family, the verb that says handing it over)
    **dict.fromkeys(("email", "e-mail", "phone", "address", "details", "information", "data", "id", "feedback",
                     "reviews", "review"), ("share details", "give")),
    **dict.fromkeys(("card", "credit"), ("pay", "enter")),
    **dict.fromkeys(("payment", "deposit", "deposits"), ("pay", "pay")),
    **dict.fromkeys(("documents", "document", "invoices", "invoice", "photos", "photo", "files", "file", "history"),
                    ("upload", "upload")),
    **dict.fromkeys(("referral", "referrals", "introduction", "introductions"), ("invite", "give")),
    **dict.fromkeys(("exclusivity", "commitment", "signature", "sign-off", "approval", "consent"), ("accept", "give")),
    "access": ("connect", "grant"),
    **dict.fromkeys(("forecast", "list", "brief", "artwork", "logo", "plan"), ("share details", "send")),
}  # fmt: skip


def _asked_for(plain: str) -> ActionHit | None:
    found = next(((cue, m) for cue in (_ASK_FOR, _MONEY_TAKEN)
                  if (m := cue.search(plain)) is not None and not _inside_quote(plain, m.start())), None)
    if found is None:
        return None
    cue, match = found
    words = match.group("noun").lower().replace("e-mail", "email").split()  # "email address", "peak forecast"
    family_name, verb = next((_HANDED_OVER[w] for word in (words[0], words[-1]) for w in (word, word.rstrip("s"))
                              if w in _HANDED_OVER), ("share details", "give"))
    start = match.start("what")
    if cue is _MONEY_TAKEN:  # "we take ear impressions and a deposit": the deposit is the money
        start = max(start, plain.rfind(" and ", start, match.start("noun")) + len(" and "))
    what = " ".join(plain[start : match.end("what")].split())
    return ActionHit(family_named(family_name), start, match.end("what"), f"{verb} {what}", content_words(what),
                     Frame.STRONG)


def content_words(text: str) -> frozenset[str]:
    """The words that say what something is about, lightly stemmed ("invoices" and "invoice" agree)."""
    words = (w.lower().strip("'-") for w in _WORD.findall(text))
    return frozenset(singular(w) for w in words if w and w not in _GENERIC and w not in _OBJECT_STOP and len(w) > 2)


# A requirement made of the organisation's own people ("we asked ops to upload the list") is internal work.
_STAFF_ASKED = re.compile(
    r"\b(?:ask|asks|asked|asking|tell|tells|told|need|needs|needed|want|wants|wanted|get|got|have|had|make|made|"
    r"require|requires|required|remind|reminded)\s+(?:(?:the|our|my|his|her|their)\s+)?(?:[A-Z][a-z]+'s\s+)?"
    r"(?:sales(?: team| reps?| people)?|marketing|ops|operations|support(?: team| agents?)?|engineering|engineers|"
    r"product(?: team)?|team|teammates|colleagues|staff|devs|developers|SDRs?|AEs?|account managers?|"
    r"customer success|CS|CSMs?|onboarding team|success team|partnerships(?: team)?|growth(?: team)?|"
    r"[A-Z][a-z]+(?: and [A-Z][a-z]+)?)\s+(?:to|if they could)\s+(?:\w+\s+){0,2}$",
)


# The purpose said before the act: "To get the pass you ...", "to see the prices, they ...".
_TO_GET = (
    r"^\W*(?:and |so )?(?:to|in order to) (?:get|see|unlock|access|receive|keep|start|use|try|claim) [^.;:!?]{1,60}?,?\s+"
    r"(?:you|they|customers?|users?|people|members?|clients?|owners?|parents?|he|she)\s+"
)
# Any act the customer is obliged to do ("they have to sort thirty transactions"), beyond the verbs above.
# Verbs of state, thought or waiting are not acts: "they have to trust us" is no evocation point.
_NOT_ACTS = frozenset(
    {"be", "have", "feel", "know", "understand", "think", "want", "like", "love", "trust", "believe", "realise",
     "realize", "remember", "see", "wait", "get", "go", "come", "do", "make", "take", "keep", "find", "say", "tell",
     "ask", "hope", "care", "learn", "explain", "justify", "deal", "figure", "worry", "spend", "put", "stop", "use",
     "let", "try", "look", "hear", "imagine", "agree", "accept", "pay", "buy", "stay", "live", "work", "start",
     "give", "help", "talk", "speak", "call", "read", "decide", "rely", "depend", "mean", "notice", "expect",
     "manage", "happen", "need", "seem", "become", "leave", "change", "build", "show", "run",
     "own", "hold", "carry", "fit", "move", "turn", "follow", "prove", "reach", "win", "lose", "miss"}
)  # fmt: skip
# Each with a cheap gate: the modal or the asking verb must be in the sentence before the long subject list is tried
# at every word (most sentences have neither, and this runs on every sentence).
_OPEN_REQUIREMENT = (
    (caseless(_MODALS),
     caseless(rf"\b{CUSTOMER_SUBJECT}\s+(?P<neg>[\w']+\s+)?{_MODALS}\s+(?:{_ADVERBS}\s+){{0,2}}"
              r"(?P<verb>[a-z][a-z-]+)(?![\w'-])")),
    (caseless(_ASK_VERBS),
     caseless(rf"\b{_ASK_VERBS}\s+{CUSTOMER_SUBJECT}\s+to\s+(?:{_ADVERBS}\s+){{0,2}}(?P<verb>[a-z][a-z-]+)(?![\w'-])")),
    # What it takes to get something: "To get the pass you leave your name, your email and your number."
    (caseless(r"^\W*(?:and |so )?(?:to|in order to) "),
     caseless(_TO_GET + rf"(?:{_ADVERBS}\s+){{0,2}}(?P<verb>[a-z][a-z-]+)(?![\w'-])")),
)


_BASE_ING = frozenset({"bring", "ring", "string", "swing", "sing"})  # verbs, not "-ing" forms
_TRAILING = frozenset({"first", "again", "once", "twice", "too", "anyway", "manually", "yourself", "themselves", "now", "then", "also",
                       "later", "today", "together"})


def _trimmed(obj: str) -> str:
    """"a site survey first" -> "a site survey": a trailing adverb is not part of what is acted on."""
    words = obj.split()
    while words and words[-1].lower().strip(",.") in _TRAILING:
        words.pop()
    return " ".join(words)


@cache
def _open_family(verb: str) -> ActionFamily:
    """One family per verb outside the known ones, so that the same act said twice is one VEP."""
    return ActionFamily(verb, ((verb, ""),), (), (GiveKind.EFFORT,), open=True)


def _open_requirements(plain: str, hits: list[ActionHit]) -> list[ActionHit]:
    found: list[ActionHit] = []
    for gate, pattern in _OPEN_REQUIREMENT:
        if gate.search(plain) is None:
            continue
        for match in pattern.finditer(plain):
            verb = match.group("verb").lower()
            start, end = match.span("verb")
            negation = match.groupdict().get("neg")
            if (
                verb in _NOT_ACTS
                or verb in _OBJECT_STOP
                or verb in {"not", "never", "no", "go", "and", "or", "all", "both", "each", "the", "a", "an", "more"}
                or (verb.endswith(("ing", "ed", "ly")) and verb not in _BASE_ING)
                or (negation and is_negation(negation.strip()))
                or any(h.start <= start < h.end or start <= h.start < end for h in hits + found)
                or _STAFF_ASKED.search(plain[:start])
                or _inside_quote(plain, start)
            ):
                continue
            obj = _trimmed(_object_after(plain, end))
            words = content_words(obj)
            if not words:
                continue  # "they have to commit": too little to name a step by
            found.append(ActionHit(_open_family(verb), start, end, f"{verb} {obj}", words, Frame.STRONG))
    return found


# A requirement in words the cues above pass over, for a sentence the sentence typer is sure tells a step where the
# customer must act: a modal with a subject the cues do not know as the customer ("the firm has to take its area day",
# "each person has to give me their laptop"), or with a verb they leave out because said of anyone it names no step
# ("give", "take", "leave"); an imperative of handing over ("Give us read access to Google Analytics"). Leave one
# out: 6 more of 455 VEPs, 1 stage and 1 exchange matched for 10 more elements found, tuned 0.6043 -> 0.6057 (blind
# the same).
_THEN = rf"(?:(?:{_ADVERBS}|\w+ly)\s+){{0,2}}"
_MODAL_ACT = caseless(
    rf"(?P<subject>\b[\w']+)\s+{_THEN}(?:has to|have to|had to|need to|needs to|needed to|must|will have to|got to)"
    rf"\s+(?P<neg>(?:not|never)\s+)?{_THEN}(?P<verb>[a-z]+)\b",
)
# Asked of the customer: who is asked is the customer already, whoever asks.
_ASKED_ACT = caseless(
    rf"\bask(?:s|ed)?\s+(?:them|you|the \w+|customers|people)\s+to\s+(?P<neg>(?:not|never)\s+)?{_THEN}"
    r"(?P<verb>[a-z]+)\b",
)
_NOT_THE_CUSTOMER = frozenset({"it", "i", "we", "that", "this", "there", "which", "what", "app", "system", "software",
                               "product", "tool"})  # fmt: skip
_NO_STEP = frozenset({"do", "say", "happen", "hear", "be", "feel", "know", "think", "see", "wait", "worry", "explain",
                      "justify", "admit", "remember", "trust", "believe", "get", "not", "never"})  # fmt: skip
_IMPERATIVE = re.compile(r"^\W*(?:(?:so|and|then|either|just|first)\s+)?(?P<verb>[A-Za-z]+)\b")
# An imperative may open with these though `_NOT_ACTS` lists some of them: handing something over and buying.
_IMPERATIVE_ACTS = frozenset({"give", "leave", "bring", "send", "keep", "put", "take", "pay", "book", "sign", "accept",
                              "agree", "start", "decide"})  # fmt: skip
_NOT_AN_OBJECT = frozenset({"themselves", "yourself", "it", "them", "that", "this"})


def _required_of_the_customer(plain: str) -> re.Match[str] | None:
    """The first modal or request in `plain` that obliges someone other than the speaker's side to act, unnegated."""
    candidates = sorted([*_MODAL_ACT.finditer(plain), *_ASKED_ACT.finditer(plain)], key=lambda m: m.start("verb"))
    for match in candidates:
        subject = match.groupdict().get("subject")
        if subject is not None and subject.split("'")[0].lower() in _NOT_THE_CUSTOMER:
            continue  # "we have to", "we'll have to": the organisation's own work
        if match.group("neg") or match.group("verb").lower() in _NO_STEP or _inside_quote(plain, match.start("verb")):
            continue
        return match
    return None


def requirement_in_other_words(plain: str) -> ActionHit | None:
    """The act a sentence requires of the customer in words the cues pass over (see above), or None. Only for a
    sentence already known to tell a step where the customer must act: said of anyone, these words name no step."""
    required = _required_of_the_customer(plain)
    if required is not None:
        verb, start, end = required.group("verb").lower(), required.start("verb"), required.end("verb")
    else:
        opening = _IMPERATIVE.match(plain)
        if opening is None:
            return None
        verb, start, end = opening.group("verb").lower(), opening.start("verb"), opening.end("verb")
        acts = (verb in _FAMILY_OF_VERB or verb in _HANDING_OVER) and verb not in _NOT_ACTS
        if not (acts or verb in _IMPERATIVE_ACTS):
            return None
    obj = _trimmed(_object_after(plain, end))
    words = content_words(obj)
    if not words or obj.split()[0].lower() in _NOT_AN_OBJECT:
        return None
    return ActionHit(_FAMILY_OF_VERB.get(verb) or _open_family(verb), start, end, f"{verb} {obj}", words, Frame.STRONG)


def find_actions(plain: str, context: frozenset[QuestionTopic], position: int) -> list[ActionHit]:
    """Customer actions in one sentence (`plain`: its straightened text), each with how firmly it is required.

    `context` is what the question before this answer asked; `position` the sentence's order in its turn.
    """
    hits: list[ActionHit] = []
    # "the marks" is a noun; "the marking" still names the act, though nobody is asked to do it there.
    verbs = [(m, noun_use(plain, m.start())) for m in _ACTION.finditer(plain) if m.lastgroup is not None]
    verbs = [(m, nominal) for m, nominal in verbs
             if not nominal or re.match(r"[\w']+ing\b", m.group(0), re.IGNORECASE) is not None]
    for n, (match, gerund) in enumerate(verbs):
        family, verb = _FORM_INDEX[int(str(match.lastgroup)[1:])]
        if family.name == "be there" and _RELATIVE.search(plain, 0, match.start()):
            continue  # "people who come to a tasting buy the case": who they are, not what they are asked
        said = match.group(0)
        first_word = re.match(r"[\w']+", said)
        tail = said[first_word.end() :] if first_word else ""
        # What is acted on ends where the next act begins: "come to a tasting", not "... buy the case".
        bound = next((m.start() for m, nominal in verbs[n + 1 :] if not nominal), len(plain))  # "pay the marking fee"
        obj = _trimmed(_object_after(plain[:bound], match.end()))
        if obj and not _DETERMINED.match(obj) and _RELATIVE.search(plain, 0, match.start()):
            obj = ""  # "those who pay cancel", "customers who sign up get a call": the main clause's verb, not an object
        if verb == "come" and not obj and re.fullmatch(r",?\s+and\s+", plain[match.end() : bound]):
            continue  # "come in and register": the registering is the step
        phrase = " ".join(f"{verb}{tail} {obj}".split())
        if family.purchase and _WHEN_NOT_WHAT.match(tail):
            phrase = family.name  # "sign within seven days": when they sign, not what; the step is the signing
        frame, coordinated = _frame(plain, match.start(), verb, context, position)
        if frame == Frame.STRONG and COUNTED_AMONG.search(plain, 0, match.start()):
            frame = Frame.MEDIUM  # "one in five of those who pay cancel": the share counts a later act of the payers
        if frame == Frame.STRONG and _STAFF_ASKED.search(plain[: match.start()]):
            frame = Frame.MENTION  # "I asked sales to book the demo": staff asking staff is work, not a VEP
        if gerund:
            frame, coordinated = Frame.MENTION, False
        if frame == Frame.STRONG and _inside_quote(plain, match.start()) and not _opens_quote(plain[: match.start()]):
            frame = Frame.MENTION  # "... before you pay them" in a slogan is the ad's wording, not a gate
        if (
            hits
            and frame < Frame.STRONG
            and hits[-1].frame == Frame.STRONG
            and _listed(plain[hits[-1].end : match.start()])
        ):
            frame, coordinated = Frame.STRONG, True  # "Pick three recipes, enter a card, and choose a day."
        words = content_words(tail + " " + obj)
        hits.append(ActionHit(family, match.start(), match.end(), phrase, words, frame, coordinated))
    asked = _asked_for(plain)
    if asked is not None and not any(
        h.start <= asked.start < h.end or asked.start <= h.start < asked.end for h in hits
    ):
        hits.append(asked)
        hits.sort(key=lambda h: h.start)
    opened = _open_requirements(plain, hits)
    if opened:
        hits = sorted(hits + opened, key=lambda h: h.start)
    if QuestionTopic.ACTION in context and position == 0 and not any(h.frame == Frame.STRONG for h in hits):
        answered = _answered_imperative(plain, hits)
        if answered is not None:
            hits = _listed_after(plain, sorted([*hits, answered], key=lambda h: h.start))
    gate = _NOUN_GATE.search(plain)
    if gate and not hits:
        for noun in (gate.group("noun").lower(), gate.group("noun").lower().split()[0]):
            if noun in _GATE_NOUNS:
                family = _GATE_NOUNS[noun]
                hits.append(
                    ActionHit(family, gate.start("noun"), gate.end("noun"), family.name, frozenset(), Frame.STRONG)
                )
                break
    return hits


def _listed_after(plain: str, hits: list[ActionHit]) -> list[ActionHit]:
    """Acts listed after a required one are required with it: "Sign the letter and set up the direct debit."."""
    out: list[ActionHit] = []
    for hit in hits:
        if out and hit.frame < Frame.STRONG and out[-1].frame == Frame.STRONG and _listed(plain[out[-1].end : hit.start]):
            hit = replace(hit, frame=Frame.STRONG, coordinated=True)
        out.append(hit)
    return out


def mentioned_families(plain: str) -> list[tuple[ActionFamily, int]]:
    """Families named by a noun in the sentence ("the signup", "bookings"), with where they are named."""
    return [(_NOUNS[m.group(0).lower()], m.start()) for m in _NOUN.finditer(plain) if m.group(0).lower() in _NOUNS]


def _object_after(plain: str, end: int) -> str:
    words: list[str] = []
    for token in re.finditer(r"[^\s]+", plain[end:]):
        raw = token.group(0)
        word = raw.strip("\"'()[]").lower()
        # "mark the ones they'd want to talk to": a relative clause names what "the ones" are.
        vague = words and not content_words(" ".join(words))
        if (word.rstrip(",.;:!?") in _OBJECT_STOP and not vague) or not word:
            break
        words.append(raw.rstrip(",.;:!?\"')"))
        if raw[-1] in ',.;:!?"' or len(words) >= (_MAX_OBJECT_WORDS + 2 if vague else _MAX_OBJECT_WORDS):
            break
    return " ".join(w for w in words if w)


_RELATIVE = caseless(r"\b(?:who|(?:ones|those|people|customers|clients|members) that)\s+(?:[\w']+\s+)?$")
# What an object opens with when the words after a relative clause's verb are its object ("who book a demo"), not
# the main clause's verb ("who pay cancel").
_DETERMINED = caseless(r"(?:a|an|the|their|your|his|her|my|our|its|this|that|these|those|some|any|every|each|all|"
                       r"one|two|three|\d+)\b")
# Those a share is counted among, named by what they did before: "of those who pay", "among the people who book".
COUNTED_AMONG = caseless(r"\b(?:of|among) (?:all )?(?:those|them|everyone|everybody|the [\w-]+|people|the ones) "
                         r"(?:who|that)\s+(?:[\w']+\s+)?$")
_WHEN_NOT_WHAT = caseless(rf"\s+(?:{_WHEN_SIGNED}|for)\b")
_TO_GET_IT = caseless(_TO_GET + r"(?:just |first |then |simply )?$")
_OFFER_FOR_IT = caseless(r"\band (?:you|you'll|you get|it's|it is|we|they get|get)\b")
_IF_THEY = caseless(r"\b(?:if|once) (?:they|you|customers?|members?|clients?|users?)\s+$")
_OFFER_AFTER = caseless(r",\s*(?:it's|it is|they get|you get|they pay|you pay|we give|we throw in)\b")


def _frame(plain: str, start: int, verb: str, context: frozenset[QuestionTopic], position: int) -> tuple[Frame, bool]:
    """How firmly the verb at `start` is required, and whether it is coordinated with an earlier verb."""
    before = plain[:start]
    clause = re.split(r"[.;:!?]\s", before)[-1]
    introduced = re.split(r"[.;!?]\s", before)[-1]  # "the one thing we ask is: book a ride" names it after a colon
    for pattern in _STRONG_BEFORE:
        found = pattern.search(clause) or pattern.search(introduced)
        if found:
            # "you don't have to sign up" lifts the requirement rather than stating it.
            groups = found.groupdict()
            negation = groups.get("neg")
            if negation and is_negation(negation.strip()):
                return Frame.MENTION, False
            return Frame.STRONG, bool(groups.get("coord"))
    imperative = re.match(re.escape(verb) + r"(?![\w'-])", plain[start:], re.IGNORECASE) is not None
    if imperative and (_SENTENCE_OPENING.match(before) or _opens_quote(before)):
        # An imperative: a call to action in quotes, the answer to "what do you need them to do?", or an
        # offer for doing it ("Sign within seven days and it's seven-fifty off").
        if _opens_quote(before) or QuestionTopic.ACTION in context or _OFFER_FOR_IT.search(plain, start):
            return Frame.STRONG, False
        return Frame.MEDIUM, False
    if _TO_GET_IT.search(before):
        return Frame.STRONG, False  # "To get the pass you leave your name": what it takes to get something
    if _IF_THEY.search(clause) and _OFFER_AFTER.search(plain, start):
        return Frame.STRONG, False  # "If they sign for another twelve months, it's thirty-six ninety."
    for pattern in _MEDIUM_BEFORE:
        if pattern.search(clause):
            early_answer = QuestionTopic.ACTION in context and position < 2
            return (Frame.STRONG if early_answer else Frame.MEDIUM), False
    return Frame.MENTION, False


_LISTED = caseless(r"[^.;:!?]*?(?:,|\band)\s+(?:then\s+|also\s+)?")
_SOMEONE_ELSE = caseless(r"\b(?:we|I|our|us)\b")


def _listed(between: str) -> bool:
    """Whether the text between two verbs makes the second one more of the same list of demands."""
    return _LISTED.fullmatch(between) is not None and not _SOMEONE_ELSE.search(between)


def _inside_quote(plain: str, offset: int) -> bool:
    return plain[:offset].count('"') % 2 == 1


def _opens_quote(before: str) -> bool:
    return bool(re.search(r'"\s*$', before)) and before.count('"') % 2 == 1


_FAMILY_OF_VERB = _families_by_verb()
