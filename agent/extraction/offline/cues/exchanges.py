"""Cue: the give-get exchange at a threshold (step 5): "you give me X, and I will give you Y".

People rarely say "give-get". They say "in exchange", "in return", "for free", "it's on us", "you get
... for ...", "we do the chasing for them", "refer a friend and get a month". This module finds those
sentences, says what the customer gives (by kind) and what the organisation gives back (a phrase of the
sentence), and reads the balance only where the speaker judges it ("a big ask", "for nothing",
"a promise we never made"); otherwise the balance is honestly unknown.
"""

from __future__ import annotations

from agent.extraction.offline.cues import phrases
from agent.extraction.offline.cues.caseless import CaselessPattern, caseless
from schemas.elements import Balance, GiveKind

EXCHANGE = phrases((
    r"in exchange", r"in return", r"for free", r"free (?:trial|consultation|tier|plan|version|month|months|shipping|"
    r"delivery|box|call|audit|report|account|access|sample|session|week|weeks|period|credits?)", r"(?:costs?|cost) (?:them |you )?nothing",
    r"on us", r"on the house", r"(?:no|at no) (?:charge|cost)", r"(?:you|they)(?:'ll)? get", r"(?:you|they) receive",
    r"(?:give|gives|gave) (?:us|me) (?:\w+ ){0,6}(?:and|then) (?:we|they|you|I) (?:get|give|receive)",
    r"(?:what|all) (?:they|you) get", r"(?:trade|trades|traded|swap|swaps|swapped)", r"referrals",
    r"refer a friend", r"referral (?:program|programme|bonus|reward|credit|link|code|scheme)", r"(?:\w+ )?(?:percent|%|euros?|dollars?|pounds?) off", r"(?:we|I) (?:do|handle|chase|call|reach out)(?: \w+){0,4} for (?:them|you)",
    r"for doing", r"in return for", r"what'?s in it for", r"(?:access|credits?|bonus|reward|perks?) (?:for|if|when)",
    r"(?:unlock|unlocks|unlocked)", r"(?:get|gets) (?:access|to see|a discount|a free)",
    # What the organisation asks for, what it takes, and what made a customer hand it over.
    r"(?:we|they) ask (?:them |you |customers |people )?(?:for|to give|to share|to hand over)",
    r"(?:we|they) take (?:a |an )?(?:[\w-]+ ){0,3}(?:fee|cut|commission|deposit)",
    r"(?:that's|that is|it was|it's) what (?:sold|convinced|got) (?:me|them|us|people)",
    r"put (?:[\w-]+ ){1,6}down", r"(?:a risk|worth the risk) (?:I|we|they|you) could take", r"worth (?:it|the money|the price)",
))  # fmt: skip

# A price said with what it buys: "twenty-two euros for three meals", "they pay 49 a month for the reviews".
_AMOUNT = (r"(?:[€$£]\s?\d[\d.,]*|\d[\d.,]*\s?(?:euros?|dollars?|pounds?|€|\$|£|k)|"
           r"(?:[a-z]+[- ])?[a-z]+ (?:euros?|dollars?|pounds?|bucks|grand))")
_PERIOD = r"(?:\s(?:a|per|each|every)\s(?:month|week|year|seat|user|head|box|serving|lesson|site|sensor))?"
_PRICE_FOR = caseless(
    rf"(?:(?<!\w){_AMOUNT}{_PERIOD}|\b(?:pay|pays|paid|paying)(?:\s[\w.,€$£-]+){{1,5}}?)(?:,?\s(?:billed|paid)\s\w+)?,?"
    r"\sfor\s(?P<what>(?!(?:them|you|it|that|this|a while|now|free|nothing)\b)[^.;!?]+)",
)

# What the customer gives, named in the sentence. The VEP's own action adds its kinds as well.
_GIVE_CUES: dict[GiveKind, CaselessPattern] = {
    GiveKind.MONEY: phrases((r"pay\w*", r"paid", r"fee", r"price", r"money", r"card", r"euros?", r"dollars?", r"pounds?",
                             r"per month", r"a month", r"subscri\w+", r"€", r"\$")),
    GiveKind.TIME: phrases((r"time", r"minutes", r"hours?", r"days?", r"weeks?", r"slot", r"call", r"meeting")),
    GiveKind.EFFORT: phrases((r"effort", r"work", r"fill\w* (?:in|out)", r"form", r"mark\w*", r"select\w*", r"upload\w*",
                              r"go through", r"setup", r"set up", r"tedious")),
    GiveKind.DATA: phrases((r"data", r"email", r"details", r"information", r"name", r"company name", r"phone number",
                            r"history", r"preferences", r"intent")),
    GiveKind.ATTENTION: phrases((r"attention", r"watch\w*", r"listen\w*", r"read\w*")),
    GiveKind.COMMITMENT: phrases((r"commit\w*", r"contract", r"annual", r"agree\w*", r"renewal", r"promise to",
                                  r"within \w+(?:-\w+)? hours")),
    GiveKind.ACCESS: phrases((r"access to (?:their|your)", r"permission", r"connect\w*", r"integrat\w*", r"log-?ins?")),
    GiveKind.REFERRAL: phrases((r"refer\w*", r"invite\w*", r"friends?", r"word of mouth", r"recommend\w*")),
    GiveKind.CONTENT: phrases((r"content", r"reviews?", r"photos?", r"posts?", r"ratings?", r"documents?", r"invoices?")),
}  # fmt: skip

