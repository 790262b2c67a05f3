"""book.plot: D2L's plotting helpers and the network drawing."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import torch

from book import draw_network, draw_neuron, heatmap, plot, set_figsize, show_trace_2d


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


def test_network_labels_each_weight_when_asked():
    ax = draw_network(3, 1, weight_name="w")
    labels = {t.get_text() for t in ax.texts}
    assert {"$w_{1}$", "$w_{2}$", "$w_{3}$"} <= labels
    assert count_arrows(ax) == 3


def test_softmax_network_has_inputs_times_outputs_arrows():
    assert count_arrows(draw_network(4, 3)) == 12


# the neuron

def test_neuron_has_one_weighted_arrow_per_input_and_a_threshold():
    ax = draw_neuron(4)
    labels = {t.get_text() for t in ax.texts}
    assert {"$w_{1}$", "$w_{4}$", "$x_{4}$", "threshold"} <= labels
    assert count_arrows(ax) == 4 + 2  # inputs to the sum, sum to threshold, threshold to output


def test_neuron_needs_an_input():
    with pytest.raises(ValueError, match="at least one input"):
        draw_neuron(0)


# contours with trajectories

def bowl(x1, x2):
    return x1**2 + 2 * x2**2


def test_show_trace_2d_draws_one_line_per_trajectory_with_a_legend():
    paths = [torch.tensor([[-1.0, 1.0], [0.0, 0.5]]), torch.tensor([[1.0, 1.0], [0.5, 0.0], [0.0, 0.0]])]
    ax = show_trace_2d(bowl, paths, ["slow", "fast"])
    assert len(ax.lines) >= 2 and list(ax.lines[1].get_xdata()) == [1.0, 0.5, 0.0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["slow", "fast"]
    assert ax.get_xlabel() == "$x_1$"


def test_show_trace_2d_accepts_a_single_trajectory():
    ax = show_trace_2d(bowl, torch.zeros(3, 2))
    assert ax.get_legend() is None and len(ax.lines[0].get_xdata()) == 3


def test_show_trace_2d_rejects_mismatched_labels():
    with pytest.raises(ValueError, match="2 labels for 1 trajectories"):
        show_trace_2d(bowl, [torch.zeros(3, 2)], ["a", "b"])


def test_show_trace_2d_rejects_a_trajectory_that_is_not_2d_points():
    with pytest.raises(ValueError, match="shape \\(T, 2\\)"):
        show_trace_2d(bowl, [torch.zeros(3, 3)])


# heat map

def test_heatmap_writes_each_value_and_marks_non_finite_cells():
    values = [[0.5, float("inf")], [float("nan"), 2.0]]
    ax = heatmap(values, ["a", "b"], ["c", "d"], xlabel="learning rate", ylabel="batch size")
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["0.5000", "diverged", "diverged", "2.0000"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["c", "d"]
    assert ax.get_xlabel() == "learning rate"


def test_heatmap_rejects_labels_that_do_not_match_the_values():
    with pytest.raises(ValueError, match="do not match"):
        heatmap([[1.0, 2.0]], ["a"], ["b"])


def test_heatmap_rejects_values_that_are_not_2d():
    with pytest.raises(ValueError, match="must be 2-D"):
        heatmap([1.0, 2.0], ["a"], ["b", "c"])


def test_heatmap_log_scale_rejects_non_positive_values():
    with pytest.raises(ValueError, match="positive"):
        heatmap([[0.0, 1.0]], ["a"], ["b", "c"], log=True)
