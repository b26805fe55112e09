"""The map pane: the list of elements, and under it the selected element in full (the inspector)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static

from agent.review.entries import entry_line, entry_lists
from agent.tui.actions import action_for
from agent.tui.map_pane.map_list import (
    MapList,
    correction_option_id,
    element_summary,
    find_element,
    merge_option_id,
    review_badge,
    said_already,
)
from schemas.elements import Element, Purchase, Threshold
from schemas.engagement import MergeProposal
from schemas.evidence import ProposedBy
from schemas.interview import ProposedCorrection
from schemas.value_map import COLLECTIONS, ValueMap


def provenance_line(element: Element) -> str:
    provenance = element.provenance
    if provenance.proposed_by is ProposedBy.MODEL:
        who = f"model {provenance.model or ''}".strip()
    elif provenance.proposed_by is ProposedBy.OFFLINE_EXTRACTOR:
        who = "the offline rules"
    else:
        who = provenance.person or "a person"
    prompt = f" ({provenance.prompt})" if provenance.prompt else ""
    return f"proposed by {who}{prompt}"


def purchase_line(purchase: Purchase) -> str:
    """The final threshold's scorecard in one line: price, perceived value, loss, what survives, compensation."""
    parts = []
    if purchase.price is not None:
        price = purchase.price
        parts.append(f"price {price.amount:g} {price.currency}" + (f"/{price.period}" if price.period else ""))
    if purchase.perceived_value is not None:
        parts.append(f"perceived value {purchase.perceived_value:g}")
    if purchase.accumulated_loss is not None:
        parts.append(f"accumulated loss {purchase.accumulated_loss:g}")
    if purchase.surviving_value is not None:
        parts.append(f"surviving value {purchase.surviving_value:g}")
    if purchase.compensation:
        parts.append("compensation: " + ", ".join(c.kind.value.replace("_", " ") for c in purchase.compensation))
    return " · ".join(parts)


def inspector_content(collection: str, element: Element, value_map: ValueMap) -> Content:
    badge, badge_style = review_badge(element)
    parts: list[str | tuple[str, str]] = [
        (f"{COLLECTIONS[collection].kind_name} ", "$text-muted"), (element.name, "bold"), "  ", (badge, badge_style),
        "\n", (f"{element.id} · {provenance_line(element)}", "$text-muted"),
    ]
    summary = element_summary(element, value_map)
    if summary:
        parts += ["\n", summary]
    if element.detail and not said_already(element.detail, element):
        parts += ["\n", (element.detail, "italic")]
    if isinstance(element, Threshold) and element.purchase is not None and (scorecard := purchase_line(element.purchase)):
        parts += ["\n", scorecard]
    for spec in entry_lists(element):  # an exchange's gives and gets, a stage's improvements, a proposition's claims
        items = getattr(element, spec.field)
        if items:
            parts += ["\n", (f"{spec.label} ({len(items)})", "underline")]
            parts += [part for item in items for part in ("\n", f"· {entry_line(item, value_map)}")]
    quotes = element.verified_evidence
    parts += ["\n", (f"Evidence ({len(quotes)} verified quote{'' if len(quotes) == 1 else 's'})", "underline")]
    for quote in quotes:
        where = f", line {quote.line}" if quote.line else ""
        parts += ["\n", (f"“{quote.text}”", "italic"), (f" — {quote.speaker or 'unknown'}{where}", "$text-muted")]
    return Content.assemble(*parts)


def merge_content(proposal: MergeProposal) -> Content:
    kind = COLLECTIONS[proposal.collection].kind_name
    merge, apart = action_for("accept_element").key_label, action_for("reject_element").key_label
    return Content.assemble(
        ("Merge to decide ", "$text-muted"), (f"one {kind} or two?", "bold"),
        "\n", (f"“{proposal.first_name}”", "italic"), ("  and  ", "$text-muted"), (f"“{proposal.second_name}”", "italic"),
        "\n", (f"Told by different sources; the embedder finds them {proposal.similarity:.2f} alike, too close to "
               "call. ", "$text-muted"),
        f"{merge} merges them in the engagement map (their evidence and corroboration combine); {apart} keeps "
        "them apart. The decision is kept in the workspace, as `vsm synthesize` keeps it.",
    )


def correction_content(correction: ProposedCorrection) -> Content:
    accept, reject = action_for("accept_element").key_label, action_for("reject_element").key_label
    return Content.assemble(
        ("Correction to decide ", "$text-muted"), (correction.description, "bold"),
        "\n", ("The stakeholder said: ", "$text-muted"), (f"“{correction.said}”", "italic"),
        "\n", f"{accept} applies it to the map (recorded as your decision); {reject} keeps the map as it is.",
    )


class ElementInspector(Static):
    def show_merge(self, proposal: MergeProposal) -> None:
        self.update(merge_content(proposal))

    def show_correction(self, correction: ProposedCorrection) -> None:
        self.update(correction_content(correction))

    def show(self, value_map: ValueMap, element_id: str | None) -> None:
        found = find_element(value_map, element_id) if element_id else None
        if found is None:
            self.update(Content.styled("Select an element to see its evidence.", "$text-muted"))
            return
        self.update(inspector_content(found[0], found[1], value_map))


class MapPane(Vertical):
    """What the app talks to: `show(map, merges, corrections)` after each change, `selected_id`,
    `selected_merge` and `selected_correction` for the review keys."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._value_map = ValueMap()
        self._merges: dict[str, MergeProposal] = {}
        self._corrections: dict[str, ProposedCorrection] = {}

    def compose(self) -> ComposeResult:
        yield MapList(id="map-list")
        yield ElementInspector(id="map-inspector")

    @property
    def list(self) -> MapList:
        return self.query_one(MapList)

    @property
    def selected_id(self) -> str | None:
        """The selected element's id (None on a heading or a merge)."""
        selected = self.list.selected_id
        return None if selected is None or selected in self._merges or selected in self._corrections else selected

    @property
    def selected_merge(self) -> MergeProposal | None:
        selected = self.list.selected_id
        return self._merges.get(selected) if selected is not None else None

    @property
    def selected_correction(self) -> ProposedCorrection | None:
        selected = self.list.selected_id
        return self._corrections.get(selected) if selected is not None else None

    def show(self, value_map: ValueMap, merges: Sequence[MergeProposal] = (),
             corrections: Sequence[ProposedCorrection] = ()) -> None:
        by_option = {merge_option_id(p): p for p in merges}
        fixes = {correction_option_id(c): c for c in corrections}
        if value_map == self._value_map and by_option == self._merges and fixes == self._corrections \
                and self.list.option_count:
            return  # an answer that added nothing: keep the list (and its scroll) as it is
        self._value_map, self._merges, self._corrections = value_map, by_option, fixes
        self.list.show(value_map, merges, corrections)
        self._inspect(self.list.selected_id)

    def _inspect(self, option_id: str | None) -> None:
        inspector = self.query_one(ElementInspector)
        if option_id is not None and option_id in self._corrections:
            inspector.show_correction(self._corrections[option_id])
        elif option_id is not None and option_id in self._merges:
            inspector.show_merge(self._merges[option_id])
        else:
            inspector.show(self._value_map, option_id)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._inspect(event.option.id)
