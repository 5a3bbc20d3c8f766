"""How large the genogram's text comes out on the conference projector. Pure: no Flask.

In the conference's family step (``templates/conference/_live.html``, projector mode,
``body.projector``) the SVG fills the stage that ``fitConferenceGenogram`` in
``static/app.js`` sizes to the rest of the screen; the browser scales the drawing to fit
that box whole (``preserveAspectRatio`` "xMidYMid meet", the SVG default), so every text
is drawn at its ``font-size`` times one scale.
"""

from xml.etree import ElementTree  # noqa: S405 - reads the app's own drawings

# The box the projector stage gives the SVG at a 1920x1080 viewport, measured in
# headless chromium (tests/browser/test_genogram_projector.py checks it stays so): the
# stage's width less its border, and the screen's height below the conference bar and
# the agenda (two rows of step names), less the stage's margin.
SCREEN = (1920, 1080)
STAGE = (1873, 896)

SVG = "{http://www.w3.org/2000/svg}"


def stage_box(width=SCREEN[0], height=SCREEN[1]):
    """The drawing's box on a ``width`` x ``height`` screen: what the page around the
    stage takes at 1920x1080 is taken off any other size too (it is set in px and rem)."""
    return max(1.0, width - (SCREEN[0] - STAGE[0])), max(1.0, height - (SCREEN[1] - STAGE[1]))


def _root(svg):
    """The parsed drawing: ``svg`` as text, or already parsed."""
    if isinstance(svg, str):
        return ElementTree.fromstring(svg)  # noqa: S314 - the app's own drawing
    return svg


def view_box(svg):
    """``(x, y, width, height)`` of the SVG's ``viewBox``."""
    x, y, width, height = (float(v) for v in _root(svg).get("viewBox").replace(",", " ").split())
    return x, y, width, height


def fit_scale(svg, width=SCREEN[0], height=SCREEN[1]):
    """How many px one SVG unit takes when the drawing is fitted whole into the stage."""
    box_width, box_height = stage_box(width, height)
    _, _, view_width, view_height = view_box(svg)
    return min(box_width / view_width, box_height / view_height)


def font_sizes(svg):
    """The ``font-size`` of every text in the drawing (a ``tspan`` may set its own)."""
    root = _root(svg)
    sizes = []
    for text in root.iter(f"{SVG}text"):
        size = float(text.get("font-size", 16))
        sizes.append(size)
        sizes += [float(span.get("font-size", size)) for span in text.iter(f"{SVG}tspan")]
    return sizes


def smallest_label_px(svg_text, width=SCREEN[0], height=SCREEN[1]):
    """The smallest text of the drawing in px on a ``width`` x ``height`` projector
    (1920x1080 by default), the drawing fitted to the stage; None without any text."""
    root = _root(svg_text)
    sizes = font_sizes(root)
    if not sizes:
        return None
    return min(sizes) * fit_scale(root, width, height)
