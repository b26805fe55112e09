"""Words of a transcript or a quote as comparable tokens, each keeping its span in the original text.

Grounding compares words, not characters: folding case, punctuation, curly quotes, dashes and accents is
then a property of the token, and every match maps back to the source's own characters through offsets.
A token also carries what the checks on top of a fuzzy match need: its number value and whether it
negates, so "thirty" and "30" agree while "30%" and "50%" do not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

# A number with inner separators ("1,000", "3.5") before plain words, so it stays one token; words keep
# inner apostrophes ("don't", "Maria's"); "%" is a word of its own ("30%" reads "30 percent").
# A currency sign is a word of its own too ("$30" reads "dollar 30"), so a changed currency is a changed word.
_TOKEN = re.compile(
    r"(?P<number>\d+(?:[.,]\d+)+)|(?P<word>[^\W_]+(?:['’‘ʼ][^\W_]+)*)|(?P<percent>%)|(?P<currency>[$€£¥])"
)
_CURRENCY_SIGNS = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen"}
# "180k", "1.5m", "2bn": an amount with its scale written as a suffix.
_SCALED = re.compile(r"(?P<amount>\d+(?:\.\d+)?)(?P<scale>k|m|bn)")
_SUFFIX_SCALES = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
_DIGIT = re.compile(r"\d")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})

NEGATIONS = frozenset(
    {
        "no", "not", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor", "without", "cannot",
        # contractions as models (and captions) write them without an apostrophe
        "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant", "couldnt", "wouldnt",
        "shouldnt", "wont", "havent", "hasnt", "hadnt", "mustnt", "neednt", "aint",
    }
)  # fmt: skip

# Words a model drops when it tidies speech. They are removed from both sides before scoring, so a
# dropped "um" costs nothing; removing them from both sides keeps the comparison symmetric.
HESITATIONS = frozenset({"um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "eh", "hmm", "hm", "mm", "mhm", "mmm"})
FILLERS = HESITATIONS | {"like"}
FILLER_PAIRS = frozenset({("you", "know"), ("i", "mean"), ("sort", "of"), ("kind", "of")})

# Spoken forms a model writes out when it tidies a quote; "'s" only after words where it can only be "is".
_SPELLED_OUT: dict[str, tuple[str, ...]] = {
    "cannot": ("can", "not"), "gonna": ("going", "to"), "wanna": ("want", "to"), "gotta": ("got", "to"),
    "ok": ("okay",), "let's": ("let", "us"), "i'm": ("i", "am"),
    **{f"{word}'s": (word, "is") for word in ("it", "that", "there", "here", "what", "he", "she", "who", "where", "how")},
    **{f"{word}'re": (word, "are") for word in ("we", "you", "they", "who", "what")},
    **{f"{word}'ve": (word, "have") for word in ("i", "we", "you", "they", "could", "would", "should")},
    **{f"{word}'ll": (word, "will") for word in ("i", "we", "you", "they", "it", "that", "he", "she")},
    **{f"{word}'d": (word, "would") for word in ("i", "we", "you", "they", "it", "that", "he", "she")},
}  # fmt: skip
_IRREGULAR_STEMS = {"ca": "can", "wo": "will", "ai": "is", "sha": "shall"}
_APOSTROPHE_LESS = frozenset(word for word in NEGATIONS if word.endswith("nt"))

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


@dataclass(frozen=True, slots=True)
class Token:
    """One word: where it is in the original text, and its folded forms."""

    start: int
    end: int
    norm: str  # folded surface form: what "normalised" equality compares
    key: str  # what fuzzy alignment compares: `norm`, or the number's value for numbers
    number: str | None  # canonical value ("30", "1000", "3.5", "q3") when the token is a number
    negation: bool
    capitalised: bool  # first letter upper case in the original: a candidate proper name


def tokenize(text: str, base: int = 0) -> list[Token]:
    """The tokens of `text`, with offsets shifted by `base` (the text's offset in a larger text)."""
    tokens: list[Token] = []
    for found in _TOKEN.finditer(text):
        raw = found.group()
        start, end = base + found.start(), base + found.end()
        if found.lastgroup == "percent":
            tokens.append(Token(start, end, "percent", "percent", "%", False, False))
            continue
        if found.lastgroup == "currency":
            name = _CURRENCY_SIGNS[raw]
            tokens.append(Token(start, end, name, name, None, False, False))
            continue
        norm = _fold(raw)
        if found.lastgroup == "number":
            value = _canonical_number(norm)
            tokens.append(Token(start, end, norm.replace(",", ""), value, value, False, False))
            continue
        scaled = _SCALED.fullmatch(norm)
        if scaled is None and norm in _SUFFIX_SCALES and tokens and tokens[-1].end == start and tokens[-1].number:
            scaled = _SCALED.fullmatch(tokens[-1].key + norm)  # "1.5m": the number token, then its scale
            if scaled is not None:
                amount = tokens.pop()
                start, norm = amount.start, amount.norm + norm
        if scaled is not None:
            value = _scaled_number(scaled.group("amount"), scaled.group("scale"))
            tokens.append(Token(start, end, norm, value, value, False, False))
            continue
        number = None if norm.isalpha() or not _DIGIT.search(norm) else norm  # "Q3", "2x": as written
        if norm == "percent":
            number = "%"  # "30" and "30%" are different claims
        negation = norm in NEGATIONS or norm.endswith("n't")
        tokens.append(Token(start, end, norm, norm, number, negation, raw[0].isupper()))
    # A spoken number does not run over a comma or a full stop: "eight hundred, twelve hundred and fifty" is two;
    # a pause around a hesitation stays inside it ("two, uh, thousand").
    breaks = frozenset(i for i in range(1, len(tokens))
                       if _PAUSE.search(text, tokens[i - 1].end - base, tokens[i].start - base)
                       and not _is_filler_inside(tokens[i - 1].norm) and not _is_filler_inside(tokens[i].norm))
    return _merge_number_words(tokens, breaks)


@dataclass(frozen=True, slots=True)
class Word:
    """A content word: what fuzzy alignment compares. One token can give two ("don't" gives "do", "not")."""

    token: int  # position of the token it comes from
    key: str
    number: str | None
    negation: bool


def content_words(tokens: Sequence[Token], first_token: int = 0) -> list[Word]:
    """The words that carry content: contractions spelled out, fillers dropped, stutters collapsed.

    Models tidy speech when they quote it: they write "do not" for "don't", drop "um" and "you know",
    and write "I see" once where the speaker said "I I see I see". Doing the same to both sides makes
    those edits free, so the similarity measures only the words a model really changed. Of a repeated
    group (up to three words) the later copy is kept: a span never starts on an abandoned false start.
    `first_token` is the position of `tokens[0]` in a longer list, for `Word.token`.
    """
    expanded: list[Word] = []
    for position, token in enumerate(tokens, first_token):
        spelled = _SPELLED_OUT.get(token.key) or _spelled_negation(token.key)
        if spelled is None:
            expanded.append(Word(position, token.key, token.number, token.negation))
        else:
            expanded.extend(Word(position, key, None, key in NEGATIONS) for key in spelled)
    words: list[Word] = []
    keys: list[str] = []
    unfolded = False  # the last kept word has just lost its partner to a folded pair: it pairs no further
    index = 0
    while index < len(expanded):
        word = expanded[index]
        if index + 1 < len(expanded) and (word.key, expanded[index + 1].key) in FILLER_PAIRS:
            index += 2
            continue
        index += 1
        if word.key in FILLERS:
            continue
        # A filler said inside another ("kind, I mean, of", "I, you know, mean") leaves a pair once it is gone: only
        # fillers were skipped since the last kept word, so that word and this one stood side by side.
        if keys and not unfolded and (keys[-1], word.key) in FILLER_PAIRS:
            del words[-1], keys[-1]
            unfolded = True
            continue
        unfolded = False
        words.append(word)
        keys.append(word.key)
        for size in (1, 2, 3):
            if keys[-size:] == keys[-2 * size : -size]:
                del words[-2 * size : -size], keys[-2 * size : -size]
                break
    return words


def meaningful_word_count(tokens: Sequence[Token]) -> int:
    """Words that say something: hesitations and filler phrases ("you know") not counted, "like" counted.

    "like" is only sometimes a filler ("like a shortlist"); for judging whether a quote is long enough
    to locate, it counts.
    """
    count, position = 0, 0
    while position < len(tokens):
        key = tokens[position].key
        if position + 1 < len(tokens) and (key, tokens[position + 1].key) in FILLER_PAIRS:
            position += 2
            continue
        count += key not in HESITATIONS
        position += 1
    return count


def _spelled_negation(key: str) -> tuple[str, ...] | None:
    if key.endswith("n't") and len(key) > 3:
        stem = key[:-3]
        return (_IRREGULAR_STEMS.get(stem, stem), "not")
    if key in _APOSTROPHE_LESS:
        return _spelled_negation(key[:-2] + "n't")
    return None


def _fold(raw: str) -> str:
    folded = raw.translate(_APOSTROPHES).casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _canonical_number(norm: str) -> str:
    """Write one amount one way: "1,000" -> "1000", "3.50" -> "3.5"."""
    digits = norm.replace(",", "")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".") or "0"
    return digits


