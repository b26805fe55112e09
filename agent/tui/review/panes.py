"""The review's map list (the interview's `MapList`, plus flat filtered views) and its findings list."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from agent.tui.findings.findings_view import _SEVERITY
from agent.tui.map_pane.map_list import MapList, element_row, map_options
from schemas.elements import Element
from schemas.findings import CheckReport
from schemas.value_map import ValueMap


class ReviewMapList(MapList):
    """The whole map as the interview shows it, or (filtered) a flat list of the elements that pass."""

    def show_elements(self, value_map: ValueMap, shown: Sequence[Element] | None, heading: str = "") -> None:
        selected = self.selected_id
        if shown is None:
            options = _once_each(map_options(value_map, (), self._rows))
        else:
            options = [Option(Content.styled(heading, "bold underline"), disabled=True)]
            options += [Option(element_row(e, value_map), id=e.id) for e in shown]
            if not shown:
                options.append(Option(Content.styled("Nothing passes this filter (f changes it).", "$text-muted"),
                                      disabled=True))
        self.set_options(options)
        try:
            self.highlighted = self.get_option_index(selected) if selected else None
        except OptionDoesNotExist:
            self.highlighted = None
        if self.highlighted is None:
            self.highlighted = next((i for i, o in enumerate(self.options) if not o.disabled), None)

    def element_ids(self) -> list[str]:
        return [o.id for o in self.options if o.id is not None and not o.disabled and " " not in o.id]

    def select_id(self, element_id: str) -> bool:
        try:
            self.highlighted = self.get_option_index(element_id)
        except OptionDoesNotExist:
            return False
        return True


def _once_each(options: Iterable[Option]) -> list[Option]:
    """The interview's rows, each element once: a resistance is listed under every threshold of its VEP,
    and a map under review may have two thresholds on one VEP until someone fixes it."""
    seen: set[str] = set()
    kept = []
    for option in options:
        if option.id is None or option.id not in seen:
            kept.append(option)
            if option.id is not None:
                seen.add(option.id)
    return kept


def finding_row(report: CheckReport, index: int) -> Content:
    finding = report.findings[index]
    icon, style = _SEVERITY[finding.severity]
    count = len(finding.element_ids)
    return Content.assemble((f"{icon} ", style), (finding.code, "bold"),
                            (f"  {count} element{'' if count == 1 else 's'}" if count else "", "$text-muted"),
                            "\n  ", finding.reason, "\n  ", (f"→ {finding.next_question}", "italic $accent"))


class FindingsList(OptionList):
    """One option per finding (its id is its index); Enter on one shows its elements in the map."""

    _report: CheckReport | None = None

    def show(self, report: CheckReport) -> None:
        if report == self._report:
            return
        self._report = report
        highlighted = self.highlighted
        self.set_options([Option(finding_row(report, i), id=str(i)) for i in range(len(report.findings))]
                         or [Option(Content.styled("No findings: the checks flag nothing.", "$text-muted"),
                                    disabled=True)])
        if highlighted is not None and highlighted < self.option_count:
            self.highlighted = highlighted
