"""The explanatory diagrams of notebook 02, shipped with ``helpers`` and shown as cell outputs.

A diagram in a code cell's output travels inside the notebook: GitHub's and nbviewer's
notebook views, Colab with the notebook opened alone, JupyterLab offline and the course's
HTML and slides all show it, which a markdown cell attachment does not achieve (GitHub and
nbviewer leave attachments out, jupyter/notebook#4853). The pictures are drawn by
``tools/make_figures.py`` into ``helpers/diagrams/``; each is shown with its description.
"""

from __future__ import annotations

from importlib import resources

from .validation import describe

DIAGRAMS = {
    "convolution": (
        "A 6×6 input holding a vertical pen stroke, a 3×3 kernel whose columns are −1, 0 "
        "and +1, and the 4×4 output. The window at row 1, column 0 is outlined and its dot "
        "product written out: 0·(−1) + 0·0 + 2·1 in each of its first two rows and "
        "0·(−1) + 1·0 + 2·1 in the third, 6 in all, the output's value at row 1, column 0. "
        "The output is 4 to 6 in its left two columns and −4 to −6 in its right two. Rows "
        "and columns count from 0."
    ),
    "convolution_steps": (
        "Eight steps of the 3×3 window sliding over the 6×6 input, with the output filling "
        "in: steps 1 to 4 move the window one column at a time along the top row and write "
        "5, 6, −4 and −6; step 5 starts the second row and writes 6; steps 8, 12 and 16 "
        "end the second, third and fourth rows with −6, −6 and −5. The "
        "finished output is positive (red) in its left two columns, where the window meets "
        "the stroke's left edge, and negative (blue) in its right two, at its right edge."
    ),
    "max_pooling": (
        "A 4×4 input split into four 2×2 blocks, each outlined in its own colour and line "
        "style, with the largest value of each block circled: 4, 5, 3 and 7. The 2×2 output "
        "holds those four maxima in the blocks' positions."
    ),
    "padding_and_strides": (
        "Three 5×5 inputs under a 3×3 kernel, with a dot where each window's centre lands "
        "(the outlined first window's centre larger and black): "
        "padding valid with stride 1 gives 3×3 positions, padding same (a border of zeros) "
        "gives 5×5, and valid with stride 2 gives 2×2; below each, its output grid."
    ),
}
"""Each diagram's name and its text alternative (what it shows, for screen readers)."""


def diagram_png(name: str) -> bytes:
    """The PNG bytes of diagram ``name`` (one of ``DIAGRAMS``)."""
    if not isinstance(name, str) or name not in DIAGRAMS:
        shown = repr(name) if isinstance(name, str) else describe(name)
        raise ValueError(f"name: got {shown}, expected one of {', '.join(map(repr, DIAGRAMS))}")
    return (resources.files(__package__) / "diagrams" / f"{name}.png").read_bytes()


def show_diagram(name: str) -> None:
    """Show diagram ``name`` as this cell's output, its description stored as ``alt``.

    The output is a PNG whose metadata holds ``{"alt": ...}``, the key nbconvert's
    templates (and the course's) turn into the ``alt`` attribute of the picture.
    """
    from IPython.display import Image, display

    display(Image(data=diagram_png(name), format="png", metadata={"alt": DIAGRAMS[name]}))
