"""Question lint: is a question neutral, open and single, and does it quote the stakeholder truly?

A bad interview question steers the answer (leading, praise), asks two things at once (double-barrelled),
assumes a judgment (presumptive) or puts words in the stakeholder's mouth (misquote). The offline
question bank must pass this lint, and so should any question a model words. Pure string rules: a
question in, a list of issues out.
"""

from __future__ import annotations

import re

from schemas.interview import QuestionIssue, QuestionIssueKind

__all__ = ["QuestionIssue", "QuestionIssueKind", "lint_question"]

LEADING_PHRASES = (
    "don't you think", "do not you think", "don't you agree", "wouldn't you agree", "would you not agree",
    "isn't it true", "is it not true", "wouldn't you say", "surely", "obviously", "of course",
)
# A tag at the end asks for agreement, not an answer: "..., right?", "..., isn't it?"
LEADING_TAG = re.compile(r",\s*(right|correct|isn't it|aren't they|don't they|doesn't it|wouldn't it|no)\s*\?\s*$")

PRAISE_PHRASES = (
    "great answer", "good answer", "great question", "great point", "good point", "that's fascinating",
    "that is fascinating", "that's great", "that is great", "that's interesting", "that is interesting",
    "love that", "love it", "well said",
)
# Praise words that are fine inside a question ("what would good support look like?") but not as an
# opening interjection ("Great, so where ...").
OPENING_PRAISE = frozenset(
    {"great", "good", "nice", "perfect", "excellent", "fascinating", "wonderful", "brilliant", "amazing", "awesome",
     "fantastic", "interesting", "lovely", "super", "cool"}
)
OPENING_WORDS = 4

WH_WORDS = r"(?:what|why|how|where|when|who|whom|which|whose)"
AUX = r"(?:do|does|did|is|are|was|were|can|could|would|will|should|has|have|had|might|must|may)"
SUBJECTS = r"(?:you|they|we|it|he|she|i|the|that|this|those|these|your|their|customers|people)"
# "and why do ...", "and how is ...": a second interrogative clause.
AND_WH_AUX = re.compile(rf"\band\s+(?:then\s+|also\s+)?(?:{WH_WORDS})\s+{AUX}\b")
# "and what happens ...", "and which customers leave": a wh-subject clause (but "and what they get" is embedded).
AND_WH_SUBJECT = re.compile(rf"\band\s+(?:then\s+|also\s+)?(?:what|who|which)\s+(?!{SUBJECTS}\b)\w+")
# "and do you ...", "and is it ...": a second yes/no question.
AND_AUX_SUBJECT = re.compile(rf"\band\s+{AUX}\s+{SUBJECTS}\b")

# "why is onboarding so slow?", "what makes it so hard?": the judgment is assumed, not asked.
PRESUMPTIVE = re.compile(
    rf"\b(?:why\s+{AUX}|how\s+come|what\s+makes)\b[^?]*?\bso\s+(?!that\b|as\b)(\w+)"
)

# "Since the discount is failing, what ...", "..., given that they ignore it?": a premise asserted, not asked.
# ("Given that, ..." and "Now that you mention it, ..." point back at the stakeholder's own words.)
PREMISE_CLAUSE = re.compile(
    r"^\W*(?P<word>since(?!\s+(?:when|then)\b)|given\s+that|now\s+that|seeing\s+that|considering\s+that|because)"
    r"\s+(?!you\s+(?:say|said|mention|mentioned|told)\b)(?P<premise>(?:“[^”]*”|\"[^\"]*\"|[^?,“\"])+),"
    r"|,\s*(?P<late>given\s+that|now\s+that|seeing\s+that|considering\s+that)\s+"
    r"(?!you\s+(?:say|said|mention|mentioned|told)\b)\w[^?,]*"
)
# "Since the price change, how has it changed?" and "Since launch, ..." are about time, not a premise:
# a perfect-tense question, or a bare time phrase with nothing asserted in it.
PRESENT_PERFECT = re.compile(r"\b(?:has|have|hasn't|haven't)\b")
TIME_PHRASE = re.compile(r"\W*(?:\w+\W*$|(?:the|a|an|this|that|last|its|their|our|your|his|her|my)\b)")
PRESENT_TENSE = re.compile(r"\b(?:is|are|am|isn't|aren't|do|does|don't|doesn't|can|can't|cannot|will|won't|"
                           r"seems?|keeps?|(?:it|that|there|he|she)'s|\w+'re)\b")
