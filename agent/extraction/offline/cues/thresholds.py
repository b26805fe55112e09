"""Cue: where progression is conditional (step 4: threshold points) and where the customer pays (the final one).

"Not every stage is a threshold." A VEP becomes one when the talk around it says the stream can stop
there: people drop off, stall or never come back; the next step happens only if, or until, they act;
or someone counts how many get through (a conversion figure). The purchase is always a threshold: the
final one, which validates the whole stream.
"""

from __future__ import annotations

from agent.extraction.offline.cues import phrases

STALL = phrases((
    r"drop(?:s|ped|ping)?[ -]off", r"drop(?:s|ped|ping)? out", r"stall(?:s|ed|ing)?", r"(?:get|gets|got|getting) stuck",
    r"stuck", r"abandon(?:s|ed|ing|ment)?", r"bounce(?:s|d)?", r"give(?:s)? up", r"gave up", r"never come back",
    r"(?:don't|doesn't|didn't|never) (?:come|came) back", r"never return(?:s|ed)?", r"(?:we )?los(?:e|es|t|ing) (?:them|people|users|customers|most|half)",
    r"leak(?:s|y|age)?", r"bottleneck", r"fall(?:s)? off", r"fell off", r"fall(?:s)? out", r"fell out",
    r"never (?:finish|finishes|complete|completes|get past|get through|make it|convert|activate|start|upload|book|pay|show up|respond|answer)",
    r"(?:don't|doesn't|didn't|won't) (?:convert|continue|go further|proceed|finish|complete|follow through|show up|respond|answer|reply|call back)",
    r"no[- ]shows?", r"ghost(?:s|ed|ing)?", r"go(?:es)? quiet", r"went quiet", r"go(?:es)? cold", r"went cold",
    r"stop(?:s|ped)? (?:there|here|at that point|at this point)", r"the rest (?:either )?(?:don't|never|go|just)",
    r"walk(?:s|ed)? away", r"left without", r"never (?:hear|heard) (?:back|from them)",
    r"(?:the|a|biggest|big|main|real) drop(?! in price)",
))  # fmt: skip
CONDITIONAL = phrases((
    r"only if", r"only when", r"only once", r"only after", r"until (?:they|you|the|we|he|she)", r"unless",
    r"once (?:they|you|the customer|the user|he|she)", r"(?:before|after) (?:they|you) (?:can|have|get)",
    # "We ask for an email before we show the prices": the organisation holds something back until the act.
    r"before (?:we|it|the app|the site|the page) (?:show|shows|reveal|reveals|unlock|unlocks|send|sends|let|lets|give|gives)",
    r"as long as", r"(?:can't|cannot|can not|won't) (?:\w+ ){0,3}(?:until|unless|without|before)",
    r"before (?:they|you|he|she) can", r"gate(?:d|s)?", r"gatekeep\w*", r"(?:is|are) required", r"mandatory",
    r"no (?:\w+ )?without", r"can only", r"in order to (?:see|get|use|access|unlock|continue)",
    r"(?:behind|after) (?:a|the) (?:sign[- ]?up|signup|login|paywall|form|wall)", r"paywall", r"locked",
    r"unlock(?:s|ed)?", r"in exchange", r"in return",
))  # fmt: skip
# Asked how many cross, nobody knows: the step is a threshold whose pull nobody measures ("Nobody counts it.").
UNCOUNTED = phrases((
    r"(?:nobody|no one) (?:counts?|tracks?|measures?|knows?|checks?|logs?)",
    r"(?:nobody|no one)(?:'s| has) (?:ever )?(?:counted|tracked|measured|checked|logged|pulled|looked)",
    r"(?:we|I) (?:don't|do not|never|haven't|have never|'ve never) (?:actually |really |honestly )?(?:count|counted|track|tracked|"
    r"measure|measured|report|reported|know|log|logged|record|recorded)",
    r"(?:I|we) (?:honestly |really |actually )?(?:don't|do not) (?:actually |really )?know", r"(?:I'd|I would|we'd|we would) have to (?:ask|check|look)",
    r"(?:I|we) (?:don't|do not) have (?:that|the|a) (?:number|figure|rate)",
    r"(?:not|never) (?:been )?(?:counted|tracked|measured)", r"no idea", r"couldn't (?:tell|give) you",
))  # fmt: skip
CONVERSION = phrases((
    r"convert(?:s|ed|ing)?", r"conversion(?: rate)?", r"funnel", r"take[- ]up", r"take rate", r"completion rate",
    r"activation rate", r"sign[- ]?up rate", r"show[- ]up rate", r"trial[- ]to[- ]paid", r"free[- ]to[- ]paid",
    r"close rate", r"win rate", r"(?:how many|of those who|of the people who|of everyone who|out of every)",
    r"get through", r"make it (?:through|past|to)", r"cross(?:es|ed)?", r"end(?:s)? up",
))  # fmt: skip
PURCHASE = phrases((
    r"pric(?:e|es|ed|ing)", r"per (?:month|year|week|seat|user)", r"a (?:month|year|week)", r"monthly", r"annual(?:ly)?",
    r"yearly", r"pay(?:s|ing)?", r"paid(?! social| ads?\b| acquisition| search| media| marketing)", r"purchas\w*",
    r"subscri\w+", r"contract", r"plan", r"checkout", r"cost(?:s)?", r"buy(?:s|ing)?", r"bought", r"upgrad\w*",
    r"paying customers?", r"full[- ]price", r"renew\w*", r"billing", r"fee", r"for (?:the|a) (?:week|month|year)",
    r"(?:day|daily|weekly|monthly|hourly) rates?", r"deposit",
))  # fmt: skip
# Money said in passing as a discount or a saving is not the price.
NOT_A_PRICE_AFTER = phrases((r"off", r"discount", r"cheaper", r"less", r"saving", r"savings", r"back", r"credit",
                             r"of(?!\s+the\b)"))  # "four hundred euro of electricity": a quantity of something else
