"""Transcript ingestion: any supported transcript file, read into one normalised `Transcript`.

Formats: plain text and Markdown with speaker labels, WebVTT, SubRip and several JSON layouts.
`read_transcript` is the I/O edge (size, bytes, encoding, format); `parse_transcript` is pure.
Every failure is a `TranscriptError` whose message is one line: the file, the problem, the fix.
"""

from agent.sources.errors import TranscriptError
from agent.sources.parsing import SUPPORTED_FORMATS, parse_transcript
from agent.sources.reading import MAX_TRANSCRIPT_BYTES, read_transcript

__all__ = ["MAX_TRANSCRIPT_BYTES", "SUPPORTED_FORMATS", "TranscriptError", "parse_transcript", "read_transcript"]
