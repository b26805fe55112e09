"""`vsm report` as a consultant meets it: real files, every format, one-line errors."""

from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from agent.storage import save_map
from tests.cli_runner import run_vsm
from tests.map_builders import build, healthy_map_data
from tests.test_report_content import hostile_map

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def map_file(tmp_path: Path) -> Path:
    path = tmp_path / "map.json"
    save_map(path, build(healthy_map_data()))
    return path


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_html_report_is_written_to_the_named_file(map_file: Path, tmp_path: Path) -> None:
    result = run_vsm("report", map_file, "-o", tmp_path / "report.html")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and "wrote" in result.stderr
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Healthy stream" in html
    assert "<svg" in html and "@font-face" in html


@pytest.mark.parametrize(("suffix", "starts"), [
    (".md", "# Healthy stream"), (".mmd", "flowchart LR"), (".svg", "<svg"), (".json", "{"),
])
def test_the_suffix_picks_the_format(map_file: Path, tmp_path: Path, suffix: str, starts: str) -> None:
    target = tmp_path / f"out{suffix}"
    result = run_vsm("report", map_file, "-o", target)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith(starts)


def test_json_is_the_findings(map_file: Path) -> None:
    result = run_vsm("report", map_file, "--format", "json")
    report = json.loads(result.stdout)
    assert report["map_title"] == "Healthy stream" and report["findings"] == []


def test_markdown_goes_to_standard_output_by_default(map_file: Path) -> None:
    result = run_vsm("report", map_file)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Healthy stream: value stream report")


def test_png_is_the_diagram_at_the_asked_scale(map_file: Path, tmp_path: Path) -> None:
    pytest.importorskip("resvg_py", reason="PNG output needs resvg-py")
    one = tmp_path / "one.png"
    two = tmp_path / "two.png"
    assert run_vsm("report", map_file, "-o", one, "--scale", "1").returncode == 0
    assert run_vsm("report", map_file, "-o", two).returncode == 0
    (w1, h1), (w2, h2) = png_size(one.read_bytes()), png_size(two.read_bytes())
    assert (w2, h2) == (2 * w1, 2 * h1) and w1 > 500


def test_png_renders_without_system_fonts_for_a_hostile_map(tmp_path: Path) -> None:
    resvg_py = pytest.importorskip("resvg_py", reason="PNG output needs resvg-py")
    from agent.reports.layout import layout_diagram
    from agent.reports.png import diagram_png

    data = diagram_png(layout_diagram(hostile_map()), scale=1)
    assert png_size(data)[0] > 500
    assert resvg_py is not None


def test_svg_file_is_standalone_with_its_font(map_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "stream.svg"
    assert run_vsm("report", map_file, "-o", target).returncode == 0
    root = ET.parse(target).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "font/ttf;base64" in target.read_text()


@pytest.mark.parametrize(("args", "message"), [
    (["report"], "which map?"),
    (["report", "MAP", "--diff", "MAP", "MAP"], "not both"),
    (["report", "MAP", "-o", "report.docx"], "cannot tell the format from the suffix '.docx'"),
    (["report", "MAP", "--format", "text"], "--format text is not available for a report"),
    (["report", "--diff", "MAP", "MAP", "--format", "png"], "--format png is not available for a diff"),
    (["report", "missing.json"], "no such file"),
    (["report", "MAP", "--format", "png", "-o", "x.png", "--scale", "0"], "--scale 0 is out of range"),
])
def test_mistakes_are_one_line_errors(map_file: Path, tmp_path: Path, args: list[str], message: str) -> None:
    resolved = [str(map_file) if a == "MAP" else str(tmp_path / a) if a.endswith((".docx", ".png")) else a
                for a in args]
    result = run_vsm(*resolved, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_output_to_a_folder_is_refused(map_file: Path, tmp_path: Path) -> None:
    result = run_vsm("report", map_file, "-o", tmp_path, "--format", "html")
    assert result.returncode == 2 and "is a directory" in result.stderr
