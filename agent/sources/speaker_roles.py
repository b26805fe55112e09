"""Who is who in a transcript: who asks the questions, which speaker a name given on the command line
means, and whether the file is a conversation at all.

The checks and `vsm ask` treat an interviewer's words as never evidence, so a podcast host or a named
moderator taken for a participant turns questions and framing into "evidence". Most transcripts do not
say who interviews: the speaker who mostly asks (and speaks least) is taken as the interviewer, and the
run says whom it took and why, so a wrong guess is one `--interviewer` away from being corrected.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from agent.errors import VsmError
from agent.sources.speaker_labels import ASKING_TITLES
from schemas.transcript import Transcript

# A speaker is guessed to interview only on enough talk to judge, and never when it would leave nobody answering.
MIN_TURNS = 3
MIN_TRANSCRIPT_TURNS = 6
# "Mostly asks": at least this share of their turns ask something ...
ASKS_MOSTLY = 0.5
# ... or (a host) they ask often, speak little, and a guest carries most of the talk.
HOST_ASKS = 0.3
HOST_TALK_AT_MOST = 0.25
GUEST_TALK_AT_LEAST = 0.5

_QUESTION = re.compile(r"\?|^\W*(?:so,?\s+)?(?:tell me|walk me through|talk me through|describe|explain)\b", re.I)
_OPENS_A_SHOW = re.compile(
    r"\b(?:welcome (?:back )?to (?:the|our|this)\b|we(?:'re| are) here with\b|(?:i'm|i am|we're|we are) joined by\b|"
    r"my guest\b|our guests?\b|(?:i'm|i am) your host\b|thanks for joining us\b)",
    re.I,
)
_ROLE_WORDS = re.compile(rf"\b{ASKING_TITLES}\b", re.I)
_PARENS = re.compile(r"\s*\(([^()]*)\)\s*$")


@dataclass(frozen=True)
class InterviewerGuess:
    """A speaker taken to ask the questions, and why, in words the run summary can show."""

    speaker: str
    reason: str


def guess_interviewers(transcript: Transcript) -> list[InterviewerGuess]:
    """The speakers who ask the questions in a transcript that does not say who does.

    A role in the label (host, moderator, interviewer) or opening the show decides; otherwise the
    speaker who asks in most of their turns, or a host who asks often and speaks little beside a
    guest who carries the talk. Nobody is guessed where a turn is already marked as an interviewer's,
    or where every speaker would be taken."""
    if any(turn.interviewer for turn in transcript.turns):
        return []
    speakers = transcript.speakers
    if len(speakers) < 2:
        return []
    turns = {s: [t for t in transcript.turns if t.speaker == s] for s in speakers}
    words = {s: sum(len(t.text.split()) for t in turns[s]) for s in speakers}
    total = sum(words.values()) or 1
    guesses: list[InterviewerGuess] = []
    for speaker in speakers:
        own = turns[speaker]
        role = next((t.role for t in own if t.role), None)
        if role and _ROLE_WORDS.search(role):
            guesses.append(InterviewerGuess(speaker, f"labelled {role!r}"))
            continue
        opening = [t for t in transcript.turns[:3] if t.speaker == speaker]
        if any(_OPENS_A_SHOW.search(t.text) for t in opening):
            guesses.append(InterviewerGuess(speaker, "opens the conversation as its host"))
            continue
        if len(own) < MIN_TURNS or len(transcript.turns) < MIN_TRANSCRIPT_TURNS:
            continue
        asking = sum(1 for t in own if _asks(t.text))
        share, talk = asking / len(own), words[speaker] / total
        others = [s for s in speakers if s != speaker]
        guest = max(others, key=lambda s: words[s])
        guest_asks = sum(1 for t in turns[guest] if _asks(t.text)) / max(len(turns[guest]), 1)
        if share >= ASKS_MOSTLY and share > guest_asks:
            guesses.append(InterviewerGuess(speaker, f"asks in {asking} of {len(own)} turns"))
        elif (share >= HOST_ASKS and talk <= HOST_TALK_AT_MOST and words[guest] / total >= GUEST_TALK_AT_LEAST
              and share > guest_asks):
            guesses.append(InterviewerGuess(
                speaker, f"asks in {asking} of {len(own)} turns and says {talk:.0%} of the words"))
    if len(guesses) >= len(speakers):
        return []  # everyone asks: a discussion, not an interview
    return guesses


def _asks(text: str) -> bool:
    return bool(_QUESTION.search(text))


def mark_interviewers(transcript: Transcript, speakers: Collection[str]) -> Transcript:
    """The transcript with every turn of `speakers` marked as an interviewer's (never evidence)."""
    if not speakers:
        return transcript
    turns = [t.model_copy(update={"interviewer": True}) if t.speaker in speakers and not t.interviewer else t
             for t in transcript.turns]
    return transcript.model_copy(update={"turns": turns})


def roles_of(transcript: Transcript) -> dict[str, str]:
    """Speaker -> the role their label gave (`Name (Role):`), the first one said."""
    roles: dict[str, str] = {}
    for turn in transcript.turns:
        if turn.speaker and turn.role:
            roles.setdefault(turn.speaker, turn.role)
    return roles


