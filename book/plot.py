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
                 output_name: str = "o", max_shown: int = 5, weight_name: str | None = None,
                 ax=None, figsize: tuple[float, float] | None = None):
    """Draw a single-layer network: ``num_inputs`` input nodes fully connected to ``num_outputs``.

    One arrow per weight. Layers with more than ``max_shown`` nodes show the first
    ``max_shown - 2``, a horizontal ellipsis and the last one (labelled with its true index).
    With ``weight_name`` (e.g. ``"w"``) and a single output, each arrow is labelled $w_i$.
    Returns the axes.
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
        _, ax = plt.subplots(figsize=figsize or (1.6 + 0.8 * rows, 2.3))

    def positions(nodes: list) -> list[float]:
        offset = (rows - len(nodes)) / 2
        return [offset + i for i in range(len(nodes))]

    y_in, y_out, radius = 1.5, 0.0, 0.3
    xs_in, xs_out = positions(inputs), positions(outputs)
    for x_i, i in zip(xs_in, inputs):
        for x_o, o in zip(xs_out, outputs):
            if i is None or o is None:
                continue
            dx, dy = x_o - x_i, y_out - y_in
            unit = radius / float(np.hypot(dx, dy))
            ax.annotate("", xy=(x_o - dx * unit, y_out - dy * unit),
                        xytext=(x_i + dx * unit, y_in + dy * unit),
                        arrowprops=dict(arrowstyle="-|>", color="0.45", lw=0.8, shrinkA=0, shrinkB=0))
            if weight_name and len(outputs) == 1:
                ax.text(x_i + 0.45 * dx, y_in + 0.45 * dy, f"${weight_name}_{{{i}}}$", ha="center",
                        va="center", fontsize=9, color="0.25",
                        bbox=dict(facecolor="white", edgecolor="none", pad=0.5))
    for xs, nodes, y, name, colour in ((xs_in, inputs, y_in, input_name, "#dbe9f6"),
                                       (xs_out, outputs, y_out, output_name, "#fde0c5")):
        for x, node in zip(xs, nodes):
            if node is None:
                ax.text(x, y, r"$\cdots$", ha="center", va="center", fontsize=14)
                continue
            ax.add_patch(plt.Circle((x, y), radius, facecolor=colour, edgecolor="0.2", zorder=3))
            size = 11 if node < 100 else 8
            ax.text(x, y, f"${name}_{{{node}}}$", ha="center", va="center", fontsize=size, zorder=4)
    ax.text(-0.55, y_in, "input layer", ha="right", va="center", fontsize=9)
    ax.text(-0.55, y_out, "output layer", ha="right", va="center", fontsize=9)
    ax.set_xlim(-2.4, rows - 0.5)
    ax.set_ylim(-0.45, 1.95)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def draw_neuron(num_inputs: int = 3, *, ax=None, figsize: tuple[float, float] = (5.5, 2.4)):
    """Draw an artificial neuron: inputs $x_i$, weights $w_i$, a weighted sum plus bias, a threshold.

    Left to right: ``num_inputs`` input nodes, one weighted arrow each into a node
    $\\Sigma$ computing $\\sum_i w_i x_i + b$, then a step function (the threshold), then the output,
    1 (fires) or 0 (stays silent). Returns the axes.
    """
    if num_inputs < 1:
        raise ValueError(f"a neuron needs at least one input, got {num_inputs}")
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    radius = 0.28
    ys = [(num_inputs - 1) / 2 - i for i in range(num_inputs)]
    sum_x, sum_r = 2.6, 0.45
    for i, y in enumerate(ys, start=1):
        ax.add_patch(plt.Circle((0, y), radius, facecolor="#dbe9f6", edgecolor="0.2", zorder=3))
        ax.text(0, y, f"$x_{{{i}}}$", ha="center", va="center", fontsize=11, zorder=4)
        dx, dy = sum_x, -y
        length = float(np.hypot(dx, dy))
        ax.annotate("", xy=(sum_x - dx * sum_r / length, -dy * sum_r / length),
                    xytext=(dx * radius / length, y + dy * radius / length),
                    arrowprops=dict(arrowstyle="-|>", color="0.45", lw=0.8, shrinkA=0, shrinkB=0))
        ax.text(0.45 * dx, y + 0.45 * dy + 0.12, f"$w_{{{i}}}$", ha="center", va="bottom", fontsize=9,
                color="0.25")
    ax.add_patch(plt.Circle((sum_x, 0), sum_r, facecolor="#fde0c5", edgecolor="0.2", zorder=3))
    ax.text(sum_x, 0, r"$\Sigma$", ha="center", va="center", fontsize=14, zorder=4)
    ax.text(sum_x, -sum_r - 0.12, r"$\sum_i w_i x_i + b$", ha="center", va="top", fontsize=9)
    box_x, box_w, box_h = 3.8, 1.0, 0.8
    ax.annotate("", xy=(box_x, 0), xytext=(sum_x + sum_r, 0),
                arrowprops=dict(arrowstyle="-|>", color="0.45", lw=0.8, shrinkA=0, shrinkB=0))
    ax.add_patch(plt.Rectangle((box_x, -box_h / 2), box_w, box_h, facecolor="white", edgecolor="0.2"))
    step_x = [box_x + 0.1, box_x + box_w / 2, box_x + box_w / 2, box_x + box_w - 0.1]
    step_y = [-box_h / 2 + 0.12, -box_h / 2 + 0.12, box_h / 2 - 0.12, box_h / 2 - 0.12]
    ax.plot(step_x, step_y, color="C3", lw=1.5)
    ax.text(box_x + box_w / 2, -box_h / 2 - 0.12, "threshold", ha="center", va="top", fontsize=9)
    out_x = box_x + box_w + 0.9
    ax.annotate("", xy=(out_x - radius, 0), xytext=(box_x + box_w, 0),
                arrowprops=dict(arrowstyle="-|>", color="0.45", lw=0.8, shrinkA=0, shrinkB=0))
    ax.add_patch(plt.Circle((out_x, 0), radius, facecolor="#e5f5e0", edgecolor="0.2", zorder=3))
    ax.text(out_x, 0, "$y$", ha="center", va="center", fontsize=11, zorder=4)
    ax.text(out_x, -radius - 0.12, "fires: 1\nsilent: 0", ha="center", va="top", fontsize=9)
    ax.text(0, max(ys) + radius + 0.15, "inputs", ha="center", va="bottom", fontsize=9)
    ax.set_xlim(-0.5, out_x + 0.6)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def show_trace_2d(f, trajectories, labels: Sequence[str] | None = None, *, xlim=(-5.5, 1.5),
                  ylim=(-3.0, 3.0), levels: int = 20, xlabel: str = "$x_1$", ylabel: str = "$x_2$",
                  figsize: tuple[float, float] = (4.5, 3.5), ax=None):
    """Contours of a 2-D function with gradient-descent trajectories drawn over them.

    ``f(x1, x2)`` takes and returns arrays of the grid's shape; ``trajectories`` is one (T, 2)
    array or a list of them; ``labels`` names each in the legend. Points outside the limits are
    clipped by the axes. Returns the axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    if hasattr(trajectories, "shape") and len(trajectories.shape) == 2:
        trajectories = [trajectories]
    if labels is not None and len(labels) != len(trajectories):
        raise ValueError(f"got {len(labels)} labels for {len(trajectories)} trajectories")
    x1, x2 = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 200))
    ax.contour(x1, x2, f(x1, x2), levels=levels, colors="0.7", linewidths=0.7)
    for k, trajectory in enumerate(trajectories):
        points = np.asarray(trajectory.detach().cpu() if hasattr(trajectory, "detach") else trajectory)
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"a trajectory must have shape (T, 2), got {points.shape}")
        ax.plot(points[:, 0], points[:, 1], "-o", color=f"C{k}", markersize=3, lw=1.2,
                label=None if labels is None else labels[k])
    ax.plot([], [])  # keep the colour cycle independent of the contour
    set_axes(ax, xlabel, ylabel, xlim, ylim, legend=None)
    if labels is not None:
        ax.legend(fontsize=8)
    return ax


