"""SubRip (.srt) captions: numbered cues, `00:00:01,000 --> 00:00:04,000` timings, then the text.

A stray text block after a cue is taken as that cue's text (some editors let a blank line into a cue);
text before any cue means the file is not SubRip at all.
"""

from __future__ import annotations

from agent.sources.cue_text import Cue, read_cue_timing, utterances_from_cues
from agent.sources.errors import TranscriptProblem, excerpt
from agent.sources.utterances import Utterance

_TIMING_EXAMPLE = "00:00:01,000 --> 00:00:04,000"
_FIX = "fix that line or export the subtitles again as SubRip"


def parse_subrip(text: str) -> list[Utterance]:
    lines = text.split("\n")
    cues: list[Cue] = []
    index = 0
    while index < len(lines):
        stripped = lines[index].strip()
        if not stripped:
            index += 1
            continue
        if "-->" in stripped:
            timing_index = index  # a cue without its number: tolerated
        elif stripped.isdigit() and index + 1 < len(lines) and "-->" in lines[index + 1]:
            timing_index = index + 1
        elif cues:
            cues[-1].payload.append((index + 1, lines[index]))
            index += 1
            continue
        else:
            raise TranscriptProblem(
                f"not a SubRip file (line {index + 1} '{excerpt(stripped)}' is not a cue number followed by a "
                f"timing line like '{_TIMING_EXAMPLE}')",
                "export it again as SubRip or rename it .txt",
            )
        cue = read_cue_timing(lines[timing_index], timing_index + 1, example=_TIMING_EXAMPLE, fix=_FIX)
        index = timing_index + 1
        while index < len(lines) and lines[index].strip():
            cue.payload.append((index + 1, lines[index]))
            index += 1
        cues.append(cue)
    return utterances_from_cues(cues)
