"""One notebook of the benchmark: run with the probes, stored if asked, summed up.

``run_notebook`` executes a notebook in a fresh kernel with two extra cells (the probes
installed first, their report written last; never stored); with ``store`` the executed
notebook, all outputs included, replaces the file (fingerprints recorded, prose numbers
filled in). ``summarise_notebook`` turns what the probes saw into the row of results.json;
``provenance`` is the line the notebook's header then shows about its stored outputs.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path

from tools import notebook_io, reference_outputs
from tools.bench.goals import FULL_TRAINING_IMAGES
from tools.layout import ROOT, all_notebooks, notebook_folder
from tools.manifest import load_manifest

# Run first in the notebook's kernel, then removed. The benchmark puts the repository on the
# kernels' PYTHONPATH, so the probes import as any module does.
PROBE_CELL = """\
from tools.bench import probes as _benchmark_probes
_benchmark_probes.install_probes({path!r})"""
REPORT_CELL = "_benchmark_probes.write_report()"
DATASET_NAMES = {"mnist": "MNIST", "fashion_mnist": "Fashion-MNIST"}
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _without_probe_cells(notebook) -> None:
    """Remove the two injected cells; number the rest as if the notebook had run alone."""
    notebook.cells = notebook.cells[1:-1]
    for cell in notebook.cells:
        if cell.cell_type != "code" or cell.execution_count is None:
            continue
        cell.execution_count -= 1
        for output in cell.outputs:
            if output.get("execution_count") is not None:
                output["execution_count"] -= 1


def store_notebook(notebook, path: Path, original: bytes) -> list[str]:
    """Write an executed notebook back: fingerprints recorded, prose numbers filled in.

    Returns what could not be filled (prose markers whose label no output prints). Refuses
    to write if the file changed on disk while the notebook ran.
    """
    if path.read_bytes() != original:
        raise RuntimeError(f"{path.name} changed on disk during the run; not overwritten")
    reference_outputs.record_fingerprints(notebook)
    problems = reference_outputs.fill_prose(notebook)
    notebook_io.write(notebook, path)
    return problems


def _execute(notebook, path: Path, timeout: int) -> str | None:
    """Run the notebook; the error that stopped it (shortened), or None."""
    from nbclient.exceptions import CellExecutionError

    try:
        notebook_io.execute(notebook, path.parent, timeout, {})
    except CellExecutionError as failure:
        return str(failure).strip().splitlines()[-1][:300]
    except Exception as failure:  # a timeout or a dead kernel: record it, go on
        return f"{type(failure).__name__}: {failure}"[:300]
    return None


def run_notebook(path: Path, probe_file: Path, timeout: int, store: bool = False) -> dict:
    """Execute one notebook in a fresh kernel; return wall time, error and the probes' JSON.

    With ``store`` the executed notebook, all outputs included, replaces the file on disk
    (only if every cell ran).
    """
    import nbformat

    original = path.read_bytes()
    notebook = nbformat.reads(original.decode("utf-8"), as_version=4)
    notebook.cells.insert(0, notebook_io.new_cell("code", PROBE_CELL.format(path=str(probe_file))))
    notebook.cells.append(notebook_io.new_cell("code", REPORT_CELL))
    start = time.perf_counter()
    error = _execute(notebook, path, timeout)
    wall = time.perf_counter() - start
    probes = json.loads(probe_file.read_text()) if probe_file.exists() else {}
    stored, prose = False, []
    # A notebook whose every output nbval compares shows the same in quick mode:
    # `make notebooks` stores it, and a full run would only change its mode line.
    if store and error is None:
        _without_probe_cells(notebook)
        if any(reference_outputs.is_unchecked(cell) for cell in notebook.cells):
            try:
                prose = store_notebook(notebook, path, original)
                stored = True
            except RuntimeError as failure:
                error = str(failure)
    return {"wall_seconds": round(wall, 1), "error": error, "stored": stored,
            "prose_problems": prose, **probes}


def first_epoch_overhead(fit: dict) -> float:
    """How much longer the first epoch took than the median of the others (0 if not known).

    Keras builds the training and validation graphs during a fit's first epoch; on the full
    data that happens once, as it does on a sample, so it must not be scaled with the data.
    """
    epochs = fit.get("epoch_seconds") or []
    if len(epochs) < 2:
        return 0.0
    return max(0.0, epochs[0] - statistics.median(epochs[1:]))


def projected_seconds(fit: dict, train_images: int) -> float:
    """A fit's time on the complete training set (FULL_TRAINING_IMAGES).

    A fit on the loaded training set grows with the data, except its first epoch's extra time
    (building the graphs); a fit on a fixed-size sample (a demonstration on 8 batches, a speed
    probe on 20) takes as long on the full data.
    """
    if (fit.get("images_per_epoch") or 0) < train_images / 2:
        return fit["seconds"]
    overhead = first_epoch_overhead(fit)
    return overhead + (fit["seconds"] - overhead) * FULL_TRAINING_IMAGES / train_images


def slow_epochs(fit: dict, factor: float = 1.5) -> list[int]:
    """The epochs (counted from 1, the first left out) that took ``factor`` × the fastest."""
    epochs = fit.get("epoch_seconds") or []
    if len(epochs) < 3:
        return []
    fastest = min(epochs[1:])
    return [i for i, s in enumerate(epochs[1:], start=2) if s > factor * fastest]


def first_after_last_fit(tests: list[dict]) -> dict[str, float]:
    """Per model, its first test evaluation after its latest fit.

    A notebook may evaluate a trained model again on altered test images (02 shifts the digits
    two pixels): those later evaluations are not the model's test accuracy.
    """
    chosen: dict[str, dict] = {}
    for evaluation in tests:
        kept = chosen.get(evaluation["model"])
        if kept is None or (evaluation.get("after_fit") or -1) > (kept.get("after_fit") or -1):
            chosen[evaluation["model"]] = evaluation
    return {model: evaluation["accuracy"] for model, evaluation in chosen.items()}


def summarise_notebook(name: str, run: dict) -> dict:
    """The row of results.json for one notebook's run."""
    fits = run.get("fits", [])
    seconds = sum(fit["seconds"] for fit in fits)
    images = sum(fit["images"] or 0 for fit in fits)
    datasets = run.get("datasets", {})
    train_images = max((d["train_images"] for d in datasets.values()), default=None)
    projected = None
    if fits and train_images:
        projected = sum(projected_seconds(fit, train_images) for fit in fits)
    tests = [e for e in run.get("evaluations", []) if e["split"] == "test" and e["accuracy"]]
    return {
        "notebook": name,
        "wall_seconds": run.get("wall_seconds"),
        "training_seconds": round(seconds, 1),
        "projected_full_training_seconds": None if projected is None else round(projected, 1),
        "images_trained": images,
        "images_per_second": round(images / seconds, 1) if seconds and images else None,
        "test_accuracy": first_after_last_fit(tests),
        "test_evaluations": tests,
        "peak_memory_mb": run.get("peak_memory_mb"),
        "data": dict(datasets),
        "fits": fits,
        "error": run.get("error"),
        "prose_problems": run.get("prose_problems", []),
        "stored": run.get("stored", False),
    }