def heatmap(values, row_labels: Sequence[str], col_labels: Sequence[str], *, xlabel: str | None = None,
            ylabel: str | None = None, colorbar_label: str | None = None, fmt: str = "{:.4f}",
            log: bool = False, figsize: tuple[float, float] = (4.5, 3.5), ax=None,
            nonfinite_label: str = "diverged"):
    """An annotated heat map of ``values`` (rows, cols); non-finite cells are grey and read
    ``nonfinite_label`` ("diverged" unless told otherwise).

    With ``log`` the colours follow a log scale (values must then be positive). Returns the axes.
    """
    from matplotlib.colors import LogNorm

    values = np.asarray(values.detach().cpu() if hasattr(values, "detach") else values, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"values must be 2-D (rows, cols), got shape {values.shape}")
    if values.shape != (len(row_labels), len(col_labels)):
        raise ValueError(f"values of shape {values.shape} do not match {len(row_labels)} row labels "
                         f"and {len(col_labels)} column labels")
    finite = np.isfinite(values)
    if log and np.any(values[finite] <= 0):
        raise ValueError("a log colour scale needs positive values")
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    masked = np.ma.masked_where(~finite, values)
    cmap = plt.get_cmap("viridis").with_extremes(bad="0.8")
    norm = LogNorm() if log and finite.any() else None
    image = ax.imshow(masked, cmap=cmap, norm=norm, aspect="auto")
    colorbar = ax.figure.colorbar(image, ax=ax)
    if colorbar_label:
        colorbar.set_label(colorbar_label)
    low, high = (np.min(values[finite]), np.max(values[finite])) if finite.any() else (0.0, 0.0)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if not finite[i, j]:
                text, colour = nonfinite_label, "black"
            else:
                text = fmt.format(values[i, j])
                position = (np.log(values[i, j] / low) / np.log(high / low) if log and high > low
                            else (values[i, j] - low) / (high - low) if high > low else 0.0)
                colour = "black" if position > 0.6 else "white"
            ax.text(j, i, text, ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks(range(len(col_labels)), labels=list(col_labels))
    ax.set_yticks(range(len(row_labels)), labels=list(row_labels))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax
