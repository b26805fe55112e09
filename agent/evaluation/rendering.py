"""An evaluation report as plain text (the terminal) and Markdown: the score table, then what did not match."""

from __future__ import annotations

from agent.reports.markdown_text import md_text
from schemas.evaluation import EvaluationReport, MatchedPair, MeaningComparison, SourceLink, Tally, UnmatchedElement

# Unmatched elements listed per type and side; the JSON output has them all.
UNMATCHED_SHOWN = 5

_COLUMNS = ("type", "gold", "predicted", "TP", "P", "R", "F1")


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _row(label: str, tally: Tally) -> tuple[str, ...]:
    return (label, str(tally.gold), str(tally.predicted), str(tally.true_positives),
            _figure(tally.precision), _figure(tally.recall), _figure(tally.f1))


def table_rows(report: EvaluationReport) -> list[tuple[str, ...]]:
    rows = [_row(score.element_type.value, score) for score in report.types]
    rows.append(_row("overall (micro)", report.overall))
    return rows


def matching_notes(report: EvaluationReport) -> list[str]:
    """How elements were matched, in words, so a reader knows what the figures mean."""
    rule = report.rule
    evidence = (f"Evidence: quotes overlap when, in the same source, they share at least {rule.min_shared_fraction:.0%} "
                f"of the shorter quote or {rule.min_shared_chars} characters.")
    if rule.meaning is MeaningComparison.EMBEDDER:
        meaning = f"Meaning: compared with {rule.embedder} (cosine >= {rule.min_similarity:.2f})."
    else:
        meaning = ("Meaning: not compared (no embedder); elements match by evidence span overlap, "
                   "or by identical text only.")
    notes = [evidence, meaning,
             "Pairs are one-to-one, greedy by combined score: shared evidence first, then closer spans and meaning."]
    linked = [f"{p.predicted_id} = {p.gold_id}" for p in report.sources if p.link is SourceLink.SAME_PATH]
    if linked:
        notes.append(f"Sources matched by path: {', '.join(linked)}.")
    orphans = [p.predicted_id for p in report.sources if p.link is SourceLink.NONE]
    if orphans:
        notes.append(f"Sources with no gold counterpart (by id or path), so their quotes cannot match: {', '.join(orphans)}.")
    return notes


def _title(report: EvaluationReport) -> str:
    predicted = report.predicted_title or "the predicted map"
    gold = report.gold_title or "the gold map"
    return f"Evaluation of {predicted} against gold {gold}"


def _unmatched_sections(report: EvaluationReport) -> list[tuple[str, list[tuple[str, list[UnmatchedElement]]]]]:
    """(heading, [(type, elements)]) for each side, leaving out types with nothing unmatched."""
    return [
        ("In gold, not predicted (missed)",
         [(s.element_type.value, s.unmatched_gold) for s in report.types if s.unmatched_gold]),
        ("Predicted, not in gold (extra)",
         [(s.element_type.value, s.unmatched_predicted) for s in report.types if s.unmatched_predicted]),
    ]


def _listed(elements: list[UnmatchedElement]) -> tuple[list[UnmatchedElement], int]:
    return elements[:UNMATCHED_SHOWN], max(0, len(elements) - UNMATCHED_SHOWN)


def _pair_text(pair: MatchedPair) -> str:
    why = [f"shared {pair.shared_chars} chars"] if pair.shared_chars else []
    if pair.similarity is not None:
        why.append(f"similarity {pair.similarity:.2f}")
    return (f"{pair.predicted_name} [{pair.predicted_id}] -> {pair.gold_name} [{pair.gold_id}]: "
            f"{pair.basis.value}, score {pair.score:.2f} ({', '.join(why)})")


def evaluation_as_text(report: EvaluationReport, *, show_matches: bool = False) -> str:
    out = [_title(report), *matching_notes(report), ""]
    rows = [_COLUMNS, *table_rows(report)]
    first = max(len(row[0]) for row in rows)
    widths = [max(len(row[i]) for row in rows) for i in range(1, len(_COLUMNS))]
    for row in rows:
        cells = [row[0].ljust(first), *(cell.rjust(width) for cell, width in zip(row[1:], widths, strict=True))]
        out.append("   ".join(cells))
    for heading, sections in _unmatched_sections(report):
        out.extend(["", heading])
        for kind, elements in sections:
            shown, more = _listed(elements)
            out.append(f"   {kind} ({len(elements)})")
            out.extend(f"      {e.name} [{e.id}]" for e in shown)
            if more:
                out.append(f"      ... and {more} more")
        if not sections:
            out.append("   none")
    if show_matches:
        out.extend(["", "Matched pairs"])
        for score in report.types:
            if score.matches:
                out.append(f"   {score.element_type.value} ({len(score.matches)})")
                out.extend(f"      {_pair_text(pair)}" for pair in score.matches)
        if not any(score.matches for score in report.types):
            out.append("   none")
    return "\n".join(out) + "\n"


def _md_cell(text: str) -> str:
    """Names come from transcripts: inert Markdown, on one line of a table."""
    return md_text(text)


def evaluation_as_markdown(report: EvaluationReport, *, show_matches: bool = False) -> str:
    out = [f"# {_md_cell(_title(report))}", "", *(f"- {note}" for note in matching_notes(report)), ""]
    out.append("| " + " | ".join(_COLUMNS) + " |")
    out.append("| --- |" + " ---: |" * (len(_COLUMNS) - 1))
    out.extend("| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in table_rows(report))
    for heading, sections in _unmatched_sections(report):
        out.extend(["", f"## {heading}", ""])
        for kind, elements in sections:
            shown, more = _listed(elements)
            names = ", ".join(f"{_md_cell(e.name)} (`{e.id}`)" for e in shown)
            out.append(f"- **{kind}** ({len(elements)}): {names}" + (f", and {more} more" if more else ""))
        if not sections:
            out.append("None.")
    if show_matches:
        out.extend(["", "## Matched pairs", ""])
        pairs = [(score.element_type.value, pair) for score in report.types for pair in score.matches]
        out.extend(f"- {kind}: {_md_cell(_pair_text(pair))}" for kind, pair in pairs)
        if not pairs:
            out.append("None.")
    return "\n".join(out) + "\n"
