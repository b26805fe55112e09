"""The map as a list a person can walk: stages, VEPs, thresholds (with their resistance and exchange),
propositions, duplications and losses; each with its verified quotes and whether a person confirmed it.

Inside a workspace, the engagement's uncertain merges come first, to be decided with the same keys.
The list only shows; reviewing is the app's job (`a`, `e`, `r` are the registry's map actions).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

from textual.binding import BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from agent.tui.actions import Scope, action_for, bindings
from schemas.elements import (
    Duplication,
    Element,
    GiveGetExchange,
    Loss,
    Resistance,
    Stage,
    Threshold,
    ValueEvocationPoint,
    ValueProposition,
)
from schemas.engagement import MergeProposal
from schemas.evidence import Review
from schemas.interview import ProposedCorrection
from schemas.value_map import COLLECTIONS, ValueMap

MERGE_PREFIX = "merge proposal "  # option ids of merge proposals; an element id never holds a space
CORRECTION_PREFIX = "correction "  # option ids of proposed corrections
QUOTE_CHARS = 200  # the inspector shows every verified quote in full; a row shows the first, cut to fit

_REVIEW_BADGE = {
    Review.PROPOSED: ("? proposed", "$text-muted"),
    Review.CONFIRMED: ("✓ confirmed", "bold $success"),
    Review.EDITED: ("✎ edited", "bold $accent"),
    Review.REJECTED: ("✗ rejected", "$error"),
}

_COLLECTIONS = ("stages", "veps", "resistances", "thresholds", "exchanges", "propositions", "duplications",
                "losses")


def find_element(value_map: ValueMap, element_id: str) -> tuple[str, Element] | None:
    """The collection an element lives in, and the element."""
    for collection in _COLLECTIONS:
        for element in getattr(value_map, collection):
            if element.id == element_id:
                return collection, element
    return None


def _words(value: object) -> str:
    return str(getattr(value, "value", value)).replace("_", " ")


def element_summary(element: Element, value_map: ValueMap) -> str:
    """One line of the fields that matter for this kind, in the framework's words."""
    if isinstance(element, Stage):
        parts = [_words(element.actor), "customer-visible" if element.customer_visible else "internal",
                 f"value link: {_words(element.value_link)}"]
        parts += [f"improved: {i.description}" for i in element.improvements]
        return " · ".join(parts)
    if isinstance(element, ValueEvocationPoint):
        stage = next((s.name for s in value_map.stages if s.id == element.stage_id), element.stage_id)
        return f"at {stage} · customer must: {element.customer_action} · value {_words(element.activation)}"
    if isinstance(element, Resistance):
        lacking = ", ".join(_words(r) for r in element.resources_lacking) or "resource unknown"
        return f"lacks {lacking} · resolved: {_words(element.resolution)}"
    if isinstance(element, Threshold):
        parts = [f"to cross: {element.condition}" if element.condition else "condition unknown"]
        if element.on_failure:
            parts.append(f"else: {element.on_failure}")
        if element.crossing_metric is not None:
            crossing = element.crossing_metric
            parts.append(f"metric: {crossing.text or crossing.value}")
        if element.is_final:
            parts.append("FINAL (purchase)")
        return " · ".join(parts)
    if isinstance(element, GiveGetExchange):
        gives = ", ".join(_words(g.kind) for g in element.customer_gives) or "?"
        gets = ", ".join(b.what for b in element.organisation_gives) or "?"
        return f"customer gives {gives} → gets {gets} · {_words(element.balance)}"
    if isinstance(element, ValueProposition):
        audience = f"for {element.audience}" if element.audience else ""
        if said_already(element.statement, element):
            return audience
        return f"“{element.statement}”" + (f" · {audience}" if audience else "")
    if isinstance(element, Duplication):
        return f"{_words(element.kind)} across {len(element.proposition_ids)} propositions"
    if isinstance(element, Loss):
        metric = f" · {element.metric.text or element.metric.value}" if element.metric else ""
        traced = "traced" if element.duplication_ids or element.threshold_ids else "untraced"
        return f"{_words(element.kind)}{metric} · {traced}"
    return ""


def said_already(detail: str, element: Element) -> bool:
    """The offline extractor's detail is often the quote itself: show it once."""
    words = " ".join(detail.split()).casefold()
    return not words or words == element.name.casefold() or any(
        words in " ".join(q.text.split()).casefold() for q in element.verified_evidence)


def review_badge(element: Element) -> tuple[str, str]:
    badge, style = _REVIEW_BADGE[element.provenance.review]
    return badge + (f" by {element.provenance.person}" if element.provenance.person else ""), style


def element_row(element: Element, value_map: ValueMap, *, label: str = "", indent: int = 0) -> Content:
    """Up to three lines, each cut to the pane's width: name and review, its fields, its first quote.

    Plain `Content` rather than Rich renderables: the list is rebuilt every turn and must stay cheap at
    hundreds of elements; the inspector under the list shows the selected element in full.
    """
    pad = " " * indent
    badge, badge_style = review_badge(element)
    parts: list[str | tuple[str, str]] = [pad]
    if label:
        parts.append((f"{label} ", "italic"))
    parts += [(element.name, "bold"), "  ", (badge, badge_style)]
    summary = element_summary(element, value_map)
    if summary:
        parts += ["\n", pad, "  ", (summary, "$text-muted")]
    quotes = element.verified_evidence
    if quotes:
        more = f"  +{len(quotes) - 1}" if len(quotes) > 1 else ""
        parts += ["\n", pad, "  ", (f"“{quotes[0].text}”", "italic"), (more, "$text-muted")]
    else:
        parts += ["\n", pad, "  ", ("no verified quote", "$warning")]
    return Content.assemble(*parts)


