"""Keys and names for draft elements: stable slugs ("vep-book-the-first-consultation") and short names.

Keys are derived from what an element is about, not from a counter, so the same transcript always
yields the same keys, and a reader can tell `th-sign-up` from `th-pay` without looking them up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from agent.extraction.offline.cues import singular
from agent.extraction.offline.cues.caseless import caseless

_MAX_SLUG_WORDS = 6
_MAX_SLUG_CHARS = 48
_FILLERS = caseless(
    r"^(?:(?:so|and|but|um|uh|honestly|basically|actually|because|also|then|i mean|you know|i think|i'd say|"
    r"the thing is|one is that|the other is that|it's just|just)[,.]?\s+|(?:well|like|yeah|yes|no|okay|ok|right)[,.]\s+)+",
)
_TRAILING = frozenset({"a", "an", "the", "and", "or", "but", "to", "of", "for", "with", "in", "on", "at", "by",
                       "that", "which", "who", "is", "are", "was", "were", "so", "if", "as", "their", "your", "our"})  # fmt: skip
_NAME_BREAK = re.compile(r"\s(?:--|-|—)\s|[;:()]|,\s(?=(?:and|but|so|because|which|otherwise)\b)")


def slug(text: str) -> str:
    """Lowercase ASCII words joined by hyphens, at most a few words: "Book the first consultation" -> "book-the-first-consultation"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    words = [w for w in words if w not in ("a", "an", "the")] or words
    joined = "-".join(words[:_MAX_SLUG_WORDS])[:_MAX_SLUG_CHARS].strip("-")
    return joined or "element"


def short_name(text: str, max_words: int = 8) -> str:
    """A short name from a clause of speech: fillers dropped, first clause only, at most `max_words` words."""
    clause = _NAME_BREAK.split(text.strip(), maxsplit=1)[0]
    clause = _FILLERS.sub("", clause).strip(" \"'.,!?…")
    words = clause.split()[:max_words]
    while len(words) > 1 and words[-1].lower().strip(",.") in _TRAILING:
        words.pop()
    name = " ".join(words).strip(" ,.;:\"'")
    return (name[:1].upper() + name[1:]) if name else "Unnamed"


