"""The diagram as PNG, for slides: the SVG rendered by resvg with the bundled font, no browser needed.

resvg is given the bundled DejaVu Sans files, so the picture is the same on a fresh machine with no
fonts installed. System fonts are loaded only when the map has characters the bundled subset lacks
(CJK, say), so that those still show rather than vanish.
"""

from __future__ import annotations

from agent.errors import VsmError
from agent.reports.layout import DiagramLayout
from agent.reports.svg import diagram_svg
from agent.reports.text_metrics import BOLD_FONT, FONT_FAMILY, REGULAR_FONT, font_metrics

DEFAULT_SCALE = 2.0  # sharp on a projector and in a slide deck zoomed to fit
# Most viewers and slide tools refuse images past 32,767 px a side, and memory grows with the area.
MAX_SIDE = 32_000
MIN_SCALE = 0.5  # below this the text is unreadable: better an SVG or the HTML report


class RenderError(VsmError):
    pass


def fitted_scale(layout: DiagramLayout, scale: float) -> float:
    """`scale`, lowered as far as needed to keep the image within `MAX_SIDE` pixels a side."""
    return min(scale, MAX_SIDE / max(layout.width, layout.height))


def _size(layout: DiagramLayout) -> str:
    return f"{layout.width:.0f} px wide" if layout.width >= layout.height else f"{layout.height:.0f} px tall"


def diagram_png(layout: DiagramLayout, *, scale: float = DEFAULT_SCALE) -> bytes:
    """Render the diagram at `scale` times its CSS pixel size (less, if the image would be too large)."""
    scale = fitted_scale(layout, scale)
    if scale < MIN_SCALE:
        raise RenderError(
            f"the diagram is {_size(layout)}, too large for one readable PNG; write the HTML report "
            "(it zooms), slides (--format pptx: the stream in close-ups) or --format svg instead"
        )
    try:
        import resvg_py  # a compiled wheel: imported only when a PNG is asked for
    except ImportError:
        raise RenderError("PNG output needs the resvg-py package (pip install resvg-py); "
                          "or write --format svg") from None
    svg = diagram_svg(layout, embed_font=False)
    covered = all(font_metrics(line.bold).covers(line.text) for line in layout.texts())
    try:
        data = resvg_py.svg_to_bytes(
            svg_string=svg,
            font_files=[str(REGULAR_FONT), str(BOLD_FONT)],
            font_family=FONT_FAMILY,
            sans_serif_family=FONT_FAMILY,
            skip_system_fonts=covered,
            zoom=scale,
            background="#ffffff",
        )
    except ValueError as err:  # resvg's word for a render failure
        raise RenderError(f"could not render the diagram to PNG ({err}); write --format svg instead") from None
    return bytes(data)