def _heading(title: str, count: int, *, first: bool = False) -> Option:
    return Option(Content.assemble("" if first else "\n", (f"{title.upper()} ({count})", "bold underline")),
                  disabled=True)


# Rendered rows by (element object, label, indent, stage name), holding the element so its id stays unique.
RowCache = dict[tuple[int, str, int, str | None], tuple[Element, Content]]


def merge_option_id(proposal: MergeProposal) -> str:
    return MERGE_PREFIX + proposal.key


def merge_row(proposal: MergeProposal) -> Content:
    """Two lines: the pair, then how sure the embedder is and the keys that decide."""
    kind = COLLECTIONS[proposal.collection].kind_name
    merge, apart = action_for("accept_element").key_label, action_for("reject_element").key_label
    return Content.assemble(
        (f"“{proposal.first_name}”", "bold"), " = ", (f"“{proposal.second_name}”", "bold"), ("  ? one " + kind, "$warning"),
        "\n  ", (f"similarity {proposal.similarity:.2f} · {merge} merges · {apart} keeps apart", "$text-muted"),
    )


def correction_option_id(correction: ProposedCorrection) -> str:
    return CORRECTION_PREFIX + correction.id


def correction_row(correction: ProposedCorrection) -> Content:
    """Two lines: the change proposed, then the stakeholder's words and the keys that decide."""
    accept, reject = action_for("accept_element").key_label, action_for("reject_element").key_label
    return Content.assemble(
        ("✎ ", "bold $warning"), (correction.description, "bold"),
        "\n  ", (f"“{correction.said}”", "italic"), (f"  {accept} applies · {reject} keeps the map", "$text-muted"),
    )


def map_options(value_map: ValueMap, merges: Sequence[MergeProposal] = (),
                rows: RowCache | None = None, corrections: Sequence[ProposedCorrection] = ()) -> Iterator[Option]:
    """The rows of the map pane: the engagement's open merges first, then the session's elements.

    Each element's option id is its element id; a merge's is `merge_option_id`. With `rows` (the last
    rebuild's), an element that did not change reuses its row (a patch replaces changed elements and
    keeps the others' objects), and `rows` ends up holding this rebuild's rows.
    """
    thresholds_by_vep = {t.vep_id for t in value_map.thresholds}
    stage_names = {s.id: s.name for s in value_map.stages}
    reused = rows if rows is not None else RowCache()
    kept = RowCache()

    def row(element: Element, *, label: str = "", indent: int = 0) -> Option:
        # A VEP's row names its stage; every other row depends on the element alone.
        key = (id(element), label, indent, stage_names.get(getattr(element, "stage_id", "")))
        found = reused.get(key)
        if found is None or found[0] is not element:
            found = (element, element_row(element, value_map, label=label, indent=indent))
        kept[key] = found
        return Option(found[1], id=element.id)

    if corrections:
        yield _heading("Corrections the stakeholder made", len(corrections), first=True)
        for correction in corrections:
            yield Option(correction_row(correction), id=correction_option_id(correction))
    if merges:
        yield _heading("Engagement merges to decide", len(merges), first=not corrections)
        for proposal in merges:
            yield Option(merge_row(proposal), id=merge_option_id(proposal))
    above = bool(merges or corrections)
    if not value_map.element_count():
        yield Option(Content.styled(("\n" if above else "") + "Nothing mapped yet: the map fills in as the "
                                    "stakeholder answers.", "$text-muted"), disabled=True)
        return
    yield _heading("Stages", len(value_map.stages), first=not above)
    for number, stage in enumerate(sorted(value_map.stages, key=lambda s: s.order), start=1):
        yield row(stage, label=f"{number}.")  # numbered as shown: a rejected stage leaves no gap
    yield _heading("Value evocation points", len(value_map.veps))
    for vep in value_map.veps:
        yield row(vep)
        for resistance in value_map.resistances:
            if resistance.vep_id == vep.id and vep.id not in thresholds_by_vep:
                yield row(resistance, label="↳ resistance:", indent=2)
    yield _heading("Thresholds", len(value_map.thresholds))
    for threshold in value_map.thresholds:
        yield row(threshold)
        for resistance in value_map.resistances:
            if resistance.vep_id == threshold.vep_id:
                yield row(resistance, label="↳ resistance:", indent=2)
        for exchange in value_map.exchanges:
            if exchange.threshold_id == threshold.id:
                yield row(exchange, label="↳ exchange:", indent=2)
    yield _heading("Value propositions", len(value_map.propositions))
    for proposition in value_map.propositions:
        yield row(proposition)
    yield _heading("Duplications", len(value_map.duplications))
    for duplication in value_map.duplications:
        yield row(duplication)
    yield _heading("Losses", len(value_map.losses))
    for loss in value_map.losses:
        yield row(loss)
    if rows is not None:
        rows.clear()
        rows.update(kept)


class MapList(OptionList):
    """The map pane's list; the highlighted option is the selected element."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(Scope.MAP)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: RowCache = {}

    def show(self, value_map: ValueMap, merges: Sequence[MergeProposal] = (),
             corrections: Sequence[ProposedCorrection] = ()) -> None:
        """Rebuild from the map, keeping the cursor on the same element where it still exists."""
        selected = self.selected_id
        self.set_options(map_options(value_map, merges, self._rows, corrections))
        if selected is not None:
            try:
                self.highlighted = self.get_option_index(selected)
                return
            except OptionDoesNotExist:  # the element was rejected: go to the first element
                pass
        self.highlighted = next((i for i, option in enumerate(self.options) if not option.disabled), None)

    @property
    def selected_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None and not option.disabled else None
