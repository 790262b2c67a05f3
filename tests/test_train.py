"""book.train: Accumulator, Timer, Animator, train_epoch_ch3, train_ch3, predict_ch3."""

from __future__ import annotations

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


def test_accumulator_rejects_the_wrong_number_of_values():
    with pytest.raises(ValueError, match="sums 3 values, got 2"):
        Accumulator(3).add(1, 2)


def test_timer_records_laps():
    timer = Timer()
    first = timer.stop()
    timer.start()
    second = timer.stop()
    assert timer.times == [first, second] and first >= 0 and second >= 0
    assert timer.sum() == pytest.approx(first + second)
    assert timer.avg() == pytest.approx((first + second) / 2)
    assert timer.cumsum() == pytest.approx([first, first + second])


def test_timer_avg_without_laps_is_a_value_error():
    timer = Timer()
    with pytest.raises(ValueError, match="no lap"):
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


def test_animator_live_redraws_once_per_add(monkeypatch):
    animator = Animator(live=True)
    redraws = []
    monkeypatch.setattr(animator, "_redraw", lambda: redraws.append(1))
    for epoch in range(3):
        animator.add(epoch + 1, (1.0, 2.0))
    assert len(redraws) == 3


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
    first, _ = train_epoch_ch3(net, toy_data(), loss_fn, optimizer)
    for _ in range(5):
        last, acc = train_epoch_ch3(net, toy_data(), loss_fn, optimizer)
    assert last < first and acc == 1.0 and net.training


def test_train_epoch_reports_the_same_loss_for_a_mean_or_per_example_loss():
    results = []
    for reduction in ("none", "mean"):
        torch.manual_seed(0)
        net = torch.nn.Linear(2, 2)
        optimizer = torch.optim.SGD(net.parameters(), lr=0.5)
        results.append(train_epoch_ch3(net, toy_data(), torch.nn.CrossEntropyLoss(reduction=reduction),
                                       optimizer))
    assert results[0] == pytest.approx(results[1])


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


def test_train_epoch_rejects_an_updater_that_is_neither_optimizer_nor_function():
    net, _, _ = scratch_model()
    with pytest.raises(ValueError, match="updater must be"):
        train_epoch_ch3(net, toy_data(), book.cross_entropy, 0.1)


def test_train_epoch_rejects_an_empty_iterator():
    net, updater, _ = scratch_model()
    with pytest.raises(ValueError, match="no examples"):
        train_epoch_ch3(net, [], book.cross_entropy, updater)


def test_train_ch3_returns_train_loss_train_accuracy_and_test_accuracy():
    net, updater, _ = scratch_model()
    train_loss, train_acc, test_acc = train_ch3(net, toy_data(), toy_data(seed=1),
                                                book.cross_entropy, 3, updater)
    assert 0 < train_loss < 0.5 and train_acc == 1.0 and test_acc == 1.0


def test_train_ch3_in_a_script_draws_the_final_figure_once():
    net, updater, _ = scratch_model()
    train_ch3(net, toy_data(), toy_data(seed=1), book.cross_entropy, 4, updater)
    (fig_number,) = plt.get_fignums()
    ax = plt.figure(fig_number).axes[0]
    assert len(ax.get_lines()) == 3 and list(ax.get_lines()[2].get_xdata()) == [1.0, 2.0, 3.0, 4.0]
    assert ax.get_xlabel() == "epoch" and ax.get_legend() is not None


@pytest.mark.parametrize("num_epochs", [0, -1, 2.5, True])
def test_train_ch3_rejects_a_number_of_epochs_that_is_not_a_positive_int(num_epochs):
    net, updater, _ = scratch_model()
    with pytest.raises(ValueError, match="num_epochs must be a positive int"):
        train_ch3(net, toy_data(), toy_data(), book.cross_entropy, num_epochs, updater)


def fashion_like_batches():
    X = torch.zeros(4, 1, 28, 28)
    return [(X, torch.tensor([0, 1, 9, 3]))]


def test_predict_ch3_titles_images_true_then_predicted():
    def net(X):
        return torch.nn.functional.one_hot(torch.tensor([0, 2, 9, 3]), 10).float()

    axes = predict_ch3(net, fashion_like_batches(), n=3)
    titles = [ax.get_title() for ax in axes[:3]]
    assert titles == ["t-shirt\nt-shirt", "trouser\npullover", "ankle boot\nankle boot"]


def test_predict_ch3_rejects_n_that_is_not_positive():
    with pytest.raises(ValueError, match="n must be a positive int"):
        predict_ch3(lambda X: X, fashion_like_batches(), n=0)
