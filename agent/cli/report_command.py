"""`vsm report MAP`: the report a consultant hands over (HTML, slides, Markdown, Mermaid, SVG, PNG, JSON).

`vsm report --diff OLD NEW` shows what changed between two versions of a map. The format follows
`--format`, else the output file's suffix, else Markdown on standard output (readable in a terminal).
A PNG or a slide deck (pptx) without `-o` is refused when standard output is a terminal (before any
drawing), and written as bytes when it is redirected or piped; every other format is text and may go to
the terminal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from agent.checks import check_map
from agent.cli.options import add_embedder_option, embedder_from_args, map_path_from_args
from agent.errors import VsmError
from agent.regular_files import check_output_path
from agent.storage import load_map
from agent.storage.atomic import write_bytes_atomic
from schemas.findings import CheckReport
from schemas.value_map import ValueMap

FORMATS = ("html", "pptx", "md", "mermaid", "svg", "png", "json")
DIFF_FORMATS = ("html", "md", "text", "json")
SUFFIX_FORMATS = {
    ".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".mmd": "mermaid",
    ".mermaid": "mermaid", ".svg": "svg", ".png": "png", ".json": "json", ".txt": "text", ".pptx": "pptx",
}
DIAGRAM_ONLY = ("mermaid", "svg", "png")


class ReportUsageError(VsmError):
    pass


PNG_ON_TERMINAL = "a PNG is binary and would garble the terminal; give -o FILE.png (or redirect: > FILE.png)"
PPTX_ON_TERMINAL = "a slide deck is binary and would garble the terminal; give -o FILE.pptx (or redirect: > FILE.pptx)"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the report to hand over: HTML, slides (pptx), Markdown, Mermaid, SVG/PNG diagram, JSON; or a diff",
        description="Render a map as a self-contained HTML report (diagram, findings with verified evidence, "
        "summary figures, loss chains), as slides to hand over (pptx: the stream, findings by core question, "
        "Surviving Value), as Markdown, as a Mermaid flowchart, as the diagram alone (SVG or PNG, "
        "for slides) or as the findings in JSON. With --diff OLD NEW, show what changed between two versions.",
        epilog="examples: vsm report map.json -o report.html | vsm report map.json -o deck.pptx | "
        "vsm report map.json --format png -o stream.png | "
        "vsm report --diff old.json new.json -o changes.html",
    )
    parser.add_argument("map", type=Path, nargs="?", help="the map's JSON file (default: the workspace's map)")
    parser.add_argument("--diff", type=Path, nargs=2, metavar=("OLD", "NEW"),
                        help="compare two versions of a map instead of rendering one")
    parser.add_argument("-o", "--output", type=Path,
                        help="the file to write (its suffix picks the format); default: standard output")
    parser.add_argument("--format", choices=sorted(set(FORMATS) | set(DIFF_FORMATS)),
                        help="html, pptx, md, mermaid, svg, png or json (diff: html, md, text or json); "
                        "default: from the output's suffix, else md")
    parser.add_argument("--scale", type=float, default=2.0, help="PNG pixels per diagram pixel (default 2)")
    add_embedder_option(parser)
    parser.set_defaults(run=run)


def output_format(args: argparse.Namespace, allowed: tuple[str, ...]) -> str:
    """The format asked for, or the one the output file's suffix names, or Markdown."""
    if args.format:
        chosen: str = args.format
    elif args.output is not None:
        suffix = args.output.suffix.lower()
        if suffix not in SUFFIX_FORMATS:
            raise ReportUsageError(
                f"{args.output}: cannot tell the format from the suffix {suffix or '(none)'!r}; "
                f"pass --format ({', '.join(allowed)})"
            )
        chosen = SUFFIX_FORMATS[suffix]
    else:
        chosen = "md"
    if chosen not in allowed:
        what = "a diff" if allowed == DIFF_FORMATS else "a report"
        raise ReportUsageError(f"--format {chosen} is not available for {what}; use one of: {', '.join(allowed)}")
    return chosen


