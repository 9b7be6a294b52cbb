"""Plots the course draws again and again: images, grids, training curves, mistakes, filters.

Every function returns the matplotlib Figure it drew on, so a notebook can save it with
``helpers.images.save_figure``. The notebook shows it with ``plt.show()``.

Every figure carries a text alternative for screen readers, built from what it shows (the
sizes and titles of images, the first, last and best value of each training curve); pass
``alt="..."`` to write your own, and ``describe_figure(fig, "...")`` gives one to a figure
drawn with Matplotlib directly. In a notebook the description is stored with the picture,
where the course's HTML pages and slides read it (see ``helpers.plotting_alt``).

Grayscale pictures follow one convention, taught in notebook 02 and written out in
``plotting_common``: data ink-dark on light on its whole range, signed values blue-white-red
around zero.

The code lives in ``plotting_common`` (limits, colour maps, checks), ``plotting_images``,
``plotting_maps``, ``plotting_history``, ``plotting_confusion``, ``plotting_alt`` and
``plotting_diagrams`` (notebook 02's explanatory diagrams, ``show_diagram``); this module is
what learners import.
"""

from .plotting_alt import describe_figure, figure_alt
from .plotting_common import (
    ACCURACY_KEYS,
    AMBIGUOUS_COLOUR_MAX,
    DATA_CMAP,
    MAX_CLASS_NUMBER,
    MAX_METRICS,
    MAX_PANEL_INCHES,
    MAX_PANELS,
    SIGNED_CMAP,
    SIGNED_LABEL,
)
from .plotting_confusion import plot_confusion_matrix
from .plotting_diagrams import show_diagram
from .plotting_history import plot_history
from .plotting_images import misclassified_indices, plot_image_grid, plot_misclassified, show_image
from .plotting_maps import plot_feature_maps, plot_filters

__all__ = [
    "ACCURACY_KEYS",
    "AMBIGUOUS_COLOUR_MAX",
    "DATA_CMAP",
    "MAX_CLASS_NUMBER",
    "MAX_METRICS",
    "MAX_PANELS",
    "MAX_PANEL_INCHES",
    "SIGNED_CMAP",
    "SIGNED_LABEL",
    "describe_figure",
    "figure_alt",
    "misclassified_indices",
    "plot_confusion_matrix",
    "plot_feature_maps",
    "plot_filters",
    "plot_history",
    "plot_image_grid",
    "plot_misclassified",
    "show_diagram",
    "show_image",
]
