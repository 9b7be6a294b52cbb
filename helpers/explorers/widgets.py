"""The explorers' controls: ipywidgets sliders and menus around a figure that redraws.

Only widget API common to ipywidgets 7.7 (Colab) and 8 (the course's pin) is used:
``IntSlider`` (its ``max`` and ``disabled`` set from code too), ``Dropdown``,
``ToggleButtons``, ``Image``, ``HTML``, ``HBox``, ``VBox`` and ``observe(..., names="value")``.

Displayed, an explorer sends one output holding the live widget and a PNG of its first
state, with that state's text alternative in the output's metadata (``alt``): JupyterLab
and Colab show the widget, and where no kernel runs (a static HTML page, the slides,
GitHub) the PNG stands in for it.
"""

from __future__ import annotations

import base64
import gc
import html

import numpy as np

from ..plotting_alt import figure_alt
from . import compute, draw
from .trained import ModelProbe, check_class_names, check_images, check_labels, occlusion

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _ipywidgets():
    try:
        import ipywidgets
    except ImportError as error:
        raise ImportError(
            "the explorers need ipywidgets: pip install ipywidgets (Colab has it already)"
        ) from error
    return ipywidgets


class Explorer:
    """Controls, a figure that redraws when a control moves, and a line of messages.

    ``controls`` maps names to widgets; set ``controls[name].value`` from code to move
    one (the figure redraws as if the learner had moved it). ``figure_png`` holds the
    PNG on show and ``alt`` its text alternative; ``first_png`` and ``first_alt`` the first
    state, which the display stores for readers without a kernel.
    """

    def __init__(self, title: str, controls: dict, render):
        widgets = _ipywidgets()
        self.title = title
        self.controls = controls
        self._render = render
        self.image = widgets.Image(format="png")
        self.message = widgets.HTML(value="")
        # Controls in rows that wrap; the figure at its own size (not stretched to the box).
        self.widget = widgets.VBox(
            [widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap")),
             self.message, self.image],
            layout=widgets.Layout(align_items="flex-start"),
        )
        self.first_png = self.first_alt = self.alt = None
        for control in controls.values():
            control.observe(self._changed, names="value")
        self.update()
        self.first_png, self.first_alt = self.figure_png, self.alt

    @property
    def figure_png(self) -> bytes:
        return bytes(self.image.value)

    def _changed(self, _change) -> None:
        self.update()

    def update(self) -> None:
        """Redraw from the controls' values; a bad combination shows a message and a blank
        figure that says the same (never a picture of an earlier setting).

        A figure is thousands of objects in reference cycles. Left to the cyclic garbage
        collector, some survive into its oldest generation, and every dozen updates or so
        a full collection runs over everything the kernel holds (TensorFlow alone is
        hundreds of thousands of objects): a pause of about 0.3 s. So the collector waits
        while one figure is drawn, and then collects only the youngest generation, where
        that figure's garbage still is: a few milliseconds, and the old generation does
        not grow. The collector is switched back on only if it was on before.
        """
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._redraw()
        finally:
            if was_enabled:
                gc.enable()
        gc.collect(0)

    def _redraw(self) -> None:
        try:
            figure = self._render({name: c.value for name, c in self.controls.items()})
            self.message.value = ""
        except ValueError as error:
            self.message.value = f"<b>Not possible:</b> {html.escape(str(error), quote=False)}"
            figure = draw.blank_figure(f"Not possible: {error}")
        self.alt = figure_alt(figure) or self.title
        self.image.value = draw.png(figure)

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {
            WIDGET_VIEW: {"version_major": 2, "version_minor": 0,
                          "model_id": self.widget.model_id},
            "image/png": base64.b64encode(self.first_png).decode("ascii"),
            "text/plain": f"{self.title} (interactive in a running notebook; "
                          "the figure shows its first state)",
        }
        return data, {"image/png": {"alt": self.first_alt}}


def _slider(widgets, description, value, low, high):
    return widgets.IntSlider(value=value, min=low, max=high, description=description,
                             continuous_update=False)


