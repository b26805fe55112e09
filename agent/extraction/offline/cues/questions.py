"""Cue: what an interviewer's question is about, so its answer can be read in that light.

The interview follows the framework's agenda (where must the customer act, why, what do they get, how
many cross, what is said to them, what goes wrong, what do they pay). An answer inherits the topic of
the question before it: "Access, basically." means little alone, but after "what does the owner get
for doing the marking?" it is what the organisation gives. The question itself is never evidence.
"""

from __future__ import annotations

from enum import StrEnum

from agent.extraction.offline.cues import phrases


class QuestionTopic(StrEnum):
    ACTION = "action"  # what must the customer do
    RESISTANCE = "resistance"  # why must they, why can't you
    EXCHANGE = "exchange"  # what do they get for it
    CROSSING = "crossing"  # how many do it, where do they stop
    VALUE = "value"  # what is said, promised, pitched
    LOSS = "loss"  # what goes wrong afterwards
    PURCHASE = "purchase"  # what do they buy, at what price
    OTHER = "other"


_TOPIC_CUES = {
    QuestionTopic.ACTION: phrases((
        r"(?:ask|need|want|require|get|expect)(?:s)? (?:them|him|her|the \w+|customers?|users?|people|you|owners?) to",
        r"(?:have|has|need|needs) to do", r"first (?:thing|step|ask)", r"next (?:step|ask)", r"what's the ask",
        r"what (?:do|does|did) (?:they|the \w+|customers?|users?|people) (?:do|have to do) (?:first|next|then|there|"
        r"at (?:that|this) (?:point|stage))",
        r"what is the (?:first|next) (?:thing|step)", r"asks? of (?:them|him|her|people|the \w+|[\w-]+s)\b",
        r"what step", r"what do you ask", r"(?:is|are|was|were|what's|who's) (?:\w+ ){0,3}(?:asked|expected|required|supposed) to",
        r"what (?:are you|do you) ask(?:ing)? (?:of|for)", r"what does (?:it|that|the \w+) ask of", r"what(?:'s| is) (?:that|this|the next|the first) step",
    )),
    QuestionTopic.RESISTANCE: phrases((
        r"why", r"what stops you", r"what prevents", r"what's missing", r"what is missing", r"can't you",
        r"couldn't you", r"why not", r"what's the constraint", r"what is the constraint", r"bottleneck",
        r"yourselves", r"rather than", r"instead of",
    )),
    QuestionTopic.EXCHANGE: phrases((
        r"(?:what|anything) (?:do|does|did) (?:they|the \w+|customers?|users?|people|he|she) get",
        r"get (?:back|in return|out of it)", r"in (?:return|exchange)", r"what do you (?:offer|give)",
        r"what's in it for", r"what is in it for", r"for doing", r"what do they receive", r"offer (?:them|the \w+)",
        # What the customer gives, and what they are told or think they get.
        r"what (?:do|does|did) (?:they|the \w+|customers?|users?|people|he|she|you) (?:give|hand over|put in|invest)",
        r"(?:told|think|thinks|thought|believe|believed) (?:they|you|he|she)(?:'ll|'d| will| would)? get",
        r"(?:what|anything) (?:do|does|did) (?:the )?\w+ (?:clients?|customers?|members?|users?|owners?|subscribers?|buyers?|tenants?|patients?) get",
    )),
    QuestionTopic.CROSSING: phrases((
        r"how many", r"what (?:share|percentage|percent|proportion|fraction)", r"conversion", r"convert",
        r"drop(?:s|ped)? off", r"where do (?:you|they) lose", r"stall", r"get stuck", r"make it (?:through|past)",
        r"how often", r"how much of", r"what happens (?:when|if|after)", r"rate",
    )),
    QuestionTopic.VALUE: phrases((
        r"what do you (?:tell|say|promise|show|pitch)", r"what are they told", r"how (?:is it|do you) (?:present|pitch|position|sell|frame|describe|explain)\w*",
        r"presented", r"pitch", r"message", r"messaging", r"headline", r"tagline", r"what's the offer",
        r"what is the offer", r"how do you sell", r"value proposition", r"promise", r"what do you say",
        r"what does the (?:\w+ )?(?:page|site|ad|email|website) say", r"why would (?:they|anyone|customers|people)",
        r"what (?:is|are|was|were) (?:[\w-]+ ){1,3}(?:told|promised|shown|offered|pitched)",
        r"what (?:made|makes) (?:you|them|people|customers|him|her) (?:buy|sign|subscribe|choose|pick|stay|say yes|pay)",
    )),
    QuestionTopic.LOSS: phrases((
        r"what happens after", r"churn", r"complain\w*", r"cancel\w*", r"responsible", r"blame", r"go(?:es)? wrong",
        r"refund\w*", r"support", r"stay", r"renew\w*", r"unhappy", r"angry", r"using what they pay",
    )),
    QuestionTopic.PURCHASE: phrases((
        r"what do (?:they|customers?|users?|people) (?:buy|pay)", r"pric(?:e|es|ing)", r"how much", r"purchase",
        r"subscription", r"subscribe", r"plan", r"pay(?:ing)?", r"cost", r"contract", r"discount\w*", r"buy",
        r"worth",
    )),
}  # fmt: skip


def question_topics(question: str) -> frozenset[QuestionTopic]:
    """The topics a question raises (empty if none of the cues is present)."""
    return frozenset(topic for topic, cue in _TOPIC_CUES.items() if cue.search(question))
