"""book.train: Accumulator, Timer, Animator, train_epoch_ch3, train_ch3, predict_ch3."""

from __future__ import annotations

import math
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import torch

import book
from book import Accumulator, Animator, Timer, predict_ch3, train_ch3, train_epoch_ch3


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def toy_data(n=64, batch_size=16, seed=0):
    """Two well-separated classes in 2-D, as a list of minibatches."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 2
    X = torch.randn(n, 2, generator=g) * 0.3 + torch.stack([2.0 * y - 1, 1 - 2.0 * y], dim=1)
    return [(X[i:i + batch_size], y[i:i + batch_size]) for i in range(0, n, batch_size)]


def scratch_model():
    W = torch.zeros(2, 2, requires_grad=True)
    b = torch.zeros(2, requires_grad=True)

    def net(X):
        return book.softmax(X @ W + b)

    def updater(batch_size):
        book.sgd([W, b], 0.5, batch_size)

    return net, updater, W


def test_accumulator_sums_each_variable():
    metric = Accumulator(2)
    metric.add(1, 2.5)
    metric.add(3, torch.tensor(0.5))
    assert (metric[0], metric[1]) == (4.0, 3.0)


def test_accumulator_reset_sets_zeros():
    metric = Accumulator(2)
    metric.add(1, 2)
    metric.reset()
    assert metric.data == [0.0, 0.0]


def test_timer_records_laps(monkeypatch):
    clock = iter([10.0, 10.5, 11.0, 12.5, 20.0, 20.25])  # what time.perf_counter returns, call by call
    monkeypatch.setattr(time, "perf_counter", lambda: next(clock))
    timer = Timer()  # starts the first lap at 10.0
    assert timer.stop() == 0.5
    timer.start()
    assert timer.stop() == 1.5
    timer.start()
    timer.stop()
    assert timer.times == [0.5, 1.5, 0.25]
    assert timer.sum() == 2.25 and timer.avg() == 0.75
    assert timer.cumsum() == [0.5, 2.0, 2.25]


def test_timer_laps_are_real_wall_clock_times():
    timer = Timer()
    time.sleep(0.01)
    assert timer.stop() >= 0.009


def test_timer_avg_without_laps_is_a_value_error():
    timer = Timer()
    with pytest.raises(ValueError, match=r"^no lap recorded yet: call stop\(\) first$"):
        timer.avg()


def test_animator_in_a_script_draws_nothing_until_show():
    animator = Animator(xlabel="epoch", legend=["a", "b"])
    animator.add(1, (0.5, 0.1))
    animator.add(2, (0.4, 0.2))
    assert not animator.live and animator.axes.get_lines() == []
    animator.show()
    lines = animator.axes.get_lines()
    assert len(lines) == 2 and list(lines[0].get_xdata()) == [1.0, 2.0]
    assert animator.axes.get_xlabel() == "epoch"


class FakeDisplay:
    """IPython.display.display with display_id=True, and the handle it returns: records every drawing."""

    def __init__(self):
        self.shown = []  # ("display" or "update", number of points on each line at that moment)

    def points(self, fig):
        return [len(line.get_xdata()) for line in fig.axes[0].get_lines()]

    def __call__(self, fig, display_id=None):
        assert display_id is True, "without display_id=True the figure cannot be updated in place"
        self.shown.append(("display", self.points(fig)))
        return self

    def update(self, fig):
        self.shown.append(("update", self.points(fig)))


@pytest.fixture
def jupyter(monkeypatch):
    """Make Animator believe it runs in a Jupyter kernel, with IPython's display recorded."""
    import IPython.display

    import book.train

    fake = FakeDisplay()
    monkeypatch.setattr(book.train, "in_jupyter", lambda: True)
    monkeypatch.setattr(IPython.display, "display", fake)
    return fake


def test_animator_live_redraws_once_per_add(jupyter):
    animator = Animator(legend=["a", "b"])
    assert animator.live
    for epoch in range(3):
        animator.add(epoch + 1, (1.0, 2.0))
    assert jupyter.shown == [("display", [1, 1]), ("update", [2, 2]), ("update", [3, 3])]
    animator.show()  # the last drawing already shows every point
    assert len(jupyter.shown) == 3
    assert animator.fig.number not in plt.get_fignums()  # closed: the inline backend does not show it again


