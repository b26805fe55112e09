"""Cue: loss, the waste realised downstream of duplication (step 7).

The framework names two signals of loss: metrics (churn, drop-off, refunds, support load, discount
dependency, low activation, a lengthening sales cycle) and organisational behaviour (blame, local
fixes, escalating promotions). Each cue maps to one `LossKind`; a negated cue ("no discount", "we
don't see churn") is not a loss.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.extraction.offline.cues import negated, phrases
from agent.extraction.offline.cues.caseless import CaselessPattern, caseless
from schemas.elements import LossKind, LossSignal

# Not denied just before: "they never turn it down", "they don't turn the offer down".
_UNLESS_DENIED = r"(?<!n't )(?<!never )(?<!not )"
# Who refuses, counted or named as the customer: "about half say no", "three in ten say no", "the couples who say no".
_REFUSERS = (r"(?:half|most|many|some|a few|the rest|the others|a third|a quarter|(?:[\w-]+ )(?:in|out of) [\w-]+|"
             r"[\w-]+ percent|they|customers|clients|people|families|parents|couples|buyers|who)")

# (kind, cue, whether a negation right before it cancels it). Cues that contain their own negation
# ("don't renew", "never use") are not negatable.
_CUES: tuple[tuple[LossKind, CaselessPattern, bool], ...] = (
    (LossKind.LENGTHENING_SALES_CYCLE, phrases((
        r"sales cycles? (?:\w+ ){0,3}(?:longer|lengthen\w*|went from|grew|getting longer|stretch\w*|slow\w*)",
        r"(?:deals|sales) (?:take|takes|are taking) (?:\w+ ){0,2}longer", r"longer sales cycles?", r"sales cycle",
        r"stuck in procurement", r"deals? (?:stall|slip)\w*",
        # The same step slower than it was: "it's taking five or six weeks when it used to be three".
        r"(?:taking|takes) (?:[\w-]+ ){0,4}(?:days|weeks|months) when it used to",
        r"which adds (?:a couple of|a few|another|an extra|[\w-]+) (?:days|weeks|months)",
        r"used to (?:go out|take|be done|close) in (?:[\w-]+ ){1,2}(?:days|weeks)\W+(?:and )?now",
        r"(?:takes?|took|taking) (?:\w+ ){0,2}(?:months|quarters) to (?:close|sign|get a yes)", r"procurement (?:takes|took)",
    )), True),
    (LossKind.INTERNAL_MISALIGNMENT, phrases((
        r"blam(?:e|es|ed|ing)", r"finger[- ]pointing", r"(?:it's|is) (?:\w+'s|their|our) fault",
        r"misalign\w*", r"nobody owns", r"(?:don't|doesn't) agree (?:on|about)", r"(?:each|every) team (?:says|thinks)",
        r"(?:\w+) (?:team )?(?:says?|said) it's (?:\w+ )?(?:marketing|sales|product|ops)",
        r"(?:had|have|having) (?:this|the same) (?:argument|fight|debate)", r"argu(?:e|es|ed|ing) (?:about|over) (?:whose|who)",
        r"(?:same|this|exact) (?:argument|fight|conversation|discussion) (?:at |in )?every",
        r"(?:the same|that|this) (?:argument|fight|row)\b", r"(?:stop|keeps?|kept) (?:over-?selling|over-?promising)",
        r"asks? me why (?:my|our|the)",
        r"(?:sharp|heated|tense|difficult|awkward|tetchy) (?:conversations?|discussions?|words|exchanges|meetings?|phone calls?)",
        r"(?:says?|thinks?) (?:I|we|they|the [\w-]+|[\w-]+) (?:oversells?|over-?promises?|overpromises?)\b",
        r"(?:it's|it is|that's|that is) not (?:my|our|his|her|their|[\w-]+'s) fault",
        r"[\w-]+ says (?:the )?[\w-]+ should (?:have )?(?:catch|caught|check|checked|fix|fixed|tell|told|stop|know|spot)\w*",
        r"[\w-]+ says (?:the )?[\w-]+ (?:oversells?|over-?promises?|overpromises?)\b",
        r"promised what (?:the )?[\w-]+ (?:can't|cannot|couldn't)", r"round and round",
        r"[\w-]+ says (?:the )?[\w-]+ (?:is|are) too (?:strict|slow|expensive|picky|careful|cautious|pushy)\b",
        # One function naming another's failing: "marketing says teaching can't keep its teachers".
        r"(?:marketing|sales|ops|operations|support|product|engineering|finance|teaching|delivery|the depot|the office|"
        r"the clinic|the lab|partnerships|growth|customer success|legal) (?:says?|said|thinks?|claims?) (?:that )?"
        r"(?:[\w-]+ ){1,2}(?:can't|cannot|doesn't|don't|won't|never|sells?|oversells?|over-?promises?|promises?)\b",
        r"(?:he|she|they|sales|ops|support|marketing|finance) (?:says?|said) it's (?:the )?(?:depot|warehouse|factory|"
        r"[\w-]+ team|marketing|sales|product|ops|operations|transport|finance|support|office|lender|installers?)",
    )), True),
    (LossKind.REFUNDS, phrases((
        r"refund\w*", r"chargebacks?", r"money back", r"charge[- ]?backs?", r"credit notes?", r"credit (?:the|back) (?:[\w-]+ ){0,2}charges?",
        r"(?:invoices?|bills?|charges?) (?:get |are |were |got )?(?:queried|disputed|contested|challenged)",
        r"disput(?:e|es|ed|ing) (?:the|their|a) (?:[\w-]+ )?(?:bills?|invoices?|charges?|fees?)",
        r"(?:fee|billing|invoice|price) disputes?",
        r"(?:argument|row|fight)s? (?:with (?:the |a )?(?:client|customer) )?(?:about|over) (?:the|our|their|a) (?:[\w-]+ )?"
        r"(?:guarantee|fee|bill|invoice|refund|charge|price|deposit)s?",
    )), True),
    (LossKind.DISCOUNT_DEPENDENCY, phrases((
        r"discount\w*", r"coupons?", r"promo(?:tion)?s?", r"escalating promotions?", r"(?:\d+|\w+) ?(?:%|percent) off",
        r"(?:euros?|dollars?|pounds?) off", r"free (?:extension|month|months|weeks?)", r"extend(?:ed|ing)? the trial",
        r"(?:an |the |a )?(?:trial |pilot )?extensions?",
        r"(?:need|needs|needed) the (?:discount|deal|offer)", r"only (?:buy|convert|sign) (?:with|when)",
        r"(?:january|february|march|april|may|june|july|august|september|october|november|december|new year|"
        r"black friday|cyber monday|christmas|seasonal|summer|spring|autumn|winter|end-of-month|end of month|month-end|"
        r"quarter-end|year-end|launch|intro|introductory) (?:offer|sale|deal|price|pricing)",
        r"(?:deals?|customers?|sales|they|accounts?) (?:close|closed|sign|signed|buy|bought|convert|converted) "
        r"(?:\w+ ){0,2}with (?:the |a |that )?(?:[\w-]+ ){0,2}(?:percent|%|discount|deal|offer|promo\w*)",
        # An offer named for what it is for: "about half are on the save offer".
        r"(?:save|retention|win-?back|loyalty|welcome|first-hire|first hire|half-price|half price|winter|summer) "
        r"(?:offer|discount|deal|price)",
        r"(?:use|uses|used|using) the (?:[\w-]+ )?(?:code|coupon|voucher)", r"extend(?:s|ed|ing)? the (?:trial|pilot)s?",
        r"asks? for (?:the )?(?:[\w-]+ ){0,2}(?:percent|%)",
        r"started as (?:a|an) (?:[\w-]+ ){0,3}(?:push|promotion|promo|offer|one-off|campaign)",
        r"(?:the )?lower ones stopped working",
        r"(?:another|an extra) (?:[\w-]+ )?(?:weeks?|months?) free",
    )), True),
    (LossKind.CHURN, phrases((
        r"churn\w*", r"cancel(?:s|led|ed|ling|ing|lation|lations)?(?! (?:flow|button|page|screen|link|option|anytime|any time))",
        r"(?:don't|doesn't|didn't|won't|never) renew\w*",
        r"(?:stop|stops|stopped) paying", r"unsubscrib\w*", r"(?:leave|leaves|left) (?:us|the platform|after)",
        r"downgrad\w*", r"lapse[sd]?", r"switch(?:ed|es)? (?:back )?to (?:a |another |the )?competitor",
        r"(?:go|goes|went|going) back to (?:spreadsheets?|excel|paper|their old|the old)",
        r"(?:don't|doesn't|didn't) (?:stay|stick around)", r"(?:quit|quits)",
        r"exit (?:survey|interviews?|reasons?)\W+(?:\w+\W+){0,3}(?:top|main|first|biggest|number one) reason",
        r"(?:top|main|biggest|number one) reasons? (?:\w+ ){0,2}(?:for )?(?:leaving|cancell?ing|they leave|people leave)",
        r"retention (?:\w+ ){0,4}(?:is|was|sits|drops?|dropped|fell|falls) (?:\w+ ){0,2}(?:\d+|\w+ percent|low|bad|poor|only)",
        r"renewal(?: rate)?s? (?:\w+ ){0,2}(?:fell|dropped|drops|falls|is down|went down|are down)",
        r"never (?:order|orders|buy|buys|book|books) (?:again|back)", r"(?:don't|doesn't|didn't) (?:re-?order|buy again|book again)",
        r"(?:stop|stops|stopped) (?:ordering|buying|booking|coming|showing up|turning up)",
        r"went (?:elsewhere|somewhere else|to (?:a |another )?competitor)", r"(?:go|goes|went|going) back to whoever",
        r"(?:we )?(?:lose|lost|losing) (?:[\w-]+ ){1,2}of (?:the|our) (?:[\w-]+ ){0,2}(?:contracts|clients|customers|accounts|"
        r"members|subscribers|retainers)",
        # A share of customers gone by a point in the relationship: "a third are gone before month three".
        r"(?:are|were|is|was) gone (?:before|by|within|after)",
        r"(?:packages?|subscriptions?|plans?|members?|families|clients|customers|accounts) stop (?:in|within|after|before)",
        r"the ones who (?:just |simply )?stop\b",
        r"(?:percent|%|half|thirds?|quarters?|fifths?|tenths?|most|many|(?:one|two|three|four|five|six|seven|eight|nine|"
        r"\d+) (?:in|out of) (?:three|four|five|six|seven|eight|nine|ten|twenty|a hundred|\d+)) (?:of them )?"
        r"(?:leave|leaves|left) (?:in|at|when|before|within|after)",
    )), False),
    (LossKind.SUPPORT_LOAD, phrases((
        # A local fix someone absorbs by hand: "I end up writing the reminder emails for them".
        r"(?:spend|spends|spent|spending) (?:most (?:of )?|half (?:of )?|all )?(?:my |their |our |his |her )?(?:fridays|mondays|"
        r"mornings|evenings|weekends|lunch breaks|afternoons|days) (?:on|chasing|ringing|answering|sorting|explaining)",
        # Time drained by the same work, said as a share of a week: "a full day a week just on make-ups".
        r"(?:a|one|two|half a|a full) (?:and a half )?(?:day|days|morning|mornings|afternoon) a (?:week|month),? "
        r"(?:is me |just )?(?:on|ringing|chasing|answering|sorting|explaining)",
        r"(?:spend|spends|spent|spending) (?:the best part of |most of |half )?(?:a|one|two|half a) (?:day|morning|afternoon) "
        r"(?:a|per|every) (?:week|month|event|job|order|client) (?:on|sorting|chasing|answering|explaining)",
        r"on the phone (?:to|with) (?:\w+ )?(?:families|customers|clients|parents|members|owners|tenants|patients)",
        r"(?:I|we|they|she|he) (?:always |usually |often )?end(?:s)? up (?:writing|doing|calling|chasing|sending|answering|"
        r"fixing|re-?doing|explaining|handling)",
        r"support (?:tickets?|load|volume|calls|requests|queue)", r"tickets?", r"complain\w*", r"angry", r"(?:upset|frustrated)",
        r"(?:email|emails|emailed|call|calls|called|write|writes|wrote|message|messages|ring|rings) (?:us|support|in) "
        r"(?:[\w-]+ ){0,4}(?:asking|to ask|to complain|about|because)",
        r"escalat(?:e|es|ed|ion|ions)", r"(?:one|1|two|2)[- ]star", r"(?:bad|negative|angry) reviews?",
        r"(?:rating|ratings|reviews?) (?:dropped|fell|went down|tanked)",
        r"(?:sites?|customers?|people|clients?|members?|owners?|parents?) (?:\w+ )?asking (?:where|when|why|whether|if)",
        r"(?:calls?|emails?|tickets?) (?:\w+ ){0,4}(?:are|is|was) \"?(?:when|where|why)",
        r"(?:half|most|a third|a quarter) (?:of )?my (?:week|day|time|mornings?) (?:is|goes on|goes|on)\b",
        r"(?:quarter|third|half|fifth|tenth|most) of (?:my|our|the|all (?:my|our|the)) (?:[\w-]+ )?(?:calls|emails|tickets|"
        r"enquiries|messages)",
        # A local fix: staff doing by hand what the promise or the system should ("they just apply it by hand").
        r"(?:apply|applies|applied|applying|fix|fixes|fixed|fixing|correct|corrects|corrected) "
        r"(?:it|them|that|those) by hand",
    )), True),
    (LossKind.LOW_ACTIVATION, phrases((
        r"never (?:use|used|uses|open|opened|log in|logged in|activate|activated|touch|touched)",
        r"(?:don't|doesn't|didn't) (?:use|open|activate|touch|log in)", r"(?:haven't|hasn't) (?:logged in|used|opened)", r"(?:stop|stops|stopped) (?:logging in|using)",
        r"inactive", r"unused", r"dormant", r"uninstall\w*", r"(?:stop|stops|stopped) (?:opening|checking)", r"(?:low|poor) (?:usage|activation|adoption|engagement)", r"(?:used|uses) by fewer",
        r"never (?:send|sent|run|ran|launch|launched|start|started|try|tried|set up) (?:a |an |the |their |any )?(?:single |first )?\w+",
        r"(?:just |simply )?expire(?:s|d)? (?:unused|without|before)", r"in (?:the|a) drawer", r"(?:they|trials?|pilots?|accounts?) (?:just |simply )?expire",
        r"(?:fewer than|less than|only) (?:[\w-]+ ){1,6}(?:have )?(?:ever )?(?:use|used|uses|open|opened|opens|touch|touched|"
        r"activate|activated|tried)", r"shelfware",
    )), False),
    (LossKind.OTHER, phrases((
        # Paid-for people or things idle: "five lads standing round a skip", "panels doing nothing from May to August".
        r"(?:lads|men|people|crews?|staff|workers|guys|vans|trucks|lorries|machines|panels|rooms|kit) (?:[\w'-]+ ){0,8}"
        r"(?:standing|sitting|sat|stood) (?:round|around|idle)", r"(?:standing|sitting|sat|stood) idle",
        r"doing nothing (?:from|for|since)", r"(?:quid|pounds|euros?|dollars|money) gone", r"(?:for|of) nothing\.",
        r"debtor days", r"write-?offs?", r"wasted", r"wr(?:ote|ite|itten) off",
        # "paid for nothing", "six months of work for nothing", not "for CSV users nothing (really) changes"
        r"(?:for|of) nothing\b(?!\s+(?:\w+\s+)?(?:is|was|are|were|has|had|happens|happened|changes?|changed|works?|"
        r"worked|gets|got|comes|came|moves|moved|will|would)\b)",
        r"(?:for|of) (?:[\w-]+ ){1,2}(?:for )?nothing(?=\s*(?:[.,;!?]|$))", r"(?:account|it) (?:just )?sits there",
        r"waiv(?:e|ed|es|ing) (?:the |our |their )?(?:[\w-]+ ){0,2}fees?", r"charges? (?:me|us|them) an extra",
        r"(?:eat|eats|ate|absorb|absorbs|absorbed|swallow|swallowed) the cost", r"(?:paid|pay|pays|paying) late\b",
        r"late payments?",
        r"(?:feel|feels|felt|feeling) (?:like )?(?:we|they|you) (?:lied|misled|tricked|conned)",
        # Work redone or given away to keep a customer: "we reprint about half of those for free", "free retakes".
        r"free (?:re-?[a-z]+s|replacements?|redeliver(?:y|ies)|retakes?|retests?|redos?)\b",
        r"\b(?:re-?(?:do|print|deliver|send|ship|fit|install|paint|write|make|place|take|test|book|clean|cook|bake)"
        r"(?:s|es|ing|ed|d)?) (?:[\w-]+ ){0,6}for free",
    )), False),
    # What was paid for and thrown away, unless it is said not to be ("nothing goes to waste"): "forty-eight pounds
    # of veg in the bin", not "put the old labels in the bin".
    (LossKind.OTHER, phrases((
        r"of [\w'-]+ (?:[\w'-]+ )?(?:in|into) the bin\b", r"(?:ends?|ended|ending) up (?:in|into) the bin\b",
        r"straight (?:in|into) the bin\b", r"(?:go|goes|went|gone|going) to waste",
    )), True),
    (LossKind.DROP_OFF, phrases((
        r"drop(?:s|ped|ping)?[- ]offs?", r"drop(?:s|ped)? out", r"abandon\w*", r"bounce(?:s|d)?", r"never (?:finish|complete|come back)",
        r"(?:don't|doesn't|didn't) (?:finish|complete|come back)", r"fall(?:s)? off", r"fell off",
        r"(?:give|gives|gave|giving) up", r"no-shows?", r"(?:just )?(?:don't|didn't|never|won't) show\b",
        r"(?:stop|stops|stopped) answering", r"(?:they'll|they will|they'd|we'll) think about it",
        r"(?:the rest|the others|most|half|many) (?:just |simply )?(?:don't|didn't|never) (?:come|turn up|show)\b",
        r"(?:go|goes|went|going) (?:quiet|cold|silent|dark)", r"ghost(?:s|ed|ing)? us", r"close the tab",
        r"(?:get|gets|got|are|were) turned down", r"(?:get|gets|got|are|were) declined",
        # The customer refusing at the step: "the ones who turn it down", "about half say no and go elsewhere", "the
        # rest stop at the card screen"; not what was said ("the banner said no commitment"), said to them ("you
        # don't say no to a client"), by someone else ("my manager says no") or denied ("they never turn it down").
        rf"{_UNLESS_DENIED}(?:turn|turns|turned|turning) (?:it|us|that|the (?:[\w-]+ )?(?:offer|place|quote|slot|date)) down",
        rf"{_REFUSERS} (?:just |simply )?say no(?=\s*(?:[.,;!?]|$|(?:and|on|at|when|after|then)\b))",
        r"(?:the rest|the others) (?:just |simply )?stop (?:there|halfway|(?:at|on|after|before) (?:the |that |this )?"
        r"(?:[\w-]+ )?(?:screen|page|step|form|stage|question|point|price))\b",
        r"drift(?:s|ed)? (?:off|away)",
        r"(?:doesn't|don't|didn't|never|won't) (?:buy|convert|sign up|upgrade|subscribe|come back)", r"(?:don't|doesn't|didn't|never) (?:show up|turn up|get past|get through)",
        r"(?:we )?(?:lose|lost|losing) (?:them|most|half)",
        r"(?:haven't|hasn't|have not|has not) (?:signed|bought|paid|converted|booked)",
        r"(?:less than|fewer than|under|barely) (?:[\w-]+ ){1,3}(?:percent|%)(?: of(?: [\w-]+){0,3}?)? (?:convert|buy|sign|pay|renew|"
        r"come back|stay)",
        r"(?:conversion|sign-?ups?|bookings?|renewals?|orders?|purchases|sales|deals|signings?|enrol(?:l)?ments?|contracts|"
        r"registrations?|applications?|subscriptions?|check-?outs?|enquir(?:y|ies)|demos|trials|quotes)(?: rate)? (?:\w+ ){0,3}(?:fell|dropped|halved|went down|"
        r"collapsed|plunged)",
        r"(?:we )?(?:lose|lost|losing) (?:(?:a|the|some|many|most|half|about|around|maybe|one|two|a lot of|of|our|their|"
        r"every|\w+ percent of) ){0,3}(?:[\w-]+ )?(?:deals?|customers?|users?|people|signups?|trials?|subscribers?)",
    )), False),
)  # fmt: skip
_BEHAVIOUR = phrases((
    r"blam\w*", r"finger[- ]pointing", r"escalating", r"local fix\w*", r"workaround\w*", r"fault", r"end(?:s)? up",
    r"argument", r"argu(?:e|es|ed|ing)", r"(?:says?|said) (?:that )?(?:[\w-]+ ){1,2}(?:can't|cannot|sells?|oversells?)",
    r"we (?:added|sent|send|offer|gave) (?:\w+ ){0,3}(?:apology|discount|credit|voucher|promo\w*)",
))  # fmt: skip


# A discount is a loss only when conversion leans on it ("nine out of ten deals close with it"); a discount
# offered at the purchase ("they get 25% off the first year") is compensation, recorded on the final threshold.
_DEPENDENCE = phrases((
    r"need(?:s|ed)? (?:the|a|it|that)", r"without (?:it|the|a)", r"only (?:buy|buys|sign|signs|close|closes|convert)\w*",
    r"(?:nine|eight|seven|most|almost all|all|half|\d+) (?:out )?(?:of|in) (?:ten|\w+ )?(?:\w+ )?(?:deals|customers)",
    r"(?:half|most|many|a third|a quarter|nearly all|almost all) (?:of )?(?:the |our )?(?:deals|customers|sales|accounts)",
    r"(?:now )?(?:it's|its) every (?:month|week|quarter)", r"(?:basically|effectively) permanent",
    r"(?:deals?|customers?|sales|they|subscribers?|members?|clients?|sign-?ups?|accounts?) (?:close|closed|sign|signed|"
    r"buy|bought|convert\w*|stay|stayed) (?:\w+ ){0,2}with",
    r"(?:half|most|many|a third|a quarter|nearly all|almost all|\d+ percent|[\w-]+ percent) (?:of them )?(?:are|were) on (?:the|a)",
    r"escalat\w*", r"again and again", r"more and more", r"bigger and bigger", r"keep (?:giving|offering|adding)",
    r"rely", r"relies", r"depend\w*", r"hooked", r"wait (?:for|until) (?:the|a) (?:discount|sale|promo)",
    r"every (?:deal|customer|quarter|month)", r"when the (?:[\w-]+ ){0,2}(?:offer|sale|discount|promo\w*) (?:starts|is on|comes)",
    r"(?:nobody|no one) (?:joins|buys|signs|orders|books) (?:in|until|before)", r"(?:\w+ )?out of (?:ten|\w+) get it",
    r"(?:tried|try) (?:dropping|removing|stopping|without) (?:it|the)", r"(?:tried|try) switching (?:it|the (?:[\w-]+ ){1,2}?)\s?off", r"never ends", r"at (?:our|their) (?:own )?cost",
    r"(?:nearly|almost) (?:everyone|everybody|all)", r"(?:now )?(?:everybody|everyone) asks", r"started as",
    r"stopped working", r"(?:is )?now in every",
    r"(?:is|was) (?:honestly |really |basically )?(?:what|why) (?:gets?|got|closes?|closed|(?:he|she|they|people) (?:signed|sign|buy|bought))",
    r"over the line", r"(?:tried|try) turning (?:it|the (?:[\w-]+ ){1,2}?)\s?off",
    r"with the (?:[\w-]+ )?(?:discount|offer|code|deal)", r"(?:when|once) we paused it", r"(?:paused|stopped) (?:it|the offer)",
    r"wait (?:for|until) the (?:[\w-]+ )?(?:open day|offer|sale|event)",
))  # fmt: skip
# The customer's side of a loss that traces back to a promise: "I thought this was included".
EXPECTATION_GAP = phrases((
    r"thought (?:this|it|that|they|everything|he|she) (?:was|were|would|is|are)", r"expect(?:ed|ing|ation|ations)",
    r"(?:was|were) promised", r"not what (?:they|I|we) (?:thought|expected|signed up for|paid for)", r"surprised?",
    r"misled", r"under the impression",
))  # fmt: skip


# Support load is a loss when it is heavy: counted, growing, or angry; "the support tickets" alone is a channel.
_HEAVY = phrases((
    r"more", r"most", r"many", r"lots?", r"half", r"flood\w*", r"spikes?", r"increas\w*", r"pil(?:e|es|ing) up",
    r"every day", r"constantly", r"all the time", r"angry", r"furious", r"complain\w*", r"(?:\d+|percent|%)",
    r"doubled", r"tripled", r"overwhelm\w*", r"queue", r"(?:a |one )?(?:quarter|third|fifth|tenth)", r"one in \w+",
    r"inbox", r"end(?:s)? up", r"by hand",
    r"(?:day|days|mornings?|afternoons?|hours) (?:a|per|every) (?:week|month|event|job|order|client)", r"star", r"phone is", r"calls? (?:a|per|every|before)", r"half (?:the|of)",
    r"(?:my|their|our|his|her) (?:fridays|mondays|mornings|evenings|weekends|lunch breaks|afternoons)",
))  # fmt: skip
# The customer's act counts as loss; the organisation cancelling a meeting or not using a tool does not.
_SUBJECTS = caseless(
    r"\b(we|I|our team|they|customers?|users?|people|subscribers?|members?|clients?|buyers?|someone|everyone|"
    r"most|half|nobody|accounts?|owners?)\b",
)
_HEDGE = caseless(r"\b(?:I'd|I would|I|we'd)\s+(?:say|guess|think|reckon|suppose|imagine|estimate)\b")
_CLAUSE_BREAK = caseless(r"[,;:]|\b(?:and|but|so)\b")
_INSTRUCTION = caseless(r"^\W*(?:don't|do not|never)\s+\S*\s*$")
_BETTER = phrases(
    (
        r"lower",
        r"less",
        r"reduc\w*",
        r"decreas\w*",
        r"fewer",
        r"cut",
        r"cuts",
        r"prevent\w*",
        r"avoid\w*",
        r"no more",
        r"zero",
    )
)
_HYPOTHETICAL = phrases((r"unless", r"if", r"can", r"could", r"to", r"whether", r"(?-i:may)", r"might", r"would", r"or"))  # "May": a month
_ACTS_OF_THE_CUSTOMER = frozenset({LossKind.CHURN, LossKind.LOW_ACTIVATION, LossKind.DROP_OFF})


_DENIED = caseless(
    r"\b(?:haven't|hasn't|have not|has not|had no|no one|nobody|not a single|never (?:had|seen|saw)|zero|"
    r"hardly (?:anyone|anybody|any|ever)|rarely|seldom|"
    r"didn't see|don't see|do not see|did not see)\b",
)


@dataclass(frozen=True)
class LossCue:
    kind: LossKind
    signal: LossSignal
    start: int


def find_loss(plain: str) -> LossCue | None:
    """The loss a sentence reports, or None; where cues of several kinds fire, the more specific kind above wins."""
    for kind, cue, negatable in _CUES:
        for match in cue.finditer(plain):
            if negatable and negated(plain, match.start()):
                continue
            if _DENIED.search(" ".join(plain[: match.start()].split()[-5:])) and not _DENIED.search(match.group(0)):
                continue  # "we haven't seen churn yet", "nobody has cancelled": a loss said not to happen
            if kind == LossKind.DISCOUNT_DEPENDENCY and not _DEPENDENCE.search(plain):
                continue
            if kind == LossKind.SUPPORT_LOAD and not _HEAVY.search(plain):
                continue
            before = plain[: match.start()]
            if _INSTRUCTION.match(before) or _BETTER.search(" ".join(before.split()[-2:])):
                continue  # "don't fall off" is advice; "a lower churn" is a gain
            # Who acts in this clause, not an earlier one; "I'd guess", "I think" hedge, they do not act.
            subjects = _SUBJECTS.findall(_HEDGE.sub(" ", _CLAUSE_BREAK.split(before)[-1]))
            by_organisation = bool(subjects) and subjects[-1].lower() in ("we", "i", "our team")
            if kind in _ACTS_OF_THE_CUSTOMER and (
                by_organisation or _HYPOTHETICAL.search(" ".join(before.split()[-2:]))
            ):
                continue
            signal = LossSignal.BEHAVIOUR if _BEHAVIOUR.search(plain) else LossSignal.METRIC
            return LossCue(kind, signal, match.start())  # the kinds are tried most specific first
    return None
