"""Interactive explorers: move a convolution, change padding and stride, pool a photo, look
inside a trained model.

The computing (``compute``, ``trained``: NumPy and Keras) is separate from the drawing
(``draw``: matplotlib) and from the controls (``widgets``: ipywidgets), so the computing is
tested without a browser. Each explorer is one line in a notebook::

    helpers.explore_convolution(test_images[0], model=model)
"""

from .pooling import explore_pooling
from .widgets import (
    Explorer,
    explore_convolution,
    explore_model,
    explore_output_size,
)

__all__ = [
    "Explorer",
    "explore_convolution",
    "explore_model",
    "explore_output_size",
    "explore_pooling",
]
