"""Did the answer leave the question? ("Last week my kid's team won the cup.")

An answer is off-topic when almost none of its words belong to the question, to the map so far, or
to the vocabulary every value-stream interview uses (customers, trials, prices, churn...). Such an
answer gets a short, neutral redirect back to the open question; a vague one gets a ladder instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from agent.interview.planning.near_duplicates import content_words

BUSINESS_WORDS = frozenset(content_words(
    """customer client user buyer prospect lead account admin manager team company organisation business
    trial signup sign onboard onboarding setup install connect integration import upload data form
    pay payment price pricing plan subscription seat licence license upgrade downgrade discount offer deal
    contract invoice billing purchase buy renew renewal cancel cancellation refund churn retention
    convert conversion activation activate drop stall stop wait delay abandon complain complaint
    sales rep marketing support ticket success product feature service platform app tool website page
    demo call meeting email campaign message promise pitch tell told value benefit save saving cost
    revenue margin budget market competitor segment audience enterprise smb percent
    reason because expect expectation problem issue risk trust access approve approval review legal
    qualify qualified funnel pipeline stage step threshold exchange give get"""))
WHEN_WORDS = frozenset(content_words("last first next week weekend month year day today yesterday time"))
ON_TOPIC_SHARE = 0.2  # below this share of known words (with none from the question), the answer wandered
MIN_WORDS = 5  # shorter answers are vague or declined, not off-topic


def is_off_topic(answer: str, question: str, map_names: Iterable[str]) -> bool:
    words = [w for w in content_words(answer) if not w[0].isdigit()]
    if len(words) < MIN_WORDS or any(c in answer for c in "%$€£"):
        return False
    from_question = set(content_words(question))
    known = BUSINESS_WORDS | from_question | {w for name in map_names for w in content_words(name)
                                              if w not in WHEN_WORDS}
    on_topic = sum(1 for w in words if w in known)
    return not (set(words) & from_question - BUSINESS_WORDS) and on_topic / len(words) < ON_TOPIC_SHARE