def _key(text: str) -> str:
    return " ".join(text.replace("*", " ").strip(" :").split()).casefold()


def match_speaker(wanted: str, speakers: Sequence[str], roles: dict[str, str] | None = None) -> str | None:
    """The speaker `wanted` names: by full label ("Ruth (Finance Lead)"), name, or a first name only
    one speaker has. None when it names nobody, or several."""
    roles = roles or {}
    key = _key(wanted)
    if not key:
        return None
    labels = {s: _key(f"{s} ({roles[s]})") if s in roles else _key(s) for s in speakers}
    for speaker in speakers:
        if key in (_key(speaker), labels[speaker]):
            return speaker
    bare = _key(_PARENS.sub("", wanted))  # "Ruth (Finance Lead at Brightline, customer)" -> "ruth"
    for speaker in speakers:
        if bare == _key(speaker):
            return speaker
    first = [s for s in speakers if _key(s).split()[: len(bare.split())] == bare.split()]
    return first[0] if len(first) == 1 else None


def resolve_speakers(wanted: Sequence[str], transcripts: Sequence[Transcript], *, option: str) -> list[str]:
    """Each name in `wanted` as the speaker it means in any of `transcripts`; a name that matches nobody
    (or several) is an error that lists the speakers, so a typo never silently changes nothing."""
    speakers = list(dict.fromkeys(s for t in transcripts for s in t.speakers))
    roles: dict[str, str] = {}
    for transcript in transcripts:
        for speaker, role in roles_of(transcript).items():
            roles.setdefault(speaker, role)
    resolved: list[str] = []
    for name in wanted:
        match = match_speaker(name, speakers, roles)
        if match is None:
            shown = ", ".join(f"{s} ({roles[s]})" if s in roles else s for s in speakers) or "none are named"
            ambiguous = [s for s in speakers if _key(s).split()[:1] == _key(_PARENS.sub("", name)).split()[:1]]
            problem = "names several speakers" if len(ambiguous) > 1 else "matches no speaker"
            raise VsmError(f"{option} {name!r} {problem}; the speakers are: {shown}. Give a full name as the "
                           "transcript writes it")
        resolved.append(match)
    return resolved


# A file vsm can read but that is not a conversation: a licence, a README, a table of sources.
# Speech says "I" and "we" (licences and manuals say "you" and "the user"), and fills its pauses.
_SPOKEN = re.compile(r"\b(?:i|i'm|i've|i'd|we|we're|we've|our|us|me|my|yeah|okay|um|uh|honestly)\b", re.I)
_MARKUP_LINE = re.compile(r"^\s*(?:\||#|```|[-*+]\s|\d+\.\s|>|\[[^\]]*\]\(|<[a-z!/])")
# Runs of text up to a sentence mark: every position starts at most one run, so a megabyte without
# punctuation is read once (a lazy `[^.!?]{12,}?[.!?]` retried from every position is quadratic).
_RUN = re.compile(r"[^.!?\n]+[.!?]?|[.!?\n]")
_MIN_SENTENCE_CHARS = 12
MIN_LABELLED_TURNS = 2  # one "Layout: ..." line in a README is not a conversation
MIN_CONVERSATION_SHARE = 0.3


def _sentences(prose: str) -> list[str]:
    """Pieces of at least 12 characters ending in a sentence mark that a space or the end follows."""
    found = []
    for run in _RUN.finditer(prose):
        piece, end = run.group(), run.end()
        if (len(piece) > _MIN_SENTENCE_CHARS and piece[-1] in ".!?"
                and (end == len(prose) or prose[end].isspace())):
            found.append(piece)
    return found


def not_a_conversation(transcript: Transcript) -> tuple[str, str] | None:
    """(problem, fix) when a text file has no speaker turns and no sentences of conversation, else None.

    A conversation either names its speakers or reads as speech (first and second person, spoken
    fillers) in sentences; a licence, a README or a table of sources does neither, and mapping it would
    invent stages and thresholds from prose."""
    if transcript.format not in ("text", "markdown"):
        return None  # captions and JSON transcripts are speech by what they are
    if sum(1 for t in transcript.turns if t.speaker) >= MIN_LABELLED_TURNS:
        return None
    lines = [line for line in transcript.text.splitlines() if line.strip()]
    markup = sum(1 for line in lines if _MARKUP_LINE.match(line))
    prose = "\n".join(line for line in lines if not _MARKUP_LINE.match(line))
    sentences = _sentences(prose)
    spoken = [s for s in sentences if _SPOKEN.search(s)]
    if not lines:
        return None
    if markup / len(lines) < 0.5 and spoken and (
        len(spoken) / max(len(sentences), 1) >= MIN_CONVERSATION_SHARE
    ):
        return None
    if not sentences and markup / len(lines) < 0.5 and _SPOKEN.search(prose):
        return None  # unpunctuated speech (a raw caption dump) is still speech
    looks = "a table" if transcript.text.count("|") >= 6 else "a document"
    return (f"has no speaker turns and reads as {looks}, not a conversation ({len(spoken)} of {len(sentences)} "
            "sentences read as speech)",
            "pass a transcript (`Name: words` turns, captions or a JSON transcript), not a README, licence or table")
