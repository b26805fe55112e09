"""A lie battery: a scripted model misquotes the bundled examples' gold quotes on purpose, through `vsm map`.

    python -m benchmarks.lie_battery

Every gold quote of `transcripts/*/map.json` (six words or more) is changed one way per class, with a
fixed seed: a number, a negation, a fraction/quantifier/ordinal, a unit or currency, a comparative, an
opposite, one other content word, the speaker (the interviewer, or another speaker), or the whole
quote (fabricated: a gold quote of another example). Each lie is absent from its source. Positives
change only what does not change the words: case, punctuation, fillers, contractions, and how a number
is written. Each variant becomes one stage, answered by a model served by the project's OpenAI-format
stub on 127.0.0.1 (`tests/openai_stub_server.py`) to a real `vsm map` run; the same model answers
every confirmation request by withdrawing, or by restating, every element it is asked about.

Prints the table "the model's quote | sent | refused | confirmation asked | kept", where kept counts
variants that ended up as an element's verified evidence without a confirmation (for positives, all
should be kept; for lies, none).
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from agent.grounding.tokens import content_words, tokenize
from agent.sources import read_transcript
from schemas.elements import Actor, ValueLink
from schemas.extraction import DraftMap, DraftQuote, DraftStage
from schemas.transcript import Transcript
from tests.openai_stub_server import OpenAIStubServer, RecordedRequest, StubReply

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "transcripts"
SEED = 20261204
INTERVIEWER = "Consultant"
MIN_QUOTE_WORDS = 6

# The classes of the table, then positives; each row of the closing table.
LIES = ("number", "negation", "quantity", "unit", "comparative", "antonym", "other word", "speaker", "fabricated")
POSITIVES = ("case", "punctuation", "fillers", "contractions", "number written")

_NUMBER_WORDS = {"one": "two", "two": "three", "three": "four", "four": "five", "five": "six", "six": "eight",
                 "seven": "nine", "eight": "ten", "nine": "eleven", "ten": "twelve", "twenty": "thirty",
                 "thirty": "forty", "forty": "fifty", "fifty": "sixty", "sixty": "seventy", "hundred": "thousand",
                 "thousand": "million", "dozen": "hundred"}  # fmt: skip
_DIGITS_AS_WORDS = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven",
                    "8": "eight", "9": "nine", "10": "ten", "12": "twelve", "15": "fifteen", "20": "twenty",
                    "30": "thirty", "40": "forty", "49": "forty-nine", "50": "fifty", "60": "sixty",
                    "100": "a hundred"}  # fmt: skip
_QUANTITIES = {"half": "a third", "all": "some", "some": "all", "most": "few", "every": "some", "first": "second",
               "second": "third", "last": "first", "none": "some", "few": "most", "many": "few", "each": "some",
               "both": "neither", "twice": "three times", "double": "triple", "quarter": "half",
               "third": "half", "several": "two"}  # fmt: skip
_UNITS = {"weeks": "months", "week": "month", "month": "year", "months": "years", "days": "weeks", "day": "week",
          "hours": "days", "hour": "day", "minutes": "hours", "minute": "hour", "years": "months", "year": "month",
          "€": "$", "$": "€", "euros": "dollars", "monthly": "yearly", "seat": "user", "%": " percentage points"}  # fmt: skip
_COMPARATIVES = {"more": "less", "less": "more", "faster": "slower", "slower": "faster", "before": "after",
                 "after": "before", "higher": "lower", "lower": "higher", "better": "worse", "worse": "better",
                 "earlier": "later", "later": "earlier", "bigger": "smaller", "cheaper": "pricier",
                 "longer": "shorter", "fewer": "more"}  # fmt: skip
# The examples and more; some are not in the grounding's own list of opposites on purpose.
_ANTONYMS = {"proud": "ashamed", "optional": "mandatory", "love": "hate", "loved": "hated", "easy": "hard",
             "good": "bad", "cheap": "expensive", "right": "wrong", "free": "paid", "new": "old", "open": "closed",
             "full": "empty", "happy": "unhappy", "simple": "complicated", "real": "fake", "fine": "terrible",
             "trust": "distrust", "like": "dislike", "start": "stop", "win": "lose", "great": "awful",
             "useful": "useless", "clear": "vague", "safe": "risky", "quick": "slow", "small": "large",
             "big": "small", "high": "low", "best": "worst", "worked": "failed", "always": "never",
             "everyone": "nobody", "keep": "lose", "kept": "lost", "buy": "sell", "accept": "reject",
             "wanted": "refused", "agree": "disagree", "possible": "impossible", "sure": "unsure"}  # fmt: skip
_OTHER_WORDS = ("customers", "product", "pricing", "team", "growth", "market", "partners", "revenue", "support",
                "value", "platform", "process")  # fmt: skip
_CONTRACT = {"do not": "don't", "does not": "doesn't", "did not": "didn't", "is not": "isn't", "are not": "aren't",
             "it is": "it's", "that is": "that's", "we are": "we're", "they are": "they're", "I am": "I'm",
             "we have": "we've", "cannot": "can't", "will not": "won't", "I would": "I'd", "we will": "we'll"}  # fmt: skip
_EXPAND = {short: long for long, short in _CONTRACT.items()}
_AUXILIARIES = ("is", "are", "was", "were", "can", "will", "would", "should", "could", "do", "does", "did", "have",
                "has", "had")  # fmt: skip
_NEGATION_FLIPS = {"don't": "do", "doesn't": "does", "didn't": "did", "isn't": "is", "aren't": "are", "wasn't": "was",
                   "can't": "can", "won't": "will", "never": "always", "not": "", "no": "some", "nobody": "everybody",
                   "nothing": "everything", "without": "with"}  # fmt: skip
_STOPWORDS = frozenset((
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "is", "are",
    "was", "were", "be", "been", "it", "its", "this", "that", "we", "i", "you", "they", "he", "she", "our", "their",
    "my", "your", "them", "us", "me", "so", "if", "then", "than", "there", "here", "what", "which", "who", "just",
    "really", "very", "do", "does", "did", "have", "has", "had", "not", "no",
))  # fmt: skip


@dataclass(frozen=True)
class Gold:
    """A gold quote of a bundled example: what its speaker said, exactly."""

    example: str
    path: Path
    speaker: str
    text: str


@dataclass(frozen=True)
class Variant:
    """One quote the scripted model sends: a lie (or a positive) made from a gold quote."""

    id: str  # also the stage's key and, as "Claim <id>", its name
    kind: str  # a row of LIES or POSITIVES
    gold: Gold
    text: str
    speaker: str

    @property
    def name(self) -> str:
        return f"Claim {self.id}"


@dataclass
class BatteryResult:
    """Per variant kind: sent, refused by grounding, sent back for confirmation, kept without one."""

    sent: Counter[str] = field(default_factory=Counter)
    asked: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)
    restated: Counter[str] = field(default_factory=Counter)
    kept_lies: list[Variant] = field(default_factory=list)
    lost_positives: list[Variant] = field(default_factory=list)
    questioned_positives: list[Variant] = field(default_factory=list)  # true quotes sent back for confirmation
    extraction_requests: int = 0
    confirmation_requests: int = 0
    summary: str = ""

    def refused(self, kind: str) -> int:
        return self.sent[kind] - self.asked[kind] - self.kept[kind]

    def table(self) -> str:
        lines = ["| the model's quote | sent | refused by grounding | confirmation asked | kept |",
                 "| --- | --- | --- | --- | --- |"]
        for kind in (*LIES, *POSITIVES):
            label = kind if kind in LIES else f"positive: {kind}"
            lines.append(f"| {label} | {self.sent[kind]} | {self.refused(kind)} | {self.asked[kind]} | "
                         f"{self.kept[kind]} |")
        return "\n".join(lines)


def gold_quotes() -> list[Gold]:
    """Every gold quote of the bundled examples with at least MIN_QUOTE_WORDS words, once each."""
    found: dict[tuple[str, str], Gold] = {}
    for map_file in sorted(EXAMPLES.glob("*/map.json")):
        data = json.loads(map_file.read_text(encoding="utf-8"))
        paths = {source["id"]: ROOT / source["path"] for source in data["sources"]}
        for kind in ("stages", "veps", "resistances", "thresholds", "exchanges", "propositions", "duplications", "losses"):
            for element in data.get(kind, []):
                for quote in element.get("evidence", []):
                    if len(quote["text"].split()) >= MIN_QUOTE_WORDS and quote.get("speaker"):
                        path = paths[quote["source_id"]]
                        found.setdefault((str(path), quote["text"]), Gold(map_file.parent.name, path,
                                                                          quote["speaker"], quote["text"]))
    return list(found.values())


def battery(seed: int = SEED) -> list[Variant]:
    """Every applicable variant of every gold quote, each lie absent from its source."""
    rng = random.Random(seed)
    golds = gold_quotes()
    transcripts = {path: _transcript(path) for path in {gold.path for gold in golds}}  # each file read once
    folded = {path: _folded(transcript.text) for path, transcript in transcripts.items()}
    said = {path: _said(transcript.text) for path, transcript in transcripts.items()}
    # What each speaker name says in any example: two examples may give a speaker the same name, and one file's
    # words credited to a name that says them in another are no lie once `vsm map` reads every file at once.
    turns_of: dict[str, list[str]] = {}
    for transcript in transcripts.values():
        for turn in transcript.turns:
            if turn.speaker:
                turns_of.setdefault(turn.speaker, []).append(_folded(turn.text))
    words_of = {speaker: "\0".join(turns) for speaker, turns in turns_of.items()}  # a NUL ends a turn: no match spans two
    variants: list[Variant] = []
    for position, gold in enumerate(golds):
        transcript = transcripts[gold.path]
        for kind, make in _MAKERS.items():
            made = make(rng, gold, transcript, golds)
            if made is None:
                continue
            text, speaker = made
            if kind in LIES and kind != "speaker" and (_folded(text) in folded[gold.path] or _said(text) in said[gold.path]):
                continue  # not a lie: the source says this somewhere, or its words once tidied ("month three, month three")
            if kind == "speaker" and _folded(text) in words_of.get(speaker, ""):
                continue  # not a lie: the speaker credited says these words too
            variants.append(Variant(f"{position:03d}-{kind.replace(' ', '-')}", kind, gold, text, speaker))
    return variants


def _transcript(path: Path) -> Transcript:
    return read_transcript(path, interviewers=[INTERVIEWER])


def _folded(text: str) -> str:
    """`text` as grounding compares it (token norms), so a lie that the source says somewhere is no lie."""
    return " ".join(token.norm for token in tokenize(text))


def _said(text: str) -> str:
    """`text`'s words as grounding aligns them (fillers dropped, a repeated group said once): a "lie" that reads
    as the source's own words once tidied ("Month three, month three" where the source says "month three") is
    the speaker's words, and grounding rightly keeps them."""
    return " " + " ".join(word.key for word in content_words(tokenize(text))) + " "


