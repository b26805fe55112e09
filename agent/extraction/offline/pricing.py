"""The price at the final threshold: which amount said in the talk is what the customer pays.

Interviews name many amounts: intro offers, discounts, costs, savings, the list price. The one that
validates the stream is the regular price of the purchase, so candidates are scored: named as the
price ("list price", "full price"), said with a period ("a month"), said beside the purchase, with a
currency; against: said as a discount or an intro offer ("sixty percent off", "the first box").
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.extraction.offline.cues import negated, phrases
from agent.extraction.offline.cues.questions import QuestionTopic
from agent.extraction.offline.cues.thresholds import NOT_A_PRICE_AFTER, PURCHASE
from agent.extraction.offline.numbers import Price, prices
from agent.extraction.offline.reading import Sentence

_REGULAR = phrases((
    r"(?:list|full|regular|standard|normal|usual|real) price", r"full[- ]price", r"list is", r"(?:it|that) costs",
    r"(?:the )?price is", r"(?:we|they) charge", r"priced at", r"costs? (?:them|you|customers|users)",
))  # fmt: skip
_INTRO = phrases((
    r"(?:\w+ )?(?:percent|%) off", r"discount\w*", r"intro\w*", r"first (?:box|month|order|week)", r"trial",
    r"save\w*", r"saving\w*", r"costs us", r"cost us", r"promo\w*",
))  # fmt: skip

# A price someone imagines is not the price: "if we charged sixty", "they would pay eighty".
_HYPOTHETICAL = phrases((
    r"if (?:we|they|you) (?:charged?|raised?|went|put|priced|asked)", r"(?:would|could|might) (?:pay|charge|cost|be)",
    r"thinking (?:of|about) (?:charging|raising|a price)", r"consider\w* (?:charging|raising|a price)",
    r"what if", r"imagine", r"maybe (?:we|they) (?:should|could)",
))  # fmt: skip


@dataclass(frozen=True)
class PriceSaid:
    price: Price
    sentence: Sentence
    score: int


def price_in(sentence: Sentence, nearby: bool) -> PriceSaid | None:
    """The most likely price said in a sentence (None if none is said), scored as described above."""
    plain = sentence.plain
    talk_of_buying = PURCHASE.search(plain) is not None or QuestionTopic.PURCHASE in sentence.context
    best: PriceSaid | None = None
    for price in prices(plain):
        rest = plain[price.end :].lstrip()
        if price.amount <= 0 or NOT_A_PRICE_AFTER.match(rest) or negated(plain, price.start, 2):
            continue
        if price.currency is None and not (price.period and talk_of_buying):
            continue  # "ten hours a month" is not a price; "eight hundred a month" for the plan may be
        score = (
            3 * bool(_REGULAR.search(plain))
            + bool(price.period)
            + bool(price.currency)
            + bool(nearby)
            + bool(talk_of_buying)
            - 2 * bool(_INTRO.search(plain))
            - 4 * bool(_HYPOTHETICAL.search(plain))
        )
        if best is None or score > best.score:
            best = PriceSaid(price, sentence, score)
    return best


def best_price(candidates: list[PriceSaid]) -> PriceSaid | None:
    """The highest-scored price; the first said wins a tie."""
    best: PriceSaid | None = None
    for candidate in candidates:
        if best is None or candidate.score > best.score:
            best = candidate
    return best
