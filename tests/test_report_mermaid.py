"""The Mermaid output parses: a validator of the flowchart grammar `vsm report --format mermaid` emits.

The validator is strict on purpose: every line must be one of the few statement forms we write, labels
must be quoted with no raw quote or angle bracket, ids must not be Mermaid keywords, and every edge and
class must name a node that exists. (The emitted subset was also checked once against Mermaid 11's own
parser in a browser; this test pins it without a JavaScript toolchain.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from agent.reports.mermaid import map_mermaid, mermaid_label
from agent.reports.synthetic_map import synthetic_map
from tests.map_builders import build, healthy_map_data
from tests.test_report_content import HOSTILE, hostile_map

ID = r"[A-Za-z][A-Za-z0-9_]*"
LABEL = r'"(?P<label>[^"]*)"'
SHAPES = {"([": "])", "[[": "]]", "{{": "}}", "[/": "/]", "[": "]", ">": "]"}
RESERVED = {"end", "graph", "flowchart", "subgraph", "style", "class", "classdef", "click", "linkstyle", "direction"}

NODE = re.compile(rf"^(?P<id>{ID})(?P<open>\(\[|\[\[|\{{\{{|\[/|\[|>){LABEL}(?P<close>\]\)|\]\]|\}}\}}|/\]|\])$")
EDGE = re.compile(rf'^(?P<a>{ID}) (?P<arrow>-->|-\.->)(?:\|"(?P<label>[^"]*)"\|)? (?P<b>{ID})$')
CLASS_DEF = re.compile(r"^classDef (?P<name>[A-Za-z][\w-]*) (?P<style>[\w-]+:[^,;]+(?:,[\w-]+:[^,;]+)*)$")
CLASS = re.compile(rf"^class (?P<ids>{ID}(?:,{ID})*) (?P<name>[A-Za-z][\w-]*)$")
ENTITY = re.compile(r"#(?:[a-z]+|\d+);")


@dataclass
class Flowchart:
    direction: str
    nodes: dict[str, str] = field(default_factory=dict)  # id -> label
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    classes: dict[str, list[str]] = field(default_factory=dict)


class MermaidSyntaxError(ValueError):
    pass


def _check_label(label: str, where: int) -> None:
    if "<" in label or ">" in label or '"' in label:
        raise MermaidSyntaxError(f"line {where}: raw markup in label {label!r}")
    if "#" in ENTITY.sub("", label):
        raise MermaidSyntaxError(f"line {where}: '#' outside an entity code in {label!r}")


def parse_flowchart(text: str) -> Flowchart:
    """Parse the flowchart subset we emit, or raise `MermaidSyntaxError` naming the line."""
    lines = text.split("\n")
    if lines[-1] != "":
        raise MermaidSyntaxError("the text must end with a newline")
    header = re.fullmatch(r"flowchart (LR|RL|TB|TD|BT)", lines[0])
    if not header:
        raise MermaidSyntaxError(f"line 1: expected 'flowchart LR', got {lines[0]!r}")
    chart = Flowchart(direction=header.group(1))
    defined_classes: set[str] = set()
    for number, raw in enumerate(lines[1:-1], start=2):
        line = raw.strip()
        if not raw.startswith("    ") or not line:
            raise MermaidSyntaxError(f"line {number}: statements are indented by four spaces: {raw!r}")
        if line.startswith("%%"):
            continue
        if match := NODE.match(line):
            node, opening, closing = match.group("id"), match.group("open"), match.group("close")
            if SHAPES[opening] != closing:
                raise MermaidSyntaxError(f"line {number}: shape {opening} closed by {closing}")
            if node.lower() in RESERVED:
                raise MermaidSyntaxError(f"line {number}: {node!r} is a Mermaid keyword")
            if node in chart.nodes:
                raise MermaidSyntaxError(f"line {number}: node {node} defined twice")
            _check_label(match.group("label"), number)
            chart.nodes[node] = match.group("label")
        elif match := EDGE.match(line):
            a, b = match.group("a"), match.group("b")
            for end in (a, b):
                if end not in chart.nodes:
                    raise MermaidSyntaxError(f"line {number}: edge names {end}, which is not a node defined above")
            if match.group("label") is not None:
                _check_label(match.group("label"), number)
            chart.edges.append((a, match.group("arrow"), b))
        elif match := CLASS_DEF.match(line):
            defined_classes.add(match.group("name"))
        elif match := CLASS.match(line):
            ids = match.group("ids").split(",")
            unknown = [i for i in ids if i not in chart.nodes]
            if unknown:
                raise MermaidSyntaxError(f"line {number}: class applied to unknown nodes {unknown}")
            chart.classes.setdefault(match.group("name"), []).extend(ids)
        else:
            raise MermaidSyntaxError(f"line {number}: not a statement of the flowchart grammar: {line!r}")
    undefined = set(chart.classes) - defined_classes
    if undefined:
        raise MermaidSyntaxError(f"classes used but never defined: {sorted(undefined)}")
    return chart


@pytest.mark.parametrize("broken", [
    "graph LR\n    A[\"a\"]\n",
    "flowchart LR\n    A[\"a\"]\n    A --> B\n",
    "flowchart LR\n    end[\"a\"]\n",
    "flowchart LR\n    A[\"<script>\"]\n",
    "flowchart LR\n    A[\"a\"}}\n",
    "flowchart LR\n    A[\"a\"]\n    class A missing\n",
    "flowchart LR\n    A[a]\n",
])
def test_the_validator_rejects_what_mermaid_would_reject(broken: str) -> None:
    with pytest.raises(MermaidSyntaxError):
        parse_flowchart(broken)


@pytest.mark.parametrize("stages", [3, 10, 40])
def test_generated_maps_give_valid_flowcharts(stages: int) -> None:
    value_map = synthetic_map(stages)
    chart = parse_flowchart(map_mermaid(value_map))
    drawn = len(value_map.stages) + len(value_map.thresholds) + len(value_map.duplications) + len(value_map.losses)
    assert len(chart.nodes) == drawn
    flow = [e for e in chart.edges if e[1] == "-->"]
    assert len(flow) == len(value_map.stages) + len(value_map.thresholds) - 1


def test_hostile_text_stays_inside_its_label() -> None:
    text = map_mermaid(hostile_map())
    chart = parse_flowchart(text)
    assert "<script>" not in text
    assert any("#lt;script#gt;" in label for label in chart.nodes.values())


def test_shapes_and_classes_carry_the_kind() -> None:
    chart = parse_flowchart(map_mermaid(build(healthy_map_data())))
    assert chart.nodes["T2"].startswith("T2 FINAL GATE") and chart.nodes["T1"].startswith("T1 GATE")
    assert set(chart.classes["customer"]) == {"S1", "S2"}
    assert chart.classes["final"] == ["T2"]


@pytest.mark.parametrize(("text", "label"), [
    ('say "hi"', "say #quot;hi#quot;"),
    ("a # b", "a #35; b"),
    ("<b>", "#lt;b#gt;"),
    ("two\nlines", "two lines"),
    (HOSTILE, "#lt;script#gt;window.__vsm_pwned = 1#lt;/script#gt;"),
])
def test_labels_are_escaped_with_mermaid_entity_codes(text: str, label: str) -> None:
    assert mermaid_label(text) == label
