"""Cue: where the stream starts, the channel by which customers arrive ("mostly Google", "they land on the
quote page", "seventy percent come from paid social").

Discovery sessions almost always open with "where does it start?", and the answer is a stage of the
stream: the customer meets the first version of the value there (an ad, a search result, a landing page).
The channel is named from a short list of the ways businesses are found, so the stage gets a name a client
recognises ("Paid social ads", "Search", "Referrals"), never a cut sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.extraction.offline.cues import phrases
from agent.extraction.offline.cues.caseless import CaselessPattern, caseless

# (stage name, the words that name the channel), most specific first.
_CHANNELS: tuple[tuple[str, CaselessPattern], ...] = (
    ("Paid social ads", phrases((r"paid social", r"instagram", r"tiktok", r"facebook(?: ads?)?", r"social (?:media )?ads?",
                                 r"meta ads?", r"pinterest", r"snapchat"))),
    ("App store listing", phrases((r"(?:the )?app ?stores?", r"play store", r"google play"))),
    ("Web search", phrases((r"google", r"search(?:ing|ed)?(?! for a)", r"googled", r"seo", r"search engines?", r"bing", r"search ads?",
                        r"adwords"))),
    ("Customer referrals", phrases((r"referrals?", r"word of mouth", r"(?:a )?friend (?:told|recommended)", r"recommendations?"))),
    ("Partner channel", phrases((r"partners?(?: channel)?", r"resellers?", r"affiliates?", r"marketplaces?"))),
    ("Outbound sales", phrases((r"cold (?:emails?|calls?|outreach)", r"outbound", r"sdrs? (?:reach|call|email)\w*"))),
    ("Events and webinars", phrases((r"events?", r"trade ?shows?", r"conferences?", r"webinars?", r"fairs?"))),
    ("Content and podcasts", phrases((r"podcasts?", r"newsletters?", r"blog(?: posts?)?", r"youtube", r"linkedin"))),
)  # fmt: skip

# A sentence that says customers arrive somewhere, not merely that a channel exists.
_ARRIVAL = phrases((
    r"(?:mostly|mainly|largely|usually|often|almost all|nearly all|most of (?:it|them))(?:,)? (?:from |through |via |on )?"
    r"(?:the )?(?:[\w-]+ )?(?:google|search|seo|instagram|tiktok|facebook|linkedin|youtube|paid social|ads|adverts|"
    r"referrals?|word of mouth|(?:the )?app ?store|partners?|events?|trade ?shows?|podcasts?|cold|outbound)",
    r"(?:they|customers?|people|users?|most(?: of them)?|leads?|shoppers|visitors|owners|parents|teams|companies|clients) "
    r"(?:usually |mostly |typically |often |first )?(?:find|found|discover|discovered|hear about|heard about|come across|"
    r"came across|come to|came to) (?:us|the app|the product|the site|the platform|it|[A-Z]\w+)(?: \w+){0,2} "
    r"(?:through|via|on|from|at|by|in)",
    r"(?:they|you|customers?|people|users?|visitors|shoppers|most of them|leads) (?:usually |mostly |typically |first |"
    r"can |could |might )?(?:land|lands|landed|arrive|arrives|arrived) on",
    # The customer telling it: "I searched for a business lawyer", "I saw an ad on Instagram".
    r"I (?:searched|googled|looked online|looked on google)", r"I (?:found|saw|heard about) (?:you|them|it|[A-Z]\w+) "
    r"(?:on|through|via|in|at)", r"I saw an? (?:ad|advert|post|video|clip)",
    r"(?:comes?|came|coming) (?:in )?(?:mostly |mainly )?(?:from|through|via) (?:google|search|seo|instagram|tiktok|"
    r"facebook|linkedin|ads|paid social|referrals?|word of mouth|partners?|events?|the app ?store|podcasts?)",
    r"(?:percent|%) of (?:our )?(?:new )?(?:customers|signups|sign-ups|users|leads|traffic|trials|subscribers|"
    r"installs|downloads|bookings) (?:comes?|came|are|is) (?:from|through|via)",
    r"(?:starts?|started|begins?|began) (?:with|on|at|from) (?:a |an |the )?(?:google|search|ads?|instagram|tiktok|"
    r"facebook|linkedin|referrals?|(?:a )?friend|the app ?store|partners?|events?|(?:an? )?(?:\w+ )?(?:ad|post|video|"
    r"clip|search))",
))  # fmt: skip
_LANDING = caseless(
    r"\b(?:land|lands|landed|arrive|arrives|arrived) on (?:the |our |a |an )?(?P<page>(?:[\w-]+ ){0,3}?"
    r"(?:page|site|website|listing|profile|directory|quiz|homepage|form|store|app))\b",
)


@dataclass(frozen=True)
class Arrival:
    """How a sentence says customers arrive: the channel's stage name, and the page they land on if said."""

    channel: str | None
    landing: str | None


def arrival_in(plain: str) -> Arrival | None:
    """The channel and landing page a sentence says customers arrive by, or None if it says no arrival."""
    if _ARRIVAL.search(plain) is None:
        return None
    channel = next((name for name, cue in _CHANNELS if cue.search(plain)), None)
    landing = _LANDING.search(plain)
    page = " ".join(landing.group("page").split()) if landing else None
    if channel is None and page is None:
        return None
    return Arrival(channel, page)