# What the organisation gives back, in the speaker's own words: the phrase after the cue.
_GETS = (
    caseless(r"\b(?:you|they|he|she|customers?|users?|owners?|clients?|people) (?:get|gets|receive|receives|unlock|unlocks|see|sees)\s+(?P<what>[^.;!?]+)"),
    caseless(r"\bin (?:exchange|return)(?: for [^,.;]+)?,?\s*(?:we|they|you)?\s*(?:give|get|offer|provide|send|receive)?\s*(?P<what>[^.;!?]+)"),
    caseless(r"\b(?:we|I)\s+(?:give|offer|provide|send|throw in|do|handle)\s+(?:them|you|him|her)?\s*(?P<what>[^.;!?]+)"),
    _PRICE_FOR,
    caseless(r"(?P<what>\b[^.;!?,]*\b(?:is|are) on (?:us|the house))"),
    caseless(r"(?P<what>\bfree [\w-]+(?: [\w-]+){0,3})"),
    caseless(r"(?P<what>\b\w+ (?:percent|%|euros?|dollars?|pounds?) off(?: [\w-]+){0,4})"),
)  # fmt: skip
_NOTHING_BACK = phrases((r"for nothing", r"nothing in return", r"(?:get|gets|got) nothing", r"(?:not|nothing) much",
                         r"nothing,? really", r"nothing at all",
                         r"(?:we|they) give (?:them |you )?nothing"))  # fmt: skip
_BALANCE_CUES: tuple[tuple[Balance, CaselessPattern], ...] = (
    (Balance.VALUE_OVERSTATED, phrases((
        r"overpromis\w*", r"over-promis\w*", r"oversell\w*", r"oversold", r"too good to be true",
        r"(?:a )?promises? (?:\w+ ){0,3}never (?:made|kept|delivered)", r"never deliver\w*", r"exaggerat\w*",
        r"overstat\w*", r"not what (?:they|we) (?:promised|expected|were promised)", r"doesn't (?:really )?happen",
        r"(?:isn't|wasn't|aren't|is not) (?:really |quite )?true", r"nobody told (?:us|me|them)",
        r"(?:never|hadn't|had never|we'd never) (?:even )?heard of", r"(?:isn't|wasn't|not) what (?:we|I|they) (?:got|were told|paid for)",
    ))),
    (Balance.CUSTOMER_OVER_GIVES, phrases((
        r"a lot to ask", r"too much to ask", r"(?:a )?big ask", r"heavy lift", r"tedious", r"painful",
        r"(?<!\bnot )(?<!\bnever )(?<!\bless of )(?:a|of|such a|real) hassle",  # not the ad's "no hassle"
        # What was given for nothing, not work the organisation does for nothing ("fix it for nothing anyway").
        r"(?:quid|pounds?|euros?|dollars?|hours?|days?|weeks?|months?|evenings?|money|paid|pay|gave|given) for nothing",
        r"nothing in return", r"(?:get|gets|got) nothing (?:back|in return|for (?:it|that|this)|out of it)",
        r"not much,? honestly", r"^\W*not much\W*$",
        r"do (?:all )?the work", r"unpaid (?:hour|hours|work|time|lesson|day|days)", r"(?:I|we) (?:don't|do not|can't) blame them",
        r"(?:asking|ask|asked) (?:them|customers|people|users|clients) to (?:[\w-]+ ){1,5}for free",
        r"(?:more|far more|much more) than (?:they|we|it) (?:need|needs|get|gets)",
        r"(?:we'd|we would|we) (?:really |actually )?only need",
        # Said of the exchange as the customer lived it: "felt steep", "all that for a summary slide".
        r"felt (?:like )?(?:a lot|a bit much|too much|steep|excessive|a bit had|like a rip-?off)(?! (?:more|better|"
        r"easier|less|safer|calmer)\b)",
        r"(?<!n't )(?<!not )(?<!never )(?:feel|feels|feeling) (?:like )?(?:a bit had|(?:a|like a) rip-?off)\b",
        # Given, and little or the same work back: "handed over our whole client list and got just a summary",
        # "I'm paying two hundred a week and I'm still the one ringing round".
        r"(?:gave|given|handed over|hand over|paid|spent|put in)\b[^.;!?]{0,80}\band (?:(?:only|just) got|got (?:just|only) "
        r"(?:a|an|one)\b)",
        r"(?:paying|paid|pay|given|gave|handed over|spent|spend|put in)\b[^.;!?]{0,80}\b(?:and|but) (?:I'm |I am |we're "
        r"|we are |I was |we were |I |we )?still (?:the ones? (?:who|ringing|chasing|doing|fixing|sorting|calling)|"
        r"(?:have|had|having) to (?:chase|ring|call|fix|do|sort|pay|check|send))\b",
        r"(?:all|everything) (?:of )?(?:that|this) for (?:a|an|one|just|only)\b",
        r"(?<!ing )(?:not|isn't|wasn't|never) worth (?:it|the (?:money|effort|hassle|time|price|fee|trouble))",
        r"(?:give|gave|given|hand over|handed over|put in|paid|spent)\b[^.;!?]{0,80}\b(?:and|but) (?:what|all) "
        r"(?:you|I|we|they) (?:get|got)\b",
        r"before (?:I'd|I had|we'd|we had|they'd|they had|you'd|you've|they've) (?:even )?(?:paid|played|seen|used|tried)\b",
        r"doing (?:your|the [\w-]+'s) (?:admin|job|work|paperwork)",  # said to the organisation, by a customer
    ))),
    (Balance.BALANCED, phrases((r"fair (?:trade|deal|exchange)", r"win[- ]win", r"(?:both|everyone) (?:wins|benefits)"))),
)  # fmt: skip
_MAX_GET_WORDS = 12


