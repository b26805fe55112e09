"""The price at the final threshold: which amount said in the talk is what the customer pays.

Interviews name many amounts: intro offers, discounts, costs, savings, the list price. The one that
validates the stream is the regular price of the purchase, so candidates are scored: named as the
price ("list price", "full price", "mine was"), said with its terms ("twelve months minimum"), with a period
("a month"), beside the purchase, with a currency; against: said as a discount, an intro offer or a deposit, or imagined ("I'd
pay twenty for that"). A price the next speaker puts right ("... five hundred and ninety—" / "Six ninety.") gives
way to the correction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from agent.extraction.offline.cues import negated, phrases
from agent.extraction.offline.cues.caseless import caseless
from agent.extraction.offline.cues.questions import QuestionTopic
from agent.extraction.offline.cues.thresholds import NOT_A_PRICE_AFTER, PURCHASE
from agent.extraction.offline.numbers import Figure, Price, prices, spoken_numbers
from agent.extraction.offline.reading import Reading, Sentence

_REGULAR = phrases((
    r"(?:list|full|regular|standard|normal|usual|real) price", r"full[- ]price", r"list is", r"(?:it|that) costs",
    r"(?:hundred|thousand|euros?|pounds?|dollars?|\d) list",
    r"(?:we|they|I) pay(?! (?:them|him|her|for|out|something|the \w+ (?:for|to)|(?:our|their|my) \w+ (?:for|to)))",
    r"(?:the )?price is", r"(?:we|they) charge", r"priced at", r"costs? (?:them|you|customers|users)",
    # What the buyer says they paid, and the offer named as what it costs: "Mine was ten thousand four hundred",
    # "the standard contract is eleven hundred and forty pounds a year", "the package itself is fourteen five".
    r"(?:mine|ours|theirs) (?:was|is|came to)",
    r"(?:the|our) (?:standard |basic |full |whole )?(?:package|contract)(?: itself)? (?:is|was|costs?)",
))  # fmt: skip
_INTRO = phrases((
    r"(?:\w+ )?(?:percent|%) off", r"discount\w*", r"intro\w*", r"first (?:box|month|order|week)", r"trial",
    r"save\w*", r"saving\w*", r"costs us", r"cost us", r"costing us", r"paid out", r"promo\w*",
    r"deposit",  # the price of holding a place, an earlier threshold's
))  # fmt: skip
# The terms a regular price is said with: "twelve months minimum, by direct debit", "on a twelve-month contract".
_TERMS = phrases((
    r"(?:[\w-]+[- ])?(?:months?|years?) minimum", r"minimum (?:term|of|commitment)", r"(?:[\w-]+-)?(?:month|year) (?:contract|term)",
    r"direct debit", r"billed (?:monthly|annually|yearly|weekly|quarterly)", r"(?:pay|paid) (?:upfront|up front)",
))  # fmt: skip

# A price someone imagines is not the price: "if we charged sixty", "they would pay eighty".
_HYPOTHETICAL = phrases((
    r"if (?:we|they|you) (?:charged?|raised?|went|put|priced|asked)", r"(?:would|could|might) (?:pay|charge|cost|be)",
    r"thinking (?:of|about) (?:charging|raising|a price)", r"consider\w* (?:charging|raising|a price)",
    r"what if", r"imagine", r"maybe (?:we|they) (?:should|could)",
    r"if (?:it|this|that|the \w+) (?:did|had|were|was|worked|could|actually)",  # "if it did everything, I'd say ten"
    # Not what the purchase costs: what it is worth, what is lost, what was paid before for something else.
    r"worth", r"(?:lose|lost|losing|costs? me|costs? us)", r"(?:I'd|I would|we'd|we would) put it at",
    r"(?:were|was) (?:paying|handing)", r"used to pay",
    r"(?:I|we|they|you|he|she)'d (?:have )?(?:pay|paid|charge|be)",  # "I'd pay twenty a month for that"
))  # fmt: skip


@dataclass(frozen=True)
class PriceSaid:
    price: Price
    sentence: Sentence
    score: int


def price_in(sentence: Sentence, nearby: bool, currency: str | None = None) -> PriceSaid | None:
    """The most likely price said in a sentence (None if none is said), scored as described above.

    `currency` is the one the talk names most: an amount said without one ("seven eighty for the week")
    is taken to be in it, but scores below an amount whose currency is said."""
    plain = sentence.plain
    talk_of_buying = PURCHASE.search(plain) is not None or QuestionTopic.PURCHASE in sentence.context
    best: PriceSaid | None = None
    regular = _REGULAR.search(plain)
    named_as_price = regular is not None and currency is not None
    for price in [*prices(plain), *_named_amounts(plain, regular)]:
        rest = plain[price.end :].lstrip()
        if price.amount <= 0 or NOT_A_PRICE_AFTER.match(rest) or negated(plain, price.start, 2):
            continue
        if price.currency is None and not (price.period and talk_of_buying) and not named_as_price:
            continue  # "ten hours a month" is not a price; "eight hundred a month" for the plan may be
        said_currency = price.currency is not None
        if not said_currency and currency is not None:
            price = replace(price, currency=currency)
        score = (
            3 * bool(regular)
            + bool(price.period)
            + said_currency
            + bool(nearby)
            + bool(talk_of_buying)
            + 2 * bool(_TERMS.search(plain))
            - 2 * bool(_INTRO.search(plain))
            - 4 * bool(_HYPOTHETICAL.search(plain))
        )
        if best is None or score > best.score:
            best = PriceSaid(price, sentence, score)
    return best


def _named_amounts(plain: str, regular: re.Match[str] | None) -> list[Price]:
    """An amount said bare right beside the word that makes it the price: "eleven thousand nine hundred list",
    "the list price is eleven nine"; `prices` reads only amounts said with a currency or a period."""
    if regular is None:
        return []
    return [Price(f.value, None, None, f.start, f.end) for f in spoken_numbers(plain)
            if regular.start() - 1 <= f.end <= regular.end() or 0 <= f.start - regular.end() <= 1]


def prices_said(reading: Reading, currency: str | None) -> dict[int, PriceSaid]:
    """Every price said where buying or pricing is talked about, or named as the price wherever it is said ("Mine
    was thirteen fifty"), by sentence; a price put right by the next speaker replaces its sentence's reading."""
    said = {
        sentence.index: found
        for sentence in reading.sentences
        if sentence.evidence
        if PURCHASE.search(sentence.plain) or QuestionTopic.PURCHASE in sentence.context or _REGULAR.search(sentence.plain)
        if (found := price_in(sentence, nearby=False, currency=currency)) is not None
    }
    return said | corrections(reading, currency)


def best_price(candidates: list[PriceSaid]) -> PriceSaid | None:
    """The highest-scored price; the first said wins a tie."""
    best: PriceSaid | None = None
    for candidate in candidates:
        if best is None or candidate.score > best.score:
            best = candidate
    return best


# What may come before the amount that puts a price right: "Six ninety.", "No, forty-nine.", "Mine was thirteen fifty."
_CORRECTING = caseless(
    r"^(?:(?:no|well|actually|sorry|oh|mine|ours|hers|his|theirs|it|that)(?:'s)?\b[\s,]*(?:(?:was|is|were)\b[\s,]*)?)*",
)
# After a bare amount, only an end, a possessive or a word of time: "Forty-nine.", "Seventeen hundred's more honest",
# "Six ninety now"; not "Forty percent take it" or "Twelve weeks, usually".
_BARE_AMOUNT_END = caseless(r"\s*(?:[.,;!?—]|-(?!\w)|$|'s\b|(?:now|then|flat|all in|in total|on the quote)\b)")
_CORRECTION_WORDS = 8  # a correction is said short: "Six ninety. It went up in March."
_CORRECTION_RATIO = 2.0  # "Seventeen now" does not correct "about sixteen hundred"; "Seventeen hundred's" does


def corrections(reading: Reading, currency: str | None) -> dict[int, PriceSaid]:
    """Prices put right by the next speaker ("Growth is five hundred and ninety" / "Six ninety. It went up in
    March."), by sentence. The amount corrected is the last one the previous turn said; a correction is said
    bare, so it takes the currency and period of the last price that turn said and outranks it: the speaker who
    knows the figure has the last word."""
    found: dict[int, PriceSaid] = {}
    for turn in reading.turn_sentences:
        opening = [(s, f) for s in reading.in_turn(turn)[:2]
                   if s.evidence and s.word_count <= _CORRECTION_WORDS and (f := _amount_first(s)) is not None]
        before = reading.in_turn(turn - 1)
        if not opening or not before or before[-1].speaker == reading.sentences[reading.turn_sentences[turn][0]].speaker:
            continue
        amounts = _money_said(before[-1].plain)
        if not amounts:
            continue
        said = [p for s in before if (p := price_in(s, nearby=False, currency=currency)) is not None]
        corrected = said[-1] if said else PriceSaid(Price(amounts[-1].value, currency, None, 0, 0), before[-1], 1)
        for sentence, figure in opening:
            ratio = figure.value / amounts[-1].value if amounts[-1].value else 0
            if figure.value != amounts[-1].value and 1 / _CORRECTION_RATIO <= ratio <= _CORRECTION_RATIO:
                price = replace(corrected.price, amount=figure.value, start=figure.start, end=figure.end)
                found[sentence.index] = PriceSaid(price, sentence, corrected.score + 1)
                break
    return found


def _money_said(plain: str) -> list[Figure]:
    """The amounts of money in a sentence: said with a currency or period, or bare where it ends ("a three-bed,
    about sixteen hundred."); not "ten percent" or "three players"."""
    money = {(p.start, p.end) for p in prices(plain)}
    return [f for f in spoken_numbers(plain)
            if any(a <= f.start and f.end <= b for a, b in money) or _BARE_AMOUNT_END.match(plain[f.end :])]


def _amount_first(sentence: Sentence) -> Figure | None:
    """The amount a sentence opens with, after words of correction ("No, ...", "Mine was ..."), said as money or
    bare; None if it opens otherwise."""
    opening = _CORRECTING.match(sentence.plain)
    numbers = spoken_numbers(sentence.plain)
    start = opening.end() if opening else 0
    if not numbers or numbers[0].start != start:
        return None
    said_as_money = any(p.start == start for p in prices(sentence.plain))
    return numbers[0] if said_as_money or _BARE_AMOUNT_END.match(sentence.plain[numbers[0].end :]) else None
