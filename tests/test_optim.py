"""book.optim: minibatch SGD by hand."""

import pytest
import torch

from book import sgd


def test_sgd_steps_against_the_gradient_divided_by_the_batch_size():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w * torch.tensor([4.0, 8.0])).sum().backward()
    sgd([w], lr=0.5, batch_size=4)
    assert w.tolist() == [0.5, 1.0]


def test_sgd_zeroes_the_gradients():
    w = torch.tensor([1.0], requires_grad=True)
    (3 * w).sum().backward()
    sgd([w], lr=0.1, batch_size=1)
    assert w.grad.tolist() == [0.0]


def test_sgd_update_is_not_recorded_by_autograd():
    w = torch.tensor([1.0], requires_grad=True)
    (2 * w).sum().backward()
    sgd([w], lr=0.1, batch_size=1)
    assert w.grad_fn is None and w.requires_grad


# gradient descent with its trajectory

import math  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402

from book import data_iter, gradient_descent, linreg, minibatch_sgd, squared_loss  # noqa: E402


def test_gradient_descent_returns_start_and_one_row_per_step():
    trajectory = gradient_descent(lambda x: 2 * x, [1.0, -2.0], lr=0.1, num_steps=5)
    assert trajectory.shape == (6, 2)
    assert trajectory[0].tolist() == [1.0, -2.0]


def test_gradient_descent_takes_steps_against_the_gradient():
    trajectory = gradient_descent(lambda x: 2 * x, [1.0], lr=0.25, num_steps=2)
    assert trajectory.reshape(-1).tolist() == [1.0, 0.5, 0.25]


def test_gradient_descent_converges_below_two_over_L_and_diverges_above():
    grad = lambda x: torch.tensor([2.0, 4.0], dtype=torch.float64) * x  # Hessian diag(2, 4), L = 4
    assert gradient_descent(grad, [1.0, 1.0], lr=0.49, num_steps=500)[-1].abs().max() < 1e-6
    assert gradient_descent(grad, [1.0, 1.0], lr=0.51, num_steps=500)[-1].abs().max() > 1e6


def test_gradient_descent_with_zero_steps_returns_the_start():
    assert gradient_descent(lambda x: 2 * x, [1.0, -2.0], lr=0.1, num_steps=0).tolist() == [[1.0, -2.0]]


def test_gradient_descent_computes_in_float64():
    # 0.1 is not a float32 number: a float32 start or gradient would give 0.8999999985 for 1 - 0.1
    trajectory = gradient_descent(lambda x: [0.1], torch.tensor([1.0]), lr=1.0, num_steps=1)
    assert trajectory.dtype == torch.float64 and trajectory[1].item() == 1 - 0.1
    assert gradient_descent(lambda x: x, [0.1], lr=0.5, num_steps=0).item() == 0.1


@pytest.mark.parametrize("lr", [0.0, -0.1])
def test_gradient_descent_rejects_a_learning_rate_that_is_not_positive(lr):
    with pytest.raises(ValueError, match="learning rate must be positive"):
        gradient_descent(lambda x: x, [1.0], lr=lr, num_steps=3)


def test_gradient_descent_rejects_a_negative_number_of_steps():
    with pytest.raises(ValueError, match="num_steps"):
        gradient_descent(lambda x: x, [1.0], lr=0.1, num_steps=-1)


# minibatch SGD for linear regression

def line_data(n=50):
    generator = torch.Generator().manual_seed(0)
    X = torch.randn(n, 2, generator=generator)
    y = X @ torch.tensor([2.0, -1.0]) + 0.5
    return X, y


def test_minibatch_sgd_records_one_entry_per_step_plus_the_start():
    X, y = line_data(50)
    record = minibatch_sgd(X, y, batch_size=20, lr=0.1, num_epochs=2)
    assert len(record.loss) == len(record.batch_loss) == len(record.examples) == len(record.seconds) == 1 + 2 * 3
    assert record.examples[-1] == 100 and record.examples[1] == 20


def test_minibatch_sgd_fits_a_noiseless_line():
    X, y = line_data(50)
    record = minibatch_sgd(X, y, batch_size=5, lr=0.1, num_epochs=30)
    assert torch.allclose(record.w.reshape(-1), torch.tensor([2.0, -1.0]), atol=1e-3)
    assert abs(float(record.b) - 0.5) < 1e-3
    assert record.loss[-1] < 1e-6 < record.loss[0]


def test_minibatch_sgd_full_batch_decreases_the_loss_every_step():
    X, y = line_data(50)
    losses = minibatch_sgd(X, y, batch_size=50, lr=0.1, num_epochs=10).loss
    assert all(later < earlier for earlier, later in zip(losses, losses[1:]))


