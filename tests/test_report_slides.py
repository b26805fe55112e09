"""`vsm report --format pptx`: the deck, reopened with python-pptx and checked slide by slide, and rendered
by LibreOffice Impress to PDF and PNG (pdftoppm) as PowerPoint, Keynote or Google Slides would show it.

The render skips where LibreOffice or pdftoppm is missing (CI installs them); the pages go to
`artifacts/` for a person to look at.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.presentation import Presentation as Deck

from agent.checks import check_map
from agent.reports.content import report_content
from agent.reports.layout import CardKind, layout_diagram
from agent.reports.slides import CLOSE_UP_COLUMNS, FONT, _windows
from agent.reports.synthetic_map import synthetic_map
from agent.storage import load_map, save_map
from agent.synthesis.synthesize import synthesize
from schemas import ValueMap
from schemas.findings import CoreQuestion
from tests.cli_runner import run_vsm
from tests.map_builders import SEPARATE_BUSINESSES, build, healthy_map_data

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "transcripts" / "legal-platform" / "map.json"
ARTIFACTS = ROOT / "artifacts"


def slide_texts(deck: Deck) -> list[str]:
    return ["\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) for slide in deck.slides]


def pictures(slide: object) -> list[object]:
    return [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def example_deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deck") / "deck.pptx"
    result = run_vsm("report", EXAMPLE, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stderr
    return out


def test_the_deck_reopens_with_every_slide_in_order(example_deck: Path) -> None:
    value_map = load_map(EXAMPLE)
    content = report_content(value_map, check_map(value_map))
    deck = Presentation(str(example_deck))
    texts = slide_texts(deck)
    # Title slide: the map's title and what the report holds.
    assert value_map.title in texts[0] and "Value stream report" in texts[0]
    # The stream: an overview, then close-ups that are pictures of the diagram.
    assert texts[1].startswith("The stream") and len(pictures(deck.slides[1])) == 1
    slots = sum(1 for c in layout_diagram(value_map).cards() if c.kind not in (CardKind.DUPLICATION, CardKind.LOSS))
    close_ups = [t for t in texts if "close-up" in t.split("\n")[0]]
    assert len(close_ups) == -(-slots // CLOSE_UP_COLUMNS)
    # One slide (or more, continued) per core question, in order, with every finding and its quotes.
    headings = [next(i for i, t in enumerate(texts) if t.startswith(f"{q.number}. {q.text}")) for q in CoreQuestion]
    assert headings == sorted(headings)
    for question, findings in content.questions:
        own = "\n".join(t for t in texts if t.startswith(f"{question.number}. {question.text}"))
        if not findings:
            assert "Nothing flagged." in own
        for view in findings:
            assert view.finding.reason in own and view.finding.next_question in own
            quotes = [q.text for e in view.elements for q in e.quotes]
            assert quotes[0] in own, "a finding is shown with the words behind it"
    # Surviving Value: perceived value 110, accumulated loss 40, price 49.
    last = texts[-1]
    assert last.startswith("Surviving Value at") and "110 − 40 = 70" in last and "more than the price" in last


def test_every_run_is_in_a_standard_font_and_every_shape_on_the_slide(example_deck: Path) -> None:
    deck = Presentation(str(example_deck))
    width, height = deck.slide_width, deck.slide_height
    assert width is not None and height is not None and width / height == pytest.approx(16 / 9, abs=0.01)
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, number
            assert shape.left + shape.width <= width and shape.top + shape.height <= height, number
            if shape.has_text_frame:
                fonts = {run.font.name for p in shape.text_frame.paragraphs for run in p.runs}
                assert fonts <= {FONT}, (number, fonts)


def test_an_engagement_map_gets_an_overview_per_value_stream(tmp_path: Path) -> None:
    maps = [load_map(ROOT / "transcripts" / name / "map.json") for name in SEPARATE_BUSINESSES]
    engagement = synthesize(maps).value_map
    save_map(tmp_path / "engagement.json", engagement)
    result = run_vsm("report", tmp_path / "engagement.json", "--format", "pptx", "-o", tmp_path / "out.pptx")
    assert result.returncode == 0, result.stderr
    texts = slide_texts(Presentation(str(tmp_path / "out.pptx")))
    overviews = [t for t in texts if t.startswith("Value stream ") and "close-up" not in t.split("\n")[0]]
    streams = len(maps)  # each bundled example is one business
    assert [t.split("\n")[0] for t in overviews] == [f"Value stream {i} of {streams}" for i in range(1, streams + 1)]
    # Counted on the map reported: where two businesses' final thresholds share a name, synthesis takes them for
    # one element and keeps the first one's scorecard.
    stated = sum(t.purchase is not None and t.purchase.surviving_value is not None for t in engagement.thresholds)
    assert stated > 0
    assert sum(t.startswith("Surviving Value at") for t in texts) == stated


def test_no_surviving_value_slide_without_a_final_gate_that_has_one(tmp_path: Path) -> None:
    data = healthy_map_data()
    for threshold in data["thresholds"]:
        threshold.pop("purchase", None)
    save_map(tmp_path / "map.json", build(data))
    result = run_vsm("report", tmp_path / "map.json", "-o", tmp_path / "deck.pptx")
    assert result.returncode == 0, result.stderr
    texts = slide_texts(Presentation(str(tmp_path / "deck.pptx")))
    assert not any(t.startswith("Surviving Value") for t in texts)
    assert any(t.startswith("1. ") for t in texts)


@pytest.mark.parametrize("stages", [3, 12, 60])
def test_close_ups_cover_every_column_once_and_whole(stages: int) -> None:
    layout = layout_diagram(synthetic_map(stages))
    row = layout.rows[0]
    windows = _windows(row)
    columns = [c for c in row.cards if c.kind not in (CardKind.DUPLICATION, CardKind.LOSS)]
    if len(columns) <= CLOSE_UP_COLUMNS:
        assert windows == []
        return
    for earlier, later in itertools.pairwise(windows):
        assert earlier.box.right == pytest.approx(later.box.x), "close-ups meet edge to edge"
    for card in columns:
        assert sum(w.box.contains(card.box) for w in windows) == 1, card.tag
    for card in (c for c in row.cards if c not in columns):
        assert any(w.box.contains(card.box) for w in windows), f"{card.tag} is whole in one close-up"


def test_a_deck_is_never_written_raw_to_a_terminal(tmp_path: Path) -> None:
    import os
    import pty
    import sys

    leader, follower = pty.openpty()  # standard output is a terminal, as when a user forgets -o
    try:
        result = subprocess.run([sys.executable, "-m", "agent.cli", "report", str(EXAMPLE), "--format", "pptx"],
                                stdout=follower, stderr=subprocess.PIPE, text=True, timeout=120, check=False,
                                env={**os.environ, "VSM_EMBEDDER": "none"})
    finally:
        os.close(follower)
    os.set_blocking(leader, False)
    try:
        written = os.read(leader, 4096)
    except (BlockingIOError, OSError):
        written = b""
    os.close(leader)
    assert result.returncode == 2
    assert "give -o FILE.pptx" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert b"PK" not in written


SOFFICE = shutil.which("soffice")
PDFTOPPM = shutil.which("pdftoppm")


@pytest.mark.skipif(not (SOFFICE and PDFTOPPM), reason="needs LibreOffice Impress (soffice) and pdftoppm "
                    "(apt-get install libreoffice-impress poppler-utils); CI installs them")
def test_libreoffice_renders_every_slide(example_deck: Path, tmp_path: Path) -> None:
    from PIL import Image

    assert SOFFICE and PDFTOPPM
    profile = tmp_path / "lo-profile"  # its own profile: another LibreOffice running does not block it
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(example_deck)], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "deck.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    subprocess.run([PDFTOPPM, "-r", "60", "-png", str(pdf), str(tmp_path / "slide")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("slide-*.png"))
    assert len(pages) == len(Presentation(str(example_deck)).slides)
    ARTIFACTS.mkdir(exist_ok=True)
    for page in pages:
        image = Image.open(page).convert("L")
        inked = sum(count for value, count in enumerate(image.histogram()) if value < 128)
        assert inked > 200, f"{page.name} is blank"
        shutil.copy(page, ARTIFACTS / f"deck-legal-platform-{page.stem}.png")
    # The stream slide shows the diagram: much of it is coloured cards, not white.
    stream = Image.open(pages[1]).convert("RGB")
    coloured = sum(1 for r, g, b in stream.get_flattened_data() if max(r, g, b) - min(r, g, b) > 20)
    assert coloured > 0.02 * stream.width * stream.height


def test_the_deck_holds_map_text_as_text(tmp_path: Path) -> None:
    data = healthy_map_data()
    data["title"] = "<script>alert(1)</script> & co"
    value_map: ValueMap = build(data)
    save_map(tmp_path / "map.json", value_map)
    result = run_vsm("report", tmp_path / "map.json", "-o", tmp_path / "deck.pptx")
    assert result.returncode == 0, result.stderr
    assert slide_texts(Presentation(str(tmp_path / "deck.pptx")))[0].startswith("<script>alert(1)</script> & co")