def test_animator_in_jupyter_not_live_displays_the_final_figure_once(jupyter):
    animator = Animator(live=False)
    for epoch in range(3):
        animator.add(epoch + 1, (1.0, None))
    assert jupyter.shown == []
    animator.show()
    assert jupyter.shown == [("display", [3, 0])]


def test_animator_outside_jupyter_is_not_live():
    assert not book.train.in_jupyter()
    assert not Animator().live and Animator(live=True).live


def test_animator_rejects_a_changing_number_of_curves():
    animator = Animator()
    animator.add(1, (1.0, 2.0))
    with pytest.raises(ValueError, match="draws 2 curves, got 3"):
        animator.add(2, (1.0, 2.0, 3.0))


def test_train_epoch_with_a_scratch_updater_learns_and_returns_loss_and_accuracy():
    net, updater, W = scratch_model()
    data = toy_data()
    loss, acc = train_epoch_ch3(net, data, book.cross_entropy, updater)
    assert 0 < loss < torch.log(torch.tensor(2.0)) and 0.5 <= acc <= 1
    assert W.abs().sum() > 0 and W.grad.abs().sum() == 0  # updated, gradients zeroed


def test_train_epoch_with_an_optimizer_and_a_module():
    torch.manual_seed(0)
    net = torch.nn.Linear(2, 2)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.5)
    loss_fn = torch.nn.CrossEntropyLoss(reduction="none")
    net.eval()
    first, _ = train_epoch_ch3(net, toy_data(), loss_fn, optimizer)
    assert net.training  # train_epoch_ch3 switched the module back to training mode
    for _ in range(5):
        last, acc = train_epoch_ch3(net, toy_data(), loss_fn, optimizer)
    assert last < first and acc == 1.0


def test_train_epoch_puts_a_module_in_training_mode_before_the_first_batch():
    seen = []

    class Net(torch.nn.Linear):
        def forward(self, X):
            seen.append(self.training)
            return super().forward(X)

    net = Net(2, 2)
    net.eval()
    train_epoch_ch3(net, toy_data(), torch.nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.1))
    assert seen == [True] * 4


def one_sgd_step_by_hand(net, X, y, lr):
    """The parameters after one step of SGD on the batch's mean cross-entropy, computed here."""
    logits = X @ net.weight.detach().T + net.bias.detach()
    probs = torch.softmax(logits, dim=1)
    probs[range(len(y)), y] -= 1  # d(cross-entropy)/d(logits), per example
    grad_logits = probs / len(y)  # of the mean over the batch
    return net.weight.detach() - lr * grad_logits.T @ X, net.bias.detach() - lr * grad_logits.sum(0)


@pytest.mark.parametrize("reduction", ["none", "mean"])
def test_train_epoch_gives_a_scratch_updater_the_summed_gradient_and_the_batch_size(reduction):
    torch.manual_seed(0)
    reference = torch.nn.Linear(2, 2)
    (X, y), = toy_data(n=16, batch_size=16)
    weight, bias = one_sgd_step_by_hand(reference, X, y, lr=0.5)
    W = reference.weight.detach().T.clone().requires_grad_(True)
    b = reference.bias.detach().clone().requires_grad_(True)
    sizes = []

    def updater(batch_size):
        sizes.append(batch_size)
        book.sgd([W, b], 0.5, batch_size)

    train_epoch_ch3(lambda X: X @ W + b, [(X, y)], torch.nn.CrossEntropyLoss(reduction=reduction), updater)
    assert sizes == [16]
    assert torch.allclose(W.T, weight, atol=1e-6) and torch.allclose(b, bias, atol=1e-6)


def test_train_epoch_reports_the_same_loss_for_a_mean_or_per_example_loss():
    """Both kinds of loss give the same report and the same step: SGD on the batch's mean loss."""
    (X, y), = toy_data(n=16, batch_size=16)
    reports = []
    for reduction in ("none", "mean"):
        torch.manual_seed(0)
        net = torch.nn.Linear(2, 2)
        weight, bias = one_sgd_step_by_hand(net, X, y, lr=0.5)
        with torch.no_grad():
            before = float(torch.nn.functional.cross_entropy(net(X), y))  # the loss reported: before the step
        reports.append(train_epoch_ch3(net, [(X, y)], torch.nn.CrossEntropyLoss(reduction=reduction),
                                       torch.optim.SGD(net.parameters(), lr=0.5)))
        assert torch.allclose(net.weight, weight, atol=1e-6) and torch.allclose(net.bias, bias, atol=1e-6)
        assert reports[-1][0] == pytest.approx(before, rel=1e-6)
    assert reports[0] == pytest.approx(reports[1])


