"""Transcript bytes into text: BOMs (UTF-8, UTF-16 and UTF-32, as Teams writes), UTF-8, then Windows-1252.

Windows-1252 is a guess (Word's smart quotes as single bytes), so it is never silent: `DecodedText.guess`
says which byte at which offset was not UTF-8, and the reader warns with the file's name.

Binary files are refused here, before any parser sees them, because the message a user needs ("this is
not a text file") is different from "this is not valid WebVTT".
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from agent.sources.errors import TranscriptProblem

_BOMS = (  # UTF-32 first: its little-endian BOM begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BINARY_FIX = "export the transcript as text (.txt, .md, .vtt, .srt or .json)"
# C0 control characters that never appear in text files (tab, newlines and form feed are allowed).
_CONTROL_CHARACTERS = frozenset(chr(code) for code in range(32)) - set("\t\n\r\f\v")
_SAMPLE_CHARACTERS = 65_536
_MAX_CONTROL_SHARE = 0.01
_MIN_ASCII_SHARE_OF_UTF16 = 0.3


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    # Said when the text was decoded on a guess: e.g. "not valid UTF-8 (byte 0x93 at offset 1,204); read as
    # Windows-1252": the caller names the file and warns.
    guess: str | None = None


def decode_transcript_bytes(data: bytes) -> str:
    """The text of a transcript file; a TranscriptProblem for binary or undecodable bytes."""
    return decode_transcript(data).text


def decode_transcript(data: bytes) -> DecodedText:
    """The text of a transcript file and what was guessed to read it; a TranscriptProblem for binary bytes."""
    decoded = _decode(data)
    text = decoded.text
    sample = text[:_SAMPLE_CHARACTERS]
    controls = sum(1 for character in sample if character in _CONTROL_CHARACTERS)
    if controls > max(1, len(sample) * _MAX_CONTROL_SHARE):
        raise TranscriptProblem("looks like a binary file (it is full of control characters), not text", _BINARY_FIX)
    return decoded


def normalise_newlines(text: str) -> str:
    """`\\r\\n`, `\\r` and Unicode line separators become `\\n`, so line numbers match what editors show."""
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u2028", "\n").replace("\u2029", "\n")


def _decode(data: bytes) -> DecodedText:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return DecodedText(_strict(data[len(bom) :], encoding, encoding.upper()))
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise TranscriptProblem("looks like a binary file (it contains NUL bytes), not text", _BINARY_FIX)
        return DecodedText(_strict(data, utf16, utf16.upper()))
    try:
        return DecodedText(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        bad, offset = data[error.start : error.end], error.start
        line = data.count(b"\n", 0, offset) + 1
    # Word and older Windows tools save "smart quotes" as single bytes 0x93/0x94.
    text = _strict(data, "cp1252", "UTF-8 or Windows-1252")
    shown = " ".join(f"0x{byte:02x}" for byte in bad)
    return DecodedText(text, f"not valid UTF-8 (byte {shown} at offset {offset:,}, line {line}); read as Windows-1252, "
                             "so check its accented letters and quotes, or save it again as UTF-8")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as ASCII with a NUL in every other byte; anything else with NULs is binary."""
    if len(data) % 2:
        return None
    even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if even_nuls == 0 and odd_nuls >= half * _MIN_ASCII_SHARE_OF_UTF16:
        return "utf-16-le"
    if odd_nuls == 0 and even_nuls >= half * _MIN_ASCII_SHARE_OF_UTF16:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str, described: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise TranscriptProblem(
            f"cannot decode the text as {described} (bad byte at offset {error.start})",
            "save it again as UTF-8 text",
        ) from None