# "clearly", "of course": the question states as fact what the stakeholder should be asked. The
# manner sense ("how clearly", "see it clearly?", "clearly enough") is a real question and passes.
PRESUPPOSING = re.compile(
    r"\b(?:undoubtedly|unquestionably|surely|of\s+course|needless\s+to\s+say|as\s+we\s+all\s+know|"
    r"as\s+everyone\s+knows)\b"
    r"|(?<!how )(?<!as )(?<!more )(?<!most )(?<!less )(?<!so )"
    r"\b(?:clearly|obviously|evidently|plainly)\b(?!\s*(?:\?|$|enough\b|as\b))"
)
# "Isn't the onboarding too long?", "isn't it true that ...", "don't you agree": a negative question
# presupposes its positive answer (an imperative "Don't count refunds: ..." has no subject and passes).
NEGATIVE_QUESTION = re.compile(
    r"\b(?:(?:isn't|wasn't)\s+it|(?:is|was)\s+it\s+not)\s+(?:true|clear|obvious)\b"
    r"|\b(?:(?:don't|wouldn't)\s+you|(?:do|would)\s+you\s+not)\s+(?:think|agree|say)\b"
    rf"|(?:^|[.!?;:]\s+)[\"“']?(?:isn't|aren't|wasn't|weren't|don't|doesn't|didn't|won't|wouldn't|shouldn't|can't|"
    rf"couldn't|hasn't|haven't)\s+(?:{SUBJECTS}|most|many|some|all|our|a|an|users|clients|buyers)\b"
)
SENTENCE_EDGE = " .!?;:\"“'"
# Verbs that assume a feeling or a failure, in their base (-s) and their -ing/-ed forms.
LOADED_BASE = (r"(?:hate|love|dislike|refuse|struggle|ignore|resent|fail|complain|abandon|neglect|distrust|"
               r"mistrust)s?")
LOADED_ING = (r"(?:hating|loving|disliking|refusing|struggling|ignoring|resenting|failing|complaining|abandoning|"
              r"neglecting|distrusting|mistrusting)")
LOADED_ED = (r"(?:hated|loved|disliked|refused|struggled|ignored|resented|failed|complained|abandoned|neglected|"
             r"distrusted|mistrusted)")
# An emotion or an unwillingness taken as given: "why are customers frustrated with ...".
LOADED_STATE = (r"(?:frustrated|unhappy|angry|upset|annoyed|confused|afraid|scared|reluctant|unwilling|"
                r"dissatisfied|disappointed|hostile)")
# "Why do customers hate the review?", "how come they refused?", "what makes them struggle": the feeling
# or failure is assumed. ("Why does a failed payment end the trial?" uses 'failed' as an adjective and passes.)
LOADED_WHY = re.compile(
    rf"\b(?:why\s+(?:do|does|did|would|will|don't|doesn't|didn't)|what\s+makes)\b[^?.]*?\b({LOADED_BASE})\b"
    rf"|\bwhy\s+(?:is|are|was|were|isn't|aren't)\b[^?.]*?\b({LOADED_ING}|{LOADED_STATE})\b"
    rf"|\bwhy\s+(?:has|have|had)\b[^?.]*?\b({LOADED_ED})\b"
    rf"|\bhow\s+come\b[^?.]*?\b({LOADED_BASE}|{LOADED_ING}|{LOADED_ED}|{LOADED_STATE})\b"
)
# Presumed to be bad: "what is wrong with the onboarding?", "how painful is the upload?".
LOADED_JUDGMENT = re.compile(r"\bwhat(?:'s|\s+is|\s+was|\s+are)\s+(?:wrong|broken)\s+(?:with|about)\b"
                             r"|\bhow\s+(?:bad|painful|frustrating|confusing|broken|terrible|awful)\s+"
                             r"(?:is|are|was|were)\b")

QUOTING = re.compile(r"\byou\s+(?:said|mentioned|told\s+(?:me|us)|described|called\s+it|put\s+it|noted)\b",
                     re.IGNORECASE)
QUOTED = re.compile(r"""^[^\w"“']*(?:"(?P<a>[^"]+)"|“(?P<b>[^”]+)”|'(?P<c>.+?)'(?!\w))""")
FILLER_BEFORE_WORDS = re.compile(r"^(?:\W|\b(?:earlier|before|previously|just|once|that)\b)+")
CLAUSE_END = re.compile(r"[,.;:?!—–]| - ")


def lint_question(text: str, *, session_text: str) -> list[QuestionIssue]:
    """What is wrong with `text` as an interview question; `session_text` is everything the stakeholder said."""
    lowered = _plain_apostrophes(text).casefold()
    return [*_leading(lowered), *_double_barrelled(lowered), *_presumptive(lowered), *_praise(lowered),
            *_misquotes(_plain_apostrophes(text), session_text)]


def _leading(text: str) -> list[QuestionIssue]:
    found = [p for p in LEADING_PHRASES if re.search(rf"\b{re.escape(p)}\b", text)]
    if LEADING_TAG.search(text):
        found.append("a tag asking for agreement")
    return [QuestionIssue(kind=QuestionIssueKind.LEADING,
                          message=f"Leading ({', '.join(found)}): it suggests the answer; ask openly instead.")
            ] if found else []


