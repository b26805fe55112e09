"""Cue: value proposition duplication (step 6): partially inconsistent value narratives in one system.

Duplication is rarely named, so the offline rules only report it when a sentence *explicitly* signals
a second version of the value, in one of the framework's four shapes:

- audience divergence: "for lawyers the pitch is different", "sales tells them ...", "two different messages";
- stage reframing: "on the landing page we say ..., in the directory we say ...", "at first we promise ...";
- conditional value: "only if you ...", "the more you upload, the smarter it gets", "from EUR 3.99";
- layering: "on top of that", "we added fraud detection", "not just ... but also".
"""

from __future__ import annotations

from agent.extraction.offline.cues import CUSTOMER_ROLES, phrases
from agent.extraction.offline.cues.caseless import CaselessPattern
from schemas.elements import DuplicationKind

_ROLE_WORD = r"(?:customer|client|buyer|owner|member|user|parent|patient|tenant|subscriber|learner|student|family)s?"
_AUDIENCES = "|".join(r for r in CUSTOMER_ROLES if r.endswith("s?") or r.endswith("s"))
_SIGNALS: tuple[tuple[DuplicationKind, CaselessPattern], ...] = (
    (DuplicationKind.AUDIENCE_DIVERGENCE, phrases((
        r"(?:for|to|with) (?:the )?(?:[\w-]+ ){0,2}(?:them|\w+s|enterprise|smbs?)(?:,)? (?:the|our) (?:pitch|message|story|promise|offer|value|framing) is (?:different|another)",
        r"(?:the|our) (?:pitch|message|story|promise|offer) (?:is )?(?:different|changes) (?:for|to|with|depending)",
        r"(?:different|separate|two) (?:messages|pitches|stories|promises|versions|narratives|value propositions)",
        r"two different (?:message|pitch|story|promise|version|product|thing)s?",
        r"(?:sales|marketing|partnerships|growth|support|the sales team|account managers?|the ads?|the reps?) "
        r"(?:tells?|told|promises?|promised|says?|said) (?:them|customers|prospects|clients|the \w+|it's|that)",
        r"for enterprise (?:customers )?(?:we|they) (?:say|pitch|tell|sell|promise|position)",
        # A telling addressed to one named audience: "For agencies we say ...", "to lawyers we promise ...".
        r"(?:for|to) (?:the )?(?:[\w-]+ )?(?:" + _AUDIENCES + r"),? (?:we|they|sales|marketing) (?:say|pitch|tell|sell|promise|"
        r"position|lead with)",
        r"depending on (?:the )?(?:audience|segment|customer|who|the buyer|the persona)",
        # Two audiences, each told its own thing: "the accountants hear 'free for partners' and the clients hear
        # 'accountant included'", "the parents hear one thing and the kids hear another" (not one audience twice, nor
        # "customers hear back within a day", "students are told to bring a laptop").
        r"(?<![\w-])(?P<told>[\w-]+s) (?:hear|heard|are told|get told|were told) (?:\"[^\"]{2,80}\"|one thing|one story|"
        r"one price|one version)[^.;!?]{0,40}?(?:and|but|while|whereas) (?:the |our )?(?!(?P=told)\b)[\w-]+s "
        r"(?:hear|heard|are told|get told|were told) (?:\"[^\"]{2,80}\"|another|something else|a different [\w-]+|"
        r"the opposite)",
        r"(?:we tell|we say to|we pitch) (?:\w+ ){1,4}(?:but|while|whereas) (?:we tell|to|for)",
        # Two tellings in one breath: "I'm promising parents one tutor, and supply is recruiting on 'drop out any time'".
        r"(?:promis|tell|sell|pitch)\w* (?:[\w'-]+,? ){1,10}(?:and|but|while|whereas) (?:[\w'-]+ ){0,3}"
        r"(?:promis|tell|sell|pitch|recruit|advertis)\w* (?:on|that|them|it as)",
        # A promise one audience never agreed to: "a promise the lawyers never made", "a headline sales never signed off".
        r"(?:promise|headline|claim|pitch|slogan|line) (?:that )?(?:the )?(?:[\w-]+ ){0,2}never (?:made|agreed to|signed off|"
        r"signed up to|approved)",
    ))),
    (DuplicationKind.STAGE_REFRAMING, phrases((
        r"(?:on|in) the (?:landing page|ad|ads|homepage|website|signup page|onboarding|directory|app|product|contract|"
        r"pricing page|checkout|email) (?:we|it) (?:say|says|promise|promises|call|frame)",
        r"at first (?:we|it|they) (?:say|promise|call|frame|sell)", r"(?:later|afterwards) (?:we|it|they) (?:say|talk about|become|call)",
        r"expectation(?:s)? (?:gap|mismatch)", r"(?:not|isn't|wasn't) what (?:the ad|the ads|we|marketing) (?:promised|said)",
        r"(?:switch|change|changes|changed) the (?:story|message|pitch|framing)", r"reframe\w*", r"reposition\w*",
        r"(?:the|our) (?:ad|ads|landing page|headline|homepage) (?:says?|promises?) (?:\w+ ){1,10}(?:but|while) (?:the|our|in)",
        # What the page says against what the seller told: "Your brochure says 'no more paper', but your sales guy
        # told me the run sheet still prints."
        r"(?:the|our|your|their) (?:[\w-]+ ){0,2}(?:ad|ads|landing page|headline|homepage|brochure|website|site|page|"
        r"deck|email|leaflet|flyer|listing|contract) (?:says?|said|promises?|promised) [^.;!?]{1,80}?(?:but|while|whereas) "
        r"(?:(?:the|our|your|their) )?(?:[\w-]+ )?(?:sales(?: guy| team| rep| person| people)?|reps?|salesman|"
        r"saleswoman|salesperson|account manager) (?:told|tells|said|says|promised|promises)",
        # What one medium says against another, or what is heard against what was meant.
        r"(?:but|whereas|while) (?:the|our) (?:[\w-]+ ){0,2}(?:page|ad|ads|email|site|website|confirmation|contract|invoice|"
        r"app|listing|brochure|deck) (?:said|says|promised|promises|called|calls)",
        r"(?:reads?|hears?|heard|takes?|took|understands?|understood) (?:it|that|this) as",
        r"(?:was|were) (?:told|sold|promised) (?:that )?(?:[\w',-]+ ){1,8}(?:and then|but then|but|then)\b",
        # What one voice says against what arrives later: "the rep tells me seven, and then I get a text saying twelve".
        r"(?:tells?|told|says?|said|promises?|promised) (?:me|us|them|you) (?:[\w',-]+ ){0,4}(?:and then|but then|then) "
        r"(?:[\w',-]+ ){0,8}(?:text|email|letter|invoice|contract|confirmation|message)s? (?:saying|says|said)",
        r"(?:isn't|wasn't|is not|was not) what (?:they|we|I|customers|people) (?:were|was) (?:told|promised|sold)",
        # What a medium said, against what came after, in its own words: "the ad said skip any week, not skip by
        # Monday" (not "the email said Tuesday, not Thursday", nor "the ad said cancel anytime, not me").
        r"(?:the|our|your|their) (?:[\w-]+ )?(?:ad|ads|advert|adverts|page|website|site|email|brochure|flyer|leaflet|poster|"
        r"deck|listing|headline) (?:said|says|promised|promises) (?:[\w'-]+ ){0,4}?(?P<said>[a-z][\w'-]{2,})\b"
        r"[^.;!?\"]{0,40}?,\s*not (?:[\w'-]+ ){0,3}?(?P=said)\b",
        r"(?:isn't|wasn't|is not|was not|not) what (?:they|we|I|he|she|(?:the |our )?[\w-]+) (?:signed up for|paid for|bought)",
        r"(?:you|they) promised (?:me |us |them )?(?:the|a|an|my|our)\b",
        # The rest of the terms, kept out of the first telling: "they're just not in the ad".
        r"(?:not|isn't|aren't) in the (?:ad|ads|advert|adverts|page|website|brochure|email|pitch|headline)s?\b",
        r"in the ads? (?:it's|it is|they say|we say|you get)",
        r"not (?:quite |exactly )?what the (?:contract|ad|ads|page|website|site|brochure|email|letter|terms|small print|van|"
        r"app|label|box|poster|menu|proposal|quote|leaflet|flyer|banner) says?",
        # The customer holding up the first version: "because the website said so", "because I was told it was included".
        r"because (?:the|your|our) (?:[\w-]+ )?(?:website|site|ad|advert|page|brochure|email|letter|app|leaflet|flyer) said so",
        r"because (?:I|we|they) (?:was|were) (?:told|promised|sold)\b",
        r"(?:told|promised|sold|hears?|heard) one thing\b", r"(?:sell|sells|promise|promises|say|says) one thing and "
        r"(?:deliver|delivers|do|does|give|gives) another",
        # The first version, then the second: "I've told them to forget about it, and then the first email gives them homework".
        r"(?:I've|I have|we've|we have) (?:told|said|promised) (?:them |him |her )?(?:[\w',-]+ ){1,8}(?:and then|but then)\b",
        r"(?:went|came) in (?:thinking|expecting)", r"that's what (?:I|we|they)(?:'d| had)? (?:read|heard|been told|seen)",
        r"(?:didn't|did not) know about when (?:I|we|they) signed", r"(?:I'd|I had|we'd|we had) already heard", r"(?:didn't|never) hear(?:d)? \"?[\w -]{1,30}?\"? until",
        r"(?:I|we|they)(?:'d| had) been (?:told|promised|sold)", r"(?:didn't|did not) realis\w*|(?:didn't|did not) realiz\w*",
        r"(?:nobody|no one) (?:hears|reads|sees) ", r"(?:they|people|customers|owners|parents) (?:hear|read) \"[\w-]+",
        r"the first thing (?:they|customers|people|members) (?:hear|see|get) is",
        # A customer handing the first version back: "they ring up and say you told us twenty hours".
        r"(?:say|says|said|ask|asks|asked|write|writes|wrote),? (?:\"|')?you (?:told|promised|said to) (?:us|me)\b",
        # The first telling, still out there after the second: "the ad still says forty-eight hours".
        r"(?:ad|ads|advert|page|website|site|brochure|banner|headline|email|listing|leaflet|flyer) still (?:says|promises|shows)",
        r"(?:isn't|wasn't|is not|was not|not) what (?:was|(?:we|they|you) were|I was|we|they|you) (?:shown|showed|demoed|demonstrated|told|promised|sold)",
        r"\b" + _ROLE_WORD + r" (?:reads|hears|sees) \"[\w-]+",
        # Two versions set against each other: "is it pass first time or is it normal to fail?", "side by side".
        r"\bis it (?:[\w'\"-]+ ){1,6}or is it\b", r"(?:put|puts|putting|see|saw|read|lay|laid) (?:them|the two|both) side by side",
        r"says? one thing,? and (?:[\w'-]+ ){0,3}says? another", r"\byou (?:told|promised) (?:me|us)(?! to\b)",
        r"both (?:true|right|correct),? (?:just|but|only)", r"not (?:quite |exactly )?how it (?:comes across|sounds|reads|"
        r"is sold|is told|is pitched)",
    ))),
    (DuplicationKind.CONDITIONAL_VALUE, phrases((
        r"only (?:if|when|once) you", r"as long as you", r"the more you (?:[\w']+,? ){0,4}the (?:more|better|smarter|cheaper)",
        r"depending on (?:how|what|whether|if|which) you", r"(?:from|starting at|starting from) (?:€|\$|£|EUR|USD|GBP)\s?\d",
        r"up to \d+ ?(?:%|percent)", r"if you (?:\w+ ){0,4}(?:you'll|you get|it gets|we give)", r"only (?:true|applies) (?:for|if|when)",
        r"(?:small|fine) print", r"only (?:if|when|once) (?:your|their|the|every|all) (?:[\w-]+ ){0,2}(?:\w+s|child|team|staff)",
        r"(?:provided|as long as) (?:that )?(?:your|their|every|all)",
        r"only (?:came|comes|applies|applied|counts|counted) (?:with|if|when|for)", r"\"up to\"",
        # True, but only for some: "The nine ninety-nine is real, but it's a young cat", "correct for the best case".
        r"(?:is|it's|that's) (?:real|true|correct|accurate),? but\b", r"(?:true|correct|right) for the best case",
    ))),
    (DuplicationKind.LAYERING, phrases((
        r"on top of (?:that|this|it)",
        r"(?:it|the product|the offer|the plan|the package|the subscription|the platform|the app) (?:now )?also "
        r"(?:includes|comes with|gives you|offers|does|has)",
        r"(?:we|they)(?:'ve| have)? (?:also )?added (?:\w+ ){0,3}(?:benefits?|features?|promises?|claims?|lines?|bullets?|"
        r"guarantees?|bonus\w*|perks?|slides?)",
        r"added (?:\w+ )?to the (?:pitch|page|headline|offer|message|story)",
        r"(?:we|they)(?:'ve| have)? (?:also )?added (?:[\w-]+ ){1,3}(?:last|this|the|a) (?:year|quarter|month|release|spring|"
        r"summer|autumn|fall|winter)", r"since (?:january|february|march|april|may|june|july|august|september|october|"
        r"november|december|the spring|the summer|last year)(?:,)? (?:we|they)(?:'ve| have)? (?:also )?added", r"not (?:just|only) (?:\w+ ){0,4}but(?: also)?",
        r"(?:stack|stacks|stacked|stacking) (?:\w+ ){0,2}(?:benefits|promises|claims|offers|perks)",
        r"(?:another|one more|extra) (?:benefit|promise|claim)s?",
        r"(?:it|the pitch|the story|the offer) (?:became|becomes|turned into) (?:a|an|the) (?:\w+ )?(?:platform|suite)",
        r"(?:every|each) (?:quarter|release|year) (?:we|they) add",
        r"(?:turned|turns|has turned|became|has become) (?:into )?the main (?:thing|selling point|pitch|promise|reason)",
        r"(?:should have|should've) (?:put|added|included|mentioned)", r"(?:grew|grown|gone|went) from (?:[\w-]+ ){1,2}pages",
    ))),
)  # fmt: skip


# A condition said in the sentence that tells the value: "true, but only if you buy the instrument from us".
STATES_A_CONDITION = phrases(("only if", "only when", "unless", "as long as", "but only", "provided (?:that|you|they)"))


def duplication_signal(plain: str) -> DuplicationKind | None:
    """The kind of duplication a sentence explicitly signals, or None."""
    for kind, cue in _SIGNALS:
        if cue.search(plain):
            return kind
    return None
