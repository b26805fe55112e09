"""The offline map of a bundled example, taken to its gold map entirely through `vsm review`'s keys.

    python -m benchmarks.review_to_gold [EXAMPLE ...]

A scripted consultant (Textual's Pilot driving the real app) replays the differences between the
offline extractor's map and the hand-made gold map, using only the app's actions: retype an element
told as the wrong kind, merge one told twice, select the gold's quotes in the transcript to make each
missing element (and add its further quotes), link elements as the gold links them, reject what the
gold does not have, set the choices the gold made (a stage's value link, a loss's kind, the final
threshold, ...), type the gold's numbers and words into the details form (`d`: the purchase's price,
perceived value and accumulated loss, crossing and loss metrics, stage hours, ...), move stages (`<`)
into the gold's order, make the lists inside elements the gold's entry by entry in the list editor (`i`:
an exchange's gives and gets, with a benefit's stage; a stage's improvements, with their quotes selected
in the transcript; a proposition's claims), and accept (or edit to the gold's name) what it does. The
map is then scored against the gold with `vsm eval`'s rules, and its stage order, purchase, metrics and
lists compared with the gold's; the figure to read is how many decisions that took.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from agent.checks.divergence import TextEmbedder
from agent.evaluation import score_map
from agent.evaluation.spans import best_overlap, corresponding_sources, source_keys, spans_of
from agent.mapping import map_transcripts
from agent.review import open_review
from agent.review.details import detail_values
from agent.review.editing import dependents, field_choices, kind_of, locate
from agent.review.entries import NO_STAGE, Entry, EntryList, candidate_quotes, entry_lists, entry_values
from agent.storage.map_files import load_map, save_map
from agent.tui.review import ReviewApp
from agent.tui.review.details_form import DetailsScreen
from agent.tui.review.dialogs import ChooseScreen, NewElementScreen
from agent.tui.review.entries_form import EntriesScreen, EntryFormScreen
from schemas.elements import Benefit, Element, Improvement, Metric, Threshold
from schemas.evaluation import EvaluationReport
from schemas.evidence import Quote, Review
from schemas.value_map import ELEMENT_COLLECTIONS, REFERENCE_FIELDS, REFERENCE_LIST_FIELDS, ValueMap

EXAMPLES = Path(__file__).parents[1] / "transcripts"
# The order in which missing elements are made: what an element stands on is made before it.
MAKE_ORDER = ("stages", "propositions", "veps", "thresholds", "resistances", "exchanges", "duplications", "losses")


@dataclass
class ReplayResult:
    example: str
    before: EvaluationReport
    after: EvaluationReport
    decisions: dict[str, int]
    refused: list[str]
    seconds: float
    findings_before: int
    findings_after: int
    findings_gold: int
    stage_order_equal: bool = False  # the reviewed map's stages, in order, are the gold's counterparts in its order
    purchase_equal: bool = False  # every gold final threshold's counterpart carries the same purchase
    metrics_equal: tuple[int, int] = (0, 0)  # gold metrics (crossing and loss) whose name, value, unit match; of all
    # per list field (customer_gives, organisation_gives, improvements, claims): gold elements whose
    # counterpart's list equals theirs entry by entry (a benefit's stage, an improvement's quotes too); of all
    lists_equal: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.decisions.values())


class Consultant:
    """Presses the review app's keys; knows the gold map, reads the app's session to see the result."""

    def __init__(self, app: ReviewApp, pilot: object, gold: ValueMap, embedder: TextEmbedder | None) -> None:
        self.app, self.pilot, self.gold, self.embedder = app, pilot, gold, embedder
        self.refused: list[str] = []
        pairs = corresponding_sources(app.session.value_map, gold)
        self.source_of_gold = {p.gold_id: p.predicted_id for p in pairs if p.gold_id}
        self.keys = source_keys(pairs, gold)

    @property
    def value_map(self) -> ValueMap:
        return self.app.session.value_map

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)  # type: ignore[attr-defined]
        await self.pilot.pause()  # type: ignore[attr-defined]

    async def select(self, element_id: str) -> None:
        self.app.map_list.focus()
        self.app._select(element_id)
        await self.pilot.pause()  # type: ignore[attr-defined]

    async def choose(self, key: str, words: str) -> None:
        """Press `key`, then narrow the dialog's list to `words` and take the first choice."""
        decided = len(self.app.session.decisions)
        await self.press(key)
        screen = self.app.screen
        assert isinstance(screen, ChooseScreen), f"{key} opened {screen!r}"
        from textual.widgets import Input

        screen.query_one("#choose-filter", Input).value = words
        await self.pilot.pause()  # type: ignore[attr-defined]
        screen.query_one("#choose-filter", Input).focus()
        await self.press("enter")
        self._note_refusal(decided, f"{key} {words}")

    def _note_refusal(self, decided: int, what: str) -> None:
        if len(self.app.session.decisions) == decided:
            self.refused.append(what)

    def score(self) -> EvaluationReport:
        return score_map(self.value_map, self.gold, embedder=self.embedder)

    def counterparts(self) -> dict[str, str]:
        """gold id -> the id of its counterpart in the map under review."""
        return counterparts_in(self.score())

    def same_kind_counterparts(self, have: dict[str, str]) -> Iterator[tuple[Element, str, Element]]:
        """Each gold element with a counterpart of its own kind: (gold element, counterpart id, counterpart)."""
        for gold_element in self.gold.elements():
            mine = have.get(gold_element.id)
            if mine is None:
                continue
            _, element = locate(self.value_map, mine)
            if type(element) is type(gold_element):
                yield gold_element, mine, element

    # -- the steps ----------------------------------------------------------------------------------------

    async def retype_misfiled(self) -> None:
        """An element the gold has as another kind, with the same quotes: retype it."""
        report = self.score()
        unmatched_gold = [(t.element_type.value, u.id) for t in report.types for u in t.unmatched_gold]
        for collection_type in report.types:
            for unmatched in collection_type.unmatched_predicted:
                _, element = locate(self.value_map, unmatched.id)
                if dependents(self.value_map, element.id):
                    continue
                for gold_collection, gold_id in unmatched_gold:
                    if gold_collection == collection_type.element_type.value:
                        continue
                    _, gold_element = locate(self.gold, gold_id)
                    if best_overlap(spans_of(element, self.keys[0]), spans_of(gold_element, self.keys[1])):
                        await self.select(element.id)
                        await self.choose("t", kind_of(gold_collection))
                        unmatched_gold.remove((gold_collection, gold_id))
                        break

    async def merge_repeats(self) -> None:
        """An unmatched element whose quotes overlap a gold element already matched: one element told twice."""
        report = self.score()
        for type_score in report.types:
            matched_by_gold = {m.gold_id: m.predicted_id for m in type_score.matches}
            for unmatched in type_score.unmatched_predicted:
                _, element = locate(self.value_map, unmatched.id)
                for gold_element in getattr(self.gold, type_score.element_type.value):
                    keep = matched_by_gold.get(gold_element.id)
                    if keep and best_overlap(spans_of(element, self.keys[0]), spans_of(gold_element, self.keys[1])):
                        await self.select(keep)
                        await self.choose("m", f"[{element.id}]")
                        break

    async def select_quote(self, source_id: str, start: int, end: int) -> None:
        app = self.app
        if app.source_id != source_id:
            app.source_id = source_id
            app._show_transcript()
        app.transcript_view.focus()
        app.transcript_view.select_offsets(start, end)  # what dragging the mouse over the words does
        await self.pilot.pause()  # type: ignore[attr-defined]

    async def make_missing(self) -> None:
        """Each gold element with no counterpart: select its quote, `n`, its kind and name; `v` for more quotes."""
        have = self.counterparts()
        for collection in MAKE_ORDER:
            for gold_element in getattr(self.gold, collection):
                if gold_element.id in have:
                    continue
                await self.make(collection, gold_element)

    async def make(self, collection: str, gold_element: Element) -> None:
        quotes = [q for q in gold_element.verified_evidence if q.start is not None and q.end is not None
                  and q.source_id in self.source_of_gold]
        if not quotes:
            self.refused.append(f"no quote to select for {gold_element.id}")
            return
        first = quotes[0]
        assert first.start is not None and first.end is not None
        await self.select_quote(self.source_of_gold[first.source_id], first.start, first.end)
        before = {e.id for e in self.value_map.elements()}
        await self.press("n")
        screen = self.app.screen
        if not isinstance(screen, NewElementScreen):
            self.refused.append(f"selection for {gold_element.id} refused")
            return
        from textual.widgets import Input, OptionList

        kinds = screen.query_one("#new-kind", OptionList)
        kinds.highlighted = ELEMENT_COLLECTIONS.index(collection)
        await self.press("enter")
        screen.query_one("#new-name", Input).value = gold_element.name
        await self.press("enter")
        made = [e.id for e in self.value_map.elements() if e.id not in before]
        if not made:
            self.refused.append(f"making {gold_element.id}")
            return
        for quote in quotes[1:]:
            assert quote.start is not None and quote.end is not None
            await self.select_quote(self.source_of_gold[quote.source_id], quote.start, quote.end)
            await self.select(made[0])
            decided = len(self.app.session.decisions)
            await self.press("v")
            self._note_refusal(decided, f"quote for {gold_element.id}")

    async def link_as_gold(self) -> None:
        """Every reference the gold makes, between counterparts, made with `l`."""
        have = self.counterparts()
        for gold_element in self.gold.elements():
            mine = have.get(gold_element.id)
            if mine is None:
                continue
            for field_name in (*REFERENCE_FIELDS, *REFERENCE_LIST_FIELDS):
                value = getattr(gold_element, field_name, None)
                refs = value if isinstance(value, list) else ([value] if isinstance(value, str) else [])
                for ref in refs:
                    target = have.get(ref)
                    if target is None:
                        continue
                    _, current = locate(self.value_map, mine)
                    now = getattr(current, field_name, None)
                    if now == target or (isinstance(now, list) and target in now):
                        continue
                    await self.select(mine)
                    await self.choose("l", f"[{target}]")

    async def reject_extras(self) -> None:
        for type_score in self.score().types:
            for unmatched in type_score.unmatched_predicted:
                if any(e.id == unmatched.id for e in self.value_map.elements()):
                    await self.select(unmatched.id)
                    await self.press("r")

    async def set_fields_as_gold(self) -> None:
        """The gold's choices (a stage's value link, a loss's kind, the final threshold, ...), set with `c`."""
        for gold_element, mine, element in self.same_kind_counterparts(self.counterparts()):
            wanted = {(f, v) for f, v, now in field_choices(gold_element) if now}
            for field_name, value, now in field_choices(element):
                if now == ((field_name, value) in wanted):
                    continue
                _, element = locate(self.value_map, mine)
                still = next(n for f, v, n in field_choices(element) if (f, v) == (field_name, value))
                if still == ((field_name, value) in wanted):
                    continue  # setting one value of a field unset its old one already
                await self.select(mine)
                await self.choose("c", f"{field_name.replace('_', ' ')}: {value.replace('_', ' ')}")

    async def set_details_as_gold(self) -> None:
        """Every detail the gold has that the counterpart lacks (a price, a metric, ...), typed into the form."""
        for gold_element, mine, element in self.same_kind_counterparts(self.counterparts()):
            wanted, now = detail_values(gold_element), detail_values(element)
            if wanted == now:
                continue
            await self.select(mine)
            decided = len(self.app.session.decisions)
            await self.press("d")
            screen = self.app.screen
            assert isinstance(screen, DetailsScreen), f"d opened {screen!r}"
            from textual.widgets import Input

            for box, spec in zip(screen.query(".details-input").results(Input), screen.fields, strict=True):
                box.value = wanted.get(spec.path, "")
            await self.press("enter")
            if isinstance(self.app.screen, DetailsScreen):  # refused in the form: say so and close it
                self.refused.append(f"details of {gold_element.id}")
                await self.press("escape")
            self._note_refusal(decided, f"details of {gold_element.id}")

    # -- the lists inside elements: gives and gets, improvements, claims -------------------------------------

    def wanted_entries(self, gold_element: Element, spec: EntryList, have: dict[str, str]) -> list[Entry] | None:
        """The gold's entries in the reviewed map's terms (its stage ids, its source ids); None if one cannot be."""
        entries: list[Entry] = getattr(gold_element, spec.field)
        for entry in entries:
            stage = entry.delivered_at_stage_id if isinstance(entry, Benefit) else None
            if stage is not None and stage not in have:
                return None
            if isinstance(entry, Improvement) and any(q.source_id not in self.source_of_gold for q in entry.evidence):
                return None
        return [_in_reviewed_terms(entry, have, self.source_of_gold) for entry in entries]

    async def open_entry(self, element_id: str, option_id: str) -> EntriesScreen | None:
        """`i` on the element, then the entry (or its list's "+ add" line) highlighted."""
        await self.select(element_id)
        await self.press("i")
        screen = self.app.screen
        if not isinstance(screen, EntriesScreen):
            self.refused.append(f"i on {element_id} opened {screen!r}")
            return None
        from textual.widgets import OptionList

        listed = screen.query_one("#entries-list", OptionList)
        listed.highlighted = next(n for n in range(listed.option_count) if listed.get_option_at_index(n).id == option_id)
        await self.pilot.pause()  # type: ignore[attr-defined]
        return screen

    async def fill_entry(self, element_id: str, spec: EntryList, index: int | None, want: Entry) -> None:
        """Enter on the entry (or `a` on its list), the gold's values typed and its quotes picked, Ctrl+S."""
        from textual.widgets import Input, Select, SelectionList

        quotes = list(want.evidence) if isinstance(want, Improvement) else []
        for _ in range(len(quotes) + 1):  # a quote neither the entry's nor the stage's: selected, one per opening
            _, element = locate(self.value_map, element_id)
            current = getattr(element, spec.field)[index] if index is not None else None
            offered = {_quote_key(q) for q in candidate_quotes(element, current)}
            missing = next((q for q in quotes if _quote_key(q) not in offered), None)
            if missing is not None:
                assert missing.start is not None and missing.end is not None
                await self.select_quote(missing.source_id, missing.start, missing.end)
            decided = len(self.app.session.decisions)
            entries = await self.open_entry(element_id, f"{spec.field}:{'add' if index is None else index}")
            if entries is None:
                return
            await self.press("enter")
            form = self.app.screen
            assert isinstance(form, EntryFormScreen), f"enter opened {form!r}"
            for name, text in entry_values(want).items():
                widget = form.query_one(f"#entry-{name}")
                if isinstance(widget, Select):
                    widget.value = text if text else NO_STAGE
                elif isinstance(widget, Input):
                    widget.value = text
            if spec.evidence:
                evidence = form.query_one("#entry-evidence", SelectionList)
                for n, (quote, _, _) in enumerate(form.quotes):  # Space on each quote to pick or unpick it
                    if (_quote_key(quote) in {_quote_key(q) for q in quotes}) != (n in evidence.selected):
                        evidence.toggle(n)
            await self.press("ctrl+s")
            if isinstance(self.app.screen, EntryFormScreen):  # refused in the form: say so and close it
                self.refused.append(f"{spec.entry} of {element_id}: {form.query_one('#entry-problem').render()}")
                await self.press("escape")
            await self.press("escape")  # close the list editor
            self._note_refusal(decided, f"{spec.entry} of {element_id}")
            if len(self.app.session.decisions) == decided:
                return
            _, element = locate(self.value_map, element_id)
            index = len(getattr(element, spec.field)) - 1 if index is None else index
            if _same(getattr(element, spec.field)[index], want):
                return

    async def set_lists_as_gold(self) -> None:
        """Each list of each gold element (gives, gets, improvements, claims) made equal, entry by entry, with `i`."""
        have = self.counterparts()
        for gold_element, mine, _ in self.same_kind_counterparts(have):
            for spec in entry_lists(gold_element):
                wanted = self.wanted_entries(gold_element, spec, have)
                if wanted is None:
                    self.refused.append(f"{spec.label.casefold()} of {gold_element.id}: a stage or source has no counterpart")
                    continue
                for index, want in enumerate(wanted):
                    _, element = locate(self.value_map, mine)
                    current = getattr(element, spec.field)
                    if index < len(current) and _same(current[index], want):
                        continue
                    await self.fill_entry(mine, spec, index if index < len(current) else None, want)
                while len(getattr(locate(self.value_map, mine)[1], spec.field)) > len(wanted):
                    decided = len(self.app.session.decisions)
                    if await self.open_entry(mine, f"{spec.field}:{len(wanted)}") is None:
                        break
                    await self.press("x")
                    await self.press("escape")
                    if len(self.app.session.decisions) == decided:
                        self.refused.append(f"removing from {spec.label.casefold()} of {mine}")
                        break

    async def order_stages_as_gold(self) -> None:
        """Each stage, in the gold's order, moved earlier (`<`) until it stands where the gold has it."""
        have = self.counterparts()
        wanted = [have[s.id] for s in sorted(self.gold.stages, key=lambda s: s.order) if s.id in have]
        for place, stage_id in enumerate(wanted):
            current = [s.id for s in sorted(self.value_map.stages, key=lambda s: s.order)]
            for _ in range(current.index(stage_id) - place):
                await self.select(stage_id)
                decided = len(self.app.session.decisions)
                await self.press("less_than_sign")
                self._note_refusal(decided, f"moving {stage_id} earlier")

    async def accept_or_edit(self) -> None:
        have = self.counterparts()
        for gold_element in self.gold.elements():
            mine = have.get(gold_element.id)
            if mine is None:
                continue
            _, element = locate(self.value_map, mine)
            await self.select(mine)
            if element.name != gold_element.name:
                await self.press("e")
                from textual.widgets import Input

                self.app.screen.query_one("#edit-name", Input).value = gold_element.name
                self.app.screen.query_one("#edit-detail", Input).value = gold_element.detail
                self.app.screen.query_one("#edit-name", Input).focus()
                await self.press("enter")
            elif element.provenance.review is Review.PROPOSED:
                await self.press("a")


