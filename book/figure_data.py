"""What a figure shows, as text: its labels and a summary of the data it draws.

A chapter's figure is a picture, which the chapter tests (nbval) cannot compare across CPUs. Its
plain-text form is what they compare: ``setup_chapter`` makes Jupyter print a figure's plain text
as ``describe_figure`` gives it (the page still shows the picture), so a changed curve, a swapped
legend or another image fails the comparison like a changed number.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import Collection
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.text import Text
from matplotlib.ticker import FixedFormatter, FuncFormatter


def _number(value: float) -> str:
    """4 significant digits, always with an exponent: never read as an exact integer."""
    return f"{value:.3e}" if np.isfinite(value) else str(value)


def _summary(values, linear: bool = True) -> str:
    """n values: first, last, smallest, largest and mean of the finite ones (the data in brief).

    On a linear axis a statistic below a thousandth of the largest value is given as 0: the figure
    cannot show it, and at that size it is often rounding error (the mean of values that cancel),
    whose digits depend on the CPU. On a log axis every size shows, and is given as it is.
    """
    values = np.asarray(values, dtype=float).ravel()
    finite = values[np.isfinite(values)]
    if not len(finite):
        return f"{len(values)} values, none finite"
    floor = 1e-3 * np.abs(finite).max() if linear else 0.0
    stats = [v if abs(v) >= floor or not np.isfinite(v) else 0.0
             for v in (values[0], values[-1], finite.min(), finite.max(), finite.mean())]
    return f"{len(values)} values " + " ".join(
        f"{name} {_number(v)}" for name, v in zip(("first", "last", "smallest", "largest", "mean"), stats))


def _texts(texts) -> list[str]:
    return [repr(t.get_text()) for t in texts if isinstance(t, Text) and t.get_text()]


def _describe_axes(ax) -> list[str]:
    lines = [f"axes {ax.get_title()!r}: x {ax.get_xlabel()!r} ({ax.get_xscale()}), "
             f"y {ax.get_ylabel()!r} ({ax.get_yscale()})"]
    linear_x, linear_y = ax.get_xscale() == "linear", ax.get_yscale() == "linear"
    for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
        if isinstance(axis.get_major_formatter(), (FixedFormatter, FuncFormatter)):
            lines.append(f"  {name} ticks: {', '.join(t.get_text() for t in axis.get_ticklabels())}")
    legend = ax.get_legend()
    if legend is not None:
        lines.append(f"  legend: {', '.join(_texts(legend.get_texts()))}")
    for line in ax.get_lines():
        x, y = line.get_data()
        if len(np.atleast_1d(x)):
            label = "" if line.get_label().startswith("_") else line.get_label()
            lines.append(f"  line {label!r}: x {_summary(x, linear_x)}; y {_summary(y, linear_y)}")
    for image in ax.get_images():
        if isinstance(image, AxesImage):
            array = np.ma.filled(np.ma.asarray(image.get_array(), dtype=float), np.nan)
            lines.append(f"  image {'x'.join(map(str, array.shape))}: {_summary(array)}")
    for collection in ax.collections:
        if isinstance(collection, ContourSet):
            lines.append(f"  contours: levels {_summary(collection.levels)}")
        elif isinstance(collection, Collection) and len(collection.get_offsets()):
            offsets = np.asarray(collection.get_offsets(), dtype=float)
            lines.append(f"  points: x {_summary(offsets[:, 0], linear_x)}; y {_summary(offsets[:, 1], linear_y)}")
    if ax.patches:  # bars (a horizontal bar's value is its width), circles of a diagram, …
        sized = [p for p in ax.patches if hasattr(p, "get_width") and hasattr(p, "get_height")]
        sizes = (f", widths {_summary([p.get_width() for p in sized], linear_x)}; "
                 f"heights {_summary([p.get_height() for p in sized], linear_y)}") if sized else ""
        lines.append(f"  {len(ax.patches)} shapes{sizes}")
    texts = _texts(ax.texts)
    if texts:
        lines.append(f"  text: {', '.join(texts)}")
    return lines


def describe_figure(figure: Figure) -> str:
    """The figure's size, and per axes its labels, legend, ticks named by hand, texts and data.

    Numbers are given to 4 significant digits, which the chapter comparison reads as numbers.
    """
    width, height = figure.get_size_inches() * figure.dpi
    lines = [f"Figure {width:.0f}x{height:.0f} px"]
    for ax in figure.axes:
        lines.extend(_describe_axes(ax))
    return "\n".join(lines)


def show_figure_data() -> None:
    """In Jupyter, a figure's plain text (beside its picture) becomes ``describe_figure``'s.

    Outside IPython this does nothing. The picture is what a page or notebook shows; the plain text
    is what the chapter comparison reads.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        # The backend first: Jupyter's inline backend resets every figure formatter when it loads.
        plt.switch_backend(plt.get_backend())
        shell.display_formatter.formatters["text/plain"].for_type(
            Figure, lambda figure, printer, cycle: printer.text(describe_figure(figure)))
