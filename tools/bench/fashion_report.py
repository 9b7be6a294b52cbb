"""``benchmarks/recipe_experiments.{json,md}``: the Fashion-MNIST experiments' results.

``read_results``/``write_results`` hold the JSON (every run, profile and precision series) and
write the page; ``summary`` gives each variant's mean and spread over its seeds; ``markdown``
builds the page: the set-up, the recipes' means, every run, the profiles, the precisions.
"""

from __future__ import annotations

import json
import statistics

from tools import fileio
from tools.bench.recipes import FASHION_VARIANTS, STD_FLOOR
from tools.bench.tables import percent, spread, table
from tools.layout import BENCHMARKS, ROOT

JSON_PATH = ROOT / BENCHMARKS / "recipe_experiments.json"
MD_PATH = ROOT / BENCHMARKS / "recipe_experiments.md"
DESCRIPTIONS = {
    "notebook": "compact, batch norm, 1cycle-style peak 0.003",
    "no_batch_norm": "compact, no batch norm, 1cycle-style peak 0.003",
    "augmented": "compact, batch norm, 1cycle-style peak 0.003, augmented",
    "six_epochs": "compact, batch norm, 1cycle-style peak 0.003, 6 epochs (notebook 07)",
    "five_epochs": "compact, batch norm, 1cycle-style peak 0.003, 5 epochs",
    "six_epochs_bfloat16": "compact, batch norm, 1cycle-style peak 0.003, 6 epochs, mixed_bfloat16",
    "constant_rate": "compact, batch norm, Adam at a constant 0.001",
    "no_batch_norm_constant_rate": "compact, no batch norm, Adam at a constant 0.001",
    "gap_head": "compact convolutions, global-average-pooling head (no Dense 128), 6 epochs",
    "gap_head_wider": "compact plus Conv 128 at 7×7, global-average-pooling head, 6 epochs",
    "shifted_raw": "compact, batch norm, shifts of up to 2 px on the raw images, then"
    " standardised",
    "shifted_raw_twelve_epochs": "compact, batch norm, shifts of up to 2 px on the raw images,"
    " then standardised, 12 epochs",
    "twelve_epochs": "compact, batch norm, 1cycle-style peak 0.003, 12 epochs",
}
SET_UP = [
    "- Network: notebook 07's compact convnet (Conv 32 → pool → Conv 64 → pool → Dense 128"
    " → Dropout 0.3 → Dense 10, 3×3 kernels), `fit` on the NumPy arrays as in the"
    " notebook (shuffled every epoch); Adam; 1cycle-style schedule = warm-up from a tenth of"
    " the peak over 20% of the steps, then cosine decay to 0"
    " (`helpers.training.one_cycle_schedule`).",
    "- Heads: the notebook's is Flatten → Dense 128 → Dropout 0.3 → Dense 10. The"
    " global-average-pooling head (`gap_head`) leaves the second convolution unpooled and"
    " averages each of its 64 channels over the 14×14 positions straight into the softmax"
    " layer; `gap_head_wider` adds a third convolution (128 filters, after a 2×2 pooling)"
    " before the averaging.",
    '- Augmentation, two pipelines. "augmented": `RandomFlip("horizontal")` and'
    ' `RandomTranslation(0.1, 0.1, fill_mode="nearest")` on the standardised images (the'
    " first version, which mirrors shoes that all face left and shifts the standardisation's"
    ' pattern with the item). "shifts of up to 2 px on the raw images": `RandomTranslation('
    '2/28, 2/28, fill_mode="constant", fill_value=0)` on the raw pixels, then the per-pixel'
    " standardisation as a `Normalization` layer with the training split's statistics; no"
    " flip. Both act in training only.",
    "- Seeds: `keras.utils.set_random_seed(seed)` before each model is built (weights,"
    " shuffling, dropout and augmentation follow from it).",
    "",
    "Recipes are compared on **validation** accuracy after the last epoch; the test accuracy"
    " is shown but was not used to choose. ± is the sample standard deviation over the"
    " seeds. Training times (inside `fit`, validation passes included) were measured while"
    " other work shared the two cores (load averages below), so compare speeds with the"
    " profile at the end, which ran its cases side by side in one process.",
    "",
]


def read_results() -> dict:
    if JSON_PATH.exists():
        return json.loads(JSON_PATH.read_text())
    return {"runs": [], "profile": None}


def write_results(results: dict) -> None:
    fileio.write_text(JSON_PATH, json.dumps(results, indent=1) + "\n")
    fileio.write_text(MD_PATH, markdown(results))


def summary(results: dict) -> dict[str, dict]:
    """Per variant: mean and spread (sample standard deviation) over its seeds."""
    found = {}
    for name in FASHION_VARIANTS:
        runs = [r for r in results["runs"] if r["variant"] == name]
        if not runs:
            continue
        val = [r["val_accuracy"] for r in runs]
        test = [r["test_accuracy"] for r in runs]
        found[name] = {
            "seeds": sorted(r["seed"] for r in runs),
            "val_mean": statistics.mean(val),
            "val_sd": statistics.stdev(val) if len(val) > 1 else 0.0,
            "test_mean": statistics.mean(test),
            "test_sd": statistics.stdev(test) if len(test) > 1 else 0.0,
            "seconds_mean": statistics.mean(r["training_seconds"] for r in runs),
            "epochs": runs[0]["config"]["epochs"],
        }
    return found


