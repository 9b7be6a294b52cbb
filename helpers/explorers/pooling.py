"""The pooling explorer: max, average or depth-wise pooling on a crop of a photo, with
controls that follow each other (see ``widgets`` for the explorer itself)."""

from __future__ import annotations

from ..counting import pool_output_size
from . import compute, draw
from .widgets import Explorer, _ipywidgets, _slider

PHOTO_CROP = ("china.jpg", 200, 300, 24)  # photo, top row, left column, side


def explore_pooling(image=None) -> Explorer:
    """Max, average or depth-wise pooling on a crop of a photo (or ``image``, an
    (H, W, channels) array with values in [0, 1]), and where each pooled value came from."""
    widgets = _ipywidgets()
    source = "your image"
    if image is None:
        from ..images import sample_photos

        name, top, left, side = PHOTO_CROP
        image = sample_photos()[name][top : top + side, left : left + side] / 255
        source = f"{name} rows {top}–{top + side - 1}, cols {left}–{left + side - 1}"
    picture = compute.pool(image, "max", 1)["pooled"]  # validates and copies, as float32
    controls = {
        "mode": widgets.ToggleButtons(options=list(compute.POOL_MODES), value="max",
                                      description="pooling"),
        "pool_size": _slider(widgets, "pool size", 2, 1, 4),
        "stride": _slider(widgets, "stride", 2, 1, 4),
        "row": _slider(widgets, "out row", 1, 0, picture.shape[0] - 1),
        "col": _slider(widgets, "out col", 1, 0, picture.shape[1] - 1),
    }
    _follow_pooling_settings(controls, picture)

    def render(values):
        mode, size, stride = values["mode"], values["pool_size"], values["stride"]
        if mode == "depth-wise" and size == 1:
            raise ValueError("pool size: got 1 in depth-wise mode, which keeps every channel "
                             "as it is; expected a pool size above 1 that divides the "
                             f"{picture.shape[2]} channels")
        result = compute.pool(picture, mode, size, stride)
        rows, cols = result["pooled"].shape[:2]
        row, col = min(values["row"], rows - 1), min(values["col"], cols - 1)
        return draw.pooling_figure(picture, mode, result, size, stride, row, col, source)

    return Explorer("Pooling explorer", controls, render)


def _follow_pooling_settings(controls, picture) -> None:
    """Make the pooling controls follow each other; registered before the explorer's own
    observers, so that the figure is drawn once the controls agree.

    The out row/col sliders end at the output's last row/col; depth-wise mode (which pools
    over channels at every pixel) disables them and the stride, picks a pool size that
    divides the channel count, and gives the previous pool size back when left.
    """
    channels = picture.shape[2]
    saved = {}

    def fit_output(_change=None):
        size, stride = controls["pool_size"].value, controls["stride"].value
        for name, length in [("row", picture.shape[0]), ("col", picture.shape[1])]:
            if size <= length:  # the slider's max also clamps its value
                controls[name].max = pool_output_size(length, size, stride) - 1

    def switch_mode(change):
        depthwise = change["new"] == "depth-wise"
        for name in ("stride", "row", "col"):
            controls[name].disabled = depthwise
        slider = controls["pool_size"]
        if depthwise:
            saved["pool_size"] = slider.value
            if slider.value == 1 or channels % slider.value:
                fits = [k for k in range(2, slider.max + 1) if channels % k == 0]
                slider.value = fits[0] if fits else slider.value
        elif change["old"] == "depth-wise" and "pool_size" in saved:
            slider.value = saved.pop("pool_size")

    controls["mode"].observe(switch_mode, names="value")
    controls["pool_size"].observe(fit_output, names="value")
    controls["stride"].observe(fit_output, names="value")
    fit_output()
