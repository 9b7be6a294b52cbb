"""What the explorers show, computed with NumPy and Keras only: no drawing, no widgets.

Every function here is a plain function of arrays and integers, so the tests check it
against Keras' own layers without a browser.
"""

from __future__ import annotations

import numpy as np

from ..counting import PADDINGS, conv_output_size, pool_output_size
from ..validation import as_array, describe, positive_int, show_value

KERNEL_PRESETS = {
    "vertical edge": np.array([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]], dtype="float32"),
    "horizontal edge": np.array([[-1, -1, -1], [0, 0, 0], [1, 1, 1]], dtype="float32"),
    "blur": np.full((3, 3), 1 / 9, dtype="float32"),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype="float32"),
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype="float32"),
}
POOL_MODES = ("max", "average", "depth-wise")


# ----------------------------------------------------------------------------- inputs


def grayscale(name: str, image: object) -> np.ndarray:
    """``image`` as a float32 (height, width) array: (H, W), (H, W, 1) and (H, W, 3) accepted.

    Colour images become their channel mean; values keep their scale.
    """
    array = as_array(
        name, image, ndims=(2, 3), finite=True,
        expected="a (height, width) or (height, width, channels) image",
    )
    if array.ndim == 3:
        if array.shape[-1] not in (1, 3):
            raise ValueError(
                f"{name}: got {array.shape[-1]} channels in shape {array.shape}, "
                "expected 1 (grayscale) or 3 (colour)"
            )
        array = array.mean(axis=-1)
    return array.astype("float32")


def kernel_2d(name: str, kernel: object) -> np.ndarray:
    """``kernel`` as a float32 (height, width) array of finite numbers."""
    return as_array(name, kernel, ndims=2, finite=True, expected="a (height, width) kernel")\
        .astype("float32")


def random_kernel(seed: int, size: int = 3) -> np.ndarray:
    """A (size, size) kernel of weights drawn uniformly from [-1, 1], the same for one seed."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: got {show_value(seed)}, expected an integer >= 0")
    size = positive_int("size", size)
    return np.random.default_rng(int(seed)).uniform(-1, 1, (size, size)).astype("float32")


# ------------------------------------------------------------------------ convolution


def convolution_map(image: object, kernel: object) -> np.ndarray:
    """The valid, stride-1 convolution of a 2-D image with a 2-D kernel (no bias).

    As Keras computes it (a cross-correlation: the kernel is not flipped). Output shape:
    (height - kh + 1, width - kw + 1).
    """
    image = grayscale("image", image)
    kernel = kernel_2d("kernel", kernel)
    if kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]:
        raise ValueError(
            f"kernel: got shape {kernel.shape}, expected at most the image's {image.shape}"
        )
    windows = np.lib.stride_tricks.sliding_window_view(image, kernel.shape)
    return np.einsum("ijkl,kl->ij", windows, kernel, dtype="float64").astype("float32")


def convolution_step(image: object, kernel: object, row: int, col: int) -> dict:
    """One window of the convolution at output position (row, col).

    Returns ``patch`` (the pixels under the kernel), ``product`` (patch × kernel, element
    by element) and ``value`` (their sum: the output pixel).
    """
    image = grayscale("image", image)
    kernel = kernel_2d("kernel", kernel)
    rows = image.shape[0] - kernel.shape[0] + 1
    cols = image.shape[1] - kernel.shape[1] + 1
    row = _index("row", row, rows)
    col = _index("col", col, cols)
    patch = image[row : row + kernel.shape[0], col : col + kernel.shape[1]]
    product = patch * kernel
    return {"patch": patch, "product": product, "value": float(product.sum(dtype="float64"))}


def _index(name: str, value: object, count: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) \
            or not 0 <= value < count:
        raise ValueError(
            f"{name}: got {show_value(value)}, expected an integer from 0 to {count - 1}"
        )
    return int(value)


def model_filters(model) -> tuple[str, np.ndarray]:
    """(layer name, (kh, kw, filters) kernels) of the model's first one-channel Conv2D layer.

    Only a layer that reads a single channel has filters that apply to a 2-D image.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model: got {describe(model)}, expected a Keras model")
    for layer in _all_layers(model):
        if isinstance(layer, keras.layers.Conv2D) and layer.built:
            kernel = np.asarray(layer.get_weights()[0])
            if kernel.shape[2] == 1:
                return layer.name, kernel[:, :, 0, :].astype("float32")
    raise ValueError(
        f"model: got {model.name!r}, expected a model with a built Conv2D layer that reads one "
        "channel (a grayscale input)"
    )