def test_train_epoch_reports_the_mean_loss_and_the_accuracy_over_all_examples():
    """Two batches of different sizes: the epoch's numbers weigh each example once, not each batch."""
    logits = {3: torch.tensor([[0.0, 0.0]] * 3), 1: torch.tensor([[5.0, 0.0]])}
    batches = [(torch.zeros(3, 2), torch.tensor([0, 1, 1])), (torch.zeros(1, 2), torch.tensor([0]))]

    def net(X):
        return logits[len(X)].clone().requires_grad_(True)

    loss, acc = train_epoch_ch3(net, batches, torch.nn.CrossEntropyLoss(), lambda batch_size: None)
    expected = (3 * math.log(2) + math.log(1 + math.exp(-5.0))) / 4
    assert loss == pytest.approx(expected, rel=1e-6)
    assert acc == 2 / 4  # ties go to class 0: one of three right, then the one example right


def test_train_epoch_runs_backward_with_gradients_enabled():
    net, updater, _ = scratch_model()
    grad_enabled = []

    def loss(y_hat, y):
        grad_enabled.append(torch.is_grad_enabled())
        return book.cross_entropy(y_hat, y)

    train_epoch_ch3(net, toy_data(), loss, updater)
    assert grad_enabled and all(grad_enabled)


def test_train_epoch_rejects_labels_out_of_range():
    net, updater, _ = scratch_model()
    bad = [(torch.zeros(2, 2), torch.tensor([0, 2]))]
    with pytest.raises(ValueError, match="labels must be class indices 0..1"):
        train_epoch_ch3(net, bad, book.cross_entropy, updater)


def test_train_epoch_rejects_predictions_and_labels_of_different_lengths():
    net, updater, _ = scratch_model()
    bad = [(torch.zeros(3, 2), torch.tensor([0, 1]))]
    with pytest.raises(ValueError, match="3 rows but y has 2 labels"):
        train_epoch_ch3(net, bad, book.cross_entropy, updater)


def test_train_ch3_returns_train_loss_train_accuracy_and_validation_accuracy():
    net, updater, _ = scratch_model()
    train_loss, train_acc, val_acc = train_ch3(net, toy_data(), toy_data(seed=1),
                                               book.cross_entropy, 3, updater)
    assert 0 < train_loss < 0.5 and train_acc == 1.0 and val_acc == 1.0


def test_train_ch3_evaluates_the_data_passed_third_and_no_other():
    net, updater, _ = scratch_model()
    flipped = [(X, 1 - y) for X, y in toy_data(seed=1)]  # labels swapped: a trained model scores 0
    _, _, val_acc = train_ch3(net, toy_data(), flipped, book.cross_entropy, 3, updater)
    assert val_acc == 0.0


def test_train_ch3_in_a_script_draws_the_final_figure_once():
    net, updater, _ = scratch_model()
    train_ch3(net, toy_data(), toy_data(seed=1), book.cross_entropy, 4, updater)
    (fig_number,) = plt.get_fignums()
    ax = plt.figure(fig_number).axes[0]
    assert len(ax.get_lines()) == 3 and list(ax.get_lines()[2].get_xdata()) == [1.0, 2.0, 3.0, 4.0]
    assert ax.get_xlabel() == "epoch" and ax.get_legend() is not None


def fashion_like_batches():
    X = torch.zeros(4, 1, 28, 28)
    return [(X, torch.tensor([0, 1, 9, 3]))]


def test_predict_ch3_titles_images_true_then_predicted():
    def net(X):
        return torch.nn.functional.one_hot(torch.tensor([0, 2, 9, 3]), 10).float()

    axes = predict_ch3(net, fashion_like_batches(), n=3)
    titles = [ax.get_title() for ax in axes[:3]]
    assert titles == ["t-shirt\nt-shirt", "trouser\npullover", "ankle boot\nankle boot"]


def test_predict_ch3_predicts_from_the_images_in_one_row():
    X = torch.zeros(8, 1, 28, 28)
    X[:, 0, 0, 0] = torch.arange(8.0)  # each image says which class to predict
    y = torch.arange(8)

    def net(X):
        return torch.nn.functional.one_hot(X[:, 0, 0, 0].long(), 10).float()

    axes = predict_ch3(net, [(X, y)])
    assert len(axes) == 6 and len(axes[0].figure.axes) == 6  # n = 6 by default, one row
    assert all(ax.get_subplotspec().rowspan.start == 0 for ax in axes)
    assert [ax.get_title().split("\n")[0] == ax.get_title().split("\n")[1] for ax in axes] == [True] * 6
    assert len(predict_ch3(net, [(X, y)], n=1)) == 1


