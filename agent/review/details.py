"""An element's numbers and words beyond its name: the fields the "details" form edits, read and set.

A field is named by its path in the element (`purchase.price.amount`); the form shows each as text and
gives text back, so parsing and refusing live here, once, in pure functions: a number that is not one
("forty", NaN, -5 where only 0 or more makes sense) is refused with one line saying what to type.
Empty text clears an optional field; a price, metric or compensation left with nothing in it is gone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from agent.errors import VsmError
from schemas.elements import (
    CompensationKind,
    Element,
    GiveGetExchange,
    Loss,
    Resistance,
    Stage,
    Threshold,
    ValueEvocationPoint,
    ValueProposition,
)


class DetailRefused(VsmError):
    """A value the form cannot save; the message names the field and what to type."""


@dataclass(frozen=True)
class DetailField:
    path: str  # where it sits in the element: "purchase.price.amount"
    label: str
    kind: str = "text"  # "text", "required" (text that cannot be empty), "number", "amount" (0 or more), "compensation"
    hint: str = ""


COMPENSATION_HINT = ("kind: detail, several separated by ';' (kinds: "
                     + ", ".join(k.value for k in CompensationKind) + "); empty for none")


def _metric(prefix: str, title: str) -> tuple[DetailField, ...]:
    return (DetailField(f"{prefix}.name", f"{title}: name", hint="what is counted, e.g. visitors who sign up"),
            DetailField(f"{prefix}.value", f"{title}: value", "number", "a number, e.g. 18 or 2.5"),
            DetailField(f"{prefix}.unit", f"{title}: unit", hint="e.g. %, EUR, days"))


def detail_fields(element: Element) -> tuple[DetailField, ...]:
    """The fields the details form shows for this element (a final threshold also shows its purchase)."""
    if isinstance(element, Threshold):
        fields = (DetailField("condition", "Condition", hint="what must hold for the customer to cross"),
                  DetailField("on_failure", "On failure", hint="what happens when they do not"),
                  *_metric("crossing_metric", "Crossing metric"))
        if element.purchase is not None:
            fields += (
                DetailField("purchase.price.amount", "Price: amount", "amount", "a number of 0 or more, e.g. 49.90"),
                DetailField("purchase.price.currency", "Price: currency", hint="e.g. EUR"),
                DetailField("purchase.price.period", "Price: period", hint="e.g. month, year, one-off"),
                DetailField("purchase.perceived_value", "Perceived value", "amount",
                            "a number of 0 or more, in the price's unit"),
                DetailField("purchase.accumulated_loss", "Accumulated loss", "amount",
                            "a number of 0 or more, in the price's unit"),
                DetailField("purchase.compensation", "Compensation", "compensation", COMPENSATION_HINT),
            )
        return fields
    if isinstance(element, ValueEvocationPoint):
        return (DetailField("customer_action", "Customer action", "required", "what the customer does here"),)
    if isinstance(element, Resistance):
        return (DetailField("why_customer_action", "Why the customer acts", hint="the customer's reason"),
                DetailField("limitation", "Limitation", hint="what stops them"))
    if isinstance(element, GiveGetExchange):
        return (DetailField("balance_reason", "Balance reason", hint="why the exchange is (un)balanced"),)
    if isinstance(element, ValueProposition):
        return (DetailField("statement", "Statement", "required", "the promise in the words it is made"),
                DetailField("audience", "Audience"), DetailField("channel", "Channel"),
                DetailField("said_by", "Said by"))
    if isinstance(element, Loss):
        return _metric("metric", "Metric")
    if isinstance(element, Stage):
        return (DetailField("cycle_time_hours", "Cycle time (hours)", "amount", "a number of 0 or more, e.g. 3"),
                DetailField("wait_time_hours", "Wait time (hours)", "amount", "a number of 0 or more, e.g. 48"))
    return ()


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        if data is None:
            return None
        data = data.get(part) if isinstance(data, dict) else getattr(data, part, None)
    return data


def _number_text(value: float) -> str:
    short = f"{value:g}"  # 49 rather than 49.0; the full digits when six would round it
    return short if float(short) == value else repr(value)


def detail_text(element: Element, spec: DetailField) -> str:
    """The field's current value as the form shows it."""
    value = _get(element, spec.path)
    if value is None:
        return ""
    if spec.kind == "compensation":
        return "; ".join(f"{c.kind.value}: {c.detail}" if c.detail else c.kind.value for c in value)
    if isinstance(value, float | int) and not isinstance(value, bool):
        return _number_text(float(value))
    return str(value)