def _swap(rng: random.Random, text: str, table: dict[str, str]) -> str | None:
    """`text` with one word of `table` (chosen at random) replaced, keeping its capital."""
    matches = [m for m in re.finditer(r"[$€%]|[A-Za-z]+(?:'[a-z]+)?", text) if m.group().lower() in table]
    if not matches:
        return None
    chosen = rng.choice(matches)
    word = chosen.group()
    new = table[word.lower()]
    if word[0].isupper():
        new = new[:1].upper() + new[1:]
    return re.sub(r"\s{2,}", " ", text[: chosen.start()] + new + text[chosen.end() :]).strip()


Maker = Callable[[random.Random, Gold, Transcript, list[Gold]], tuple[str, str] | None]


def _number(rng: random.Random, gold: Gold, _t: Transcript, _g: list[Gold]) -> tuple[str, str] | None:
    digits = list(re.finditer(r"\d+(?:[.,]\d+)?", gold.text))
    if digits:
        chosen = rng.choice(digits)
        value = chosen.group().replace(",", "")
        changed = str(int(float(value)) + rng.choice((1, 5, 10)))
        return gold.text[: chosen.start()] + changed + gold.text[chosen.end() :], gold.speaker
    swapped = _swap(rng, gold.text, _NUMBER_WORDS)
    return (swapped, gold.speaker) if swapped else None


