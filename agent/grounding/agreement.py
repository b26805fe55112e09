"""The words a fuzzy match may not change: numbers, negations, facts beyond digits, and names.

A similarity score cannot tell "we lost 30%" from "we lost 50%", or "we don't" from "we do": one or
two characters apart, opposite evidence. So after alignment, every place where the quote and the span
differ is inspected: its numbers must be the same on both sides, so must its negations, its quantities
("half", "first", "all"), comparisons ("faster", "before") and opposites ("optional" / "mandatory");
the units and currencies of the whole differing part must agree ("two weeks" is not "two months"), and
a name the quote gives must be in the source at that place. A name the *source* gives and the quote
leaves out ("Stripe" quoted as "it") is tolerated: the kept text is the source's own, name included.
"""

from __future__ import annotations

from collections.abc import Sequence

from agent.grounding.facts import COMPARISONS, QUANTITIES, UNITS, are_opposites, canonical_in
from agent.grounding.results import GroundingFailure
from agent.grounding.tokens import Token, Word

# Characters after which a capital letter is a sentence start, not a name.
_SENTENCE_ENDS = frozenset(".!?…:;")
_OPENERS = frozenset("\"'“‘([—–-")


def name_flags(text: str, tokens: Sequence[Token], lowercase_words: frozenset[str]) -> list[bool]:
    """For each token of a quote: does it look like a proper name?

    A capitalised word counts as a name unless it starts a sentence and the transcript also writes it in
    lower case ("Then" is a word; "Stripe" at a sentence start is still a name). "I" is never a name.
    """
    flags: list[bool] = []
    for token in tokens:
        if not token.capitalised or token.norm == "i" or token.norm.startswith("i'"):
            flags.append(False)
            continue
        flags.append(not _starts_sentence(text, token.start) or token.norm not in lowercase_words)
    return flags


def disagreement(
    quote: Sequence[Word],
    quote_names: Sequence[bool],
    source: Sequence[Word],
    blocks: Sequence[tuple[range, range]],
) -> GroundingFailure | None:
    """The first kind of protected word that differs between quote and source, or None if they agree.

    `blocks` are the aligned places where they differ: (quote positions, source positions). Units are
    compared over all the places together, so "49 euros" quoting "€49" (the unit moved) agrees.
    """
    our_units: list[str] = []
    their_units: list[str] = []
    for quote_part, span_part in blocks:
        ours = [quote[position] for position in quote_part]
        theirs = [source[position] for position in span_part]
        if sorted(_numbers(ours)) != sorted(_numbers(theirs)):
            return GroundingFailure.NUMBERS_DIFFER
        if sum(word.negation for word in ours) != sum(word.negation for word in theirs):
            return GroundingFailure.NEGATION_DIFFERS
        our_keys, their_keys = [word.key for word in ours], [word.key for word in theirs]
        if canonical_in(QUANTITIES, our_keys) != canonical_in(QUANTITIES, their_keys):
            return GroundingFailure.QUANTITIES_DIFFER
        if canonical_in(COMPARISONS, our_keys) != canonical_in(COMPARISONS, their_keys):
            return GroundingFailure.COMPARISON_DIFFERS
        if any(are_opposites(mine, other) for mine in our_keys for other in their_keys):
            return GroundingFailure.OPPOSITE_WORD
        our_units += canonical_in(UNITS, our_keys)
        their_units += canonical_in(UNITS, their_keys)
        source_words = {word.key for word in theirs}
        if any(quote_names[position] and quote[position].key not in source_words for position in quote_part):
            return GroundingFailure.NAMES_DIFFER
    if sorted(our_units) != sorted(their_units):
        return GroundingFailure.UNITS_DIFFER
    return None


def _numbers(words: Sequence[Word]) -> list[str]:
    return [word.number for word in words if word.number is not None]


def _starts_sentence(text: str, offset: int) -> bool:
    position = offset - 1
    while position >= 0 and (text[position].isspace() or text[position] in _OPENERS):
        position -= 1
    return position < 0 or text[position] in _SENTENCE_ENDS
