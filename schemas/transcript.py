"""A transcript normalised from any input format: turns with speakers, times and character offsets.

`Transcript.text` is laid out the same way for every input format: one paragraph per turn,
`Speaker: words` (or just `words` where nobody is named), paragraphs separated by one blank line.
A turn's `start`/`end` index its words (after the `Speaker: ` label) in that text, and a quote's span
indexes the same text, so evidence means the same thing whether the source was VTT, SRT, JSON or
Markdown. A transcript already written that way (as the bundled examples are) has identical offsets
in the file and in `Transcript.text`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Turn(BaseModel):
    """One speaker's words. Frozen: what is known of a turn (who spoke, an interviewer?) is decided when the
    transcript is read or copied, never changed under the code that has already read it (grounding keeps
    where it found each quote per transcript)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int = Field(ge=0)
    speaker: str | None = None
    text: str
    start: int = Field(ge=0, description="offset of the turn's text in Transcript.text")
    end: int = Field(ge=0)
    line: int | None = Field(default=None, ge=1, description="line in the original file, where it has lines")
    line_starts: list[tuple[int, int]] = Field(
        default_factory=list,
        description="(offset in Transcript.text, file line) where each source line of the turn's words begins",
    )
    time_start: float | None = Field(default=None, ge=0, description="seconds from the start of the recording")
    time_end: float | None = Field(default=None, ge=0)
    time_starts: list[tuple[int, float]] = Field(
        default_factory=list,
        description="(offset in Transcript.text, seconds) where each cue, segment or stamp of the turn's words begins",
    )
    interviewer: bool = False  # an interviewer's words are never evidence
    role: str | None = Field(default=None, description="the role its label gave, as in `Name (Role):`")


class Transcript(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source_id: str
    path: str | None = None
    format: str
    text: str
    turns: list[Turn]

    @model_validator(mode="after")
    def _turns_index_text(self) -> Transcript:
        for turn in self.turns:
            if self.text[turn.start : turn.end] != turn.text:
                raise ValueError(f"turn {turn.index} does not match the transcript text at {turn.start}:{turn.end}")
        return self

    @property
    def speakers(self) -> list[str]:
        seen: dict[str, None] = {}
        for turn in self.turns:
            if turn.speaker:
                seen.setdefault(turn.speaker, None)
        return list(seen)

    def turn_at(self, offset: int) -> Turn | None:
        """The turn whose text contains `offset` (binary search: turns are in text order)."""
        lo, hi = 0, len(self.turns) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            turn = self.turns[mid]
            if offset < turn.start:
                hi = mid - 1
            elif offset >= turn.end:
                lo = mid + 1
            else:
                return turn
        return None