async def replay_to_gold(example: str, *, embedder: TextEmbedder | None, folder: Path,
                         size: tuple[int, int] = (160, 48)) -> ReplayResult:
    """Map the example offline, review it to its gold in the app, and score before and after."""
    from agent.checks import check_map

    source = EXAMPLES / example
    gold = load_map(source / "map.json")
    offline = map_transcripts(sorted(source.glob("*.md")), interviewers=["Consultant"], embedder=embedder).value_map
    path = folder / f"{example}.json"
    save_map(path, offline)
    session = open_review(path, person="Scripted consultant")
    before = score_map(offline, gold, embedder=embedder)
    started = time.perf_counter()
    app = ReviewApp(session)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        consultant = Consultant(app, pilot, gold, embedder)
        await consultant.retype_misfiled()
        await consultant.merge_repeats()
        await consultant.make_missing()
        await consultant.link_as_gold()
        await consultant.reject_extras()
        await consultant.set_fields_as_gold()
        await consultant.set_details_as_gold()
        await consultant.set_lists_as_gold()
        await consultant.order_stages_as_gold()
        await consultant.accept_or_edit()
        source_of_gold = consultant.source_of_gold
    seconds = time.perf_counter() - started
    reviewed = load_map(path)  # what is on disk, not what is in memory (the session saves every decision)
    after = score_map(reviewed, gold, embedder=embedder)
    have = counterparts_in(after)
    counts: dict[str, int] = {}
    for decision in session.decisions:
        counts[decision.kind.value] = counts.get(decision.kind.value, 0) + 1
    return ReplayResult(example, before, after, counts, consultant.refused,
                        seconds, len(check_map(offline, embedder=embedder).findings),
                        len(check_map(reviewed, embedder=embedder).findings),
                        len(check_map(gold, embedder=embedder).findings),
                        *compare_numbers(reviewed, gold, have), lists_equal=compare_lists(reviewed, gold, have, source_of_gold))