def model_filter(model, index: int = 0) -> tuple[str, np.ndarray]:
    """(layer name, (kh, kw) kernel) of filter ``index`` of ``model_filters(model)``."""
    name, kernels = model_filters(model)
    return name, kernels[..., _index("index", index, kernels.shape[-1])]


def _all_layers(model):
    for layer in model.layers:
        if hasattr(layer, "layers"):  # a nested model
            yield from _all_layers(layer)
        else:
            yield layer


# ------------------------------------------------------------------------ output size


def output_geometry(size: int, kernel: int, stride: int = 1, padding: str = "valid") -> dict:
    """Where a window of ``kernel`` moved by ``stride`` lands along one side of ``size`` pixels.

    Returns ``output`` (the course's formula, ``helpers.checks.conv_output_size``),
    ``pad_before`` and ``pad_after`` (zeros added; Keras puts the odd one after) and
    ``starts`` (each window's first index, in padded coordinates).
    """
    output = conv_output_size(size, kernel, stride, padding)
    if padding == "same":
        total = max((output - 1) * stride + kernel - size, 0)
        before, after = total // 2, total - total // 2
    else:
        before = after = 0
    starts = [position * stride for position in range(output)]
    return {"output": output, "pad_before": before, "pad_after": after, "starts": starts}


def keras_output_size(size: int, kernel: int, stride: int = 1, padding: str = "valid") -> int:
    """The output height of a real ``keras.layers.Conv2D`` on a (size, size, 1) input."""
    import keras

    size = positive_int("size", size)
    if padding not in PADDINGS:
        raise ValueError(f"padding: got {show_value(padding)}, expected 'valid' or 'same'")
    layer = keras.layers.Conv2D(1, positive_int("kernel", kernel),
                                strides=positive_int("stride", stride), padding=padding)
    return int(layer.compute_output_shape((1, size, size, 1))[1])


# ---------------------------------------------------------------------------- pooling


def pool(image: object, mode: str = "max", pool_size: int = 2, strides: int | None = None) -> dict:
    """Pool a (height, width, channels) image; say where each pooled value came from.

    ``mode``: ``"max"`` or ``"average"`` over pool_size × pool_size windows moved by
    ``strides`` (default: pool_size), each channel alone, no padding; or ``"depth-wise"``,
    the maximum over groups of ``pool_size`` neighbouring channels at each pixel (as
    ``helpers.layers.DepthwiseMaxPool2D``). Returns ``pooled`` and ``source``: for max
    pooling the (row, col) in the input of each maximum, shape (out_h, out_w, C, 2); for
    depth-wise pooling the input channel of each maximum, shape (H, W, groups); None for
    average pooling (every value in the window counts).
    """
    array = as_array("image", image, ndims=3, finite=True,
                     expected="a (height, width, channels) image").astype("float32")
    if mode not in POOL_MODES:
        raise ValueError(f"mode: got {show_value(mode)}, expected one of {POOL_MODES}")
    pool_size = positive_int("pool_size", pool_size)
    if mode == "depth-wise":
        return _depthwise(array, pool_size)
    stride = pool_size if strides is None else positive_int("strides", strides)
    out_h = pool_output_size(array.shape[0], pool_size, stride)
    out_w = pool_output_size(array.shape[1], pool_size, stride)
    windows = np.lib.stride_tricks.sliding_window_view(array, (pool_size, pool_size), (0, 1))
    windows = windows[::stride, ::stride][:out_h, :out_w]  # (out_h, out_w, C, k, k)
    flat = windows.reshape(out_h, out_w, array.shape[2], pool_size * pool_size)
    if mode == "average":
        return {"pooled": flat.mean(axis=-1), "source": None}
    best = flat.argmax(axis=-1)
    rows = np.arange(out_h)[:, None, None] * stride + best // pool_size
    cols = np.arange(out_w)[None, :, None] * stride + best % pool_size
    return {"pooled": flat.max(axis=-1), "source": np.stack([rows, cols], axis=-1)}


def _depthwise(array: np.ndarray, pool_size: int) -> dict:
    channels = array.shape[2]
    if channels % pool_size:
        raise ValueError(
            f"pool_size: got {pool_size}, expected a divisor of the image's {channels} channels"
        )
    grouped = array.reshape(*array.shape[:2], channels // pool_size, pool_size)
    offsets = np.arange(0, channels, pool_size)
    return {"pooled": grouped.max(axis=-1), "source": grouped.argmax(axis=-1) + offsets}
