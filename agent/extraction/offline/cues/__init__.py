"""Cue lexicons: the words by which people signal each concept of the framework, one module per family.

Each family is a short list of phrases compiled into word-boundary regexes. The lists are written from
the framework (FRAMEWORK.md) and ordinary business speech, not from any one transcript: a cue earns its
place if a founder, a salesperson or a customer would plausibly say it about any product.
This module holds what several families share: the regex builder, verb inflection, negation, and who
counts as "the customer" or "the organisation" when they are the subject of a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from agent.extraction.offline.cues.caseless import CaselessPattern, caseless

_EDGE_BEFORE = r"(?<![\w'])"
_EDGE_AFTER = r"(?![\w'])"
_Trie = dict[str, "_Trie"]  # a prefix tree of words, one letter per level; "" marks where a word ends


def _escaped(char: str) -> str:
    return " " if char == " " else re.escape(char)


def phrases(alternatives: Iterable[str]) -> CaselessPattern:
    """One case-insensitive regex matching any alternative as whole words (alternatives may hold regex syntax)."""
    return caseless(_EDGE_BEFORE + "(?:" + "|".join(alternatives) + ")" + _EDGE_AFTER)


def any_of(words: Iterable[str]) -> str:
    """A non-capturing alternation of literal words where the longest match wins ("sign up" over "sign").

    Words are matched as given; under IGNORECASE give them in one case (two words that differ only in case are
    two branches of the tree, and the first that matches wins, not the longer one). An empty word is refused.
    Written as a prefix tree ("sign(?: up)?", not "sign up|sign"): `re` then rejects most positions on the
    first letter instead of trying every word there (with the verb-form lookahead in `customer_actions`, the
    20,000-word benchmark went from 1.00 to 0.86 s).
    """
    trie: _Trie = {}
    for word in set(words):
        if not word:
            raise ValueError("any_of: an empty word would match everywhere")
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return "(?:" + _alternation(trie) + ")"


def _alternation(node: _Trie) -> str:
    """The regex of a prefix tree: longer continuations are tried first, the word ending here last."""
    branches = [_escaped(char) + _alternation(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return body + "?" if len(branches) > 1 or len(body) == 1 else "(?:" + body + ")?"
    return body


_IRREGULAR = {
    "pay": ("paid",), "buy": ("bought",), "choose": ("chose", "chosen"), "send": ("sent",),
    "give": ("gave", "given"), "take": ("took", "taken"), "make": ("made",), "go": ("went", "gone", "goes"),
    "get": ("got", "gotten"), "put": (), "show": ("shown",), "build": ("built",), "run": ("ran",),
    "write": ("wrote", "written"), "set": (), "hire": (), "do": ("did", "done", "does"), "sell": ("sold",),
    "tell": ("told",), "bring": ("brought",), "find": ("found",), "hold": ("held",), "cut": (), "come": ("came",),
}  # fmt: skip
_VOWELS = "aeiou"


def inflections(verb: str) -> tuple[str, ...]:
    """The base form of a regular English verb and its -s, -ed and -ing forms (plus known irregulars)."""
    if verb == "be":
        return ("be", "being")  # "is", "are", "was" describe; only the bare verb is asked of anyone
    forms = [verb]
    if verb.endswith("e"):
        forms += [verb + "s", verb + "d", verb[:-1] + "ing"]
    elif verb.endswith("y") and len(verb) > 2 and verb[-2] not in _VOWELS:
        forms += [verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"]
    else:
        forms += [verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "z")) else "s"), verb + "ed", verb + "ing"]
        if len(verb) >= 3 and verb[-1] not in _VOWELS + "wxy" and verb[-2] in _VOWELS and verb[-3] not in _VOWELS:
            forms += [verb + verb[-1] + "ed", verb + verb[-1] + "ing"]  # log -> logged, refer -> referred
    forms += _IRREGULAR.get(verb, ())
    return tuple(dict.fromkeys(forms))


def singular(noun: str) -> str:
    """A plural noun's singular, lightly ("invoices" -> "invoice", "deliveries" -> "delivery", "class" stays)."""
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith("s") and not noun.endswith("ss") and len(noun) > 3:
        return noun[:-1]
    return noun


def verb_pattern(verb: str) -> str:
    return any_of(inflections(verb))


_NEGATORS = frozenset({"no", "not", "never", "without", "none", "nobody", "hardly", "nothing", "zero", "neither"})


def is_negation(word: str) -> bool:
    return word.lower() in _NEGATORS or word.lower().endswith("n't")


def negated(text: str, start: int, words: int = 3) -> bool:
    """Whether one of the `words` words right before `start` negates what follows ("no discount")."""
    return any(is_negation(w) for w in re.findall(r"[\w']+", text[:start])[-words:])