_QUOTATION = re.compile(r'“[^”]*”|"[^"]*"')


def _double_barrelled(text: str) -> list[QuestionIssue]:
    if _QUOTATION.sub(" ", text).count("?") >= 2:  # "which of “Stolen? New bike next day” ...?" asks once
        return [QuestionIssue(kind=QuestionIssueKind.DOUBLE_BARRELLED,
                              message="Double-barrelled: it asks more than one question; ask one at a time.")]
    unbracketed = re.sub(r"\([^)]*\)", " ", text)  # "(who crossed, and who stalled)" qualifies, it does not ask
    for pattern in (AND_WH_AUX, AND_WH_SUBJECT, AND_AUX_SUBJECT):
        match = pattern.search(unbracketed)
        if match:
            return [QuestionIssue(
                kind=QuestionIssueKind.DOUBLE_BARRELLED,
                message=f"Double-barrelled ({match.group(0)!r} starts a second question): ask one at a time.",
            )]
    return []


def _presumptive(text: str) -> list[QuestionIssue]:
    """A question that takes for granted what it should ask: a judgment, a premise, a feeling or a failure."""
    reasons = []
    if match := PRESUMPTIVE.search(text):
        reasons.append(f"'so {match.group(1)}' assumes a judgment the stakeholder has not made")
    if (match := PREMISE_CLAUSE.search(text)) and _asserts_premise(match, text):
        reasons.append(f"{match.group(0).strip(' ,')!r} asserts a premise before asking")
    if match := PRESUPPOSING.search(text):
        reasons.append(f"{match.group(0)!r} states it as fact")
    if match := NEGATIVE_QUESTION.search(text):
        reasons.append(f"{match.group(0).strip(SENTENCE_EDGE)!r} presupposes the answer")
    if match := LOADED_WHY.search(text):
        reasons.append(f"'{next(g for g in match.groups() if g)}' assumes what they feel or that it fails")
    if match := LOADED_JUDGMENT.search(text):
        reasons.append(f"{match.group(0)!r} assumes it is bad")
    if not reasons:
        return []
    return [QuestionIssue(
        kind=QuestionIssueKind.PRESUMPTIVE,
        message=f"Presumptive ({'; '.join(reasons)}): ask what happens, not why it is that way.",
    )]


def _asserts_premise(match: re.Match[str], text: str) -> bool:
    """'Since' is causal (a premise) unless it only dates the question: "since the change, how has ...?"."""
    if not (match.group("word") or "").startswith("since"):
        return True
    premise = _QUOTATION.sub(" ", match.group("premise"))  # a quoted name ("'fixed so it doesn't come back'") asserts nothing
    if PRESENT_TENSE.search(premise) or PRESUPPOSING.search(premise) or re.search(
            rf"\b(?:{LOADED_BASE}|{LOADED_ING}|{LOADED_ED}|{LOADED_STATE})\b", premise):
        return True
    return not (PRESENT_PERFECT.search(text[match.end():]) or TIME_PHRASE.match(premise))


def _praise(text: str) -> list[QuestionIssue]:
    found = [p for p in PRAISE_PHRASES if re.search(rf"\b{re.escape(p)}\b", text)]
    opening = re.split(r"[.!,;:—–]", text, maxsplit=1)[0].split()
    if len(opening) <= OPENING_WORDS:
        found += [w for w in opening if w in OPENING_PRAISE]
    if not found:
        return []
    return [QuestionIssue(kind=QuestionIssueKind.PRAISE,
                          message=f"Praise ({', '.join(found)}): it tells the stakeholder which answers please; "
                                  "leave it out.")]


def _misquotes(text: str, session_text: str) -> list[QuestionIssue]:
    said = f" {_normalise(session_text)} "
    issues = []
    for match in QUOTING.finditer(text):
        rest = text[match.end():]
        quoted = QUOTED.match(rest)
        words = next(g for g in quoted.groups() if g is not None) if quoted else CLAUSE_END.split(FILLER_BEFORE_WORDS.sub("", rest), maxsplit=1)[0]
        normal = _normalise(words)
        if not normal:
            issues.append(QuestionIssue(
                kind=QuestionIssueKind.MISQUOTE,
                message=f"{match.group(0)!r} with no words after it: quote what the stakeholder said, verbatim."))
        elif f" {normal} " not in said:
            issues.append(QuestionIssue(
                kind=QuestionIssueKind.MISQUOTE,
                message=f"{match.group(0)!r} {words.strip()!r}: the stakeholder did not say these words; quote them "
                        "verbatim or do not attribute them."))
    return issues


def _plain_apostrophes(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


def _normalise(text: str) -> str:
    """Case, white space and punctuation do not count when checking a quote ("don't" == "dont")."""
    text = _plain_apostrophes(text).casefold().replace("'", "")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())