def _dataset_note(key: str, count: int) -> str:
    name = DATASET_NAMES.get(key, key)
    if count >= FULL_TRAINING_IMAGES:
        return f"{name}: all {FULL_TRAINING_IMAGES:,} training images"
    factor = FULL_TRAINING_IMAGES / count
    return (
        f"{name}: the first {count:,} of its {FULL_TRAINING_IMAGES:,} training images (on"
        f" all of them an epoch takes {factor:g} times the steps and time, and accuracy"
        " usually comes out higher)"
    )


def provenance(results: dict, row: dict) -> str | None:
    """The line a notebook's header shows about its stored training outputs (None: no fits).

    It says plainly what a learner's own run will differ in: on a subset of a dataset, the
    steps per epoch, the time and (usually) the accuracy; on the complete data, only the last
    digits (other random weights, another CPU).
    """
    if not row["fits"] or row["error"] or not row.get("stored"):
        return None
    machine = results["machine"]
    tensorflow = ".".join(machine["tensorflow"].split(".")[:2])
    parts = [_dataset_note(key, info["train_images"]) for key, info in sorted(row["data"].items())]
    return (
        f"**Stored outputs:** a full run of {results['started'][:10]} on a"
        f" {machine['cores']}-core CPU, TensorFlow {tensorflow}"
        + "".join(f"; {part}" for part in parts)
        + ". Your own run lands near these figures, not on them."
    )


def lesson_lengths(notebook_dir: Path | None = None, root: Path = ROOT) -> list[dict]:
    """Per numbered notebook (the index too): its markdown words and its manifest sitting.

    Words a reader sees: HTML comments (the markers around quoted figures, the generated
    cells' tags) are invisible in every rendering and do not count."""
    minutes = {entry.file: entry.minutes for entry in load_manifest(root).notebooks}
    rows = []
    for path in all_notebooks(notebook_dir or notebook_folder(root)):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        markdown_cells = [cell for cell in cells if cell["cell_type"] == "markdown"]
        words = sum(len(HTML_COMMENT.sub(" ", "".join(cell["source"])).split())
                    for cell in markdown_cells)
        rows.append({"notebook": path.stem, "words": words, "minutes": minutes.get(path.name)})
    return rows