class KeyRegistry:
    """Hands out unique keys in one DraftMap: the second "vep-pay" becomes "vep-pay-2"."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def key(self, prefix: str, about: str) -> str:
        base = f"{prefix}-{slug(about)}"
        key, n = base, 2
        while key in self._taken:
            key, n = f"{base}-{n}", n + 1
        self._taken.add(key)
        return key


# --- Names a client deck can use: short noun phrases built from the evidence, never a cut sentence. ---

MIN_NAME_WORDS, MAX_NAME_WORDS = 2, 5
# Words that never carry a name: function words, pronouns, auxiliaries and the commonest verbs of speech.
# A name is cut out of the longest run of the *other* words, so it cannot end on "the", "some" or "is".
_NOT_NAMING = frozenset(["a", "an", "the", "this", "that", "these", "those", "some", "any", "all", "every", "each", "both", "either", "neither", "no", "none", "more", "most", "much", "many", "few", "fewer", "less", "least", "lot", "lots", "other", "another", "such", "what", "which", "who", "whom", "whose", "where", "when", "why", "how", "whether", "i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your", "yours", "he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their", "theirs", "one", "ones", "someone", "somebody", "anyone", "anybody", "everyone", "everybody", "nobody", "nothing", "something", "anything", "everything", "and", "or", "but", "nor", "so", "yet", "if", "then", "than", "because", "as", "since", "while", "though", "although", "unless", "until", "once", "also", "too", "of", "in", "on", "at", "by", "for", "with", "from", "to", "into", "onto", "about", "over", "under", "after", "before", "between", "through", "during", "without", "within", "against", "among", "around", "across", "up", "down", "out", "off", "away", "back", "is", "are", "was", "were", "be", "been", "being", "am", "isn't", "aren't", "wasn't", "weren't", "do", "does", "did", "doing", "done", "don't", "doesn't", "didn't", "have", "has", "had", "having", "haven't", "hasn't", "hadn't", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "won't", "wouldn't", "can't", "couldn't", "shouldn't", "mustn't", "it's", "that's", "there's", "here's", "what's", "they're", "we're", "you're", "i'm", "i've", "we've", "they've", "you've", "i'd", "we'd", "they'd", "you'd", "i'll", "we'll", "they'll", "you'll", "let's", "get", "gets", "got", "getting", "go", "goes", "went", "going", "gone", "make", "makes", "made", "making", "say", "says", "said", "tell", "tells", "told", "know", "knows", "knew", "think", "thinks", "thought", "want", "wants", "wanted", "need", "needs", "needed", "take", "takes", "took", "taken", "come", "comes", "came", "see", "sees", "saw", "seen", "use", "uses", "used", "try", "tries", "tried", "give", "gives", "gave", "given", "call", "calls", "called", "look", "looks", "looked", "keep", "keeps", "kept", "let", "lets", "put", "puts", "mean", "means", "meant", "seem", "seems", "seemed", "feel", "feels", "felt", "leave", "leaves", "left", "work", "works", "worked", "write", "writes", "wrote", "written", "spend", "spends", "spent", "carry", "carries", "carried", "happen", "happens", "happened", "start", "starts", "started", "stop", "stops", "stopped", "ask", "asks", "asked", "just", "only", "even", "still", "already", "really", "actually", "basically", "honestly", "maybe", "perhaps", "probably", "usually", "always", "never", "often", "sometimes", "again", "almost", "quite", "very", "rather", "pretty", "well", "yeah", "yes", "okay", "ok", "right", "like", "not", "here", "there", "now", "today", "then", "ever", "else", "anyway", "instead", "thank", "thanks", "please", "except", "per"])
_NAME_TOKEN = re.compile(r"[A-Za-z0-9€$£%][A-Za-z0-9€$£%'’.-]*")

# What the customer does, as the noun a client deck uses for the step ("book" -> "booking").
_NOMINAL = {
    "book": "booking", "schedule": "scheduling", "reserve": "reservation", "sign up": "signup",
    "register": "registration", "create": "creation", "open": "opening", "join": "joining", "enrol": "enrolment",
    "enroll": "enrollment", "start": "start", "begin": "start", "take": "uptake", "try": "trial", "pay": "payment",
    "subscribe": "subscription", "upgrade": "upgrade", "renew": "renewal", "convert": "conversion",
    "become": "conversion", "go": "switch", "buy": "purchase", "purchase": "purchase", "order": "order",
    "place": "order", "check": "checkout", "upload": "upload", "import": "import", "attach": "attachment",
    "add": "entry", "enter": "entry", "put": "entry", "fill": "completion", "complete": "completion",
    "answer": "answers", "describe": "description", "verify": "verification", "validate": "validation",
    "confirm": "confirmation", "invite": "invitation", "refer": "referral", "recommend": "recommendation",
    "choose": "choice", "select": "selection", "pick": "choice", "mark": "marking", "shortlist": "shortlist",
    "favourite": "favourites", "favorite": "favorites", "rate": "rating", "install": "installation",
    "deploy": "deployment", "download": "download", "set": "setup", "connect": "connection",
    "integrate": "integration", "sync": "sync", "link": "link", "grant": "access grant", "give": "handover",
    "provide": "handover", "share": "sharing", "leave": "handover", "tell": "disclosure", "send": "sending",
    "forward": "forwarding", "submit": "submission", "post": "posting", "claim": "claim", "accept": "acceptance",
    "agree": "agreement", "approve": "approval", "opt": "opt-in", "commit": "commitment", "attend": "attendance",
    "show": "attendance", "turn": "attendance", "watch": "viewing", "read": "reading", "activate": "activation",
    "enable": "activation", "log": "login", "sign": "signing", "be": "presence", "come": "visit",
}


def _verbs_of_nominals() -> dict[str, str]:
    verbs: dict[str, str] = {}
    for verb, nominal in _NOMINAL.items():
        if " " not in verb + nominal and nominal != verb and nominal[:3] == verb[:3]:
            verbs.setdefault(nominal, verb)
    return verbs


# The other way round, for matching a step's name with what was said of it ("connection" -> "connect"):
# only nouns made from their verb, so "trial" never reads as "try" nor "purchase" as "buy".
VERB_OF_NOMINAL = _verbs_of_nominals()

_PARTICLES = frozenset({"up", "in", "out", "on", "to", "for", "off", "over"})
_NUMBER_WORD = caseless(
    r"^(?:\d[\d,.]*%?|[€$£]\S*|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|half|third|quarter|percent|euros?|dollars?|pounds?|quid|bucks|"
    r"grand)"
    r"(?:-\w+)?)$",
)


def _words(text: str) -> list[str]:
    return [w.strip(".'’-") for w in _NAME_TOKEN.findall(text) if w.strip(".'’-")]


def _names(word: str) -> bool:
    low = word.casefold()
    return (low not in _NOT_NAMING and not low.endswith(("n't", "ly")) and len(low) > 1) or low.isdigit()


def noun_chunk(text: str) -> list[str]:
    """The longest run of naming words in the first clause of `text` (its last words: English puts the head
    noun last), without figures; empty when there is none."""
    clause = _FILLERS.sub("", _NAME_BREAK.split(text.strip(), maxsplit=1)[0])
    clause = re.split(r",\s", clause, maxsplit=1)[0]
    runs: list[list[str]] = [[]]
    for word in _words(clause):
        if _names(word) or _NUMBER_WORD.match(word):
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    for run in runs:  # figures belong in a detail: a name keeps them only inside ("first thirty minutes")
        while run and _NUMBER_WORD.match(run[0]):
            run.pop(0)
        while run and _NUMBER_WORD.match(run[-1]):
            run.pop()
    best = max(runs, key=lambda run: sum(1 for w in run if not _NUMBER_WORD.match(w)))
    return best[-(MAX_NAME_WORDS - 1):] if len(best) >= MAX_NAME_WORDS else best


_VERB_FOLLOWERS = frozenset({"in", "into", "to", "on", "onto", "at", "through", "from", "back", "out", "up", "off",
                             "the", "a", "an", "its", "their", "our", "your", "them", "us", "him", "her"})
_SUBJECTS = frozenset({"i", "we", "they", "you", "he", "she", "who", "i'd", "we'd", "they'd", "i'll", "we'll"})
# A name does not end on a past participle: "Template apology with three suggested" was cut mid-clause.
_PAST = re.compile(r"^[a-z]+(?:ed)$")
_JOINS = frozenset({"of", "on", "in", "for", "with", "to", "at", "per"})  # "dinner on the table", "price per head"
_DETERMINERS = frozenset({"the", "a", "an", "our", "your", "their", "my", "his", "her", "its"})
_AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "being", "get", "gets", "got", "isn't", "aren't",
                          "wasn't", "weren't", "it's", "that's", "they're", "we're"})


# When something happened is not what it is: "Routing tool in September" is the routing tool, "Last spring" nothing.
# "First three months" and "second month" say how long, which a name may keep.
_NAMED_TIMES = frozenset({
    "spring", "summer", "autumn", "winter", "today", "yesterday", "tomorrow", "january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday",
})  # fmt: skip
_WHEN = _NAMED_TIMES | {"last", "next", "this", "every", "year", "years", "month", "months", "week", "weeks", "quarter"}


def _without_when(phrase: list[str]) -> list[str]:
    """The phrase less a trailing time ("in September", "last spring"); nothing if it only says when."""
    start = len(phrase)
    while start and phrase[start - 1].casefold() in _WHEN:
        start -= 1
    tail = [w.casefold() for w in phrase[start:]]
    if not tail or not (tail[0] in {"last", "next", "this", "every"} or _NAMED_TIMES & set(tail)):
        return phrase
    while start and phrase[start - 1].casefold() in _JOINS | _DETERMINERS:
        start -= 1
    return phrase[:start]


def noun_phrase(text: str) -> list[str]:
    """The fullest noun phrase in the first clause of `text`: naming words, joined through a preposition to
    the next run ("access to the whole list", "dinner on the table"), at most five words, ending on a noun.
    Past participles ("checked", "verified") are read as verbs, so a sentence does not become a name."""
    clause = _FILLERS.sub("", _NAME_BREAK.split(text.strip(), maxsplit=1)[0])
    words = _words(re.split(r",\s", clause, maxsplit=1)[0])

    passive = {i for i in range(1, len(words)) if words[i - 1].casefold() in _AUXILIARIES
               and words[i].casefold().endswith("ed")}  # "is checked", "were verified": verbs
    passive |= {i for i in range(1, len(words)) if words[i - 1].casefold() in _SUBJECTS}  # "I rang", "we lose": verbs
    # "the file lands in the queue", "sales calls the lead": after a noun, an -s word that takes a preposition or
    # an article is the verb of the clause, not a plural noun ("support tickets are" stays a noun).
    passive |= {i for i in range(1, len(words) - 1) if words[i].casefold().endswith("s") and _names(words[i - 1])
                and words[i + 1].casefold() in _VERB_FOLLOWERS}

    def naming(word: str, at: int) -> bool:
        return (_names(word) and at not in passive) or bool(_NUMBER_WORD.match(word))

    phrases: list[list[str]] = []
    i = 0
    while i < len(words):
        if not naming(words[i], i):
            i += 1
            continue
        phrase: list[str] = []
        while i < len(words) and naming(words[i], i):
            phrase.append(words[i])
            i += 1
        while i < len(words) and words[i].casefold() in _JOINS:  # "... to the whole list"
            j = i + 1
            while j < len(words) and words[j].casefold() in _DETERMINERS:
                j += 1
            if j >= len(words) or not naming(words[j], j):
                break
            tail = words[i:j]
            while j < len(words) and naming(words[j], j):
                tail.append(words[j])
                j += 1
            phrase += tail
            i = j
        phrases.append(phrase)
    best: list[str] = []
    for phrase in map(_without_when, phrases):
        while phrase and (_NUMBER_WORD.match(phrase[0]) or phrase[0].casefold() in _JOINS | _DETERMINERS):
            phrase.pop(0)  # "half of our support tickets" -> "support tickets"
        while len(phrase) > MAX_NAME_WORDS or (phrase and _ends_unnamed(phrase)):
            cut = max((k for k, w in enumerate(phrase) if k and w.casefold() in _JOINS), default=0)
            phrase = phrase[:cut] if cut and cut <= MAX_NAME_WORDS else phrase[: len(phrase) - 1]
        if sum(1 for w in phrase if not _NUMBER_WORD.match(w) and w.casefold() not in _JOINS | _DETERMINERS) > sum(
            1 for w in best if not _NUMBER_WORD.match(w) and w.casefold() not in _JOINS | _DETERMINERS
        ):
            best = phrase
    return best


def noun_phrase_within(text: str, room: int) -> list[str]:
    """`noun_phrase` in at most `room` words, never cut mid-phrase: up to a preposition inside it ("dedicated search
    team on your role" -> "dedicated search team"), else its last words (the head noun is last); as `noun_phrase`,
    never ending on a figure or a past participle ("time saved on admin" is no "time saved"), nor on a word that only
    modifies what comes before it (`_NOT_A_HEAD`: "email saying", "desk whenever")."""
    if room < 1:
        raise ValueError(f"room must be at least one word, got {room}")
    phrase = noun_phrase(text)
    if len(phrase) > room:
        cut = next((k for k in range(room, 0, -1) if phrase[k].casefold() in _JOINS), None)
        phrase = phrase[:cut] if cut else phrase[-room:]
    while phrase and phrase[0].casefold() in _JOINS | _DETERMINERS:
        phrase = phrase[1:]
    while phrase and (_ends_unnamed(phrase) or (len(phrase) > 1 and phrase[-1].casefold() in _NOT_A_HEAD)):
        phrase = phrase[:-1]
    return phrase


# Words a phrase cut to fit a name does not end on, though they name something elsewhere: what a thing is said to say
# or ask ("an email saying", "a little line asking") and how or when it happens ("the app hard", "whenever"): "Money
# for email saying" and "Effort for app hard" were exchange names. (Said in full, "Email saying" may be all a sentence
# names; `noun_phrase` keeps it there rather than name a step by less.)
_NOT_A_HEAD = frozenset({"saying", "asking", "telling", "showing", "explaining", "promising", "whenever", "wherever",
                         "faster", "sooner", "harder", "easier", "quicker", "cheaper", "hard", "straight"})


def _ends_unnamed(phrase: list[str]) -> bool:
    """Whether a phrase ends on a word that names nothing: a figure, a word that does not name, a past participle."""
    last = phrase[-1]
    return bool(_NUMBER_WORD.match(last) or not _names(last) or (len(phrase) > 1 and _PAST.match(last)))


def _capitalised(words: list[str]) -> str:
    name = " ".join(words)
    return name[:1].upper() + name[1:]


_CLAUSES = re.compile(r"[,;:.!?]\s+|\s(?:--|-|—)\s")


def act_named_in(text: str) -> str | None:
    """The first noun phrase of `text`, clause by clause, that names something done ("the photos go through a
    manual review" -> "Manual review"), or None."""
    for clause in [text, *_CLAUSES.split(text)[1:]]:
        phrase = noun_phrase(clause)
        if len(phrase) >= MIN_NAME_WORDS and names_an_act(" ".join(phrase)):
            return _capitalised(phrase)
    return None


def names_nothing(name: str) -> bool:
    """Whether `element_name` found nothing in its text to name the element by ("Step (unnamed)")."""
    return name.endswith("(unnamed)")


_SENTENCE_END = re.compile(r"[.!?]+(?:\s+|$)")
_REPORTS = caseless(r"\b(?:says|said|tells|told|promised|claimed)\b")
_QUOTE_MARKS = "\"'“”‘’"
# Words in double quotes, not touching a space inside them: not the inch marks of 'a 5" screen and a 10" tablet'.
_QUOTED = re.compile(r"[\"“](\S[^\"“”]*?\S)[.!?,]?[\"”]")
_CLAUSE_OF_A_PROMISE = caseless(r"[,;:()\"“”]|\s(?:-|--|—)\s|\s(?:and|so|because|but|or|which|when|if|until)\s")
# Words a phrase does not end on ("Almost half of our support tickets are some").
_CLOSES_NOTHING = frozenset(["a", "an", "the", "this", "that", "these", "those", "some", "any", "every", "each",
    "no", "not", "and", "or", "but", "so", "if", "as", "than", "of", "in", "on", "at", "by", "for", "with", "from",
    "to", "into", "about", "over", "after", "before", "up", "off", "out", "is", "are", "was", "were", "be", "been",
    "have", "has", "had", "do", "does", "did", "can", "could", "would", "will", "should", "must", "may", "might",
    "very", "really", "just", "per", "i", "we", "you", "they", "he", "she", "it", "my", "our", "their", "your"])
# Words a promise's name does not open on: a pronoun's sentence ("You're protected from day one"), half of one ("In
# exchange for their email"), a filler's ("Honestly it's the best value") or a question's ("Does it work").
_OPENS_NO_PROMISE = _SUBJECTS | frozenset(["it", "it's", "my", "our", "their", "your", "his", "her", "its", "this",
    "that", "there", "here", "you're", "we're", "they're", "i'm", "you'll", "there's", "in", "on", "at", "by", "for",
    "with", "from", "to", "into", "about", "over", "after", "before", "of", "and", "or", "but", "so", "if", "as", "than",
    "then", "because", "since", "while", "though", "although", "unless", "until", "once", "when", "where", "which", "who",
    "yeah", "yes", "honestly", "look", "well", "okay", "ok", "basically", "actually", "really", "does", "did", "is",
    "are"])  # "No surprises" is one


def said_as_a_name(text: str) -> str | None:
    """A promise named as it was said: the words quoted in it ('The website says "Updated daily."'), else its first
    sentence, else that sentence's first clause ("Hand us the shoebox and forget about it." -> "Hand us the
    shoebox"), the first of them that is 2-5 words, opens on no pronoun ("You're protected from day one" is a
    sentence), does not report it ("The app says before six") and ends on a word that closes a phrase; None where
    none is. Its commas go: "Every machine, every night" is named "Every machine every night". Cut down to one of
    its nouns, a promise ("Hurts promise" for "Tell us where it hurts") tells a client nothing."""
    said = text.strip().strip(_QUOTE_MARKS + " ")
    first = _SENTENCE_END.split(said, maxsplit=1)[0]
    asked = said[len(first):].lstrip().startswith("?")  # "Does it work?"
    candidates = [*_QUOTED.findall(text), *([] if asked else [first, _CLAUSE_OF_A_PROMISE.split(first, maxsplit=1)[0]])]
    for candidate in candidates:
        if candidate.count(",") > 1 or _REPORTS.search(candidate):
            continue  # "Food, staff, crockery, setup" is a list; "The app says before six" reports a promise
        words = _words(candidate.replace("’", "'"))
        words = words[1:] if words and words[0].casefold() in ("a", "an", "the") else words  # "A curated network"
        if (MIN_NAME_WORDS <= len(words) <= MAX_NAME_WORDS and words[0].casefold() not in _OPENS_NO_PROMISE
                and words[-1].casefold() not in _CLOSES_NOTHING):
            return _capitalised(words)
    return None


def names_a_value(name: str) -> bool:
    """Whether a proposition's name names its value, not only one word of its statement and the kind ("Hurts
    promise") or nothing ("Promise (unnamed)")."""
    return not names_nothing(name) and not _one_word_promise(name)


def _one_word_promise(name: str) -> bool:
    """Whether `element_name` found one naming word in a promise and added "promise" ("Hurts promise")."""
    words = name.casefold().split()
    return len(words) == 2 and words[1] == "promise"


def _naming_chunk(text: str) -> list[str]:
    chunk = noun_phrase(text)
    if len(chunk) < MIN_NAME_WORDS:
        # The first clause names too little ("Find out where you stand, free body scan with your tour"): the
        # first later clause that names something in two words or more.
        later = (noun_phrase(clause) for clause in _CLAUSES.split(text)[1:])
        chunk = next((c for c in later if len(c) >= MIN_NAME_WORDS), chunk)
    return chunk


def phrase_name(text: str) -> str | None:
    """The noun phrase of `text` as a name where it has two naming words or more ("Second van"), else None."""
    chunk = _naming_chunk(text)
    return _capitalised(chunk[:MAX_NAME_WORDS]) if len(chunk) >= MIN_NAME_WORDS else None


def name_at_step(what: str, joiner: str, step: str, spoken: str, taken: Collection[str] = ()) -> str | None:
    """What an element is and the step it is at: "Drop-off at trial signup", "Capacity gap at pack purchase".

    Where the whole step does not fit in MAX_NAME_WORDS (cut, "Apple Pay payment" would read "pay payment"), `what`
    alone if it is a name of two words or more ("Longer sales cycle"), else None. None too where the step repeats
    what it is ("Low activation after customer activation", "Refunds after refund request") or the name is `taken`
    by another element of the map. The step's first word keeps its capital only where `spoken` (the act as the
    speakers said it) writes it so inside a sentence: "at Stripe connection", but "at pack purchase"."""
    head, words = what.split(), step.split()
    if not words or len(head) + 1 + len(words) > MAX_NAME_WORDS:
        name = _capitalised(head) if len(head) >= MIN_NAME_WORDS else None
    elif repeats(head, words):
        name = None
    else:
        words[0] = as_said_inside(words[0], spoken)
        name = _capitalised([*head, joiner, *words])
    return None if name in taken else name


def as_said_inside(word: str, spoken: str) -> str:
    """`word` as it reads inside a name: its capital kept only where `spoken` writes it so inside a sentence ("Stripe",
    a quoted or bracketed name) or it is an acronym; "Pack" opening a sentence is "pack"."""
    if word.isupper() or re.search(rf"\w[\s,]+[\"'(“‘]?{re.escape(word)}\b", spoken):
        return word
    return word[:1].lower() + word[1:]


def repeats(words: Collection[str], other: Collection[str]) -> bool:
    """Whether two names share a word, up to its ending ("practising" and "practice" do not; "refund", "refunds" do)."""
    return bool({_stem(w) for w in words} & {_stem(w) for w in other})


def _stem(word: str) -> str:
    return word.casefold().removesuffix("s")


def element_name(text: str, kind_word: str) -> str:
    """A 2-5 word noun phrase for an element read from `text`: its longest run of naming words, with
    `kind_word` ("loss", "constraint") added where that run is a single word, and "<kind_word> (unnamed)"
    when the text has none."""
    chunk = _naming_chunk(text)
    if not chunk:
        return _capitalised([kind_word.capitalize(), "(unnamed)"]) if " " not in kind_word else kind_word.capitalize()
    if len(chunk) < MIN_NAME_WORDS:
        kind = kind_word.split()
        if chunk[0].casefold() == kind[0].casefold():
            chunk = kind if len(kind) > 1 else ["customer", *chunk]  # "Support load", "Customer churn"
        else:
            chunk = [*chunk, *kind]
    return _capitalised(chunk[:MAX_NAME_WORDS])


def action_name(phrase: str) -> str:
    """The step a customer action names, as a noun phrase: "book the first consultation" -> "First
    consultation booking", "sign up" -> "Account signup"; figures are left to the element's detail."""
    words = _words(phrase.split(",")[0])
    if not words:
        return "Customer step"
    verb = words[0].casefold()
    rest = words[1:]
    if verb == "pay" and (priced := _payment_by_terms(rest)):
        return priced
    if verb == "sign" and rest and rest[0].casefold() == "up":
        verb, rest = "sign up", rest[1:]
    while rest and rest[0].casefold() in _PARTICLES:
        rest = rest[1:]
    nominal = _NOMINAL.get(verb, _gerund(verb))
    obj = noun_chunk(" ".join(rest))[-(MAX_NAME_WORDS - len(nominal.split())):]
    if not obj:
        obj = ["account"] if verb in ("sign up", "register", "log", "join") else ["plan"] if verb in (
            "pay", "subscribe", "upgrade", "renew", "buy", "purchase") else ["customer"]
    period = _PLAN_PERIODS.get(obj[-1].casefold().rstrip("s"))
    if period and len(obj) == 1:
        obj = [period, "plan"] if verb != "pay" else [period]
    if obj[-1].casefold() == nominal.split()[-1]:
        # "start a free trial" -> "Free trial", not "Free trial trial"; "place an order" -> "Customer order"
        return _capitalised(obj if len(obj) > 1 else ["customer", *obj])
    if obj[-1].casefold() == nominal.split()[0]:
        return _capitalised([*obj, *nominal.split()[1:]])  # "grant read access" -> "Read access grant"
    return _capitalised([*obj, *nominal.split()])


_PER = frozenset({"per", "a", "an", "each", "every"})
_PERIODIC = {"day": "Daily", "week": "Weekly", "month": "Monthly", "year": "Annual"}
_PLAN_PERIODS = {unit: adjective for unit, adjective in _PERIODIC.items() if unit != "day"}  # "book a day" is no plan
_COINS = frozenset({"p", "pence", "cents"})  # money `_NUMBER_WORD` does not read (it reads euros, pounds, quid ...)


def _payment_by_terms(said: list[str]) -> str | None:
    """A payment named by its terms where it is said as a price ("pay forty-eight pounds a head": "Payment per head";
    "three hundred and ten a day": "Daily payment") or by when ("pay up front": "Upfront payment"), not by a word of
    the price ("Head payment", "Front payment"). None where it is said otherwise ("pay the deposit", "pay fifty
    pounds for a session")."""
    low = [w.casefold() for w in said]
    if low[:2] == ["up", "front"] or low[:1] == ["upfront"]:
        return "Upfront payment"
    for k in range(1, len(low) - 1):
        priced = _NUMBER_WORD.match(low[k - 1]) is not None or low[k - 1] in _COINS
        if low[k] in _PER and priced and low[k + 1] not in {"cent", "percent"}:
            unit = singular(low[k + 1])
            return f"{_PERIODIC[unit]} payment" if unit in _PERIODIC else f"Payment per {unit}"
    return None


_DOUBLED_FINAL = re.compile(r"^[^aeiou\W]*[aeiou][^aeiouwxy\W]$")
# Longer verbs stressed on their last syllable double its consonant too ("forget" -> "forgetting"); stress is not
# in the spelling, so they are listed.
_STRESSED_LAST = frozenset({
    "forget", "admit", "commit", "submit", "permit", "omit", "refer", "prefer", "transfer", "defer", "regret", "occur",
    "begin", "control", "patrol", "equip", "upset", "transmit", "compel", "expel", "program", "format", "acquit",
})  # fmt: skip


def _gerund(verb: str) -> str:
    """"dig" -> "digging", "ship" -> "shipping", "make" -> "making", "collect" -> "collecting", "forget" ->
    "forgetting"."""
    if verb.endswith("e") and not verb.endswith(("ee", "ye")):
        return f"{verb[:-1]}ing"
    if (len(verb) <= 4 and _DOUBLED_FINAL.match(verb)) or verb in _STRESSED_LAST:
        return f"{verb}{verb[-1]}ing"
    return f"{verb}ing"


# The organisation's work is named with the customer act's noun ("approve" -> "approval", "book" -> "booking"), else
# the gerund ("score" -> "scoring"); listed here where work needs another noun: the act's reads wrong for work
# ("check" -> "checkout", "pick" -> "choice", "log" -> "login"), or the gerund reads worse ("Trial account review",
# not "... reviewing").
_WORK_NOMINAL = {
    "set up": "setup", "deliver": "delivery", "prepare": "preparation", "hand over": "handover",
    "follow up": "follow-up", "reach out to": "outreach", "assign": "assignment", "configure": "configuration",
    "enrich": "enrichment", "moderate": "moderation", "curate": "curation", "translate": "translation",
    "inspect": "inspection", "produce": "production", "investigate": "investigation", "negotiate": "negotiation",
    "maintain": "maintenance", "migrate": "migration", "develop": "development", "escalate": "escalation",
    "document": "documentation", "walk through": "walkthrough", "ring": "call", "measure": "measurement",
    "reconcile": "reconciliation", "refurbish": "refurbishment", "assess": "assessment", "qualify": "qualification",
    "collect": "collection", "review": "review", "check": "check", "call": "call", "audit": "audit", "visit": "visit",
    "survey": "survey", "quote": "quote", "repair": "repair", "dispatch": "dispatch", "research": "research",
    "forecast": "forecast", "design": "design", "triage": "triage", "update": "update", "contact": "contact",
    "run": "run", "email": "email", "process": "processing", "test": "testing", "answer": "answering",
    "pick": "picking", "log": "logging",
}  # fmt: skip
# Particles that can go without changing the work ("writes up the notes" is writing them; "picks up the car" is
# not picking it, so it is not named this way); "back" and "round" only ever change it ("send back", "ring round").
_PARTICLE_WORK = {("write", "up"): "write-up", ("send", "out"): "sending", ("print", "out"): "printing",
                  ("sort", "out"): "sorting", ("fill", "in"): "completion", ("fill", "out"): "completion"}
_WORK_PARTICLES = _PARTICLES | {"back", "round", "around"}
# Where what the work is done to ends: how, when, with what, or how often it is done ("the bake | from the order
# sheet at four", "the orders | next day", "the others | twice").
_OBJECT_ENDS = frozenset({
    "at", "in", "for", "with", "on", "from", "to", "by", "before", "after", "against", "into", "through", "via", "per",
    "within", "until", "about", "around", "roughly", "nearly", "almost", "next", "last", "this", "every", "each",
    "twice", "once", "first", "straight", "again", "myself", "ourselves", "themselves", "yourself", "today",
    "tonight", "tomorrow", "now", "daily", "weekly", "monthly", "whether", "how", "what", "why", "when", "where",
    "who", "which", "that", "if",
}) | _NAMED_TIMES  # fmt: skip
_SAYS_WHICH = frozenset({"every", "each", "this", "next", "last", "first"})  # may open the object: "every new lead"
_NOT_THE_OBJECT = frozenset({"single", "whole", "entire"})  # "every single one": the one, not a single
_TWO_OBJECTS = frozenset({"send", "email", "post", "show", "offer", "hand over"})  # "send the customer a quote"
_RECIPIENTS = frozenset({"me", "us", "him", "her", "them", "you"})  # "sent me a message": the message


def work_name(verb: str, acted_on: str) -> str | None:
    """The organisation's work named by what it is done to: ("score", "the lead") -> "Lead scoring", ("review",
    "every new trial account by hand") -> "New trial account review". None when what it acts on names nothing, is
    reached through a preposition or a clause ("write to the partners", "check whether they paid"), or follows a
    particle that changes the work ("pick up the car")."""
    words = _words(acted_on)
    nominal = _WORK_NOMINAL.get(verb) or _NOMINAL.get(verb) or _gerund(verb)
    if words and words[0].casefold() in _WORK_PARTICLES:
        nominal = _PARTICLE_WORK.get((verb, words[0].casefold()), "")
        words = words[1:]
    words = [w for w in words if w.casefold() not in _NOT_THE_OBJECT]
    recipient = bool(words) and words[0].casefold() in _RECIPIENTS
    words = words[1:] if recipient and verb in _TWO_OBJECTS else words
    if not nominal or not words or words[0].casefold() in (_OBJECT_ENDS - _SAYS_WHICH) | _HEAD_ENDS | _AUXILIARIES:
        return None  # "every CV we send | gets reformatted": no object at all
    cut = _object_end(words)
    if verb in _TWO_OBJECTS and not recipient and cut < len(words) and words[cut].casefold() in _DETERMINERS:
        words = words[cut:]  # after a verb that takes two objects, the thing sent: "send the customer | a quote"
        cut = _object_end(words)
    obj = noun_chunk(" ".join(words[:cut]))
    if not obj or obj[-1].casefold() == nominal:
        return None
    return _capitalised([*obj[-(MAX_NAME_WORDS - 1):], nominal])


def _object_end(words: list[str]) -> int:
    """Where what the work is done to ends: at how, when or how often (`_OBJECT_ENDS`), or where a second determiner
    after a noun starts a clause about it ("the claim | the customer sent") or a figure says when or how many ("the
    reminder | thirty days before")."""
    for k, word in enumerate(words[1:], start=1):
        low = word.casefold()
        if low in _OBJECT_ENDS or ((low in _DETERMINERS or _NUMBER_WORD.match(word)) and _names(words[k - 1])):
            return k
    return len(words)


# Nouns that name something done (or the form or document it is done on), not a thing or a place: "Video survey",
# "Manual review", "Tracking report", "Enquiry form".
# Not "-ing": "Daughter ringing" is a cut clause, not a step; the -ing nouns that name steps are listed.
_EVENT_ENDINGS = ("tion", "sion", "ment", "ance", "ence", "al", "ery", "ure")
_EVENT_NOUNS = frozenset({
    "survey", "review", "report", "check", "quote", "call", "visit", "test", "lesson", "session", "meeting", "order",
    "payment", "invoice", "handover", "interview", "audit", "estimate", "contract", "demo", "trial", "signup",
    "login", "upload", "sync", "claim", "request", "reminder", "follow-up", "walkthrough", "setup", "install",
    "pickup", "drop-off", "tour", "scan", "repair", "service", "return", "refund", "renewal",
    "checklist", "form", "rota", "schedule", "plan", "sign-off", "kickoff", "callback", "reply",
    "booking", "briefing", "training", "onboarding", "tasting", "viewing", "fitting", "cleaning", "packing",
    "picking", "shipping", "billing", "invoicing", "screening", "matching", "planning", "costing", "pricing",
    "marking", "testing", "vetting", "hearing", "mapping", "tracking", "moving", "loading", "printing", "filing",
})


_HEAD_ENDS = frozenset({"at", "of", "in", "for", "with", "on", "from", "to", "by", "before", "after"})


_TIME_NOUNS = _WHEN | {"time", "times", "day", "days", "morning", "mornings", "afternoon", "evening", "night",
                       "nights", "noon", "midnight", "hour", "hours", "minute", "minutes", "round", "old", "weekend"}


def says_only_when(name: str) -> bool:
    """Whether a name's head noun is a time ("Tuesday morning", "First week", "Same day"): when something happens
    is not what happens."""
    words = name.casefold().split()
    return bool(words) and words[-1].strip(".,;:!?") in _TIME_NOUNS


def names_an_act(name: str) -> bool:
    """Whether a name's head noun (its last word before any preposition) is something done: "Video survey" and
    "Manual review at the partner", not "Spiral staircase"."""
    words = name.casefold().split()
    cut = next((i for i, w in enumerate(words) if i and w in _HEAD_ENDS), len(words))
    head = words[cut - 1].strip(".,;:!?") if cut else ""
    return head in _EVENT_NOUNS or head.endswith(_EVENT_ENDINGS)
