"""Property-based tests: every public function of ``helpers``, fed generated input.

Each test states one property: whatever it is given (arrays of every dtype, rank and size,
NaN and infinity, empty arrays, NumPy scalars, strings, None, mismatched lengths), a helper
either returns a correct result, checked against a plain reference computation, or raises
a ``ValueError``, ``TypeError`` or ``DataError`` whose message names the argument at fault.
Any other exception, and any warning from NumPy or Matplotlib, fails the test.

Two Hypothesis profiles, chosen with the ``HYPOTHESIS_PROFILE`` environment variable:

- ``fast`` (the default, used by ``make test``): 60 examples per test, generated the same
  way on every run (``derandomize``), no example database: deterministic; about 2,000
  inputs in under 20 s on a busy 2-core machine.
- ``thorough``: 400 random examples per test (3-4 minutes here), remembered in the
  system's temporary folder (``cnn-course-hypothesis/``, never the repository) so that a
  failure found once is tried first next time::

      HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest tests/test_properties.py \\
          --hypothesis-show-statistics

Heavy work is kept out of the examples: Keras models are built once per module (except
the tiny ones whose output shapes are the property), figures are small and drawn at a low
resolution, and data files hold a few images.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import math
import os
import tempfile
import warnings
import zipfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, assume, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

import helpers  # noqa: E402
from helpers import checks, data, images, models, plotting, training, validation  # noqa: E402
from helpers.data import DataError, download, files, sources  # noqa: E402
from helpers.layers import DepthwiseMaxPool2D  # noqa: E402

import keras  # after helpers.layers, which imports TensorFlow quietly  # noqa: E402 # isort: skip

# Hypothesis keeps caches (and the thorough profile's examples) in a folder of its own: in
# the system's temporary folder, so that nothing is left in the repository.
if "HYPOTHESIS_STORAGE_DIRECTORY" not in os.environ:
    set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "cnn-course-hypothesis"))

settings.register_profile(
    "fast",
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=400,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

CLEAR_ERRORS = (ValueError, TypeError, DataError)

# ---------------------------------------------------------------------------- strategies

small_shapes = hnp.array_shapes(min_dims=0, max_dims=5, min_side=0, max_side=4)
every_dtype = st.one_of(
    hnp.scalar_dtypes(),  # bool, (unsigned) integers, floats, complex, datetime, timedelta
    hnp.unicode_string_dtypes(max_len=3),
    hnp.byte_string_dtypes(max_len=3),
)
any_array = hnp.arrays(every_dtype, small_shapes)
numeric_array = hnp.arrays(
    st.one_of(hnp.integer_dtypes(), hnp.unsigned_integer_dtypes(), hnp.floating_dtypes()),
    small_shapes,
)
numpy_scalars = st.one_of(
    st.integers(-3, 100).map(np.int64),
    st.integers(0, 100).map(np.uint8),
    st.floats(width=32).map(np.float32),
    st.floats().map(np.float64),
    st.booleans().map(np.bool_),
)
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.text(max_size=6),
    st.binary(max_size=4),
    numpy_scalars,
    st.lists(st.integers(-5, 5), max_size=4),
    st.lists(st.lists(st.integers(0, 3), max_size=3), max_size=3),  # ragged too
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.tuples(st.integers(-3, 40), st.integers(-3, 40)),
)
anything = st.one_of(any_array, junk)
counts = st.one_of(st.integers(-3, 40), numpy_scalars, junk)


def outcome(call, *names):
    """Run ``call()``; return its result, or the clear error it raised (which must name one of
    ``names``). Any other exception, and any warning, fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return call()
        except CLEAR_ERRORS as error:
            message = str(error)
            assert any(name in message for name in names), (
                f"{type(error).__name__} does not name {names}: {message}"
            )
            return error


def failed(result) -> bool:
    return isinstance(result, CLEAR_ERRORS)