def _negation(rng: random.Random, gold: Gold, _t: Transcript, _g: list[Gold]) -> tuple[str, str] | None:
    flipped = _swap(rng, gold.text, _NEGATION_FLIPS)
    if flipped:
        return flipped, gold.speaker
    auxiliaries = list(re.finditer(rf"\b(?:{'|'.join(_AUXILIARIES)})\b", gold.text))
    if not auxiliaries:
        return None
    chosen = rng.choice(auxiliaries)
    return gold.text[: chosen.end()] + " not" + gold.text[chosen.end() :], gold.speaker


def _table_maker(table: dict[str, str]) -> Maker:
    def make(rng: random.Random, gold: Gold, _t: Transcript, _g: list[Gold]) -> tuple[str, str] | None:
        swapped = _swap(rng, gold.text, table)
        return (swapped, gold.speaker) if swapped else None

    return make


def _other_word(rng: random.Random, gold: Gold, _t: Transcript, _g: list[Gold]) -> tuple[str, str] | None:
    words = gold.text.split()
    candidates = [i for i, word in enumerate(words) if 0 < i < len(words) - 1 and word.isalpha() and word.islower()
                  and word not in _STOPWORDS and word not in _ANTONYMS and word not in _QUANTITIES
                  and word not in _UNITS and word not in _COMPARATIVES and word not in _NUMBER_WORDS
                  and word not in _NEGATION_FLIPS]
    if not candidates:
        return None
    position = rng.choice(candidates)
    words[position] = rng.choice([word for word in _OTHER_WORDS if word != words[position]])
    return " ".join(words), gold.speaker