# The argument checks that book adds above the shown code (book.checks.checked), as train's helpers use them.

def test_train_helpers_name_their_argument_checks():
    from book.checks import check_n, check_num_epochs, check_train_iter, check_updater

    assert train_epoch_ch3.checks == (check_train_iter, check_updater)
    assert train_ch3.checks == (check_num_epochs,) and predict_ch3.checks == (check_n,)


def test_checked_gives_star_args_to_a_check_as_a_tuple():
    from book.checks import checked

    seen = []

    def check(values):
        seen.append(values)

    @checked(check)
    def total(*values):
        return sum(values)

    assert total(4) == 4 and total(1, 2) == 3
    assert seen == [(4,), (1, 2)]
    assert total.checks == (check,)  # checked at call time here, not only when book was imported


class ZMQInteractiveShell:  # what get_ipython() returns in a Jupyter kernel (by its class name)
    pass


class TerminalInteractiveShell:  # ... in the IPython terminal
    pass


@pytest.mark.parametrize("shell, expected", [(ZMQInteractiveShell(), True), (TerminalInteractiveShell(), False),
                                             (None, False)])
def test_in_jupyter_only_in_a_jupyter_kernel(monkeypatch, shell, expected):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    assert book.train.in_jupyter() is expected


def test_in_jupyter_without_ipython_installed(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "IPython", None)  # import IPython raises ImportError
    assert book.train.in_jupyter() is False


def test_animator_draws_each_curve_in_its_format():
    animator = Animator(fmts=("-", "m--"))
    animator.add(1, (0.5, 0.1))
    animator.show()
    first, second = animator.axes.get_lines()
    assert first.get_linestyle() == "-" and second.get_linestyle() == "--" and second.get_color() == "m"


def test_animator_gives_an_epoch_axis_integer_ticks_only():
    from matplotlib.ticker import MaxNLocator

    for xlabel, integer in (("epoch", True), ("step", False), (None, False)):
        animator = Animator(xlabel=xlabel, ylabel="epoch")
        animator.add(1, 0.5)
        animator.show()
        locator = animator.axes.xaxis.get_major_locator()
        assert (isinstance(locator, MaxNLocator) and locator._integer) is integer, xlabel


def test_animator_takes_one_y_or_one_x_per_curve():
    animator = Animator()
    animator.add(1, 0.5)  # one curve, a bare number
    animator.add(2, 0.25)
    animator.add(3, torch.tensor([0.125]))
    assert animator.Y == [[0.5, 0.25, 0.125]]
    two = Animator()
    two.add((1, 10), (0.5, 0.1))  # an x for each curve
    two.add([2, 20], [0.4, 0.2])
    assert two.X == [[1.0, 2.0], [10.0, 20.0]] and two.Y == [[0.5, 0.4], [0.1, 0.2]]


def test_animator_rejects_x_and_y_of_different_lengths():
    with pytest.raises(ValueError, match=r"^got 2 x values for 3 y values$"):
        Animator().add((1, 2), (0.1, 0.2, 0.3))


def test_animator_has_the_figure_size_asked_for_and_shows_an_empty_figure():
    animator = Animator(figsize=(4.0, 3.0))
    assert tuple(animator.fig.get_size_inches()) == (4.0, 3.0)
    animator.show()  # no point yet: empty axes, no error
    assert animator.axes.get_lines() == []


def test_train_ch3_labels_limits_and_legend_of_its_figure():
    net, updater, _ = scratch_model()
    train_ch3(net, toy_data(), toy_data(seed=1), book.cross_entropy, 3, updater)
    ax = plt.figure(plt.get_fignums()[-1]).axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("epoch", "loss / accuracy")
    assert ax.get_xlim() == (1.0, 3.0)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train loss", "train acc", "val acc"]
    assert [list(line.get_xdata()) for line in ax.get_lines()] == [[1.0, 2.0, 3.0]] * 3


def test_animator_takes_a_zero_dimensional_tensor_as_one_value():
    animator = Animator(xlabel="epoch", live=False)
    animator.add(1, torch.tensor(0.5))
    assert animator.Y == [[0.5]]
    plt.close("all")
