"""Cue: the organisation's own work, the internal stages that classic maps are made of.

"Ops reviews every trial account", "Sofia's team calls the lawyer", "we provision the sandbox".
These become internal stages: the checks then ask whether each is anchored in value consumption
(the framework's "structurally suspect" stages), so the extractor records them without judging them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.extraction.offline.cues import ORG_SUBJECT, any_of, inflections
from agent.extraction.offline.cues.caseless import caseless
from agent.extraction.offline.cues.customer_actions import content_words

WORK_VERBS = (
    "review", "verify", "check", "call", "qualify", "score", "approve", "build", "provision", "set up", "onboard",
    "pack", "ship", "deliver", "process", "prepare", "write", "hand over", "chase", "follow up", "reach out to",
    "contact", "assign", "route", "audit", "test", "train", "hire", "source", "configure", "enrich", "code", "tag",
    "clean", "moderate", "curate", "translate", "inspect", "screen", "vet", "match", "handle", "answer", "send",
    "produce", "print", "package", "dispatch", "pick", "import", "scrape", "research", "investigate", "negotiate",
    "invoice", "bill", "schedule", "run", "monitor", "update", "maintain", "migrate", "install", "buy",
    "order", "forecast", "plan", "design", "develop", "triage", "escalate", "document", "record", "rank", "walk through",
    "ring", "visit", "survey", "quote", "collect", "fit", "book",
    "lodge", "file", "submit", "price", "email", "program", "measure", "reconcile", "draft", "post", "refurbish",
    "repair", "log", "grade", "assess",
)  # fmt: skip
# The work verbs that make or bring what the customer consumes (a stage on the way to value, if unseen).
PRODUCING = frozenset({
    "build", "provision", "set up", "pack", "ship", "deliver", "prepare", "produce", "print", "package", "dispatch",
    "pick", "install", "configure", "translate", "fit", "match", "clean", "migrate", "design", "develop", "code",
    "order", "collect",
})  # fmt: skip
_STOP = caseless(
    r"[,.;:!?]|\s(?:and|but|so|because|before|after|until|when|while|if|which|who|then|than|since|as)\s",
)
_MAX_NAME_WORDS = 8
_BARE_FUNCTION = re.compile(
    r"sales|marketing|ops|operations|support|customer success|finance|engineering|partnerships|onboarding|growth|"
    r"product|legal|procurement|sdrs?|aes?|csms?"
)
_PRONOUN_FIRST = caseless(
    r"\s*(?:(?:it|them|this|that|these|those|him|her|us|you|everything|something|anything)\b|"
    r"(?:everyone|everybody|someone|somebody|anyone|anybody)\b(?!'))"  # "everyone's documents" is a thing
)


@dataclass(frozen=True)
class WorkCue:
    start: int  # where the clause begins (at the subject)
    end: int
    verb: str  # base form
    clause: str  # "my team reviews every new trial account"
    obliged: bool  # "we have to", "we need to": the speaker says it is necessary
    acted_on: str  # what the work is done to: "every new trial account"


def _forms(verb: str) -> list[str]:
    head, _, rest = verb.partition(" ")
    return [f"{form} {rest}".strip() for form in inflections(head)]


_FORM_TO_VERB = {form: verb for verb in WORK_VERBS for form in _forms(verb)}
_WORK = caseless(
    r"(?<![\w'])(?P<subject>" + ORG_SUBJECT + r")\s+(?P<modal>(?:(?:have|has|had|need|needs|needed) to|must|would|"
    r"will|'ll|can|then|also|still|just|usually|manually|first|now|always|basically|actually)\s+){0,2}"
    r"(?P<verb>" + any_of(_FORM_TO_VERB) + r")(?![\w'])",
)


# The speaker's own work, "I write the report": internal work only where the talk around it says the speaker does the
# organisation's work (a customer says "I upload the invoices" too), so asked for by the caller: the turn that tells
# an improvement the organisation made to it.
_WORK_BY_THE_SPEAKER = caseless(_WORK.pattern.replace(f"(?P<subject>{ORG_SUBJECT})", "(?P<subject>I)", 1))


def find_internal_work(plain: str, *, first_person: bool = False) -> WorkCue | None:
    """The first clause in a sentence where the organisation does a piece of work, or None; with `first_person`,
    where the speaker ("I") does it instead."""
    match = (_WORK_BY_THE_SPEAKER if first_person else _WORK).search(plain)
    if match is None:
        return None
    stop = _STOP.search(plain, match.end())
    end = stop.start() if stop else len(plain)
    words = plain[match.start() : end].split()
    acted_on = plain[match.end() : end]
    if not content_words(acted_on) or _PRONOUN_FIRST.match(acted_on):
        return None  # "we check", "we built it": too little to name a stage by
    clause = " ".join(words[:_MAX_NAME_WORDS]).rstrip(",.;:")
    said_verb = match.group("verb").lower()
    subject = match.group("subject").lower()
    # A subject that takes the base form ("we plan", "I plan", "the teams plan") makes the base form a verb.
    takes_base_form = subject in ("we", "i") or (subject.endswith("s") and not _BARE_FUNCTION.fullmatch(subject))
    if not takes_base_form and said_verb == _FORM_TO_VERB[said_verb] and not match.group("modal"):
        return None  # "the Team plan", "sales call": a noun phrase, not "the team plans" or "sales calls the lead"
    modal = (match.group("modal") or "").lower()
    obliged = any(m in modal for m in ("have to", "has to", "had to", "need", "must"))
    return WorkCue(match.start(), end, _FORM_TO_VERB[said_verb], clause, obliged, acted_on.strip())


# A step named as a noun in a walk through the process: "Then there's vetting: a subject test ...", "the sign-up goes
# through enrichment", "next comes the security review".
_STEP_NOUN = caseless(
    r"\b(?:(?:then|next|after that|and then|first|finally)(?:,)? (?:there's|there is|comes|it's|we have|we do)|"
    r"(?:goes|go|went|has to go|have to go) through) (?:the |a |an |our |their )?(?P<step>[\w-]+(?: [\w-]+){0,2}?)"
    r"(?=\s*(?:[,.;:!?]|$|\s(?:and|where|which|that|with|before|after|by|for|in)\b))",
)
_NOT_A_STEP = frozenset({"it", "this", "that", "them", "a lot", "the", "everything", "something", "nothing", "all",
                         "one", "two", "more", "less", "time", "problem", "thing", "catch", "issue", "point"})


def step_named(plain: str) -> str | None:
    """The step a sentence names as a noun in the walk through the process, or None."""
    match = _STEP_NOUN.search(plain)
    if match is None:
        return None
    step = match.group("step").strip()
    if step.lower() in _NOT_A_STEP or not content_words(step) or _PRONOUN_FIRST.match(step):
        return None
    return step
