"""The genogram SVG as a PNG image, rendered on the server with resvg.

Text is drawn with the DejaVu fonts installed from the npm registry (``make install``),
not with whatever fonts the server has, so the image is the same on every machine.
"""

import pathlib
import re

import resvg_py

FONT_NAMES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
SCALE = 2.0  # sharp on a projector and in a printed report
MAX_PIXELS = 40_000_000  # a 3,000-person family stays a file a laptop can open


class PngError(RuntimeError):
    """The PNG could not be made (fonts missing, SVG refused by the renderer)."""


def font_files(node_modules):
    """The font files the PNG needs; PngError names the one that is missing."""
    folder = pathlib.Path(node_modules) / "dejavu-fonts-ttf" / "ttf"
    paths = [folder / name for name in FONT_NAMES]
    for path in paths:
        if not path.is_file():
            raise PngError(f"font {path} is missing: run 'make install'")
    return [str(path) for path in paths]


def scale_for(width, height):
    """The zoom: SCALE, or less for a drawing so large that it would pass MAX_PIXELS."""
    area = max(width * height, 1.0)
    return min(SCALE, (MAX_PIXELS / area) ** 0.5)


def svg_size(svg):
    """(width, height) of the root element of an SVG document."""
    root = re.search(r"<svg\b[^>]*>", svg)
    sizes = [
        re.search(rf'\s{name}="([0-9.]+)"', root.group()) if root else None
        for name in ("width", "height")
    ]
    if not all(sizes):
        raise PngError("the SVG has no width and height")
    return tuple(float(size.group(1)) for size in sizes)


def render_png(svg, fonts):
    """PNG bytes of ``svg`` on a white background."""
    width, height = svg_size(svg)
    try:
        data = resvg_py.svg_to_bytes(
            svg_string=svg,
            background="#ffffff",
            zoom=scale_for(width, height),
            skip_system_fonts=True,
            font_files=fonts,
            font_family="DejaVu Sans",
            sans_serif_family="DejaVu Sans",
        )
    except ValueError as error:
        raise PngError(f"the SVG could not be rendered: {error}") from error
    return bytes(data)