@contextlib.contextmanager
def environment(**values):
    """Set (or, with None, remove) environment variables for the block."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(autouse=True)
def small_figures():
    with matplotlib.rc_context({"figure.dpi": 20, "savefig.dpi": 20}):
        yield
    plt.close("all")


def draw(fig) -> None:
    """Render a figure: some mistakes show only when Matplotlib draws."""
    fig.canvas.draw()
    plt.close(fig)


# ---------------------------------------------------------------------------- validation


@given(value=st.one_of(counts, any_array))
def test_positive_int(value):
    result = outcome(lambda: validation.positive_int("answer", value), "answer")
    if not failed(result):
        assert type(result) is int and result >= 1 and result == value


@given(value=st.one_of(counts, any_array))
def test_positive_number(value):
    result = outcome(lambda: validation.positive_number("rate", value), "rate")
    if not failed(result):
        assert type(result) is float and 0 < result < math.inf and result == float(value)


@given(value=anything, ndims=st.sets(st.integers(0, 4), min_size=1), finite=st.booleans())
@example(value=np.array([3], dtype="timedelta64[s]"), ndims={1}, finite=False)  # found here
@example(value=np.array([1.0, np.nan]), ndims={1}, finite=True)
def test_as_array(value, ndims, finite):
    result = outcome(
        lambda: validation.as_array("thing", value, ndims, "an array", finite=finite), "thing"
    )
    if not failed(result):
        assert result.ndim in ndims and result.size > 0
        assert result.dtype == bool or result.dtype.kind in "iuf"
        if finite and result.dtype.kind == "f":
            assert np.isfinite(result).all()


@given(first=anything, second=anything)
def test_same_length_and_describe(first, second):
    assert isinstance(validation.describe(first), str)
    assert isinstance(validation.show_value(first), str)
    result = outcome(
        lambda: validation.same_length(("left", "right"), first, second), "left", "right"
    )
    if not failed(result):
        assert len(first) == len(second)


# ---------------------------------------------------------------------------- settings


@given(value=st.text(max_size=6).filter(lambda text: "\0" not in text))
def test_quick_mode_switch(value):
    with environment(CNN_COURSE_QUICK=value):
        result = outcome(helpers.quick_mode, "CNN_COURSE_QUICK")
        exit_status = None
        if failed(result):
            with contextlib.redirect_stderr(io.StringIO()) as err:
                exit_status = data.main(["where"])
            assert exit_status == 2 and "CNN_COURSE_QUICK" in err.getvalue()
    if not failed(result):
        assert result is (value.strip().lower() in ("1", "true", "yes", "on"))


@given(on=anything)
def test_set_quick_mode(on):
    with environment(CNN_COURSE_QUICK=None):
        result = outcome(lambda: helpers.set_quick_mode(on), "on")
        if not failed(result):
            assert helpers.quick_mode() is bool(on)
    assert failed(result) is not isinstance(on, (bool, np.bool_))


# Every flag of the course: a NumPy bool (what `array.any()` returns) is the bool it holds.
FLAG_CALLS = {
    "set_quick_mode": lambda flag: helpers.set_quick_mode(flag),
    "conv2d_params(use_bias)": lambda flag: checks.conv2d_params(3, 1, 2, use_bias=flag),
    "dense_params(use_bias)": lambda flag: checks.dense_params(4, 2, use_bias=flag),
    "load_mnist(verbose)": lambda flag: data.load_mnist(verbose=flag)[1][1].size,
}


@pytest.mark.parametrize("call", FLAG_CALLS.values(), ids=FLAG_CALLS.keys())
@given(flag=st.booleans())
def test_every_flag_takes_numpy_bools_as_bools(call, flag):
    with environment(CNN_COURSE_QUICK="1"), contextlib.redirect_stdout(io.StringIO()):
        expected = call(flag)
        assert call(np.bool_(flag)) == expected


@given(full=counts, quick=counts, quick_mode=st.booleans())
def test_training_epochs(full, quick, quick_mode):
    with environment(CNN_COURSE_QUICK="1" if quick_mode else "0"):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            result = outcome(lambda: helpers.training_epochs(full, quick), "full", "quick")
    if not failed(result):
        assert type(result) is int and result == (quick if quick_mode else full)
        assert str(result) in out.getvalue()


@given(
    notebook=st.one_of(st.just("05_handmade_filters"), junk),
    seed=st.one_of(st.integers(0, 2**32 - 1), counts),
    threads=st.one_of(st.none(), st.integers(-2, 4), counts),
)
def test_setup(notebook, seed, threads):
    with contextlib.redirect_stdout(io.StringIO()):
        result = outcome(
            lambda: helpers.setup(notebook, seed=seed, threads=threads),
            "notebook",
            "seed",
            "threads",
        )
    if not failed(result):
        assert result.notebook == notebook and result.seed == seed


# ---------------------------------------------------------------------------- training


@given(images_count=counts, batch=counts)
def test_steps_per_epoch(images_count, batch):
    result = outcome(
        lambda: training.steps_per_epoch(images_count, batch), "training_images", "batch_size"
    )
    if not failed(result):
        assert result == -(-int(images_count) // int(batch))


@given(
    peak=st.one_of(
        st.floats(),
        st.floats(0, 1e-35),  # a tenth of these underflows in float32, Keras' dtype
        st.floats(1e37, 1e40),  # past the largest float32
        st.integers(10**300, 10**400),  # no float holds these
        numpy_scalars,
        junk,
    ),
    epochs=st.one_of(counts, st.integers(2**30, 2**70)),
    warmup=st.one_of(st.floats(-1, 2), numpy_scalars, junk),
)
def test_one_cycle_schedule(peak, epochs, warmup):
    result = outcome(
        lambda: training.one_cycle_schedule(peak, epochs, 100, 10, warmup_fraction=warmup),
        "peak_rate",
        "epochs",
        "warmup_fraction",
    )
    if not failed(result):
        config = result.get_config()
        assert math.isfinite(config["warmup_target"]) and config["warmup_target"] > 0
        assert config["initial_learning_rate"] == pytest.approx(config["warmup_target"] / 10)
        assert config["warmup_steps"] + config["decay_steps"] == int(epochs) * 10
        # Keras computes in float32: neither end of the schedule may round to 0 or infinity.
        assert np.float32(config["initial_learning_rate"]) >= np.finfo(np.float32).tiny
        assert np.isfinite(np.float32(config["warmup_target"]))


# ---------------------------------------------------------------------------- checks

sizes = st.one_of(st.integers(-2, 30), numpy_scalars, junk)
paddings = st.one_of(st.sampled_from(["valid", "same"]), junk, any_array)


@given(size=sizes, kernel=sizes, stride=sizes, padding=paddings)
def test_conv_output_size(size, kernel, stride, padding):
    result = outcome(
        lambda: checks.conv_output_size(size, kernel, stride, padding),
        "size",
        "kernel",
        "stride",
        "padding",
    )
    if not failed(result):
        size, kernel, stride = int(size), int(kernel), int(stride)
        if padding == "same":
            assert result == len(range(0, size, stride))
        else:  # count the window positions one by one
            assert result == len(range(0, size - kernel + 1, stride)) >= 1


@given(size=sizes, pool=sizes, strides=st.one_of(st.none(), sizes), padding=paddings)
def test_pool_output_size(size, pool, strides, padding):
    result = outcome(
        lambda: checks.pool_output_size(size, pool, strides, padding),
        "size",
        "pool_size",
        "strides",
        "padding",
    )
    if not failed(result):
        step = int(pool) if strides is None else int(strides)
        expected = checks.conv_output_size(int(size), int(pool), step, padding)
        assert result == expected


@given(
    kernel=st.one_of(sizes, st.tuples(sizes, sizes)),
    channels=sizes,
    filters=sizes,
    bias=st.one_of(st.booleans(), junk),
)
def test_parameter_formulas(kernel, channels, filters, bias):
    result = outcome(
        lambda: checks.conv2d_params(kernel, channels, filters, use_bias=bias),
        "kernel_size",
        "in_channels",
        "filters",
        "use_bias",
    )
    if not failed(result):
        height, width = kernel if isinstance(kernel, tuple) else (kernel, kernel)
        weights = int(filters) * int(height) * int(width) * int(channels)
        assert result == weights + (int(filters) if bias else 0)
    result = outcome(
        lambda: checks.dense_params(channels, filters, bias), "inputs", "units", "use_bias"
    )
    if not failed(result):
        assert result == int(channels) * int(filters) + (int(filters) if bias else 0)


@pytest.fixture(scope="module")
def small_model():
    return keras.Sequential(
        [keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3), keras.layers.Flatten()],
        name="small",
    )


@given(prediction=st.one_of(anything, st.tuples(st.integers(0, 80))))
def test_self_checks_with_any_prediction(small_model, prediction):
    with contextlib.redirect_stdout(io.StringIO()):
        result = outcome(lambda: checks.check_param_count(prediction, small_model), "prediction")
        if not failed(result):
            assert result is (None if prediction is None else int(prediction) == 20)
        result = outcome(lambda: checks.check_output_shape(prediction, small_model), "prediction")
    if not failed(result) and result is not None:
        assert result is (tuple(prediction)[-1:] == (72,))


@given(layer=anything)
def test_explain_refuses_what_is_not_a_layer(layer):
    for call in (checks.explain_params, checks.explain_output_shape):
        assert failed(outcome(lambda call=call: call(layer), "layer"))
    assert failed(outcome(lambda: models.summary_text(layer), "model"))
    with contextlib.redirect_stdout(io.StringIO()):
        assert failed(outcome(lambda: checks.check_param_count(None, layer), "model_or_layer"))


@settings(max_examples=max(4, settings().max_examples // 2))
@given(
    kind=st.sampled_from(["Conv2D", "MaxPooling2D", "AveragePooling2D"]),
    size=st.integers(3, 12),
    window=st.integers(1, 4),
    stride=st.integers(1, 3),
    dilation=st.integers(1, 3),
    padding=st.sampled_from(["valid", "same"]),
    channels_first=st.booleans(),
)
def test_output_shape_working_agrees_with_keras(
    kind, size, window, stride, dilation, padding, channels_first
):
    data_format = "channels_first" if channels_first else "channels_last"
    options = {"padding": padding, "data_format": data_format}
    shape = (1, size, size + 1) if channels_first else (size, size + 1, 1)
    try:
        if kind == "Conv2D":
            layer = keras.layers.Conv2D(
                2, window, strides=stride, dilation_rate=dilation, **options
            )
        else:
            layer = getattr(keras.layers, kind)(window, strides=stride, **options)
        model = keras.Sequential([keras.Input(shape), layer])
    except ValueError:  # Keras refuses the combination (e.g. a window larger than the input)
        assume(False)
    output, text = checks.explain_output_shape(model.layers[0])
    assert output == tuple(model.outputs[0].shape)[1:]
    height, width = (output[1], output[2]) if channels_first else (output[0], output[1])
    if ": " in text:  # working shown: its results must be the real sizes
        assert f"= {height}" in text and f"= {width}" in text
    with contextlib.redirect_stdout(io.StringIO()):
        assert checks.check_output_shape(output, model) is True


# ---------------------------------------------------------------------------- images


@given(
    image=anything,
    rows=st.one_of(st.tuples(st.integers(-1, 5), st.integers(-1, 5)), junk),
    cols=st.one_of(st.tuples(st.integers(-1, 5), st.integers(-1, 5)), junk),
)
def test_crop(image, rows, cols):
    result = outcome(lambda: images.crop(image, rows, cols), "image", "rows", "cols")
    if not failed(result):
        expected = np.asarray(image)[rows[0] : rows[1], cols[0] : cols[1]]
        assert np.array_equal(result, expected, equal_nan=result.dtype.kind == "f")
        assert result.size > 0 and not np.shares_memory(result, image)


@pytest.fixture(scope="module")
def figure_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("figures")


@given(
    name=st.one_of(
        st.text(max_size=8),
        st.just("curve"),
        st.tuples(
            st.sampled_from(["curve", "a.b", "x."]), st.sampled_from(images.FIGURE_FORMATS)
        ).map(".".join),  # a name that carries an extension already
        junk,
    ),
    notebook=st.one_of(st.text(max_size=8), st.just("05_handmade_filters"), junk),
    fmt=st.one_of(st.sampled_from(["png", "svg", "pdf", "jpg"]), junk),
)
def test_save_figure(figure_folder, name, notebook, fmt):
    fig = plt.figure(figsize=(1, 1))
    result = outcome(
        lambda: images.save_figure(fig, name, notebook, root=figure_folder, fmt=fmt),
        "name",
        "notebook",
        "fmt",
    )
    plt.close(fig)
    if not failed(result):
        stem = name[: -len(fmt) - 1] if name.lower().endswith(f".{fmt}") else name
        assert result == figure_folder / notebook / f"{stem}.{fmt}" and result.stat().st_size
        assert not result.name.lower().endswith(f".{fmt}.{fmt}")
        assert not any(path.name.endswith(".tmp") for path in result.parent.iterdir())


# ---------------------------------------------------------------------------- plotting

texts = st.one_of(st.none(), st.text(max_size=4), junk)
cmaps = st.one_of(st.none(), st.sampled_from(["gray", "viridis", "no_such_map"]), junk)


@given(image=anything, title=texts, cmap=cmaps)
def test_show_image(image, title, cmap):
    result = outcome(lambda: plotting.show_image(image, title, cmap), "image", "title", "cmap")
    if not failed(result):
        assert len(result.axes) == 1 and len(result.axes[0].images) == 1
        outcome(lambda: draw(result), "image")  # drawing must not warn either


@given(
    image=hnp.arrays(np.float64, (2, 2, 3), elements=st.floats(0, 300)),
    scale=st.sampled_from([1.0, 1.001, 1.5, 2.0, 2.5, 255.0]),
)
@example(image=np.full((2, 2, 3), 1.0), scale=1.02)  # drawn almost black before
def test_colour_floats_are_drawn_at_their_own_scale(image, scale):
    """A colour image is drawn as it is (0-1) or divided by 255 (0-255), never darkened
    by a scale that its values do not fit: floats just above 1 raise instead."""
    assume(image.max() > 0)
    image = image / image.max() * scale  # brightest value: exactly ``scale``
    result = outcome(lambda: plotting.show_image(image), "image")
    drawn = None if failed(result) else float(np.max(result.axes[0].images[0].get_array()))
    plt.close("all")
    if scale <= 1:
        assert drawn == pytest.approx(scale)
    elif scale <= plotting.AMBIGUOUS_COLOUR_MAX:
        assert failed(result) and "just above the 0-1 range" in str(result)
    else:
        assert drawn == pytest.approx(scale / 255)


@given(
    batch=anything, titles=st.one_of(st.none(), st.lists(st.text(max_size=2)), junk), ncols=counts
)
def test_plot_image_grid(batch, titles, ncols):
    result = outcome(
        lambda: plotting.plot_image_grid(batch, titles, ncols=ncols), "images", "titles", "ncols"
    )
    if not failed(result):
        drawn = [ax for ax in result.axes if ax.images]
        assert len(drawn) == len(batch)
        if titles is not None:
            assert [ax.get_title() for ax in drawn] == [str(t) for t in titles]
        outcome(lambda: draw(result), "images")


metric_values = st.one_of(
    st.lists(st.floats(), min_size=0, max_size=4),
    st.lists(st.floats(0, 1), min_size=3, max_size=3),
    st.lists(st.booleans(), min_size=3, max_size=3),  # not a loss, though NumPy makes it 0/1
    # a bool among numbers: NumPy turns [0.5, True] into floats, so nothing else refuses it
    st.lists(st.one_of(st.floats(0, 1), st.integers(0, 3), st.booleans()), min_size=3, max_size=3),
    st.lists(st.sampled_from(["1", "0.5"]), min_size=3, max_size=3),
    junk,
)


@given(
    history=st.one_of(
        st.dictionaries(
            st.sampled_from(
                ["loss", "val_loss", "acc", "val_acc", "accuracy", "val_accuracy", "mae"]
                + ["val_mae", 3]
            ),
            metric_values,
            max_size=5,
        ),
        junk,
    )
)
def test_plot_history(history):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"history\[")  # the NaN warning is wanted
        result = outcome(lambda: plotting.plot_history(history), "history")
    if not failed(result):
        loss = np.asarray(history["loss"], dtype=float)
        assert list(result.axes[0].lines[0].get_ydata()[np.isfinite(loss)]) == list(
            loss[np.isfinite(loss)]
        )
        shown = {ax.get_title() for ax in result.axes}
        if any(key in history for key in ("acc", "accuracy")):
            assert "Accuracy" in shown  # never silently left out
        # Every series is drawn, each once (a validation series without its training one too).
        assert sum(len(ax.lines) for ax in result.axes) == len(history)
        assert all(not isinstance(v, (bool, np.bool_, str)) for vs in history.values() for v in vs)
        assert plotting.figure_alt(result).startswith("Training curves over")


alt_texts = st.one_of(
    st.none(), st.text(max_size=6), st.just(" " * 3), st.text(min_size=2001), junk
)


@given(
    call=st.sampled_from(
        [
            lambda alt: plotting.show_image(np.zeros((3, 3)), alt=alt),
            lambda alt: plotting.plot_image_grid(np.zeros((2, 3, 3, 3)), alt=alt),
            lambda alt: plotting.plot_history({"loss": [1.0, 0.5]}, alt=alt),
            lambda alt: plotting.plot_feature_maps(np.zeros((3, 3, 2)), alt=alt),
            lambda alt: plotting.plot_filters(np.ones((3, 3, 1, 2)), alt=alt),
            lambda alt: plotting.plot_misclassified(np.zeros((2, 3, 3)), [0, 1], [1, 1], alt=alt),
        ]
    ),
    alt=alt_texts,
)
def test_every_figure_has_a_text_alternative(call, alt):
    """Every plotting function describes its figure: by ``alt`` when it is a usable text
    (spaces collapsed), by a description of what it drew otherwise; bad ``alt`` is named."""
    result = outcome(lambda: call(alt), "alt")
    if not failed(result):
        text = plotting.figure_alt(result)
        assert isinstance(text, str) and text.strip()
        assert len(text) <= helpers.plotting_alt.MAX_ALT_CHARS
        if alt is not None:
            assert text == " ".join(alt.split())
    else:
        assert alt is not None
    plt.close("all")


label_counts = st.integers(0, 5)
labels = st.one_of(
    hnp.arrays(np.int64, label_counts, elements=st.integers(-1, 3)),
    hnp.arrays(np.uint8, label_counts, elements=st.integers(0, 3)),
    hnp.arrays(np.float64, label_counts, elements=st.sampled_from([0, 1, 2, 3, -1, 2.5, np.nan])),
    junk,
)


@given(true=labels, predicted=labels, count=counts)
def test_misclassified_indices(true, predicted, count):
    result = outcome(
        lambda: plotting.misclassified_indices(true, predicted, count),
        "true_labels",
        "predicted_labels",
        "count",
    )
    if not failed(result):
        mistakes = [i for i, (a, b) in enumerate(zip(true, predicted, strict=True)) if a != b]
        assert result.tolist() == mistakes[: int(count)]


@given(
    true=labels,
    predicted=labels,
    names=st.one_of(st.none(), st.just(["zero", "one", "two"]), st.text(max_size=4), junk),
)
def test_plot_misclassified(true, predicted, names):
    batch = np.zeros((len(true) if hasattr(true, "__len__") else 3, 4, 4), np.uint8)
    assume(batch.shape[0] > 0)
    result = outcome(
        lambda: plotting.plot_misclassified(batch, true, predicted, class_names=names),
        "true_labels",
        "predicted_labels",
        "class_names",
        "images",
    )
    if not failed(result):
        names_used = [str(n) for n in names] if names is not None else None
        expected = [
            f"{int(a) if names_used is None else names_used[int(a)]} → "
            f"{int(b) if names_used is None else names_used[int(b)]}"
            for a, b in zip(true, predicted, strict=True)
            if a != b
        ]
        titles = [ax.get_title() for ax in result.axes if ax.images]
        assert titles == expected[:15]


@given(maps=anything)
def test_plot_feature_maps(maps):
    result = outcome(lambda: plotting.plot_feature_maps(maps), "maps", "images")
    if not failed(result):
        array = np.asarray(maps)
        assert len([ax for ax in result.axes if ax.images]) == array.shape[-1]
        outcome(lambda: draw(result), "maps")


@given(kernel=anything, ncols=counts)
def test_plot_filters(kernel, ncols):
    result = outcome(lambda: plotting.plot_filters(kernel, ncols=ncols), "kernel", "ncols")
    if not failed(result):
        assert len([ax for ax in result.axes if ax.images]) == np.asarray(kernel).shape[-1]
        outcome(lambda: draw(result), "kernel")


@given(
    matrix=st.one_of(
        hnp.arrays(
            np.int64, st.tuples(st.integers(1, 4), st.integers(1, 4)), elements=st.integers(-1, 99)
        ),
        hnp.arrays(np.float64, (3, 3), elements=st.sampled_from([0.0, 2.0, 0.5, np.nan, 1e300])),
        anything,
    ),
    names=st.one_of(st.none(), st.just(["a", "b", "c"]), st.text(max_size=3), junk),
)
def test_plot_confusion_matrix(matrix, names):
    """Counts in, every count shown once, the mistakes' scale ending at the largest mistake."""
    result = outcome(lambda: plotting.plot_confusion_matrix(matrix, names), "matrix", "class_names")
    if not failed(result):
        counts = np.asarray(matrix).astype(np.int64)
        assert [t.get_text() for t in result.axes[0].texts] == [str(v) for v in counts.flat]
        off = counts[~np.eye(len(counts), dtype=bool)]
        assert result.axes[0].images[1].get_clim() == (0, max(int(off.max()), 1))
        assert f"{int(counts.sum()):,} examples" in plotting.figure_alt(result)
    plt.close("all")