def _scaled_number(amount: str, scale: str) -> str:
    """ "180k" -> "180000", "1.5m" -> "1500000": the same value "180,000" has."""
    return _canonical_number(str(Decimal(amount) * _SUFFIX_SCALES[scale]))


_PAUSE = re.compile(r"[,.;:!?]")


def _merge_number_words(tokens: list[Token], breaks: frozenset[int] = frozenset()) -> list[Token]:
    """Spelled-out numbers become one number token: "thirty five" reads 35, so it agrees with "35".

    Only well-formed sequences merge ("two three" stays two numbers); anything unusual stays apart and
    is compared as written, which can only make grounding stricter.
    """
    merged: list[Token] = []
    position = 0
    while position < len(tokens):
        scaled = _digits_then_scale(tokens, position, breaks)
        if scaled is not None:  # "1 million" reads 1000000, as "one million" does
            merged.append(scaled)
            position += 2
            continue
        run_end, value = _number_phrase(tokens, position, breaks)
        if run_end == position:
            merged.append(tokens[position])
            position += 1
            continue
        first, last = tokens[position], tokens[run_end - 1]
        norm = " ".join(token.norm for token in tokens[position:run_end] if not _is_filler_inside(token.norm))
        merged.append(Token(first.start, last.end, norm, str(value), str(value), False, False))
        position = run_end
    return merged