# ------------------------------------------------------------------------ convolution


def explore_convolution(image, model=None, name: str = "your image") -> Explorer:
    """Move a kernel over an image and watch each output pixel, and the feature map, form.

    ``image``: a (height, width) or (height, width, 1 or 3) array, e.g. a digit, with floats
    from 0 to 1 or integers from 0 to 255 (uint8, as loaded), which are divided by 255: every
    input is drawn and computed on one 0-1 scale. ``name`` labels it in the menu (e.g. "test
    digit"), which also offers a patch of a sample photo. Kernels: hand-made presets, a
    random one (its seed on the "number" slider), and, given a trained ``model``, the filters
    of its first one-channel Conv2D layer (the filter's index on the "number" slider, which
    is disabled for the presets). The row and col sliders end at the feature map's last pixel.
    """
    widgets = _ipywidgets()
    if not isinstance(name, str) or not name.strip() or name == "photo patch":
        raise (ValueError if isinstance(name, str) else TypeError)(
            f"name: got {name!r}, expected a non-empty label other than 'photo patch'")
    inputs = {name: _pixels(image)}
    inputs["photo patch"] = _photo_patch(inputs[name].shape)
    kernels, numbers, learned = [*compute.KERNEL_PRESETS, "random"], 64, None
    if model is not None:
        layer, learned = compute.model_filters(model)
        kernels.append(f"{layer} filter")
        numbers = learned.shape[-1]
    height, width = inputs[name].shape
    # Start where the default kernel answers most strongly: a window with something in it.
    start = compute.convolution_map(inputs[name], compute.KERNEL_PRESETS["vertical edge"])
    row, col = np.unravel_index(int(np.abs(start).argmax()), start.shape)
    controls = {
        "input": widgets.Dropdown(options=list(inputs), value=name, description="input"),
        "kernel": widgets.Dropdown(options=kernels, value="vertical edge", description="kernel"),
        "number": _slider(widgets, "number", 0, 0, numbers - 1),
        "row": _slider(widgets, "row", int(row), 0, height - 1),
        "col": _slider(widgets, "col", int(col), 0, width - 1),
    }
    _follow_convolution_settings(controls, inputs, learned)
    cache = {}

    def render(values):
        picture = inputs[values["input"]]
        kernel = _kernel(values["kernel"], values["number"], learned)
        key = (values["input"], values["kernel"], values["number"])
        if key not in cache:
            cache.clear()
            cache[key] = compute.convolution_map(picture, kernel)
        feature_map = cache[key]
        row = min(values["row"], feature_map.shape[0] - 1)
        col = min(values["col"], feature_map.shape[1] - 1)
        step = compute.convolution_step(picture, kernel, row, col)
        title = (f"{values['kernel']} on {values['input']}: output pixel ({row}, {col}) = "
                 f"{step['value']:.3g}")
        return draw.convolution_figure(picture, kernel, feature_map, step, row, col, title)

    return Explorer("Convolution explorer", controls, render)


def _follow_convolution_settings(controls, inputs, learned) -> None:
    """Registered before the explorer's own observers: the row and col sliders end at the
    feature map's last pixel, and "number" is enabled only where it picks a kernel."""

    def fit(_change=None):
        kernel = _kernel(controls["kernel"].value, controls["number"].value, learned)
        height, width = inputs[controls["input"].value].shape
        controls["number"].disabled = controls["kernel"].value in compute.KERNEL_PRESETS
        controls["row"].max = max(height - kernel.shape[0], 0)  # also clamps the value
        controls["col"].max = max(width - kernel.shape[1], 0)

    controls["input"].observe(fit, names="value")
    controls["kernel"].observe(fit, names="value")
    fit()


