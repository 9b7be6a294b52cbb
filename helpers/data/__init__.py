"""Loading MNIST and Fashion-MNIST, online or off, with checks that catch bad files.

``load_mnist()`` and ``load_fashion_mnist()`` return ``((x_train, y_train), (x_test, y_test))``
as uint8 arrays, exactly like ``keras.datasets``. They look for the data in this order and
print one line that says where it came from:

1. quick mode (``CNN_COURSE_QUICK=1``): small samples that ship inside ``helpers``;
2. a folder you name with ``CNN_COURSE_DATA`` (``mnist.npz``, and the four Fashion-MNIST
   ``*.gz`` files either in the folder or in its ``fashion-mnist/`` subfolder). It may hold
   part of a dataset: its structure is checked, and the line says how many images it had;
3. the Keras cache, ``$KERAS_HOME/datasets`` (default ``~/.keras/datasets``), checked
   against the published content of the complete dataset;
4. Debian's package ``dataset-fashion-mnist`` (Fashion-MNIST only), checked the same way;
5. a download from the address ``keras.datasets`` uses, checked the same way, then kept in
   the Keras cache.

Nothing here deletes or overwrites a file it did not create: a download goes to a
temporary file beside its target and is renamed into place only after it passed the check,
and only where no file exists yet. A damaged file that is already there is left as it is,
and reported.

From a shell: ``python -m helpers.data where`` tells which source each dataset would come
from, and ``python -m helpers.data prefetch`` downloads and checks both (for a teacher who
prepares an offline classroom).

The work is shared out: ``files`` reads and checks the files, ``sources`` knows where they
may be, ``download`` fetches them, ``cli`` is the command line; this module is the search.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import numpy as np

from ..settings import QUICK_ENV, quick_mode
from ..validation import describe
from . import download
from .cli import main, prefetch, where
from .files import (
    FASHION_FILES,
    FULL_SIZES,
    MNIST_NPZ_SHA256,
    NPZ_KEYS,
    Arrays,
    CorruptDataError,
    DataError,
    UnreadableDataError,
    _describe_counts,
    _read_npz,
    _show_path,
    _title,
    validate_arrays,
)
from .sources import (
    DATA_ENV,
    DEBIAN_FASHION_DIR,
    DOWNLOAD_LABEL,
    _load_from,
    _present,
    _sources,
    keras_cache_dir,
)

# tools/make_samples.py reads Debian's copy with these two.
from .sources import _fashion_paths as _fashion_paths
from .sources import _read_fashion as _read_fashion

FASHION_CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


def _sample_path(dataset: str) -> Path:
    return Path(str(resources.files("helpers") / "samples" / f"{dataset}_sample.npz"))


def _failure_message(dataset: str, attempts: list[str]) -> str:
    title = _title(dataset)
    tried = "\n".join(f"  - {line}" for line in attempts)
    return (
        f"{title} could not be loaded from any source.\nTried, in order:\n{tried}\n"
        "Three ways out:\n"
        "  1. On a machine with internet access, run `python -m helpers.data prefetch`, then\n"
        f"     copy its Keras cache ({_show_path(keras_cache_dir())}) to the same place here.\n"
        f"  2. Copy the dataset files into a folder and point {DATA_ENV} at it\n"
        "     (mnist.npz; the four Fashion-MNIST *-ubyte.gz files).\n"
        f"  3. Use quick mode: set {QUICK_ENV}=1, or call helpers.set_quick_mode(True)\n"
        "     in the notebook, to train on the small samples that ship with the course."
    )


def _load(dataset: str, verbose: bool) -> Arrays:
    if not isinstance(verbose, (bool, np.bool_)):
        raise TypeError(f"verbose: got {describe(verbose)}, expected True or False")

    def report(arrays: Arrays, where: str) -> Arrays:
        if verbose:
            print(f"{_title(dataset)}: {_describe_counts(arrays)} from {where}.")
        return arrays

    if quick_mode():
        arrays = _read_npz(_sample_path(dataset), "the quick-mode sample")
        return report(arrays, "the quick-mode sample shipped with helpers")

    attempts: list[str] = []
    for source in _sources(dataset):
        if source.kind == "download":
            try:
                return report(download._download(dataset), DOWNLOAD_LABEL)
            except DataError as error:  # damaged, too slow, or no cache folder to keep it in
                attempts.append(str(error))
            except Exception as error:  # network errors come in many types
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                attempts.append(f"{source.label}: failed ({reason[:200]})")
            continue
        if not _present(dataset, source):
            attempts.append(f"{source.label}: no files there")
            continue
        try:
            return report(_load_from(dataset, source), source.label)
        except (CorruptDataError, UnreadableDataError) as error:
            if source.kind == "folder":
                raise  # the user named this folder: its damage is the answer
            what = "a damaged" if isinstance(error, CorruptDataError) else "an unreadable"
            print(f"Skipping {what} copy: {error}", file=sys.stderr)
            attempts.append(str(error))
    raise DataError(_failure_message(dataset, attempts))


def load_mnist(verbose: bool = True) -> Arrays:
    """Load MNIST as ``((x_train, y_train), (x_test, y_test))``, uint8, Keras' layout.

    >>> (train_images, train_labels), (test_images, test_labels) = load_mnist()  # doctest: +SKIP
    MNIST: 60,000 training + 10,000 test images from the Keras cache (~/.keras/datasets/mnist.npz).
    """
    return _load("mnist", verbose)


def load_fashion_mnist(verbose: bool = True) -> Arrays:
    """Load Fashion-MNIST as ``((x_train, y_train), (x_test, y_test))``, uint8.

    Class names, in label order, are in ``FASHION_CLASS_NAMES``.
    """
    return _load("fashion_mnist", verbose)


__all__ = [
    "DATA_ENV",
    "DEBIAN_FASHION_DIR",
    "FASHION_CLASS_NAMES",
    "FASHION_FILES",
    "FULL_SIZES",
    "MNIST_NPZ_SHA256",
    "NPZ_KEYS",
    "CorruptDataError",
    "DataError",
    "UnreadableDataError",
    "keras_cache_dir",
    "load_fashion_mnist",
    "load_mnist",
    "main",
    "prefetch",
    "validate_arrays",
    "where",
]