def _opening(prov: dict) -> list[str]:
    return [
        "# Fashion-MNIST recipe experiments (notebook 07)",
        "",
        "Written by `python -m tools.bench.fashion_experiments` from"
        " `benchmarks/recipe_experiments.json`; do not edit by hand.",
        "",
        f"- Machine: {prov.get('cpu', '?')}, {prov.get('cores', '?')} cores,"
        f" {prov.get('system', '?')}",
        f"- Python {prov.get('python', '?')}, TensorFlow {prov.get('tensorflow', '?')},"
        f" Keras {prov.get('keras', '?')}, NumPy {prov.get('numpy', '?')},"
        f" oneDNN {'on' if prov.get('onednn', True) else 'off'}",
        f"- Data: {prov.get('data', '?')}. Training split the first 55,000"
        " training images, validation the last 5,000 (scored after every epoch), test all"
        " 10,000; standardised per pixel with the training split's mean and standard deviation"
        f" (floored at {STD_FLOOR:g} of 255), as in the notebook.",
        *SET_UP,
    ]


def _recipe_lines(results: dict) -> list[str]:
    means = [
        [DESCRIPTIONS[name], str(row["epochs"]), ", ".join(map(str, row["seeds"])),
         percent(row["val_mean"]) + spread(row["val_sd"], row["seeds"]),
         percent(row["test_mean"]) + spread(row["test_sd"], row["seeds"]),
         f"{row['seconds_mean']:.0f} s"]
        for name, row in summary(results).items()
    ]
    if not means:
        return []
    runs = [
        [run["variant"], str(run["seed"]), run["started"],
         f"{run['load_start']} / {run['load_end']}", f"{run['training_seconds']:.0f} s",
         " ".join(f"{100 * v:.2f}" for v in run["val_accuracy_per_epoch"]),
         percent(run["test_accuracy"])]
        for run in results["runs"]
    ]
    return [
        "## Recipes, mean over seeds", "",
        *table(["variant", "epochs", "seeds", "validation accuracy", "test accuracy",
                "training time (shared CPU)"], "lrlrrr", means),
        "", "## Every run", "",
        *table(["variant", "seed", "started", "load average at start / end", "training",
                "validation accuracy per epoch", "test accuracy"], "lrllrlr", runs),
        "",
    ]


def _profile_lines(key: str, prof: dict) -> list[str]:
    isa = (
        "oneDNN free to use every instruction set of this CPU (AVX-512 with bfloat16)"
        if key == "native"
        else f"oneDNN capped at `ONEDNN_MAX_CPU_ISA={key}`"
    )
    rows = [
        [row["case"], f"{row['images']:,}", f"failed: {row['error']}", "–", "–"]
        if "error" in row
        else [row["case"], f"{row['images']:,}", f"{row['seconds']:.2f} s",
              f"{row['images_per_second']:,}", f"{row['first_call_seconds']:.2f} s"]
        for row in prof["rows"]
    ]
    return [
        f"## Where the time of an epoch goes (profile, {isa})",
        "",
        f"Run {prof['started']}, load average at start {prof['load_start']}, at end"
        f" {prof['load_end']}. Notebook 07's compact network (batch norm), batch"
        f" {prof['batch_size']}; the cases took turns, {prof['repeats']} rounds (each starting"
        " one case later) after an"
        " untimed first call of each, best time shown. The case with validation runs"
        " `fit` once per round, so each of its timings includes setting up and running a"
        " validation pass.",
        "",
        *table(["case", "images", "best time", "images/s", "first call (builds the graph)"],
               "lrrrr", rows),
        "",
    ]


def _precision_lines(precision_runs: dict) -> list[str]:
    rows = []
    for key, run in precision_runs.items():
        times = {policy: ", ".join(f"{t:.1f}" for t in values) + " s"
                 for policy, values in run["seconds"].items()}
        speed_up = min(run["seconds"]["float32"]) / min(run["seconds"]["mixed_bfloat16"])
        rows.append([
            "every instruction set of this CPU" if key == "native" else f"up to {key}",
            f"{run['load_start']} / {run['load_end']}", times["float32"],
            times["mixed_bfloat16"], f"{speed_up:.2f}",
        ])
    return [
        "## float32 against mixed_bfloat16, whole epochs",
        "",
        "Notebook 07's compact network (batch norm), one epoch of the 55,000 training images"
        " at batch 128, no validation; the two precisions took turns, after a short untimed"
        " fit of each. With `mixed_bfloat16` the layers compute in bfloat16 and keep float32"
        " weights; the softmax layer stays float32. The fastest epoch of each is compared:"
        " on this virtual machine some epochs ran at about half speed for minutes at a time,"
        " whatever their precision, so every epoch's time is listed too.",
        "",
        *table(["oneDNN may use", "load average at start / end", "float32 epochs",
                "mixed_bfloat16 epochs", "speed-up (fastest float32 / fastest bfloat16)"],
               "llrrr", rows),
        "",
    ]


def markdown(results: dict) -> str:
    lines = [*_opening(results.get("provenance", {})), *_recipe_lines(results)]
    for key, prof in results.get("profiles", {}).items():
        lines += _profile_lines(key, prof)
    if results.get("precision"):
        lines += _precision_lines(results["precision"])
    return "\n".join(lines)