def _speaker(rng: random.Random, gold: Gold, transcript: Transcript, _g: list[Gold]) -> tuple[str, str] | None:
    others = sorted({t.speaker for t in transcript.turns if t.speaker and t.speaker != gold.speaker
                     and not t.interviewer})
    return gold.text, rng.choice([INTERVIEWER, *others])


def _fabricated(rng: random.Random, gold: Gold, _t: Transcript, golds: list[Gold]) -> tuple[str, str] | None:
    elsewhere = [other for other in golds if other.example != gold.example]
    return rng.choice(elsewhere).text, gold.speaker


def _case(rng: random.Random, gold: Gold, _t: Transcript, _g: list[Gold]) -> tuple[str, str] | None:
    return (gold.text.lower() if rng.random() < 0.5 else gold.text.upper()), gold.speaker


def _punctuation(rng: random.Random, gold: Gold, _t: Transcript, _g: list[Gold]) -> tuple[str, str] | None:
    changed = re.sub(r"[,;:]", "", gold.text).rstrip(".!?")
    changed = changed.replace(" - ", ", ").replace(" — ", ", ")
    return (changed, gold.speaker) if changed != gold.text else (gold.text + "...", gold.speaker)


def _fillers(rng: random.Random, gold: Gold, _t: Transcript, _g: list[Gold]) -> tuple[str, str] | None:
    words = gold.text.split()
    position = rng.randrange(1, len(words))
    words.insert(position, rng.choice(("um,", "uh,", "you know,", "I mean,")))
    return " ".join(words), gold.speaker


def _contractions(rng: random.Random, gold: Gold, _t: Transcript, _g: list[Gold]) -> tuple[str, str] | None:
    for table in (_EXPAND, _CONTRACT):
        for written, other in table.items():
            pattern = re.compile(rf"\b{re.escape(written)}\b")
            if pattern.search(gold.text):
                return pattern.sub(other, gold.text, count=1), gold.speaker
    return None


