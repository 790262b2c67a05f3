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
