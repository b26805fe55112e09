"""The offline extractor: a transcript in, a DraftMap out, by rules and a small bundled sentence typer (no
language model, no network).

It walks the framework's diagnostic agenda over the transcript's sentences. The order below is the
order of dependency: a threshold needs its VEP, an exchange its threshold, a loss the duplication it
traces back to. Pure and deterministic: the same transcript always yields the same map.
"""

from __future__ import annotations

from agent.extraction.offline.assembly import Assembly
from agent.extraction.offline.breakdown import find_duplications, find_losses, judge_overstated_exchanges
from agent.extraction.offline.numbers import forget_readings
from agent.extraction.offline.points import (
    describe_internal_work,
    locate_evocation_points,
    one_stage_per_telling,
    quote_every_mention,
    tell_fragments_in_full,
)
from agent.extraction.offline.purchase import compensation_leaned_on
from agent.extraction.offline.reading import read_sentences
from agent.extraction.offline.stops import find_resistances, mark_thresholds, quote_crossing_answers
from agent.extraction.offline.typer.model import SentenceTyper
from agent.extraction.offline.value import find_exchanges, find_propositions, judge_over_giving
from schemas.extraction import DraftMap
from schemas.transcript import Transcript

OFFLINE_EXTRACTOR_VERSION = "offline@1"


def extract_offline(
    transcript: Transcript, customers: frozenset[str] = frozenset(), *, typer: SentenceTyper | None = None
) -> DraftMap:
    """Draft map elements for `transcript`, each with exact quotes from non-interviewer turns. `customers` are
    the speakers on the customer's side: the steps they tell of taking are steps of the stream. `typer` is the
    learned sentence typer the rules consult (None: the bundled one)."""
    forget_readings()
    assembly = Assembly(read_sentences(transcript), typer=typer)
    locate_evocation_points(assembly, customers)  # 1. where must the customer act? (and a stage for each)
    describe_internal_work(assembly)  # the organisation's own stages, with improvements made to them
    mark_thresholds(assembly)  # 4. where is progression conditional? the final one carries the price
    find_resistances(assembly)  # 2. why can't the stream proceed alone? which resource is lacking?
    find_propositions(assembly)  # 3./6. which value is evoked there, for whom, does it activate?
    find_exchanges(assembly)  # 5. what does the customer give, what do they get?
    find_duplications(assembly)  # 6. where do versions of the value diverge?
    find_losses(assembly)  # 7. where does that show up as loss, traced to which threshold?
    compensation_leaned_on(assembly)  # 7. then 5: a discount conversion leans on is compensation at the purchase
    judge_overstated_exchanges(assembly)  # 5. again: is the value at a threshold told otherwise later?
    judge_over_giving(assembly)  # 5. and did the customer say they gave more than they got, away from it?
    tell_fragments_in_full(assembly)  # a step named in a fragment is told by the sentence after it
    quote_every_mention(assembly)  # every step keeps all the words said about it
    one_stage_per_telling(assembly)  # and a stage told only in another's words is that one
    quote_crossing_answers(assembly)  # and a threshold the answer to how many get through it
    return DraftMap(
        stages=assembly.stages,
        veps=assembly.veps,
        resistances=assembly.resistances,
        thresholds=assembly.thresholds,
        exchanges=assembly.exchanges,
        propositions=assembly.propositions,
        duplications=assembly.duplications,
        losses=assembly.losses,
    )
