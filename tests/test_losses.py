"""book.losses: L2, L1 and Huber losses and their gradients, checked against torch.nn.functional."""

import pytest
import torch
import torch.nn.functional as F

from book import huber_loss, huber_loss_grad, l1_loss, l1_loss_grad, l2_loss, l2_loss_grad


def residual_grid():
    """Predictions covering both sides of the Huber threshold, the kink at 0 and large errors."""
    torch.manual_seed(0)
    y_hat = torch.cat([torch.linspace(-5, 5, 41), torch.randn(20) * 3])
    y = torch.cat([torch.zeros(41), torch.randn(20)])
    return y_hat, y


def test_l2_loss_is_half_of_torch_mse_loss():
    y_hat, y = residual_grid()
    assert torch.allclose(l2_loss(y_hat, y), F.mse_loss(y_hat, y, reduction="none") / 2)


def test_l1_loss_matches_torch_l1_loss():
    y_hat, y = residual_grid()
    assert torch.allclose(l1_loss(y_hat, y), F.l1_loss(y_hat, y, reduction="none"))


@pytest.mark.parametrize("delta", [0.5, 1.0, 2.0])
def test_huber_loss_matches_torch_huber_loss(delta):
    y_hat, y = residual_grid()
    assert torch.allclose(huber_loss(y_hat, y, delta), F.huber_loss(y_hat, y, reduction="none", delta=delta))


def test_huber_loss_defaults_to_delta_one():
    y_hat, y = residual_grid()
    assert torch.allclose(huber_loss(y_hat, y), F.huber_loss(y_hat, y, reduction="none", delta=1.0))


def test_huber_loss_is_l2_inside_delta_and_shifted_l1_outside():
    y_hat, y = torch.tensor([0.5, 3.0]), torch.zeros(2)
    assert torch.allclose(huber_loss(y_hat, y), torch.tensor([0.125, 2.5]))


def test_losses_are_elementwise_with_y_reshaped_like_squared_loss():
    y_hat, y = torch.tensor([[1.0], [2.0], [4.0]]), torch.tensor([1.0, 1.0, 1.0])
    for loss in (l2_loss, l1_loss, huber_loss):
        assert loss(y_hat, y).shape == (3, 1)
    assert l2_loss(y_hat, y).squeeze(1).tolist() == [0.0, 0.5, 4.5]


@pytest.mark.parametrize(
    "loss, grad",
    [(l2_loss, l2_loss_grad), (l1_loss, l1_loss_grad), (huber_loss, huber_loss_grad)],
    ids=["l2", "l1", "huber"],
)
def test_gradient_helpers_match_autograd(loss, grad):
    y_hat, y = residual_grid()
    y_hat = y_hat.clone().requires_grad_(True)
    loss(y_hat, y).sum().backward()
    assert torch.allclose(grad(y_hat.detach(), y), y_hat.grad)


def test_huber_gradient_is_clipped_at_delta():
    y_hat = torch.tensor([-10.0, -0.5, 0.5, 10.0])
    assert huber_loss_grad(y_hat, torch.zeros(4), delta=2.0).tolist() == [-2.0, -0.5, 0.5, 2.0]


@pytest.mark.parametrize("function", [l2_loss, l1_loss, huber_loss, l2_loss_grad, l1_loss_grad, huber_loss_grad])
def test_different_numbers_of_values_is_a_value_error(function):
    with pytest.raises(ValueError, match="same number of values"):
        function(torch.zeros(3), torch.zeros(4))


@pytest.mark.parametrize("delta", [0.0, -1.0, float("nan")])
@pytest.mark.parametrize("function", [huber_loss, huber_loss_grad])
def test_non_positive_delta_is_a_value_error(function, delta):
    with pytest.raises(ValueError, match="delta must be positive"):
        function(torch.zeros(3), torch.zeros(3), delta=delta)