def _number_written(rng: random.Random, gold: Gold, _t: Transcript, _g: list[Gold]) -> tuple[str, str] | None:
    """A whole number rewritten: digits as words ("49" -> "forty-nine"), or a spoken number as digits."""
    for digits, words in _DIGITS_AS_WORDS.items():
        pattern = re.compile(rf"(?<![\w.,]){digits}(?![\w])(?![.,]\d)")  # not "NIS2", "2nd" or "3.99"
        if pattern.search(gold.text):
            return pattern.sub(words, gold.text, count=1), gold.speaker
    words = "|".join(_SPOKEN)
    # Not before an apostrophe: "That one's real" is a pronoun, which nobody writes as "That 1's real".
    spoken = re.compile(rf"(?<![\w-])(?:an?\s+(?=hundred|thousand))?(?:{words})(?:(?:[- ]|\s+and\s+)(?:{words}))*(?![\w'’-])",
                        re.IGNORECASE)
    cut_short = re.compile(rf"(?:[- ]|\s+and\s+)(?:{words})", re.IGNORECASE)  # "two hundred" of "two hundred and seventy-odd"
    for found in spoken.finditer(gold.text):
        if cut_short.match(gold.text, found.end()):
            continue  # the whole number is not a number the battery writes: rewriting part of it changes it
        value = _spoken_value(found.group())
        if value is not None:
            return gold.text[: found.start()] + f"{value:,}" + gold.text[found.end() :], gold.speaker
    return None


_SPOKEN_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
                 "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
                 "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}  # fmt: skip
_SPOKEN = (*_SPOKEN_UNITS, "hundred", "thousand")


def _spoken_value(phrase: str) -> int | None:
    """The value of a spoken number as the battery writes them ("forty-nine", "eight hundred"), or None
    where the words do not add up to one number: "six ninety-nine" and "fifty-nine ninety-nine" are prices
    (6.99, 59.99), "nineteen ninety-nine" may be a year; none is 105, 158 or 118."""
    total, current = 0, 0
    for word in re.split(r"[- ]+", phrase.lower()):
        if word in ("a", "an"):
            current = 1
        elif word == "and":
            continue
        elif word in _SPOKEN_UNITS:
            value, below_hundred = _SPOKEN_UNITS[word], current % 100
            # Only a unit may follow a tens word ("forty-nine"); anything else follows no number below a hundred.
            if below_hundred and not (value < 10 and below_hundred >= 20 and below_hundred % 10 == 0):
                return None
            current += value
        elif word == "hundred":
            if current >= 100:
                return None
            current = max(current, 1) * 100
        elif word == "thousand":
            total, current = total + max(current, 1) * 1000, 0
        else:
            return None
    return total + current


_MAKERS: dict[str, Maker] = {
    "number": _number,
    "negation": _negation,
    "quantity": _table_maker(_QUANTITIES),
    "unit": _table_maker(_UNITS),
    "comparative": _table_maker(_COMPARATIVES),
    "antonym": _table_maker(_ANTONYMS),
    "other word": _other_word,
    "speaker": _speaker,
    "fabricated": _fabricated,
    "case": _case,
    "punctuation": _punctuation,
    "fillers": _fillers,
    "contractions": _contractions,
    "number written": _number_written,
}


# The scripted model ---------------------------------------------------------------------------------

_FENCED = re.compile(r'^<(?P<label>[a-z]+) fence="(?P<id>[0-9a-f]+)">\n(?P<body>.*?)\n</(?P=label) fence="(?P=id)">$',
                     re.DOTALL | re.MULTILINE)


@dataclass
class ScriptedLiar:
    """Answers extraction requests with one stage per variant whose gold quote is in the chunk, and
    confirmation requests by withdrawing (or restating) every element asked about."""

    variants: list[Variant]
    confirm: str = "withdraw"  # or "restate"
    asked: set[str] = field(default_factory=set)
    extraction_requests: int = 0
    confirmation_requests: int = 0

    def __call__(self, request: RecordedRequest) -> StubReply:
        messages = request.body["messages"]
        system, user = messages[0]["content"], messages[-1]["content"]
        if system.startswith("You drafted value stream map elements"):
            return self._confirmation(user)
        self.extraction_requests += 1
        return StubReply.answer(self._extraction(user))

    def _extraction(self, user: str) -> str:
        found = _FENCED.search(user)
        chunk = found.group("body") if found else ""
        stages = [_stage(variant) for variant in self.variants if variant.gold.text in chunk]
        draft = DraftMap(stages=stages, veps=[], resistances=[], thresholds=[], exchanges=[], propositions=[],
                         duplications=[], losses=[])
        return draft.model_dump_json()

    def _confirmation(self, user: str) -> StubReply:
        self.confirmation_requests += 1
        decisions = []
        for match in re.finditer(r"^### (?P<id>c\d+): \w+\n(?P<fields>\{.*\})$", user, re.MULTILINE):
            fields = json.loads(match.group("fields"))
            self.asked.add(fields["key"])
            if self.confirm == "restate":
                restated = {**fields, "name": f"Restated {fields['name']}", "detail": "As the source says it."}
                decisions.append({"id": match.group("id"), "verdict": "keep", "element": restated})
            else:
                decisions.append({"id": match.group("id"), "verdict": "withdraw", "element": None})
        return StubReply.answer(json.dumps({"decisions": decisions}))


