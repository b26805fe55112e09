"""JSON transcripts, recognised by the keys they use rather than by the tool that wrote them.

Covers a list of `{speaker, text}`, Whisper `{"segments": [...]}`, `utterances`/`transcript`/`turns`
lists (AssemblyAI and similar), the QMSum meeting corpus (`meeting_transcripts` of `{speaker, content}`
with `{disfmarker}`-style noise tokens), and an object whose `transcript`/`text` is one string of
`Speaker: words` lines.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agent.sources.errors import TranscriptProblem
from agent.sources.plain_text import parse_plain_text
from agent.sources.timestamps import parse_clock_time
from agent.sources.utterances import Utterance

_UTTERANCE_LIST_KEYS = tuple(
    [
        "meeting_transcripts",
        "segments",
        "utterances",
        "transcript",
        "turns",
        "monologues",
        "entries",
        "dialogue",
        "dialog",
        "messages",
    ]
)
_TEXT_KEYS = ("text", "content", "utterance", "transcript", "words", "sentence")
_WORD_TEXT_KEYS = ("punctuated_word", "word", "text")
_SPEAKER_KEYS = ("speaker", "speaker_name", "speakerName", "speaker_label", "name", "role", "participant")
_START_KEYS = ("start", "start_time", "startTime", "begin", "start_ms", "startMs")
_END_KEYS = ("end", "end_time", "endTime", "stop", "end_ms", "endMs")
_NON_SPEECH_TOKEN = re.compile(r"\{[a-z_]+\}")  # AMI/QMSum: {disfmarker}, {vocalsound}, {gap}
# Integer times whose median segment lasts 100 units or more are milliseconds (AssemblyAI): a typical
# utterance lasting 100 seconds is implausible, and 100 milliseconds is far shorter than any utterance.
_MEDIAN_SEGMENT_UNITS_IF_MILLISECONDS = 100
_LAYOUT_FIX = (
    "convert it to a list of {speaker, text} items, an object with 'segments', 'utterances' or "
    "'meeting_transcripts', or to plain text 'Speaker: words' lines"
)


@dataclass(frozen=True, slots=True)
class _Item:
    speaker: str | None
    text: str
    start: float | None
    end: float | None
    times_are_integers: bool
    times_in_milliseconds: bool


def parse_json(text: str) -> list[Utterance]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TranscriptProblem(
            f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
            "fix the file or export it again as JSON",
        ) from None
    except RecursionError:
        raise TranscriptProblem("JSON nested thousands of levels deep, not a transcript",
                                "export the transcript again as JSON or text") from None
    except ValueError as error:  # e.g. an integer of more digits than Python converts
        raise TranscriptProblem(f"not usable JSON ({error})", "export the transcript again as JSON or text") from None
    found = _utterance_list(data)
    if isinstance(found, str):
        return parse_plain_text(found)
    _refuse_items_that_are_not_speech(found)
    items = [item for raw in found if (item := _read_item(raw)) is not None]
    if found and not items:
        raise TranscriptProblem(f"JSON layout not recognised ({_describe_items(found)})", _LAYOUT_FIX)
    scale = 0.001 if _times_look_like_milliseconds(items) else 1.0
    return [
        Utterance(
            item.speaker,
            item.text,
            time_start=None if item.start is None else item.start * scale,
            time_end=None if item.end is None else item.end * scale,
        )
        for item in items
    ]


def _utterance_list(data: object) -> Sequence[object] | str:
    if isinstance(data, list):
        return data
    if isinstance(data, Mapping):
        for key in _UTTERANCE_LIST_KEYS:
            value = data.get(key)
            if isinstance(value, list):
                return value
            if isinstance(value, str) and value.strip():
                return value
        for value in data.values():  # any list of text-bearing objects, under whatever key
            if isinstance(value, list) and any(_text_of(item) is not None for item in value):
                return value
        whole_text = data.get("text")
        if isinstance(whole_text, str) and whole_text.strip():
            return whole_text
        keys = ", ".join(repr(str(key)) for key in list(data)[:6]) or "none"
        raise TranscriptProblem(f"JSON layout not recognised (an object with keys {keys})", _LAYOUT_FIX)
    raise TranscriptProblem(f"JSON layout not recognised (the top level is a {type(data).__name__})", _LAYOUT_FIX)


def _refuse_items_that_are_not_speech(found: Sequence[object]) -> None:
    """A number, null or list among the items, or words that are not text, mean this is not a transcript.

    Read leniently, `[1, 2, "three", null]` would become a one-word transcript and an empty map written over
    a good one; an object without text (a pause, a chapter mark) is only skipped.
    """
    for number, raw in enumerate(found):
        if isinstance(raw, Mapping):
            words = next((raw[key] for key in _TEXT_KEYS if key in raw), None)
            if isinstance(words, list) and any(_word_of(entry) is None for entry in words):
                bad = next(entry for entry in words if _word_of(entry) is None)
                raise TranscriptProblem(f"item {number} has a word list holding {_kind(bad)}, not words",
                                        "export the transcript again; each word is a string or a {word} object")
            if words is not None and not isinstance(words, str | list):
                raise TranscriptProblem(f"JSON layout not recognised (item {number}'s text is {_kind(words)}, "
                                        "not text)", _LAYOUT_FIX)
        elif not isinstance(raw, str):
            raise TranscriptProblem(f"JSON layout not recognised (item {number} is {_kind(raw)}, not a "
                                    "{speaker, text} object or a string)", _LAYOUT_FIX)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"a number ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return f"a {type(value).__name__}"


def _read_item(raw: object) -> _Item | None:
    if isinstance(raw, str):
        return _Item(None, _clean(raw), None, None, times_are_integers=False, times_in_milliseconds=False)
    if not isinstance(raw, Mapping):
        return None
    text = _text_of(raw)
    if text is None:
        return None
    start_key = next((key for key in _START_KEYS if key in raw), None)
    end_key = next((key for key in _END_KEYS if key in raw), None)
    raw_times = [raw[key] for key in (start_key, end_key) if key is not None]
    return _Item(
        speaker=_speaker_of(raw),
        text=_clean(text),
        start=_seconds(raw[start_key]) if start_key else None,
        end=_seconds(raw[end_key]) if end_key else None,
        times_are_integers=bool(raw_times) and all(type(value) is int for value in raw_times),
        times_in_milliseconds=any(key is not None and key.lower().endswith("ms") for key in (start_key, end_key)),
    )


def _text_of(raw: object) -> str | None:
    if not isinstance(raw, Mapping):
        return None
    for key in _TEXT_KEYS:
        value = raw.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, list):  # a list of word objects or strings
            return " ".join(word for entry in value if (word := _word_of(entry)))
    return None


def _word_of(entry: object) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, Mapping):
        for key in _WORD_TEXT_KEYS:
            value = entry.get(key)
            if isinstance(value, str):
                return value
    return None


def _speaker_of(raw: Mapping[str, object]) -> str | None:
    for key in _SPEAKER_KEYS:
        value = raw.get(key)
        if isinstance(value, Mapping):
            value = value.get("name") or value.get("label")
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            return f"Speaker {value}"  # diarisation numbers speakers from 0
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _seconds(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value >= 0 else None
    if isinstance(value, str):
        clock = parse_clock_time(value)
        if clock is not None:
            return clock
        try:
            number = float(value)
        except ValueError:
            return None
        return number if number >= 0 else None
    return None


def _clean(text: str) -> str:
    return _NON_SPEECH_TOKEN.sub(" ", text)


def _times_look_like_milliseconds(items: list[_Item]) -> bool:
    if any(item.times_in_milliseconds for item in items):
        return True
    timed = [item for item in items if item.start is not None and item.end is not None]
    if not timed or not all(item.times_are_integers for item in timed):
        return False
    durations = [item.end - item.start for item in timed if item.end is not None and item.start is not None]
    return statistics.median(durations) >= _MEDIAN_SEGMENT_UNITS_IF_MILLISECONDS


def _describe_items(items: Sequence[object]) -> str:
    first = items[0]
    if isinstance(first, Mapping):
        keys = ", ".join(repr(str(key)) for key in list(first)[:6]) or "no keys"
        return f"items have {keys} but no text such as 'text' or 'content'"
    return f"items are {type(first).__name__}s, not {{speaker, text}} objects"