def _quote_key(quote: Quote) -> tuple[str, int | None, int | None, str]:
    return quote.source_id, quote.start, quote.end, quote.text


def _same(entry: Entry, want: Entry) -> bool:
    """Equal as a person sees an entry: its fields, and for an improvement the places its quotes stand."""
    if isinstance(entry, Improvement) and isinstance(want, Improvement):
        return (entry.description == want.description
                and [_quote_key(q) for q in entry.evidence] == [_quote_key(q) for q in want.evidence])
    return entry == want


def compare_lists(reviewed: ValueMap, gold: ValueMap, have: dict[str, str],
                  source_of_gold: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Per list (gives, gets, improvements, claims): gold elements whose counterpart's list equals theirs; of all."""
    mine = {e.id: e for e in reviewed.elements()}
    found: dict[str, tuple[int, int]] = {}
    for gold_element in gold.elements():
        for spec in entry_lists(gold_element):
            counterpart = mine.get(have.get(gold_element.id, ""))
            equal = counterpart is not None and type(counterpart) is type(gold_element)
            if equal:
                assert counterpart is not None
                wanted = [_in_reviewed_terms(e, have, source_of_gold) for e in getattr(gold_element, spec.field)]
                got = getattr(counterpart, spec.field)
                equal = len(got) == len(wanted) and all(_same(a, b) for a, b in zip(got, wanted, strict=True))
            done, total = found.get(spec.field, (0, 0))
            found[spec.field] = (done + int(equal), total + 1)
    return found


def counterparts_in(report: EvaluationReport) -> dict[str, str]:
    """gold id -> the id of its counterpart, as a score matched them."""
    return {m.gold_id: m.predicted_id for t in report.types for m in t.matches}


def _in_reviewed_terms(entry: Entry, have: dict[str, str], source_of_gold: dict[str, str]) -> Entry:
    if isinstance(entry, Benefit) and entry.delivered_at_stage_id is not None:
        return entry.model_copy(update={"delivered_at_stage_id": have.get(entry.delivered_at_stage_id, "?")})
    if isinstance(entry, Improvement):
        return entry.model_copy(update={"evidence": [
            q.model_copy(update={"source_id": source_of_gold.get(q.source_id, "?")}) for q in entry.evidence]})
    return entry


def _metric_key(metric: Metric | None) -> tuple[str, float | None, str | None] | None:
    return None if metric is None else (metric.name, metric.value, metric.unit)


def compare_numbers(reviewed: ValueMap, gold: ValueMap, have: dict[str, str]) -> tuple[bool, bool, tuple[int, int]]:
    """Whether the reviewed map has the gold's stage order and purchase, and how many gold metrics it matches."""
    mine = {e.id: e for e in reviewed.elements()}
    order = [s.id for s in sorted(reviewed.stages, key=lambda s: s.order)]
    stage_order = order == [have.get(s.id) for s in sorted(gold.stages, key=lambda s: s.order)]
    finals = [t for t in gold.thresholds if t.is_final]
    purchase = bool(finals) and all(isinstance(mine.get(have.get(t.id, "")), Threshold)
                                    and mine[have[t.id]].purchase == t.purchase for t in finals)  # type: ignore[attr-defined]
    metrics = [(g, getattr(g, "crossing_metric", None) or getattr(g, "metric", None)) for g in gold.elements()]
    metrics = [(g, m) for g, m in metrics if m is not None]
    matched = sum(1 for g, m in metrics if g.id in have and _metric_key(
        getattr(mine[have[g.id]], "crossing_metric", None) or getattr(mine[have[g.id]], "metric", None)) == _metric_key(m))
    return stage_order, purchase, (matched, len(metrics))


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _lists(found: dict[str, tuple[int, int]]) -> str:
    return " / ".join("{}/{}".format(*found.get(name, (0, 0)))
                      for name in ("customer_gives", "organisation_gives", "improvements", "claims"))


def main(examples: list[str]) -> None:
    from agent.semantics import embedder_from_settings

    embedder = embedder_from_settings("minilm")
    names = examples or sorted(p.name for p in EXAMPLES.iterdir() if (p / "map.json").is_file())
    print("| example | F1 before | F1 after | P / R after | stage order = gold | purchase = gold | metrics = gold "
          "| gives / gets / improvements / claims = gold | decisions | of which | findings offline / reviewed / gold "
          "| refused | time |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            result = asyncio.run(replay_to_gold(name, embedder=embedder, folder=Path(folder)))
            after = result.after.overall
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(result.decisions.items(), key=lambda kv: -kv[1]))
            print(f"| {name} | {_f(result.before.overall.f1)} | {_f(after.f1)} | {_f(after.precision)} / "
                  f"{_f(after.recall)} | {'yes' if result.stage_order_equal else 'no'} | "
                  f"{'yes' if result.purchase_equal else 'no'} | {result.metrics_equal[0]}/{result.metrics_equal[1]} | "
                  f"{_lists(result.lists_equal)} | "
                  f"{result.total} | {kinds} | {result.findings_before} / {result.findings_after}"
                  f" / {result.findings_gold} | {len(result.refused)} | {result.seconds:.1f} s |")
            for what in result.refused:
                print(f"  refused: {what}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