def _stage(variant: Variant) -> DraftStage:
    return DraftStage(
        key=variant.id, name=variant.name, detail=f"What the model read into: {variant.text}",
        quotes=[DraftQuote(text=variant.text, speaker=variant.speaker)],
        actor=Actor.CUSTOMER, customer_visible=True, value_link=ValueLink.UNKNOWN, internally_necessary=None,
        improvements=[],
    )


def run_battery(confirm: str, workdir: Path, *, seed: int = SEED, python: str = sys.executable,
                timeout: float = 600) -> BatteryResult:
    """`vsm map` over every example transcript with the scripted liar; the map judged variant by variant."""
    variants = battery(seed)
    files = sorted({variant.gold.path for variant in variants})
    liar = ScriptedLiar(variants, confirm)
    output = workdir / "map.json"
    with OpenAIStubServer(answer_for=liar) as stub:
        env = {"VSM_LLM_MODEL": "gpt-4.1-mini", "VSM_LLM_BASE_URL": stub.base_url, "OPENAI_API_KEY": "sk-battery",
               "VSM_LLM_RETRY_BACKOFF": "0.01", "VSM_EMBEDDER": "none", "VSM_LLM_MAX_CONCURRENCY": "1",
               "VSM_LLM_TOKEN_BUDGET": "10000000"}
        completed = subprocess.run(
            [python, "-m", "agent.cli", "map", *map(str, files), "-o", str(output)],
            capture_output=True, text=True, cwd=workdir, env={**_base_env(), **env}, timeout=timeout, check=False,
        )
    if completed.returncode != 0:
        raise RuntimeError(f"vsm map failed ({completed.returncode}): {completed.stderr[-2000:]}")
    value_map = json.loads(output.read_text(encoding="utf-8"))
    stages = {stage["name"]: stage for stage in value_map["stages"]}
    result = BatteryResult(extraction_requests=liar.extraction_requests,
                           confirmation_requests=liar.confirmation_requests, summary=completed.stdout)
    for variant in variants:
        result.sent[variant.kind] += 1
        if variant.id in liar.asked:
            result.asked[variant.kind] += 1
            if variant.kind in POSITIVES:
                result.questioned_positives.append(variant)
            restated = stages.get(f"Restated {variant.name}")
            if restated is not None and any(q.get("verified") for q in restated.get("evidence", [])):
                result.restated[variant.kind] += 1
            continue
        stage = stages.get(variant.name)
        if stage is not None and any(quote.get("verified") for quote in stage.get("evidence", [])):
            result.kept[variant.kind] += 1
            (result.kept_lies if variant.kind in LIES else []).append(variant)
        elif variant.kind in POSITIVES:
            result.lost_positives.append(variant)
    return result


def _base_env() -> dict[str, str]:
    import os

    return {name: value for name, value in os.environ.items() if not name.startswith(("VSM_", "OPENAI_"))}


def variants_by_kind(variants: list[Variant]) -> Iterator[tuple[str, int]]:
    counts = Counter(variant.kind for variant in variants)
    for kind in (*LIES, *POSITIVES):
        yield kind, counts[kind]


def main() -> None:
    for confirm in ("withdraw", "restate"):
        with tempfile.TemporaryDirectory() as folder:
            result = run_battery(confirm, Path(folder))
        print(f"\nThe model answers every confirmation request: {confirm}")
        print(f"requests: {result.extraction_requests} extraction, {result.confirmation_requests} confirmation")
        print(result.table())
        print(f"restated and kept after confirmation: {sum(result.restated.values())}")
        for line in result.summary.splitlines():
            if "confirmations:" in line or "quotes:" in line:
                print(line.strip())


if __name__ == "__main__":
    main()
