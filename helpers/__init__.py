"""Helpers for the CNN course: data, plotting, images, layers, checks and settings.

Every notebook starts with::

    import helpers
    course = helpers.setup("01_dense_baseline")

Importing this package is cheap: TensorFlow loads when ``setup`` (or a helper that needs
it) runs, with its start-up chatter silenced.
"""

from importlib import import_module

from .settings import quick_mode, set_quick_mode, setup, training_epochs

# Loaded on first use, so that `import helpers` does not read the data modules.
_LAZY = {
    "FASHION_CLASS_NAMES": "data",
    "load_fashion_mnist": "data",
    "load_mnist": "data",
    "explore_convolution": "explorers",
    "explore_model": "explorers",
    "explore_output_size": "explorers",
    "explore_pooling": "explorers",
}


_SUBMODULES = {
    "checks",
    "counting",
    "data",
    "explain",
    "explorers",
    "images",
    "layers",
    "models",
    "plotting",
    "training",
    "validation",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    if name in _SUBMODULES:  # `helpers.plotting.show_image` works after `import helpers`
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


__all__ = [
    "FASHION_CLASS_NAMES",
    "explore_convolution",
    "explore_model",
    "explore_output_size",
    "explore_pooling",
    "load_fashion_mnist",
    "load_mnist",
    "quick_mode",
    "set_quick_mode",
    "setup",
    "training_epochs",
]
