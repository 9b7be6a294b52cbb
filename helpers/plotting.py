"""Plots the course draws again and again: images, grids, training curves, mistakes, filters.

Every function returns the matplotlib Figure it drew on, so a notebook can save it with
``helpers.images.save_figure``. The notebook shows it with ``plt.show()``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .validation import as_array, describe, positive_int, same_length


def _pyplot():
    import matplotlib.pyplot as plt

    return plt


def _draw(ax, image: np.ndarray, title: str | None, cmap: str | None = None) -> None:
    """Draw one image on ``ax``: grayscale with a fixed black-to-white scale, or colour."""
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    if image.ndim == 2:
        if cmap is None:
            cmap = "gray_r" if image.dtype == np.uint8 else "gray"
        # A fixed range for uint8 so two images keep comparable shades.
        limits = (0, 255) if image.dtype == np.uint8 else (None, None)
        ax.imshow(image, cmap=cmap, vmin=limits[0], vmax=limits[1])
    else:
        ax.imshow(image)
    if title is not None:
        ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])


def _panel_size(value: object) -> tuple[float, float]:
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 2
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in value)
    ):
        raise ValueError(f"panel_size: got {value!r}, expected (width, height) in inches, both > 0")
    return float(value[0]), float(value[1])


def show_image(image: np.ndarray, title: str | None = None, cmap: str | None = None):
    """Show one image: (h, w) or (h, w, 1) as grayscale, (h, w, 3) as colour.

    uint8 grayscale digits are drawn dark on light (``gray_r``), as on paper; pass
    ``cmap`` to choose another colour map.
    """
    array = as_array(
        "image", image, ndims=(2, 3), expected="a (height, width) or (height, width, 1 or 3) image"
    )
    if array.ndim == 3 and array.shape[-1] not in (1, 3):
        raise ValueError(
            f"image: got {array.shape[-1]} channels in shape {array.shape}, expected 1 or 3"
        )
    plt = _pyplot()
    size = (3, 3) if array.shape[0] <= 64 else (6.4, 4.3)
    fig, ax = plt.subplots(figsize=size, layout="constrained")
    _draw(ax, array, title, cmap)
    return fig


def plot_image_grid(
    images: np.ndarray,
    titles: Sequence[str] | None = None,
    ncols: int = 5,
    cmap: str | None = None,
    suptitle: str | None = None,
    panel_size: tuple[float, float] = (1.6, 1.8),
):
    """Show a batch of images in a grid, each with its title (e.g. its label).

    ``images`` has shape (n, h, w), (n, h, w, 1) or (n, h, w, 3). ``panel_size`` is the
    (width, height) in inches of one image with its title: raise it for photos.
    """
    batch = as_array(
        "images", images, ndims=(3, 4), expected="a batch (n, height, width[, channels])"
    )
    if batch.ndim == 4 and batch.shape[-1] not in (1, 3):
        raise ValueError(
            f"images: got {batch.shape[-1]} channels in shape {batch.shape}, expected 1 or 3"
        )
    ncols = positive_int("ncols", ncols)
    if titles is not None:
        same_length(("images", "titles"), batch, titles)
    count = len(batch)
    ncols = min(ncols, count)
    nrows = -(-count // ncols)
    plt = _pyplot()
    width, height = _panel_size(panel_size)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False, layout="constrained"
    )
    for index, ax in enumerate(axes.flat):
        if index < count:
            _draw(ax, batch[index], None if titles is None else str(titles[index]), cmap)
        else:
            ax.axis("off")
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def plot_history(history, title: str | None = None):
    """Loss and accuracy per epoch, for training and (when present) validation data.

    ``history`` is what ``model.fit`` returns, or its ``.history`` dict.
    """
    curves = getattr(history, "history", history)
    if not isinstance(curves, dict):
        raise TypeError(f"history: got {describe(history)}, expected a Keras History or its dict")
    if not curves or not any(len(values) for values in curves.values()):
        raise ValueError("history: got an empty history, expected at least one epoch of metrics")
    if "loss" not in curves:
        raise ValueError(f"history: got keys {sorted(curves)}, expected at least 'loss'")
    metrics = ["loss"] + (["accuracy"] if "accuracy" in curves else [])
    plt = _pyplot()
    fig, axes = plt.subplots(
        1, len(metrics), figsize=(5 * len(metrics), 3.4), squeeze=False, layout="constrained"
    )
    for ax, metric in zip(axes[0], metrics, strict=True):
        epochs = np.arange(1, len(curves[metric]) + 1)
        ax.plot(epochs, curves[metric], "o-", label="training")
        if f"val_{metric}" in curves:
            ax.plot(epochs, curves[f"val_{metric}"], "s--", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.set_title(metric.capitalize())
        ax.set_xticks(epochs if len(epochs) <= 20 else epochs[:: len(epochs) // 10])
        ax.grid(True, alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    return fig


def misclassified_indices(true_labels, predicted_labels, count: int = 15) -> np.ndarray:
    """Indices of the first ``count`` mistakes, in dataset order: the same ones every run.

    >>> misclassified_indices([1, 2, 3, 4], [1, 0, 3, 0])
    array([1, 3])
    """
    true = as_array("true_labels", true_labels, ndims=1, expected="a 1-D array of labels")
    predicted = as_array(
        "predicted_labels", predicted_labels, ndims=1, expected="a 1-D array of labels"
    )
    same_length(("true_labels", "predicted_labels"), true, predicted)
    count = positive_int("count", count)
    return np.flatnonzero(true != predicted)[:count]


def plot_misclassified(
    images: np.ndarray,
    true_labels,
    predicted_labels,
    class_names: Sequence[str] | None = None,
    count: int = 15,
    ncols: int = 5,
):
    """A grid of misclassified images titled "true → predicted".

    The selection is deterministic and has no duplicates: the first ``count`` mistakes in
    dataset order (see ``misclassified_indices``).
    """
    batch = as_array(
        "images", images, ndims=(3, 4), expected="a batch (n, height, width[, channels])"
    )
    same_length(("images", "true_labels"), batch, true_labels)
    chosen = misclassified_indices(true_labels, predicted_labels, count)
    if len(chosen) == 0:
        raise ValueError("predicted_labels: every prediction is right, nothing to show")

    def name(label) -> str:
        return str(label) if class_names is None else class_names[int(label)]

    titles = [f"{name(true_labels[i])} → {name(predicted_labels[i])}" for i in chosen]
    fig = plot_image_grid(batch[chosen], titles, ncols=ncols)
    fig.suptitle(f"{len(chosen)} misclassified images (true → predicted)")
    return fig


def plot_feature_maps(
    maps: np.ndarray,
    titles: Sequence[str] | None = None,
    ncols: int = 4,
    cmap: str = "gray",
    suptitle: str | None = None,
    panel_size: tuple[float, float] = (1.6, 1.8),
):
    """Show the channels of one feature-map tensor side by side.

    ``maps`` has shape (height, width, channels) — one image's output of a convolution
    layer — and each channel is drawn with its own grayscale range (bright = strong
    response). Pass a (1, h, w, c) batch of one and it is unwrapped.
    """
    array = as_array("maps", maps, ndims=(3, 4), expected="a (height, width, channels) tensor")
    if array.ndim == 4:
        if array.shape[0] != 1:
            raise ValueError(
                f"maps: got a batch of {array.shape[0]} in shape {array.shape}, "
                "expected one image's maps (height, width, channels)"
            )
        array = array[0]
    channels = np.moveaxis(array, -1, 0)
    if titles is None:
        titles = [f"channel {c}" for c in range(len(channels))]
    return plot_image_grid(
        channels.astype(np.float32),
        titles,
        ncols=ncols,
        cmap=cmap,
        suptitle=suptitle,
        panel_size=panel_size,
    )


def plot_filters(
    kernel: np.ndarray,
    titles: Sequence[str] | None = None,
    ncols: int = 8,
    suptitle: str | None = None,
    panel_size: tuple[float, float] = (1.7, 1.9),
):
    """Show the filters of a Conv2D kernel of shape (kh, kw, in_channels, filters).

    With 3 input channels each filter is drawn in colour (rescaled to [0, 1] together, so
    filters stay comparable); otherwise the first input channel is drawn on a diverging
    blue-to-red scale centred on zero.
    """
    weights = as_array(
        "kernel", kernel, ndims=4, expected="a Conv2D kernel (height, width, in_channels, filters)"
    )
    count = weights.shape[-1]
    if titles is None:
        titles = [f"filter {f}" for f in range(count)]
    same_length(("kernel filters", "titles"), range(count), titles)
    ncols = min(positive_int("ncols", ncols), count)
    nrows = -(-count // ncols)
    plt = _pyplot()
    width, height = _panel_size(panel_size)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False, layout="constrained"
    )
    if weights.shape[2] == 3:
        low, high = weights.min(), weights.max()
        scaled = (weights - low) / (high - low) if high > low else np.zeros_like(weights)
    limit = float(np.abs(weights[:, :, 0, :]).max()) or 1.0
    for index, ax in enumerate(axes.flat):
        if index >= count:
            ax.axis("off")
            continue
        if weights.shape[2] == 3:
            ax.imshow(scaled[:, :, :, index])
        else:
            ax.imshow(weights[:, :, 0, index], cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.set_title(str(titles[index]))
        ax.set_xticks([])
        ax.set_yticks([])
    if suptitle:
        fig.suptitle(suptitle)
    return fig