def detail_values(element: Element) -> dict[str, str]:
    return {spec.path: detail_text(element, spec) for spec in detail_fields(element)}


def _refuse(spec: DetailField, text: str, why: str) -> DetailRefused:
    shown = text if len(text) <= 30 else text[:29] + "…"
    return DetailRefused(f"{spec.label}: {shown!r} {why}; type {spec.hint or 'some words'}")


def parse_detail(spec: DetailField, text: str) -> object:
    """The value `text` stands for in this field, or `DetailRefused` saying what to type."""
    text = " ".join(text.split())
    if spec.kind in ("number", "amount"):
        if not text:
            return None
        try:
            number = float(text.replace(",", "") if text.count(",") and "." in text else text.replace(",", "."))
        except ValueError:
            raise _refuse(spec, text, "is not a number") from None
        if not math.isfinite(number):
            raise _refuse(spec, text, "is not a number a check can use")
        if spec.kind == "amount" and number < 0:
            raise _refuse(spec, text, "is below 0")
        return number
    if spec.kind == "compensation":
        found = []
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            kind, _, detail = part.partition(":")
            kind = kind.strip().casefold().replace(" ", "_")
            if kind not in {k.value for k in CompensationKind}:
                raise _refuse(spec, part, "does not start with a kind of compensation")
            found.append({"kind": kind, "detail": detail.strip()})
        return found
    if spec.kind == "required" and not text:
        raise _refuse(spec, text, "is empty")
    return text


def _put(data: dict[str, Any], path: str, value: object) -> None:
    *parents, last = path.split(".")
    for part in parents:
        if data.get(part) is None:
            data[part] = {}
        data = data[part]
    data[last] = value


def _prune(data: dict[str, Any], element: Element) -> None:
    """A price, metric or compensation emptied in the form is gone, not an empty shell (pydantic would refuse it)."""
    for prefix in ("crossing_metric", "metric"):
        metric = data.get(prefix)
        if isinstance(metric, dict):
            if all(metric.get(k) in (None, "") for k in ("name", "value", "unit", "text")):
                data[prefix] = None
            else:
                metric["name"] = metric.get("name") or element.name  # a metric is always of something
                metric["unit"] = metric.get("unit") or None
    price = _get(data, "purchase.price")
    if isinstance(price, dict):
        for key in ("currency", "period"):
            if price.get(key) == "":
                price[key] = "EUR" if key == "currency" else None
        if price.get("amount") is None:
            data["purchase"]["price"] = None
    for optional in ("audience", "channel", "said_by"):
        if data.get(optional) == "":
            data[optional] = None


def set_details(element: Element, values: dict[str, str]) -> tuple[Element, list[str]]:
    """The element with `values` (path -> text) set, and the labels of the fields that changed."""
    specs = {spec.path: spec for spec in detail_fields(element)}
    unknown = sorted(set(values) - set(specs))
    if unknown:
        raise DetailRefused(f"a {element.kind_name} has no detail {unknown[0]!r}; it has: {', '.join(specs)}")
    data = element.model_dump()
    for path, text in values.items():
        _put(data, path, parse_detail(specs[path], text))
    _prune(data, element)
    for prefix in ("crossing_metric", "metric"):  # the words it was said in described the old number
        metric, before = data.get(prefix), getattr(element, prefix, None)
        if isinstance(metric, dict) and before is not None and (metric["value"], metric["unit"]) != (before.value, before.unit):
            metric["text"] = None
    try:
        new = type(element).model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        spec = next((s for p, s in specs.items() if where.startswith(p) or p.startswith(where)), None)
        label = spec.label if spec else where
        raise DetailRefused(f"{label}: {first['msg']}; type {spec.hint if spec else 'another value'}") from None
    return new, [s.label for s in specs.values() if detail_text(element, s) != detail_text(new, s)]
