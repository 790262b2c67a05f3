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


@pytest.mark.parametrize("lr", [0.0, -0.03])
def test_sgd_rejects_a_learning_rate_that_is_not_positive(lr):
    w = torch.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="learning rate must be positive"):
        sgd([w], lr=lr, batch_size=1)


def test_sgd_rejects_a_batch_size_that_is_not_positive():
    w = torch.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="batch_size must be positive"):
        sgd([w], lr=0.1, batch_size=0)


# gradient descent with its trajectory

from book import gradient_descent, minibatch_sgd  # noqa: E402


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


def test_minibatch_sgd_reads_batches_from_data_iter(monkeypatch):
    import book.optim

    calls = []
    original = book.optim.data_iter

    def spy(batch_size, features, labels):
        calls.append(batch_size)
        return original(batch_size, features, labels)

    monkeypatch.setattr(book.optim, "data_iter", spy)
    X, y = line_data(10)
    minibatch_sgd(X, y, batch_size=5, lr=0.1, num_epochs=3)
    assert calls == [5, 5, 5]


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
