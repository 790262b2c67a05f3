"""Three regression losses, elementwise like D2L's ``squared_loss``, and their gradients.

Each loss takes a prediction ``y_hat`` and a target ``y`` (reshaped to ``y_hat``'s shape, as
``squared_loss`` does) and returns one loss per element, shape of ``y_hat``; average or sum it
yourself. Each ``*_grad`` returns the derivative with respect to ``y_hat``, same shape.

- ``l2_loss``: ½ (ŷ − y)², the squared loss;
- ``l1_loss``: |ŷ − y|, the absolute loss;
- ``huber_loss``: ½ (ŷ − y)² when |ŷ − y| ≤ δ, else δ (|ŷ − y| − δ/2) (Huber, 1964).

``l2_loss`` is half of ``torch.nn.functional.mse_loss(..., reduction="none")``; ``l1_loss`` and
``huber_loss`` equal ``l1_loss`` and ``huber_loss`` of ``torch.nn.functional`` with
``reduction="none"``.
"""

from __future__ import annotations

import torch
from torch import Tensor


def _residual(y_hat: Tensor, y: Tensor) -> Tensor:
    """ŷ − y with y reshaped to ŷ's shape; ValueError when they hold different numbers of values."""
    if y_hat.numel() != y.numel():
        raise ValueError(
            f"y_hat and y must hold the same number of values, got shapes "
            f"{tuple(y_hat.shape)} and {tuple(y.shape)}"
        )
    return y_hat - y.reshape(y_hat.shape)


def _check_delta(delta: float) -> None:
    if not delta > 0:
        raise ValueError(f"delta must be positive, got {delta!r}")


def l2_loss(y_hat: Tensor, y: Tensor) -> Tensor:
    """Squared (L2) loss, elementwise: ½ (ŷ − y)². ``y_hat``: any shape; ``y``: same number of values."""
    return _residual(y_hat, y) ** 2 / 2


def l1_loss(y_hat: Tensor, y: Tensor) -> Tensor:
    """Absolute (L1) loss, elementwise: |ŷ − y|. ``y_hat``: any shape; ``y``: same number of values."""
    return _residual(y_hat, y).abs()


def huber_loss(y_hat: Tensor, y: Tensor, delta: float = 1.0) -> Tensor:
    """Huber's robust loss, elementwise: ½ r² when |r| ≤ δ, else δ (|r| − δ/2), with r = ŷ − y."""
    _check_delta(delta)
    r = _residual(y_hat, y).abs()
    return torch.where(r <= delta, r**2 / 2, delta * (r - delta / 2))


def l2_loss_grad(y_hat: Tensor, y: Tensor) -> Tensor:
    """∂/∂ŷ of ``l2_loss``: ŷ − y, elementwise, shape of ``y_hat``."""
    return _residual(y_hat, y)


def l1_loss_grad(y_hat: Tensor, y: Tensor) -> Tensor:
    """∂/∂ŷ of ``l1_loss``: sign(ŷ − y), elementwise (0 where ŷ = y, as autograd gives)."""
    return torch.sign(_residual(y_hat, y))


def huber_loss_grad(y_hat: Tensor, y: Tensor, delta: float = 1.0) -> Tensor:
    """∂/∂ŷ of ``huber_loss``: ŷ − y clipped to [−δ, δ], elementwise."""
    _check_delta(delta)
    return _residual(y_hat, y).clamp(-delta, delta)