# ---------------------------------------------------------------------------- layers


@given(pool_size=st.one_of(st.integers(-1, 4), counts))
def test_depthwise_pool_size(pool_size):
    result = outcome(lambda: DepthwiseMaxPool2D(pool_size=pool_size), "pool_size")
    if not failed(result):
        assert result.pool_size == int(pool_size)


@given(
    batch=hnp.arrays(
        np.float32,
        hnp.array_shapes(min_dims=4, max_dims=4, min_side=0, max_side=4),
        elements=st.floats(-10, 10, width=32, allow_subnormal=False),  # TF flushes those to 0
    ),
    pool_size=st.integers(1, 4),
)
def test_depthwise_pool_values(batch, pool_size):
    layer = DepthwiseMaxPool2D(pool_size=pool_size)
    channels = batch.shape[-1]
    if channels % pool_size:
        with pytest.raises(ValueError, match=f"{channels} input channels with pool_size"):
            layer(batch)
        return
    pooled = keras.ops.convert_to_numpy(layer(batch))
    expected = batch.reshape(*batch.shape[:3], channels // pool_size, pool_size).max(
        axis=-1, initial=-np.inf
    )
    np.testing.assert_array_equal(pooled, expected)


# ---------------------------------------------------------------------------- models


def test_summary_of_a_real_model(small_model):
    assert models.summary_text(small_model).endswith("Non-trainable params: 0")


