"""Words that carry a fact beyond digits: quantities, units, currencies, comparisons and opposites.

A model that writes "a third" for "half", "two months" for "two weeks", "slower" for "faster" or
"mandatory" for "optional" changes one word and keeps a high similarity, so a fuzzy matcher alone
accepts the quote. Each class here is a set of words that must be the same on both sides of every
place where quote and source differ (see `agreement.disagreement`); differing, the quote is not
evidence. Words map to a canonical form so that a plural or a spelling is not a change ("weeks" is
"week", "licence" is "license").
"""

from __future__ import annotations

from collections.abc import Iterable

# Fractions, quantifiers and ordinals: how much, how many, which one.
QUANTITIES: dict[str, str] = {
    **{word: word for word in (
        "half", "third", "quarter", "fifth", "tenth", "most", "all", "some", "none", "few", "many", "several",
        "every", "each", "any", "both", "double", "twice", "triple", "thrice", "majority", "minority", "whole",
        "entire", "least", "first", "second", "fourth", "sixth", "seventh", "eighth", "ninth", "last", "next",
        "final", "previous", "once", "single", "dozen", "handful", "couple",
    )},
    "halves": "half", "thirds": "third", "quarters": "quarter", "fifths": "fifth", "tenths": "tenth",
    "everyone": "every", "everybody": "every", "everything": "every", "always": "always", "often": "often",
    "sometimes": "sometimes", "rarely": "rarely", "usually": "usually", "seldom": "rarely", "dozens": "dozen",
    "doubled": "double", "tripled": "triple", "halved": "half", "lastly": "last", "firstly": "first",
    "finally": "final", "secondly": "second",
}  # fmt: skip

# Units of time, money and size, and currencies ("$" is a token of its own, see `tokens`).
UNITS: dict[str, str] = {
    "second": "second", "seconds": "second", "secs": "second",
    "minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
    "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour", "hourly": "hour",
    "day": "day", "days": "day", "daily": "day", "overnight": "day",
    "week": "week", "weeks": "week", "weekly": "week", "fortnight": "fortnight", "fortnightly": "fortnight",
    "month": "month", "months": "month", "monthly": "month", "quarterly": "quarter",
    "year": "year", "years": "year", "yearly": "year", "annual": "year", "annually": "year", "decade": "decade",
    "dollar": "dollar", "dollars": "dollar", "buck": "dollar", "bucks": "dollar", "usd": "dollar",
    "euro": "euro", "euros": "euro", "eur": "euro", "pound": "pound", "pounds": "pound", "gbp": "pound",
    "quid": "pound", "yen": "yen", "cent": "cent", "cents": "cent", "penny": "penny", "pence": "penny",
    "seat": "seat", "seats": "seat", "licence": "license", "licences": "license", "license": "license",
    "licenses": "license", "head": "head", "heads": "head",
    "gb": "gb", "mb": "mb", "tb": "tb", "kb": "kb", "kg": "kg", "km": "km", "mile": "mile", "miles": "mile",
}  # fmt: skip

# Comparatives and order in time: which way something went.
COMPARISONS: dict[str, str] = {
    **{word: word for word in (
        "more", "less", "fewer", "faster", "slower", "quicker", "before", "after", "earlier", "later", "higher",
        "lower", "bigger", "smaller", "larger", "cheaper", "pricier", "better", "worse", "longer", "shorter",
        "greater", "harder", "easier", "sooner", "above", "below", "most", "least", "best", "worst",
    )},
    "increase": "increase", "increased": "increase", "increases": "increase", "increasing": "increase",
    "decrease": "decrease", "decreased": "decrease", "decreases": "decrease", "decreasing": "decrease",
}  # fmt: skip

# Opposites a model swaps while the rest of the sentence stays: each pair read both ways.
_OPPOSITE_PAIRS = (
    ("optional", "mandatory"), ("optional", "required"), ("optional", "compulsory"), ("love", "hate"),
    ("loved", "hated"), ("loves", "hates"), ("proud", "ashamed"), ("easy", "hard"), ("easy", "difficult"),
    ("cheap", "expensive"), ("good", "bad"), ("win", "lose"), ("won", "lost"), ("gain", "lose"),
    ("gained", "lost"), ("success", "failure"), ("succeed", "fail"), ("succeeded", "failed"),
    ("accept", "reject"), ("accepted", "rejected"), ("include", "exclude"), ("included", "excluded"),
    ("open", "closed"), ("start", "stop"), ("started", "stopped"), ("simple", "complex"),
    ("simple", "complicated"), ("strong", "weak"), ("early", "late"), ("fast", "slow"), ("high", "low"),
    ("big", "small"), ("large", "small"), ("long", "short"), ("full", "empty"), ("free", "paid"),
    ("right", "wrong"), ("true", "false"), ("yes", "no"), ("safe", "risky"), ("positive", "negative"),
    ("grow", "shrink"), ("growing", "shrinking"), ("grew", "shrank"), ("rise", "fall"), ("rising", "falling"),
    ("rose", "fell"), ("buy", "sell"), ("bought", "sold"), ("profit", "loss"), ("stay", "leave"),
    ("stayed", "left"), ("join", "leave"), ("joined", "left"), ("allowed", "forbidden"), ("allow", "forbid"),
    ("internal", "external"), ("inside", "outside"), ("same", "different"), ("visible", "hidden"),
    ("manual", "automatic"), ("manually", "automatically"), ("online", "offline"), ("public", "private"),
    ("new", "old"), ("remember", "forget"), ("remembered", "forgot"), ("hot", "cold"), ("warm", "cold"),
    ("light", "heavy"), ("up", "down"), ("in", "out"), ("on", "off"), ("max", "min"), ("maximum", "minimum"),
    ("always", "never"), ("everyone", "nobody"), ("everything", "nothing"), ("clear", "confusing"),
    ("happy", "sad"), ("like", "dislike"), ("liked", "disliked"), ("trust", "distrust"), ("agree", "disagree"),
    ("worked", "failed"), ("works", "fails"), ("keep", "lose"), ("kept", "lost"), ("add", "remove"),
    ("added", "removed"), ("raise", "lower"), ("raised", "lowered"), ("love", "dislike"),
)  # fmt: skip
OPPOSITES: dict[str, frozenset[str]] = {}
for _one, _other in _OPPOSITE_PAIRS:
    OPPOSITES[_one] = OPPOSITES.get(_one, frozenset()) | {_other}
    OPPOSITES[_other] = OPPOSITES.get(_other, frozenset()) | {_one}
# Prefixes that turn a word into its opposite ("happy" / "unhappy", "possible" / "impossible").
_NEGATING_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non", "non-")


def canonical_in(table: dict[str, str], keys: Iterable[str]) -> list[str]:
    """The canonical forms of the keys that belong to `table`, sorted: a multiset to compare."""
    return sorted(table[key] for key in keys if key in table)


def are_opposites(one: str, other: str) -> bool:
    """True for a listed pair of opposites, or one word the other with a negating prefix."""
    if other in OPPOSITES.get(one, ()):
        return True
    shorter, longer = sorted((one, other), key=len)
    return len(shorter) >= 3 and any(longer == prefix + shorter for prefix in _NEGATING_PREFIXES)