def is_exchange(plain: str) -> bool:
    return EXCHANGE.search(plain) is not None or _PRICE_FOR.search(plain) is not None


# Only a sentence that says the customer gives something is read for what they give.
_CUSTOMER_GIVES = phrases((
    r"(?:you|they|customers?|users?|clients?|owners?|people|he|she) (?:\w+ )?(?:give|gives|pay|pays|share|shares|spend|"
    r"spends|put in|puts in|hand over|hands over|provide|provides|commit|commits|upload|uploads|invest|invests)",
    r"in (?:exchange|return) for", r"for (?:their|your) (?:email|data|time|details|money|commitment|attention)",
    r"(?:give|gives|gave) us", r"(?:we|they) ask (?:them |you |customers )?for", r"put (?:[\w-]+ ){1,6}down",
    r"(?:we|they) take (?:a |an )?(?:[\w-]+ ){0,3}(?:fee|cut|commission|deposit)",
))  # fmt: skip


def gives_named(plain: str) -> list[GiveKind]:
    """The kinds of resource the sentence says the customer hands over (none unless it says they give)."""
    priced = _PRICE_FOR.search(plain) is not None
    if not (priced or _CUSTOMER_GIVES.search(plain)):
        return []
    named = [kind for kind, cue in _GIVE_CUES.items() if cue.search(plain)]
    return named if GiveKind.MONEY in named or not priced else [GiveKind.MONEY, *named]


def organisation_gives(plain: str) -> str | None:
    """What the organisation gives back, as a short phrase of the sentence; None if it says nothing comes back."""
    if _NOTHING_BACK.search(plain):
        return None
    for pattern in _GETS:
        match = pattern.search(plain)
        if match:
            words = match.group("what").strip(" ,\"'").split()
            if words:
                return " ".join(words[:_MAX_GET_WORDS]).rstrip(",")
    return None


def gives_nothing_back(plain: str) -> bool:
    return _NOTHING_BACK.search(plain) is not None


# The speaker says what they gave: a verdict that names it ("I'm paying ... and I'm still the one ringing round", "I
# gave up a whole morning") is about an exchange even said far from every step; "The commute is tedious" is not.
_GIVEN_BY_THE_SPEAKER = phrases((
    r"(?:I|we)(?:'d|'ve|'m|'re| had| have| am| are| was| were)?(?: \w+)? (?:paid|paying|pay|gave|given|give|handed over|"
    r"hand over|spent|spend|put|filled in|sent)",
))  # fmt: skip


def names_what_was_given(plain: str) -> bool:
    return _GIVEN_BY_THE_SPEAKER.search(plain) is not None


def balance_of(plain: str) -> Balance:
    for balance, cue in _BALANCE_CUES:
        if cue.search(plain):
            return balance
    return Balance.UNKNOWN