# Who the customer is when they are the subject or object of a sentence: a pronoun, or a role noun.
CUSTOMER_ROLES = (
    "customers?", "clients?", "users?", "buyers?", "owners?", "business owners?", "visitors?", "members?",
    "subscribers?", "shoppers?", "patients?", "students?", "readers?", "listeners?", "players?", "guests?",
    "tenants?", "prospects?", "leads?", "trials?", "accounts?", "companies", "company", "businesses", "business",
    "teams?", "developers?", "devs?", "lawyers?", "partners?", "sellers?", "vendors?", "merchants?", "hosts?",
    "drivers?", "families", "family", "couples?", "parents?", "consumers?", "people", "folks", "founders?",
    "freelancers?", "agencies", "agency", "restaurants?", "retailers?", "stores?", "shops?", "brands?",
    "authors?", "creators?", "doctors?", "clinics?", "schools?", "teachers?", "managers?", "finance teams?",
    "signups?", "sign-ups?", "new users?", "new customers?", "enterprises?", "enterprise customers?", "smbs?",
    "directors?", "admins?", "administrators?", "decision-makers?", "employees?",
    # Who the customer is in other trades: the traveller, the learner, the homeowner, the policyholder.
    "travell?ers?", "learners?", "pupils?", "trainees?", "applicants?", "candidates?", "homeowners?",
    "householders?", "households?", "residents?", "passengers?", "diners?", "renters?", "hirers?", "borrowers?",
    "attendees?", "delegates?", "participants?", "organi[sz]ers?", "policyholders?", "landlords?", "employers?",
    "practices?", "firms?", "recipients?", "callers?", "bookers?", "kids?", "children", "child",
)  # fmt: skip
_ROLE = any_of(r for r in CUSTOMER_ROLES if "?" not in r) + "|" + "|".join(r for r in CUSTOMER_ROLES if "?" in r)
CUSTOMER_SUBJECT = (
    r"(?:you|they|them|he|she|him|someone|somebody|everyone|everybody|anyone|those|whoever|"
    r"(?:the|a|an|each|every|our|new|your|their|most|many|some|all|all the|paying|free|trial|existing)?\s?"
    r"(?:[a-z-]+\s)?(?:" + _ROLE + r"))"
)
# Who the organisation is: "we", a team, a function, a role inside the company.
ORG_SUBJECT = (
    r"(?:we|(?:our|my|one of (?:my|our)) (?:[a-z-]+ ){0,2}(?:team|people|staff|reps|specialists|agents|engineers|ops|"
    r"analysts|designers|partners?|couriers?|drivers?|technicians?|installers?|crews?|advisers?|advisors?|coaches|"
    r"trainers|surveyors?)|our (?:[a-z-]+ ){0,2}(?:lead|manager|instructors?|nurses?|bookkeepers?|handlers?|planners?)|"
    # A place or role that works for the organisation: "the warehouse picks the order", "the instructor writes ...".
    r"the (?:[a-z-]+ )?(?:warehouse|depot|office|lab|workshop|kitchen|factory|studio|back office|instructor|technician|"
    r"engineer|driver|courier|crew|coordinator|scheduler|planner|handler|bookkeeper|nurse|assessor|surveyor)|"
    r"(?:the|my|his|her) (?:[a-z-]+ ){0,2}team|[A-Z][a-z]+'s team|sales|marketing|ops|operations|support|"
    r"customer success|finance|engineering|partnerships|onboarding|growth|product|legal|procurement|"
    r"the sdrs?|sdrs?|an sdr|account (?:managers?|executives?)|(?:the |an? )?aes?|(?:the |a )?csms?|the founders?|our founders?)"
)
DETERMINERS = frozenset(
    {"the", "a", "an", "their", "our", "your", "his", "her", "its", "my", "this", "that", "these", "those",
     "every", "each", "some", "any", "first", "per", "more", "many", "few", "one", "two", "three", "four",
     "five", "several", "no", "of", "average", "total"}
)  # fmt: skip


def noun_use(text: str, start: int) -> bool:
    """Whether the word at `start` is used as a noun: right after a determiner ("the marks", "a book"). After "many"
    or "few", a word in its base form is the verb of a plural subject: "How many sign up?" asks about signing up."""
    before = re.findall(r"[\w']+", text[:start])
    if before and before[-1].lower() in ("many", "few"):
        word = re.match(r"[\w']+", text[start:])
        return word is not None and word.group(0).lower().endswith(("s", "ing"))
    return bool(before) and before[-1].lower() in DETERMINERS