def test_minibatch_sgd_reads_batches_from_data_iter():
    """The documented algorithm, replayed by hand: data_iter's minibatches in the order Python's random gives."""
    X, y = line_data(10)
    random.seed(5)
    record = minibatch_sgd(X, y, batch_size=4, lr=0.1, num_epochs=2)
    random.seed(5)
    w, b = torch.zeros(2, 1, requires_grad=True), torch.zeros(1, requires_grad=True)
    batch_losses = [math.nan]
    for _ in range(2):
        for X_batch, y_batch in data_iter(4, X, y.reshape(-1, 1)):
            loss = squared_loss(linreg(X_batch, w, b), y_batch)
            loss.sum().backward()
            sgd([w, b], 0.1, len(y_batch))
            batch_losses.append(float(loss.detach().mean()))
    assert torch.equal(record.w, w.detach()) and torch.equal(record.b, b.detach())
    assert record.batch_loss[1:] == batch_losses[1:] and math.isnan(record.batch_loss[0])
    assert record.w.requires_grad is False and record.w.shape == (2, 1) and record.b.shape == (1,)


def test_minibatch_sgd_order_follows_pythons_random():
    X, y = line_data(10)
    runs = []
    for seed in (1, 1, 2):
        random.seed(seed)
        runs.append(minibatch_sgd(X, y, batch_size=3, lr=0.1, num_epochs=1).batch_loss[1:])
    assert runs[0] == runs[1] != runs[2]


def test_minibatch_sgd_short_last_batch_is_averaged_over_its_own_size():
    """Three equal examples (x = 1, y = 1), batches of 2 then 1, lr = 1: every step lands exactly.

    First step: residuals -1, -1; summed gradient (-2, -2) / 2 examples -> w = b = 1 (prediction 2).
    Second step, one example: residual 1; gradient (1, 1) / 1 -> w = b = 0. Dividing by 2, the batch
    size, instead of 1 would stop at w = b = 0.5.
    """
    X, y = torch.ones(3, 1), torch.ones(3)
    record = minibatch_sgd(X, y, batch_size=2, lr=1.0, num_epochs=1)
    assert record.examples == [0, 2, 3]
    assert record.w.tolist() == [[0.0]] and record.b.tolist() == [0.0]
    assert record.loss == [0.5, 0.5, 0.5]  # ½ (ŷ − y)² averaged over the three: ŷ = 0, 2, 0
    assert record.batch_loss[1:] == [0.5, 0.5]
    assert len(record.seconds) == 3 and record.seconds[0] == 0.0


def test_minibatch_sgd_seconds_add_up_the_steps(monkeypatch):
    clock = iter([1.0, 1.5, 2.0, 2.25, 3.0, 4.0])  # start, end of each of the three steps
    monkeypatch.setattr(time, "perf_counter", lambda: next(clock))
    X, y = torch.ones(3, 1), torch.ones(3)
    record = minibatch_sgd(X, y, batch_size=1, lr=0.1, num_epochs=1)
    assert record.seconds == [0.0, 0.5, 0.75, 1.75]


def test_minibatch_sgd_keeps_the_dtype_of_the_features():
    X, y = line_data(10)
    record = minibatch_sgd(X.double(), y.double(), batch_size=5, lr=0.1, num_epochs=1)
    assert record.w.dtype == record.b.dtype == torch.float64


@pytest.mark.parametrize("lr", [0.0, -1.0])
def test_minibatch_sgd_rejects_a_learning_rate_that_is_not_positive(lr):
    X, y = line_data(10)
    with pytest.raises(ValueError, match="learning rate must be positive"):
        minibatch_sgd(X, y, batch_size=5, lr=lr, num_epochs=1)


@pytest.mark.parametrize("batch_size", [0, -3, 11])
def test_minibatch_sgd_rejects_a_batch_size_outside_1_to_n(batch_size):
    X, y = line_data(10)
    with pytest.raises(ValueError, match="batch_size must lie between 1 and the number of examples 10"):
        minibatch_sgd(X, y, batch_size=batch_size, lr=0.1, num_epochs=1)


def test_minibatch_sgd_rejects_features_and_labels_of_different_lengths():
    X, y = line_data(10)
    with pytest.raises(ValueError, match="differ in length"):
        minibatch_sgd(X, y[:-1], batch_size=5, lr=0.1, num_epochs=1)


def test_minibatch_sgd_rejects_features_that_are_not_2d():
    with pytest.raises(ValueError, match="features must be 2-D"):
        minibatch_sgd(torch.ones(10), torch.ones(10), batch_size=5, lr=0.1, num_epochs=1)


def test_minibatch_sgd_rejects_zero_epochs():
    X, y = line_data(10)
    with pytest.raises(ValueError, match="num_epochs"):
        minibatch_sgd(X, y, batch_size=5, lr=0.1, num_epochs=0)
