"""A transcript read sentence by sentence: the unit the offline extractor classifies and quotes.

Each `Sentence` is an exact slice of its turn's text, so a quote made from it is evidence by
construction. Interviewer turns are read too, but only as *context*: the question a turn answers
tells us what the answer is likely about (why the customer must act, what they get, how many cross).
Their words, and any sentence that is itself a question, are never evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from agent.extraction.offline.cues.caseless import caseless
from agent.extraction.offline.cues.questions import QuestionTopic, question_topics
from schemas.transcript import Transcript

# Same-length replacements, so offsets found in `plain` index `text` as well.
_STRAIGHTEN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
# A phrase in single quotes, not an apostrophe: opened after a space or bracket, closed before one ("the drivers'
# app", "they're", "y'know" open nothing).
_SINGLE_QUOTED = re.compile(r"(?<![\w'])'([A-Za-z][^'\"\n]{1,78}?[\w.!?,])'(?![\w'])")
_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "mr", "mrs", "ms", "dr", "vs", "etc", "inc", "ltd", "co", "st", "no", "approx", "u.s", "jr", "sr"}
)
# A sentence ends at . ! ? or an ellipsis (closing quotes and brackets stay with it) before the next one starts.
_SENTENCE_END = re.compile(r"[.!?…]+[\"')\]”’]*(?=\s+[\"'“(\[\\]?[A-Z0-9])")
# Clause breaks used only to cut over-long spoken sentences into quotable pieces.
_CLAUSE_BREAK = re.compile(r"\s+--\s+|\s+[—–-]\s+|;\s+|,\s+(?=(?:but|and|so|because|which)\s)")
_LEADING_NOISE = re.compile(r"(?:\\?\[[^\]]{0,24}\\?\]\s*|[-*>]+\s+|\.\.\.\s*)+")
_INTERROGATIVE = caseless(
    r"^[\"'(\[]*(?:so|and|but|okay|ok|right|well)?[,\s]*(?:what|why|how|when|where|who|whom|which|do|does|did|is|are|was|were|"
    r"can|could|would|will|should|have|has|had|isn't|aren't|don't|doesn't|didn't)\b[^.!]*\?[\"')\]]*$",
)
_LONG_SENTENCE_WORDS = 45
# The longest piece the extractor considers: an unpunctuated caption file is one "sentence" of many
# thousands of words, and every cue searched within a sentence would cost its whole length again.
_MAX_PIECE_WORDS = 80
_WORD = re.compile(r"[A-Za-z0-9€$£'’-]+")


@dataclass(frozen=True)
class Sentence:
    """One sentence (or clause of a long one) of one turn."""

    index: int  # order in the transcript, over all turns
    turn: int  # position of its turn in `Transcript.turns`
    position: int  # order within its turn
    speaker: str | None
    text: str  # exact slice of the turn's text
    start: int  # offset of `text` in the turn's text
    evidence: bool  # may be quoted: not the interviewer's, not a question
    context: frozenset[QuestionTopic]  # what the question this turn answers is about

    @cached_property
    def plain(self) -> str:
        """The text with typographic quotes and dashes straightened, and a phrase in single quotes ("your brochure
        says 'no more paper'") in double ones, as the cues read quotations; same length, same offsets."""
        straight = self.text.translate(_STRAIGHTEN)
        opens = " '" in straight or "('" in straight or straight.startswith("'")  # cheaper than the regex on each
        if opens and '"' not in straight:  # single quotes inside double ones are a quote in a quote
            straight = _SINGLE_QUOTED.sub(lambda quoted: f'"{quoted.group(1)}"', straight)
        return straight

    @property
    def word_count(self) -> int:
        return len(_WORD.findall(self.text))


@dataclass(frozen=True)
class Reading:
    sentences: list[Sentence]
    turn_sentences: dict[int, list[int]]  # turn position -> indexes of its sentences
    question_of: dict[int, int]  # answering turn position -> position of the question turn before it

    def in_turn(self, turn: int) -> list[Sentence]:
        return [self.sentences[i] for i in self.turn_sentences.get(turn, [])]

    def question(self, turn: int) -> str:
        """The words of the question turn that `turn` answers, or "" if it answers none."""
        asked = self.question_of.get(turn)
        return "" if asked is None else self._turn_texts[asked]

    @cached_property
    def _turn_texts(self) -> dict[int, str]:
        return {turn: " ".join(self.sentences[i].text for i in indexes) for turn, indexes in self.turn_sentences.items()}


def read_sentences(transcript: Transcript) -> Reading:
    """Split every turn into sentences, marking which may be evidence and what question each answers."""
    sentences: list[Sentence] = []
    turn_sentences: dict[int, list[int]] = {}
    question_of: dict[int, int] = {}
    previous_topics: frozenset[QuestionTopic] = frozenset()
    previous_speaker: str | None = None
    previous_position: int | None = None
    for position, turn in enumerate(transcript.turns):
        spans = list(sentence_spans(turn.text))
        asks = any(_is_question(turn.text[a:b]) for a, b in spans)
        answers_question = previous_position is not None and turn.speaker != previous_speaker and bool(previous_topics)
        context = previous_topics if answers_question else frozenset()
        if answers_question and previous_position is not None:
            question_of[position] = previous_position
        indexes: list[int] = []
        for order, (a, b) in enumerate(spans):
            text = turn.text[a:b]
            sentences.append(
                Sentence(
                    index=len(sentences),
                    turn=position,
                    position=order,
                    speaker=turn.speaker,
                    text=text,
                    start=a,
                    evidence=not turn.interviewer and not _is_question(text),
                    context=context,
                )
            )
            indexes.append(len(sentences) - 1)
        turn_sentences[position] = indexes
        # The next turn answers this one if this one asked something (an interviewer always sets the agenda).
        if turn.interviewer or asks:
            questions = [turn.text[a:b] for a, b in spans if turn.interviewer or _is_question(turn.text[a:b])]
            previous_topics = question_topics(" ".join(questions[-2:]).translate(_STRAIGHTEN))
            previous_topics = previous_topics or frozenset({QuestionTopic.OTHER})
        else:
            previous_topics = frozenset()
        previous_speaker, previous_position = turn.speaker, position
    return Reading(sentences, turn_sentences, question_of)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, trimmed of white space and leading timestamps or markers."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for match in _SENTENCE_END.finditer(text):
        if _ends_in_abbreviation(text, match.start()) or _inside_quotation(text[begin : match.end()]):
            continue
        spans.extend(_split_long(text, begin, match.end()))
        begin = match.end()
    spans.extend(_split_long(text, begin, len(text)))
    return [span for span in (_trim(text, a, b) for a, b in spans) if span is not None]


def _inside_quotation(span: str) -> bool:
    """A slogan of two sentences ("Your legal team. No surprises.") stays one quote, unless it runs on."""
    if len(span) > _LONG_SENTENCE_WORDS * 40:  # far too long to be a slogan; not counted (that would be quadratic)
        return False
    plain = span.translate(_STRAIGHTEN)
    return plain.count('"') % 2 == 1 and len(_WORD.findall(span)) <= _LONG_SENTENCE_WORDS


def _ends_in_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([A-Za-z.]+)$", text[max(0, dot - 8) : dot])
    return text[dot] == "." and word is not None and word.group(1).lower().rstrip(".") in _ABBREVIATIONS


def _split_long(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A spoken run-on sentence is cut at clause breaks so each quote stays one readable thought."""
    if len(_WORD.findall(text[a:b])) <= _LONG_SENTENCE_WORDS:
        return [(a, b)]
    pieces: list[tuple[int, int]] = []
    begin = a
    for match in _CLAUSE_BREAK.finditer(text, a, b):
        if len(_WORD.findall(text[begin : match.start()])) >= 6:
            pieces.append((begin, match.start()))
            begin = match.end() if match.group(0).strip() in ("--", "—", "–", "-", ";") else match.start() + 1
    pieces.append((begin, b))
    return [capped for a_piece, b_piece in pieces for capped in _cap_words(text, a_piece, b_piece)]


def _cap_words(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """(a, b) cut at word boundaries into pieces of at most `_MAX_PIECE_WORDS` words: keeps reading linear."""
    pieces: list[tuple[int, int]] = []
    begin = a
    for count, word in enumerate(_WORD.finditer(text, a, b), start=1):
        if count % _MAX_PIECE_WORDS == 0:
            pieces.append((begin, word.end()))
            begin = word.end()
    if begin < b:
        pieces.append((begin, b))
    return pieces


def _trim(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    noise = _LEADING_NOISE.match(text, a, b)
    if noise:
        a = noise.end()
    if not _WORD.search(text, a, b):
        return None
    return a, b


def _is_question(text: str) -> bool:
    return bool(_INTERROGATIVE.match(text.strip().translate(_STRAIGHTEN)))
