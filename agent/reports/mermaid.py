"""The stream as a Mermaid flowchart, for wikis, tickets and Markdown viewers that draw Mermaid.

Mermaid lays the chart out itself, so this says only what is connected: stages and gates in reading
order, duplications and losses with dotted arrows back to what they trace to. Shapes carry the kind
(stadium: customer-facing stage, box: internal, hexagon: gate, double box: final gate, flag: loss,
parallelogram: duplication) and every label names it too. Node ids are the report's tags (S1, T2),
which can never collide with Mermaid keywords; labels are quoted with Mermaid's entity codes, so map
text cannot end a label, inject markup or (with `%` coded) slip in a `%%{init}%%` directive.
"""

from __future__ import annotations

from itertools import pairwise

from agent.checks.view import MapView
from agent.reports.stream import read_stream
from agent.terminal_text import neutralise_bidi
from schemas.elements import Element, Stage, Threshold
from schemas.value_map import ValueMap

_ENTITIES = {"#": "#35;", "%": "#37;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"}

# The same colours as the SVG diagram (svg.CARD_STYLES), chosen to stay apart for colour-blind readers.
CLASS_STYLES = {
    "customer": "fill:#e4eefa,stroke:#1d5c99,stroke-width:2px,color:#1b1b1b",
    "internal": "fill:#f1f1ee,stroke:#6b6b6b,stroke-width:1px,color:#1b1b1b",
    "gate": "fill:#fff4e0,stroke:#b57d00,stroke-width:2px,color:#1b1b1b",
    "final": "fill:#ffefc4,stroke:#a37000,stroke-width:3px,color:#1b1b1b",
    "duplication": "fill:#f0e9fd,stroke:#5400cc,stroke-width:1.5px,color:#1b1b1b",
    "loss": "fill:#fbe6ea,stroke:#8c0a2e,stroke-width:2px,color:#1b1b1b",
    "ungrounded": "stroke-dasharray:5 4",
}


def mermaid_label(text: str) -> str:
    """Text safe inside a quoted Mermaid label: one line, special characters as entity codes."""
    flat = " ".join(neutralise_bidi(text).split())  # a bidi override would reverse the drawn label
    return "".join(_ENTITIES.get(char, char) for char in flat)


def _node(tag: str, opening: str, closing: str, text: str) -> str:
    return f'    {tag}{opening}"{mermaid_label(text)}"{closing}'


def _shape(element: Element) -> tuple[str, str, str]:
    """Opening bracket, closing bracket and class of an element's node."""
    if isinstance(element, Threshold):
        return ("[[", "]]", "final") if element.is_final else ("{{", "}}", "gate")
    if isinstance(element, Stage):
        return ("([", "])", "customer") if element.customer_visible else ("[", "]", "internal")
    return ("[/", "/]", "duplication") if element.kind_name == "duplication" else (">", "]", "loss")


def _label(element: Element, tag: str, view: MapView) -> str:
    if isinstance(element, Threshold):
        kind = "FINAL GATE" if element.is_final else "GATE"
        return f"{tag} {kind}: {element.name}"
    if isinstance(element, Stage):
        vep = " ◆ VEP" if view.veps_by_stage.get(element.id) else ""
        return f"{tag} {element.name}{vep}"
    return f"{tag} {element.kind_name.upper()}: {element.name}"


def map_mermaid(value_map: ValueMap) -> str:
    """The map as `flowchart LR`: the stream left to right, trace arrows dotted."""
    stream = read_stream(value_map)
    view = MapView.of(value_map)
    title = mermaid_label(value_map.title or "Untitled value stream")
    lines = ["flowchart LR", f"    %% {title}: value stream (vsm report)"]
    classes: dict[str, list[str]] = {name: [] for name in CLASS_STYLES}
    drawn: list[Element] = [slot.element for slot in stream.slots]
    drawn += [*value_map.duplications, *value_map.losses]
    for element in drawn:
        tag = stream.tag(element.id)
        opening, closing, css_class = _shape(element)
        lines.append(_node(tag, opening, closing, _label(element, tag, view)))
        classes[css_class].append(tag)
        if not view.is_grounded(element):
            classes["ungrounded"].append(tag)
    for a, b in pairwise(stream.slots):
        lines.append(f"    {stream.tag(a.element.id)} --> {stream.tag(b.element.id)}")
    for dup in value_map.duplications:
        for threshold_id in dup.threshold_ids:
            lines.append(f'    {stream.tag(dup.id)} -.->|"arose at"| {stream.tag(threshold_id)}')
    for loss in value_map.losses:
        for dup_id in loss.duplication_ids:
            lines.append(f'    {stream.tag(loss.id)} -.->|"traces to"| {stream.tag(dup_id)}')
        for threshold_id in loss.threshold_ids:
            lines.append(f'    {stream.tag(loss.id)} -.->|"traces to"| {stream.tag(threshold_id)}')
    for name, style in CLASS_STYLES.items():
        lines.append(f"    classDef {name} {style}")
    for name, tags in classes.items():
        if tags:
            lines.append(f"    class {','.join(tags)} {name}")
    return "\n".join(lines) + "\n"