def _pixels(image) -> np.ndarray:
    """``image`` in grayscale on the 0-1 scale: integers from 0 to 255 are divided by 255."""
    picture = compute.grayscale("image", image)  # checks shape and values, as float32
    integers = np.asarray(image).dtype.kind in "iu"
    low, high = float(picture.min()), float(picture.max())
    if low >= 0 and high <= (255 if integers else 1):
        return picture / 255 if integers else picture
    raise ValueError(
        f"image: got {'integers' if integers else 'floats'} from {low:g} to {high:g}, expected "
        "floats from 0 to 1 or integers from 0 to 255 (uint8, as loaded)")


def _kernel(name, number, learned):
    if name in compute.KERNEL_PRESETS:
        return compute.KERNEL_PRESETS[name]
    if name == "random":
        return compute.random_kernel(number)
    return learned[..., number]


def _photo_patch(shape) -> np.ndarray:
    from ..images import sample_photos

    photo = sample_photos()["china.jpg"].mean(axis=-1) / 255
    return photo[150 : 150 + shape[0], 130 : 130 + shape[1]].astype("float32")


# ------------------------------------------------------------------------ output size


def explore_output_size(size: int = 7, kernel: int = 3, stride: int = 1,
                        padding: str = "valid") -> Explorer:
    """Input size, kernel, stride and padding on controls: the windows a convolution visits,
    and its output size from the formula and from a real ``keras.layers.Conv2D``."""
    widgets = _ipywidgets()
    compute.output_geometry(size, kernel, stride, padding)  # bad arguments raise here
    controls = {
        "size": _slider(widgets, "input size", size, 3, max(16, size)),
        "kernel": _slider(widgets, "kernel", kernel, 1, max(7, kernel)),
        "stride": _slider(widgets, "stride", stride, 1, max(4, stride)),
        "padding": widgets.ToggleButtons(options=["valid", "same"], value=padding,
                                         description="padding"),
    }

    def render(values):
        geometry = compute.output_geometry(values["size"], values["kernel"],
                                           values["stride"], values["padding"])
        keras_size = compute.keras_output_size(values["size"], values["kernel"],
                                               values["stride"], values["padding"])
        return draw.output_size_figure(values["size"], values["kernel"], values["stride"],
                                       values["padding"], geometry, keras_size)

    return Explorer("Output-size explorer", controls, render)


# ---------------------------------------------------------------------- trained model


def explore_model(model, images, class_names=None, where: bool = False,
                  labels=None) -> Explorer:
    """Pick a layer and an image: the layer's feature maps for it (blue below 0, white at 0,
    red above, on one scale with a colour bar), what the model predicts, the true class if
    ``labels`` (one class number per image) are given, and (``where=True``) where it looked,
    by occlusion: in orange, how much covering each part lowers the predicted class's
    probability, on a fixed scale (full orange at 0.05 or the largest drop, if larger).
    Works on any Keras model with a single input and at least one layer that outputs
    feature maps."""
    widgets = _ipywidgets()
    probe = ModelProbe(model)
    batch = check_images(model, images)
    labels = None if labels is None else check_labels(probe, labels, len(batch))
    class_names = check_class_names(probe, class_names)
    named = str if class_names is None else class_names.__getitem__  # class number -> text
    if where and not probe.classifies():
        raise ValueError(f"where: got True for {model.name!r}, which is not a classifier")
    controls = {
        "layer": widgets.Dropdown(options=probe.layers, value=probe.layers[0],
                                  description="layer"),
        "image": _slider(widgets, "image", 0, 0, len(batch) - 1),
    }
    heats = {}

    def render(values):
        picture = batch[values["image"]]
        maps, scores = probe.look(picture, values["layer"])
        heading, heat = f"image {values['image']}", None
        if probe.classifies():
            best = int(scores.argmax())
            true = "" if labels is None else f"label {named(labels[values['image']])}, "
            heading = f"image {values['image']}: {true}predicted {named(best)}"
            if where:
                if values["image"] not in heats:
                    heats[values["image"]] = occlusion(probe, picture, best, named(best))
                heat = heats[values["image"]]
        return draw.model_figure(picture, maps, values["layer"], heading, heat)

    return Explorer("Feature-map explorer", controls, render)