# ---------------------------------------------------------------------------- data


def dataset_arrays():
    """Four arrays, mostly nearly right: a small valid split with one thing changed."""
    image_arrays = st.one_of(
        hnp.arrays(np.uint8, st.tuples(st.integers(0, 3), st.just(28), st.just(28))),
        any_array,
    )
    label_arrays = st.one_of(
        hnp.arrays(np.uint8, st.integers(0, 3), elements=st.integers(0, 12)),
        any_array,
    )
    return st.tuples(image_arrays, label_arrays, image_arrays, label_arrays)


@given(arrays=dataset_arrays())
def test_validate_arrays(arrays):
    x_train, y_train, x_test, y_test = arrays
    dataset = ((x_train, y_train), (x_test, y_test))
    result = outcome(lambda: data.validate_arrays(dataset, "origin"), "origin")
    if not failed(result):
        for images_, labels_ in result:
            assert images_.dtype == labels_.dtype == np.uint8
            assert images_.shape[1:] == (28, 28) and labels_.shape == images_.shape[:1]
            assert labels_.max() <= 9


@pytest.fixture(scope="module")
def data_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("data")


@given(arrays=dataset_arrays())
def test_load_mnist_from_any_npz(data_folder, arrays):
    content = dict(zip(data.NPZ_KEYS, arrays, strict=True))
    np.savez(data_folder / "mnist.npz", **content)
    with (
        environment(
            CNN_COURSE_QUICK="0",
            CNN_COURSE_DATA=str(data_folder),
            KERAS_HOME=str(data_folder / "keras"),
        ),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        result = outcome(data.load_mnist, "mnist.npz")
    if not failed(result):
        for loaded, saved in zip(
            (array for split in result for array in split), arrays, strict=True
        ):
            assert np.array_equal(loaded, saved)


@given(
    content=st.one_of(
        st.binary(max_size=40),
        st.tuples(st.sampled_from([2049, 2051, 7]), st.integers(0, 5), st.binary(max_size=30)).map(
            lambda t: t[0].to_bytes(4, "big") + t[1].to_bytes(4, "big") + t[2]
        ),
    ),
    compressed=st.booleans(),
)
def test_load_fashion_mnist_with_one_odd_file(data_folder, content, compressed):
    folder = data_folder / "fashion"
    folder.mkdir(exist_ok=True)
    rng = np.random.default_rng(0)
    for name in data.FASHION_FILES:
        is_images = "images" in name
        array = rng.integers(0, 256 if is_images else 10, (3, 28, 28) if is_images else 3)
        header = (2051 if is_images else 2049).to_bytes(4, "big") + (3).to_bytes(4, "big")
        header += (28).to_bytes(4, "big") * 2 if is_images else b""
        (folder / name).write_bytes(gzip.compress(header + array.astype(np.uint8).tobytes()))
    odd = folder / "t10k-labels-idx1-ubyte.gz"
    odd.write_bytes(gzip.compress(content) if compressed else content)
    with (
        environment(CNN_COURSE_QUICK="0", CNN_COURSE_DATA=str(folder)),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        result = outcome(data.load_fashion_mnist, "t10k-labels-idx1-ubyte.gz", "test split")
    if not failed(result):
        (_, _), (_, y_test) = result
        assert y_test.tolist() == list(content[8:]) and y_test.max() <= 9


@given(
    rows=st.integers(0, 60),
    cols=st.integers(0, 60),
    count=st.integers(0, 3),
    name=st.sampled_from(["train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz"]),
)
@example(rows=14, cols=56, count=3, name="train-images-idx3-ubyte.gz")  # loaded as 28 × 28 before
def test_idx_header_sizes_are_read(data_folder, rows, cols, count, name):
    """An IDX image file is accepted only if its header announces 28 × 28 pixels."""
    header = (2051).to_bytes(4, "big") + count.to_bytes(4, "big")
    header += rows.to_bytes(4, "big") + cols.to_bytes(4, "big")
    path = data_folder / name
    path.write_bytes(gzip.compress(header + bytes(count * rows * cols)))
    result = outcome(lambda: files._read_idx_gz(path, "folder", None), name)
    if (rows, cols) != (28, 28):
        assert failed(result) and f"{rows} × {cols}" in str(result)
    else:
        assert not failed(result) and result.shape == (count, 28, 28)


def _spoil(path: Path, how: str, content: bytes) -> None:
    """Put a bad ``how`` at ``path``: a dangling link, a folder, or a damaged file."""
    if how == "dangling link":
        path.symlink_to(path.with_name("gone-" + path.name))
    elif how == "folder":
        path.mkdir()
    else:
        path.write_bytes(content)


@given(
    dataset=st.sampled_from(["mnist", "fashion_mnist"]),
    how=st.sampled_from(["dangling link", "folder", "bytes", "file for its folder"]),
    content=st.binary(max_size=40),
)
def test_a_bad_cache_file_never_stops_the_search(tmp_path_factory, dataset, how, content):
    """Whatever sits at the cache files' names, the loader says what it is and moves on to
    the next source (here a stand-in download), instead of stopping or raising something raw."""
    home = tmp_path_factory.mktemp("keras-home")
    with environment(CNN_COURSE_QUICK="0", CNN_COURSE_DATA=None, KERAS_HOME=str(home)):
        cache = data.keras_cache_dir()
        names = ["mnist.npz"] if dataset == "mnist" else list(data.FASHION_FILES)
        folder = cache if dataset == "mnist" else cache / "fashion-mnist"
        if how == "file for its folder":  # the folder itself is a file
            folder.parent.mkdir(parents=True, exist_ok=True)
            folder.write_bytes(content)
            bad = folder
        else:
            folder.mkdir(parents=True)
            for name in names:
                _spoil(folder / name, how, content)
            bad = folder / names[0]  # the first one read
        sample = data._read_npz(data._sample_path(dataset), "sample")
        saved = download._download, sources.DEBIAN_FASHION_DIR
        download._download, sources.DEBIAN_FASHION_DIR = (lambda name: sample), home / "no-debian"
        try:
            with contextlib.redirect_stdout(io.StringIO()) as out:
                with contextlib.redirect_stderr(io.StringIO()) as err:
                    result = outcome(lambda: data._load(dataset, True), "")
        finally:
            download._download, sources.DEBIAN_FASHION_DIR = saved
    assert not failed(result), result
    assert data.DOWNLOAD_LABEL in out.getvalue()
    skipped = err.getvalue()
    assert "Skipping" in skipped and bad.name in skipped
    if how == "dangling link":
        assert "which does not exist" in skipped
    if how == "folder":
        assert "a folder, expected a file" in skipped
    if how == "file for its folder":
        assert "expected a folder" in skipped


@given(home=st.text(alphabet="ab/", min_size=1, max_size=6), rest=st.text("ab/", max_size=6))
def test_show_path_shortens_only_the_home_folder(home, rest):
    with environment(HOME="/" + home):
        home_folder = os.path.expanduser("~").rstrip("/")
        text = data._show_path(Path("/" + home + rest))
    full = str(Path("/" + home + rest))
    if text.startswith("~"):
        assert full == home_folder or full.startswith(home_folder + "/")
        assert home_folder + text[1:] == full
    else:
        assert text == full


@given(
    shape=st.lists(st.integers(0, 2**63 - 1), max_size=24).map(tuple),
    key=st.sampled_from(data.NPZ_KEYS),
)
@example(shape=(2**62,) * 20, key="x_train")  # an OverflowError before
def test_any_shape_an_npz_announces_is_refused_clearly(data_folder, shape, key):
    """An .npz member may announce any shape, however large: the loader refuses it with a
    message naming the file, before reading it and without overflowing a float."""
    folder = data_folder / "announced"
    folder.mkdir(exist_ok=True)
    with zipfile.ZipFile(folder / "mnist.npz", "w") as archive:
        for name in data.NPZ_KEYS:
            member = io.BytesIO()
            if name == key:  # a header alone: the data it announces is not there
                header = {"descr": "|u1", "fortran_order": False, "shape": shape}
                np.lib.format.write_array_header_1_0(member, header)
            else:
                np.save(member, np.zeros((1, 28, 28) if name[0] == "x" else 1, np.uint8))
            archive.writestr(f"{name}.npy", member.getvalue())
    with (
        environment(CNN_COURSE_QUICK="0", CNN_COURSE_DATA=str(folder)),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        assert failed(outcome(data.load_mnist, "mnist.npz"))


# ------------------------------------------------- hostile values everywhere (issue 22)


class _BrokenRepr:
    """An object whose repr fails: an error message about it must still be written."""

    def __repr__(self):
        raise RuntimeError("this repr fails")


class _BrokenShape:
    """An object with a dtype whose shape property fails."""

    dtype = "uint8"

    @property
    def shape(self):
        raise ValueError("this shape fails")


hostile = st.one_of(
    st.integers(2**53, 10**400),  # past what a float holds exactly, or at all
    st.integers(-(10**400), -(2**63)),
    st.floats(),
    st.text(min_size=100, max_size=300),
    st.lists(st.integers(-5, 5), min_size=50, max_size=200),
    st.lists(st.integers(2**64, 2**70), min_size=1, max_size=3),  # too large for NumPy
    st.just(_BrokenRepr()),
    st.just(_BrokenShape()),
    numpy_scalars,
)

_ONE_IMAGE = ((np.zeros((1, 28, 28), np.uint8), np.zeros(1, np.uint8)),) * 2

# Each public argument: a call with the argument replaced by ``v``, and the name its error
# message must carry.
ONE_ARGUMENT = {
    "positive_int": (lambda v: validation.positive_int("count", v), "count"),
    "positive_number": (lambda v: validation.positive_number("rate", v), "rate"),
    "as_array": (lambda v: validation.as_array("image", v, (1, 2), "an image"), "image"),
    "same_length": (lambda v: validation.same_length(("left", "right"), v, [1]), "left"),
    "same_length(range)": (  # a range of 10**400 numbers has no len()
        lambda v: validation.same_length(("left", "right"), range(v if type(v) is int else 1), [1]),
        "left",
    ),
    "set_quick_mode": (lambda v: helpers.set_quick_mode(v), "on"),
    "training_epochs(full)": (lambda v: helpers.training_epochs(v), "full"),
    "setup(notebook)": (lambda v: helpers.setup(v), "notebook"),
    "setup(seed)": (lambda v: helpers.setup("x", seed=v), "seed"),
    "setup(threads)": (lambda v: helpers.setup("x", threads=v), "threads"),
    "steps_per_epoch": (lambda v: training.steps_per_epoch(v, 32), "training_images"),
    "schedule(peak_rate)": (lambda v: training.one_cycle_schedule(v, 1, 10, 2), "peak_rate"),
    "schedule(epochs)": (lambda v: training.one_cycle_schedule(1e-3, v, 10, 2), "epochs"),
    "schedule(batch_size)": (lambda v: training.one_cycle_schedule(1e-3, 1, 10, v), "batch_size"),
    "schedule(warmup)": (
        lambda v: training.one_cycle_schedule(1e-3, 1, 10, 2, warmup_fraction=v),
        "warmup_fraction",
    ),
    "conv_output_size(size)": (lambda v: checks.conv_output_size(v, 3), "size"),
    "conv_output_size(padding)": (lambda v: checks.conv_output_size(9, 3, 1, v), "padding"),
    "pool_output_size(strides)": (lambda v: checks.pool_output_size(9, 2, v), "strides"),
    "conv2d_params(kernel_size)": (lambda v: checks.conv2d_params(v, 1, 1), "kernel_size"),
    "conv2d_params(use_bias)": (lambda v: checks.conv2d_params(3, 1, 1, v), "use_bias"),
    "dense_params(units)": (lambda v: checks.dense_params(4, v), "units"),
    "explain_params(layer)": (lambda v: checks.explain_params(v), "layer"),
    "crop(image)": (lambda v: images.crop(v, (0, 1), (0, 1)), "image"),
    "crop(rows)": (lambda v: images.crop(np.zeros((3, 3)), v, (0, 1)), "rows"),
    "images_dir(root)": (lambda v: images.images_dir("nb", v), "root"),
    "validate_arrays(arrays)": (lambda v: data.validate_arrays(v, "origin"), "arrays"),
    "validate_arrays(origin)": (lambda v: data.validate_arrays(_ONE_IMAGE, v), "origin"),
    "where(dataset)": (lambda v: data.where(v), "dataset"),
    "load_mnist(verbose)": (lambda v: data.load_mnist(verbose=v), "verbose"),
    "DepthwiseMaxPool2D(pool_size)": (lambda v: DepthwiseMaxPool2D(pool_size=v), "pool_size"),
    "summary_text(model)": (lambda v: models.summary_text(v), "model"),
}


@pytest.mark.parametrize("call, name", ONE_ARGUMENT.values(), ids=ONE_ARGUMENT.keys())
@given(value=hostile)
def test_hostile_values_get_a_short_clear_error_or_a_result(call, name, value):
    """Huge and negative whole numbers, NaN, long strings and lists, objects whose repr or
    shape fails: each call returns, or raises a clear error that names the argument in a
    message a learner can read (no OverflowError, no error from inside the message)."""
    with (
        environment(CNN_COURSE_QUICK="1"),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        result = outcome(lambda: call(value), name)
    if failed(result):
        message = str(result)
        assert any(f"{name}{mark}" in message for mark in (":", "[", " and ", "=")), message
        assert len(message) < 500, f"{len(message)} characters: {message[:200]}"


@given(images_count=st.integers(1, 10**400), batch=st.integers(1, 10**400))
@example(images_count=2**53 + 1, batch=1)  # a float quotient gave 2**53
def test_steps_per_epoch_is_exact_for_any_whole_numbers(images_count, batch):
    steps = training.steps_per_epoch(images_count, batch)
    assert (steps - 1) * batch < images_count <= steps * batch  # the last batch is partial


@given(rest=st.lists(st.text("ab_-.1", min_size=1, max_size=4), min_size=1, max_size=3))
def test_every_folder_argument_reads_a_tilde_as_the_home_folder(tmp_path_factory, rest):
    """``~/...`` means the home folder wherever the course takes a folder: the images root,
    CNN_COURSE_DATA and KERAS_HOME (a shell expands it, Python's os.environ does not)."""
    assume(all(part not in (".", "..") for part in rest))
    home = tmp_path_factory.mktemp("home")
    relative = "/".join(rest)
    with environment(HOME=str(home), KERAS_HOME="~/" + relative, CNN_COURSE_QUICK="0"):
        assert images.images_dir("nb", root="~/" + relative) == home / relative / "nb"
        assert data.keras_cache_dir() == home / relative / "datasets"
        (home / relative).mkdir(parents=True, exist_ok=True)
        with environment(CNN_COURSE_DATA="~/" + relative):
            folders = [s.path for s in sources._sources("mnist") if s.kind == "folder"]
    assert folders == [home / relative]