def run(args: argparse.Namespace) -> int:
    if args.output is not None and str(args.output) == "-":
        args.output = None
    if args.diff and args.map:
        raise ReportUsageError("give either a MAP or --diff OLD NEW, not both")
    if args.output is not None:
        check_output_path(args.output, example_name="report.html")  # before loading, checking and drawing
    if args.diff:
        data = render_diff(args)
    else:
        args.map = map_path_from_args(args.map)
        data = render_report(args)
    emit(data, args.output)
    return 0


def _check(value_map: ValueMap, args: argparse.Namespace) -> CheckReport:
    return check_map(value_map, embedder=embedder_from_args(args))


def render_report(args: argparse.Namespace) -> bytes:
    """The bytes of one map's report in the chosen format; checks run only where findings are shown."""
    chosen = output_format(args, FORMATS)
    if chosen in ("png", "pptx") and args.output is None and _stdout_is_terminal():
        # before loading and drawing: nothing to wait for
        raise ReportUsageError(PNG_ON_TERMINAL if chosen == "png" else PPTX_ON_TERMINAL)
    value_map = load_map(args.map)
    if chosen == "mermaid":
        from agent.reports.mermaid import map_mermaid

        return map_mermaid(value_map).encode("utf-8")
    if chosen in ("svg", "png"):
        from agent.reports.layout import layout_diagram

        layout = layout_diagram(value_map)
        if chosen == "png":
            if args.scale <= 0 or args.scale > 8:
                raise ReportUsageError(f"--scale {args.scale:g} is out of range; use a number above 0, up to 8")
            from agent.reports.png import diagram_png, fitted_scale

            if fitted_scale(layout, args.scale) < args.scale:
                print(f"vsm: the diagram is {layout.width:.0f} x {layout.height:.0f} px; drawing it at scale "
                      f"{fitted_scale(layout, args.scale):.2f} to keep the PNG within reach of viewers",
                      file=sys.stderr)
            return diagram_png(layout, scale=args.scale)
        from agent.reports.svg import diagram_svg

        return diagram_svg(layout).encode("utf-8")
    report = _check(value_map, args)
    if chosen == "json":
        return (report.model_dump_json(indent=2) + "\n").encode("utf-8")
    if chosen == "pptx":
        from agent.reports.slides import report_slides

        return report_slides(value_map, report)
    if chosen == "md":
        from agent.reports.markdown import report_markdown

        return report_markdown(value_map, report).encode("utf-8")
    from agent.reports.html import report_html

    return report_html(value_map, report, source_name=args.map.name).encode("utf-8")


def render_diff(args: argparse.Namespace) -> bytes:
    from agent.reports.diff import diff_maps, diff_markdown, diff_text

    chosen = output_format(args, DIFF_FORMATS)
    old_path, new_path = args.diff
    old, new = load_map(old_path), load_map(new_path)
    diff = diff_maps(old, new, _check(old, args), _check(new, args))
    if chosen == "json":
        return (diff.model_dump_json(indent=2) + "\n").encode("utf-8")
    if chosen == "text":
        return diff_text(diff).encode("utf-8")
    if chosen == "md":
        return diff_markdown(diff).encode("utf-8")
    from agent.reports.html import diff_html

    return diff_html(diff).encode("utf-8")


def emit(data: bytes, output: Path | None) -> None:
    """Write to the output file atomically, or to standard output (never binary to a terminal)."""
    if output is not None and str(output) != "-":
        if output.is_dir():
            raise ReportUsageError(f"{output}: is a directory; name the file to write, e.g. {output / 'report.html'}")
        try:
            write_bytes_atomic(output, data)
        except OSError as err:
            raise ReportUsageError(f"{output}: cannot be written ({err.strerror}); check the folder") from None
        print(f"wrote {output} ({_size(len(data))})", file=sys.stderr)
        return
    binary = {b"\x89PNG": PNG_ON_TERMINAL, b"PK\x03\x04": PPTX_ON_TERMINAL}
    refusal = next((message for magic, message in binary.items() if data.startswith(magic)), None)
    if refusal is not None:
        if _stdout_is_terminal():
            raise ReportUsageError(refusal)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
    else:  # text goes through the terminal sanitiser like every other printer's
        sys.stdout.write(data.decode("utf-8"))
    sys.stdout.flush()


def _stdout_is_terminal() -> bool:
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())


def _size(count: int) -> str:
    return f"{count} bytes" if count < 2048 else f"{count / 1024:.0f} KB"
