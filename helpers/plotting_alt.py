"""Text alternatives for the course's figures: a description a screen reader can read.

Every plotting function of ``helpers.plotting`` describes what it drew (the sizes, the
titles, the range of the values, the trend of a training curve) and accepts ``alt=`` for
a description of the learner's own. The description travels with the figure:

- ``figure_alt(fig)`` returns it;
- in a notebook, the figure's picture (``image/png`` or ``image/jpeg``) carries it in the
  output's metadata as ``{"image/png": {"alt": ...}}``, the key nbconvert's templates read
  for the ``alt`` attribute of the ``<img>`` (nbconvert PR #1112; the course's HTML and
  slides templates read it too). A figure drawn with Matplotlib directly gets one with
  ``describe_figure(fig, "...")``.
"""

from __future__ import annotations

import numpy as np

from .validation import describe

ALT_ATTRIBUTE = "_course_alt"
"""The attribute of a matplotlib Figure that holds its text alternative."""

MAX_ALT_CHARS = 2000
"""The longest description accepted: a screen reader reads all of it, aloud."""

LISTED_ITEMS = 12
"""How many titles a default description lists before saying how many more there are."""

_WRAPPED = "_course_alt_wrapped"
_IMAGE_TYPES = ("image/png", "image/jpeg")


def check_alt(alt: object) -> str | None:
    """``alt`` if it is None or a usable description; raise naming ``alt`` if not."""
    if alt is None:
        return None
    if not isinstance(alt, str):
        raise TypeError(f"alt: got {describe(alt)}, expected a description (a string) or None")
    text = " ".join(alt.split())
    if not text or len(text) > MAX_ALT_CHARS:
        raise ValueError(
            f"alt: got a description of {len(text)} characters, expected 1 to "
            f"{MAX_ALT_CHARS} characters saying what the figure shows"
        )
    return text


def describe_figure(fig, alt: str):
    """Give ``fig`` the text alternative ``alt`` and return ``fig``.

    For figures drawn with Matplotlib directly; the course's plotting functions describe
    their figures themselves. Say what the data shows ("validation loss falls from 0.31 to
    0.12 over 12 epochs"), not what kind of picture it is ("figure 3").
    """
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig: got {describe(fig)}, expected a matplotlib Figure")
    text = check_alt(alt)
    if text is None:
        raise TypeError("alt: got None, expected a description (a string)")
    setattr(fig, ALT_ATTRIBUTE, text)
    _install_formatters()
    return fig


def figure_alt(fig) -> str | None:
    """The text alternative of ``fig``, or None when it has none."""
    return getattr(fig, ALT_ATTRIBUTE, None)


def attach(fig, alt: str | None, default: str):
    """Describe ``fig`` by ``alt`` (already checked) or else by ``default``; return it."""
    return describe_figure(fig, alt if alt is not None else default)


def _install_formatters() -> None:
    """In IPython, make every figure picture carry its description in the output metadata.

    The inline backend registers one formatter per picture type for Figure; each is
    wrapped once (again after ``set_matplotlib_formats`` replaces it) so that it returns
    ``(data, {"alt": ...})``, IPython's form for data with metadata.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing displays figures
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure

    formatters = shell.display_formatter.formatters
    for mime in _IMAGE_TYPES:
        formatter = formatters.get(mime)
        if formatter is None:
            continue
        current = formatter.type_printers.get(Figure)
        if current is None or getattr(current, _WRAPPED, False):
            continue
        formatter.for_type(Figure, _with_alt(current))


def _with_alt(draw):
    def picture(fig):
        data = draw(fig)
        text = figure_alt(fig)
        return data if data is None or text is None else (data, {"alt": text})

    setattr(picture, _WRAPPED, True)
    return picture


# ----------------------------------------------------------------- parts of descriptions


def listing(items: list[str], limit: int = LISTED_ITEMS) -> str:
    """``a, b, c`` or ``a, b, ... and 7 more``."""
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown} and {len(items) - limit} more"


def number(value: float) -> str:
    """A value as a reader says it: 3 significant digits, no exponent for everyday sizes."""
    return f"{value:.3g}"


def value_range(array: np.ndarray) -> str:
    """``values from a to b`` of the finite values of ``array``."""
    finite = np.asarray(array, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return "no finite values"
    return f"values from {number(finite.min())} to {number(finite.max())}"


def image_kind(shape: tuple[int, ...], colour: bool) -> str:
    """``28 × 28 grayscale`` or ``64 × 64 colour`` from an image's shape."""
    return f"{shape[0]} × {shape[1]} {'colour' if colour else 'grayscale'}"


def shading(signed: bool, cmap: object) -> str:
    """How a grayscale picture's values are shown, in words: which colour is low, which high.

    ``signed`` pictures are drawn on a scale centred on zero, pictures of data from 0 up;
    ``cmap`` is None for the course's own colour maps, or the name or Colormap the caller
    passed instead.
    """
    if cmap is None:
        if signed:
            return "drawn blue below zero, white at zero and red above"
        return "drawn dark where the value is high (ink) and light where it is 0"
    name, colours = colour_map_colours(cmap)
    low, middle, high = (colour_name(colour) for colour in colours)
    if signed:
        return (
            f"drawn on the {name} colour map, {low} most negative, {middle} at zero and "
            f"{high} most positive"
        )
    if (low, high) == ("white", "black"):
        return (
            f"drawn on the {name} colour map, white where the value is low (background) and "
            "black where it is high (ink)"
        )
    return (
        f"drawn on the {name} colour map, {low} where the value is low and {high} where it is high"
    )


def colour_map_colours(cmap: object) -> tuple[str, tuple[tuple[float, ...], ...]]:
    """The name of ``cmap`` (a registered name or a Colormap) and its low, middle, high colours."""
    import matplotlib

    colormap = matplotlib.colormaps[cmap] if isinstance(cmap, str) else cmap
    return str(colormap.name), tuple(tuple(colormap(point)) for point in (0.0, 0.5, 1.0))


_HUES = (
    (15, "red"),
    (45, "orange"),
    (70, "yellow"),
    (165, "green"),
    (195, "cyan"),
    (255, "blue"),
    (290, "purple"),
    (335, "pink"),
    (361, "red"),
)
"""Hue names by the upper end of their range, in degrees on the colour wheel."""


def colour_name(rgba: tuple[float, ...]) -> str:
    """A plain name for a colour given as red, green, blue (and alpha) from 0 to 1.

    Names a reader can picture (``black``, ``almost white``, ``dark blue``, ``yellow``),
    not an exact shade: enough to tell which end of a colour map is which.
    """
    import colorsys

    red, green, blue = (float(v) for v in rgba[:3])
    hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    if value < 0.08:
        return "black"
    if saturation < 0.15:
        if min(red, green, blue) >= 0.99:
            return "white"
        grays = ((0.9, "almost white"), (0.65, "light gray"), (0.35, "mid-gray"))
        return next((gray for floor, gray in grays if value >= floor), "dark gray")
    degrees = hue * 360
    name = next(hue_name for limit, hue_name in _HUES if degrees < limit)
    if value < 0.5:
        return f"dark {name}"
    if saturation < 0.4 and value > 0.85:
        return f"pale {name}"
    return name
