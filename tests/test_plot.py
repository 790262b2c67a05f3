"""book.plot: D2L's plotting helpers and the network drawing."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import torch

from book import draw_network, plot, set_figsize


def test_set_figsize_sets_the_default_size():
    set_figsize((4.0, 3.0))
    assert tuple(plt.rcParams["figure.figsize"]) == (4.0, 3.0)


def test_plot_draws_one_line_per_curve_with_labels_and_legend():
    x = torch.arange(5.0)
    ax = plot(x, [x, x**2], xlabel="x", ylabel="f(x)", legend=["x", "x²"], yscale="log")
    assert len(ax.lines) == 2
    assert ax.get_xlabel() == "x" and ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["x", "x²"]


def test_plot_of_y_alone_uses_the_index():
    ax = plot([3.0, 1.0, 2.0])
    assert list(ax.lines[0].get_xdata()) == [0, 1, 2]


def count_arrows(ax):
    return sum(1 for child in ax.texts if getattr(child, "arrow_patch", None) is not None)


def test_network_has_one_arrow_per_weight():
    ax = draw_network(3, 1)
    assert count_arrows(ax) == 3


def test_large_layers_are_elided_but_labelled_with_their_size():
    ax = draw_network(784, 10)
    labels = {t.get_text() for t in ax.texts}
    assert "$x_{784}$" in labels and "$o_{10}$" in labels
    assert count_arrows(ax) == 4 * 4  # 3 shown + the last, on each side


@pytest.mark.parametrize("inputs, outputs", [(0, 1), (3, 0)])
def test_network_needs_inputs_and_outputs(inputs, outputs):
    with pytest.raises(ValueError, match="at least one input and one output"):
        draw_network(inputs, outputs)
