"""Figure helpers with D2L's names: ``set_figsize``, ``set_axes``, ``plot``, and ``draw_network``."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np


def set_figsize(figsize: tuple[float, float] = (3.5, 2.5)) -> None:
    """Set the default figure size (inches) for the figures that follow."""
    plt.rcParams["figure.figsize"] = figsize


def set_axes(axes, xlabel=None, ylabel=None, xlim=None, ylim=None,
             xscale="linear", yscale="linear", legend=None) -> None:
    """Label, limit and scale one matplotlib ``Axes``; add a legend when given labels."""
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    axes.set_xlim(xlim)
    axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid(True, alpha=0.3)


def _has_one_axis(X) -> bool:
    return (hasattr(X, "ndim") and X.ndim == 1) or (
        isinstance(X, list) and not hasattr(X[0], "__len__")
    )


def plot(X, Y=None, xlabel: str | None = None, ylabel: str | None = None,
         legend: Sequence[str] | None = None, xlim=None, ylim=None,
         xscale: str = "linear", yscale: str = "linear",
         fmts: Sequence[str] = ("-", "m--", "g-.", "r:"),
         figsize: tuple[float, float] = (3.5, 2.5), axes=None):
    """Plot one or several curves; ``X`` and ``Y`` are arrays or lists of arrays. Returns the axes.

    With ``Y=None`` the values of ``X`` are plotted against their index.
    """
    if axes is None:
        _, axes = plt.subplots(figsize=figsize)
    if _has_one_axis(X):
        X = [X]
    if Y is None:
        X, Y = [[]] * len(X), X
    elif _has_one_axis(Y):
        Y = [Y]
    if len(X) != len(Y):
        X = X * len(Y)
    for x, y, fmt in zip(X, Y, list(fmts) * len(Y)):
        x = np.asarray(x.detach().cpu() if hasattr(x, "detach") else x)
        y = np.asarray(y.detach().cpu() if hasattr(y, "detach") else y)
        if len(x):
            axes.plot(x, y, fmt)
        else:
            axes.plot(y, fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
    return axes


def draw_network(num_inputs: int, num_outputs: int = 1, *, input_name: str = "x",
                 output_name: str = "o", max_shown: int = 5, ax=None,
                 figsize: tuple[float, float] | None = None):
    """Draw a single-layer network: ``num_inputs`` input nodes fully connected to ``num_outputs``.

    Layers with more than ``max_shown`` nodes show the first ``max_shown - 2``, a vertical
    ellipsis and the last one (labelled with its true index). Returns the axes.
    """
    if num_inputs < 1 or num_outputs < 1:
        raise ValueError(f"a network needs at least one input and one output, got "
                         f"{num_inputs} inputs and {num_outputs} outputs")
    if max_shown < 3:
        raise ValueError(f"max_shown must be at least 3, got {max_shown}")

    def layer(count: int) -> list[int | None]:
        if count <= max_shown:
            return list(range(1, count + 1))
        return list(range(1, max_shown - 1)) + [None, count]

    inputs, outputs = layer(num_inputs), layer(num_outputs)
    rows = max(len(inputs), len(outputs))
    if ax is None:
        _, ax = plt.subplots(figsize=figsize or (1.0 + 0.55 * rows, 2.6))

    def positions(nodes: list) -> list[float]:
        offset = (rows - len(nodes)) / 2
        return [offset + i for i in range(len(nodes))]

    y_in, y_out = 1.0, 0.0
    xs_in, xs_out = positions(inputs), positions(outputs)
    radius = 0.32
    for x_i, i in zip(xs_in, inputs):
        for x_o, o in zip(xs_out, outputs):
            if i is not None and o is not None:
                ax.annotate("", xy=(x_o, y_out + radius * 0.45), xytext=(x_i, y_in - radius * 0.45),
                            arrowprops=dict(arrowstyle="-|>", color="0.45", lw=0.8,
                                            shrinkA=0, shrinkB=0))
    for xs, nodes, y, name, colour in ((xs_in, inputs, y_in, input_name, "#dbe9f6"),
                                       (xs_out, outputs, y_out, output_name, "#fde0c5")):
        for x, node in zip(xs, nodes):
            if node is None:
                ax.text(x, y, r"$\cdots$", ha="center", va="center", fontsize=14)
                continue
            ax.add_patch(plt.Circle((x, y), radius * 0.45, facecolor=colour, edgecolor="0.2", zorder=3))
            ax.text(x, y, f"${name}_{{{node}}}$", ha="center", va="center", fontsize=11, zorder=4)
    ax.text(-0.9, y_in, "input layer", ha="right", va="center", fontsize=9)
    ax.text(-0.9, y_out, "output layer", ha="right", va="center", fontsize=9)
    ax.set_xlim(-3.2, rows - 0.4)
    ax.set_ylim(-0.4, 1.4)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
