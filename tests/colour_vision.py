"""Colour arithmetic for the colour checks: colour-vision simulation, contrast, colour distance.

- **Simulation** of the three dichromacies (protanopia, deuteranopia, tritanopia) with the
  matrices of Machado, Oliveira and Fernandes (2009), "A Physiologically-based Model for
  Simulation of Color Vision Deficiency", IEEE TVCG 15(6), 1291-1298, severity 1.0, applied
  to linear RGB (sRGB decoded by IEC 61966-2-1).
- **Contrast ratio** as WCAG 2.1 defines it, (L1 + 0.05) / (L2 + 0.05) from relative
  luminance; success criterion 1.4.11 asks 3:1 for graphical objects that carry meaning.
- **Colour distance** ΔE*ab (CIE 1976) in CIELAB under illuminant D65.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb

MACHADO_2009 = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
VISIONS = ("normal", *MACHADO_2009)

# sRGB (linear) to CIE XYZ, D65 white (IEC 61966-2-1), and the D65 white point.
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_WHITE = _RGB_TO_XYZ @ np.ones(3)


def linear(colour) -> np.ndarray:
    """Linear RGB of a matplotlib colour (name, hex or RGB tuple in 0-1)."""
    srgb = np.asarray(to_rgb(colour), dtype=np.float64)
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def seen(colour, vision: str) -> np.ndarray:
    """Linear RGB of ``colour`` as seen with ``vision`` ("normal" or a dichromacy)."""
    rgb = linear(colour)
    if vision == "normal":
        return rgb
    return np.clip(MACHADO_2009[vision] @ rgb, 0.0, 1.0)


def luminance(rgb_linear: np.ndarray) -> float:
    """Relative luminance (WCAG 2.1) of a linear RGB triple."""
    return float(np.dot([0.2126, 0.7152, 0.0722], rgb_linear))


def contrast(first, second, vision: str = "normal") -> float:
    """WCAG 2.1 contrast ratio of two colours as seen with ``vision``."""
    lighter, darker = sorted(
        (luminance(seen(first, vision)), luminance(seen(second, vision))), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def lab(rgb_linear: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a linear RGB triple."""
    xyz = (_RGB_TO_XYZ @ rgb_linear) / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(first, second, vision: str = "normal") -> float:
    """ΔE*ab (CIE 1976) between two colours as seen with ``vision``."""
    return float(np.linalg.norm(lab(seen(first, vision)) - lab(seen(second, vision))))


def closest_pair(colours, vision: str) -> tuple[float, int, int]:
    """The smallest ΔE*ab between any two of ``colours`` under ``vision``, and which two."""
    return min(
        (delta_e(colours[i], colours[j], vision), i, j)
        for i in range(len(colours))
        for j in range(i + 1, len(colours))
    )