def _digits_then_scale(tokens: Sequence[Token], position: int, breaks: frozenset[int]) -> Token | None:
    """A number written in digits and its scale said in a word ("1 million", "2.5 thousand"), as one number."""
    if position + 1 >= len(tokens) or position + 1 in breaks:
        return None
    amount, scale = tokens[position], tokens[position + 1]
    if scale.norm not in _SCALES or amount.number is None or not _PLAIN_NUMBER.fullmatch(amount.key):
        return None
    value = _canonical_number(str(Decimal(amount.key) * _SCALES[scale.norm]))
    return Token(amount.start, scale.end, f"{amount.norm} {scale.norm}", value, value, False, False)


_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _number_phrase(tokens: Sequence[Token], position: int, breaks: frozenset[int] = frozenset()) -> tuple[int, int]:
    """(end of the number-word phrase starting at `position`, its value); end == position if none.

    A hesitation or filler inside the phrase ("two, uh, thousand", "a hundred and, you know, eighty") is
    part of it: speakers pause inside numbers, models quoting them do not (and sometimes the reverse).
    """
    total, current, last = 0, 0, ""
    end = position
    while end < len(tokens):
        word = tokens[end].norm
        if end > position and end in breaks:
            break
        if (last or end > position) and _is_filler_inside(word):
            skip = 2 if end + 1 < len(tokens) and (word, tokens[end + 1].norm) in FILLER_PAIRS else 1
            if end + skip < len(tokens) and _is_number_word(tokens[end + skip].norm):
                end += skip
                continue
            break
        following = _next_word(tokens, end + 1)
        if word in ("a", "an") and last == "" and following in ("hundred", *_SCALES):
            current, last = 1, "unit"  # "a hundred", "a thousand": one of them
        elif word == "and" and last in ("hundred", "scale") and end > position and (
            following in _UNITS or following in _TEENS or following in _TENS
        ):
            pass  # "a hundred and eighty": the "and" of a spoken number, not of two clauses
        elif word in _UNITS and last in ("", "tens", "hundred", "scale"):
            current += _UNITS[word]
            last = "unit"
        elif word in _TEENS and last in ("", "hundred", "scale"):
            current += _TEENS[word]
            last = "teen"
        elif word in _TENS and last in ("", "hundred", "scale"):
            current += _TENS[word]
            last = "tens"
        elif word == "hundred" and last in ("", "unit", "teen", "tens"):
            current = max(current, 1) * 100
            last = "hundred"
        elif word in _SCALES and last in ("", "unit", "teen", "tens", "hundred"):
            total += max(current, 1) * _SCALES[word]
            current, last = 0, "scale"
        else:
            break
        end += 1
    return end, total + current


def _is_filler_inside(word: str) -> bool:
    return word in HESITATIONS or word in ("you", "know", "i", "mean")


def _is_number_word(word: str) -> bool:
    return word in _UNITS or word in _TEENS or word in _TENS or word == "hundred" or word in _SCALES or word == "and"


def _next_word(tokens: Sequence[Token], position: int) -> str:
    """The next token's folded form, past hesitations and fillers ("" at the end)."""
    while position < len(tokens) and _is_filler_inside(tokens[position].norm):
        position += 1
    return tokens[position].norm if position < len(tokens) else ""
