"""Optimization: minibatch stochastic gradient descent by hand.

``sgd`` is shown line for line in the chapter "Linear regression from scratch" (a ``#@save`` cell).
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor


def sgd(params: Iterable[Tensor], lr: float, batch_size: int) -> None:
    """Minibatch SGD, in place: param -= lr * param.grad / batch_size, then zero the gradient."""
    if lr <= 0:
        raise ValueError(f"the learning rate must be positive, got {lr}")
    if batch_size <= 0:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()
