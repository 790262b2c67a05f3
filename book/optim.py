"""Optimization: minibatch stochastic gradient descent by hand, gradient descent with its trajectory,
and a minibatch SGD driver for linear regression that records the loss after every step.

``sgd`` is shown line for line, from ``def`` on, in the chapter "Linear regression from scratch" (a
``#@save`` cell); its ``@checked(...)`` line, ``book``'s alone, checks the arguments (``book.checks``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import torch
from torch import Tensor

from book.checks import check_batch_size, check_lr, checked
from book.regression import data_iter, linreg, squared_loss


@checked(check_lr, check_batch_size)
def sgd(params, lr, batch_size):
    """Minibatch SGD, in place: param -= lr * param.grad / batch_size, then zero the gradient."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def gradient_descent(f_grad: Callable[[Tensor], Tensor], x0: Tensor | Sequence[float], lr: float,
                     num_steps: int) -> Tensor:
    """Gradient descent x_t = x_{t-1} − lr · f_grad(x_{t-1}) from ``x0`` (d,); returns the trajectory.

    The trajectory has shape (num_steps + 1, d): row 0 is ``x0``, row t the point after t steps.
    A learning rate that is too large makes the rows grow (they may reach inf); nothing stops early.
    """
    if lr <= 0:
        raise ValueError(f"the learning rate must be positive, got {lr}")
    if num_steps < 0:
        raise ValueError(f"num_steps must be at least 0, got {num_steps}")
    x = torch.as_tensor(x0, dtype=torch.float64).reshape(-1).clone()
    trajectory = [x.clone()]
    for _ in range(num_steps):
        x = x - lr * torch.as_tensor(f_grad(x), dtype=torch.float64).reshape(x.shape)
        trajectory.append(x.clone())
    return torch.stack(trajectory)


@dataclass
class SGDRecord:
    """What ``minibatch_sgd`` recorded, one entry per step (entry 0 is the start, before any step).

    ``examples``: examples processed so far; ``loss``: the averaged squared loss on the whole
    training set; ``batch_loss``: the loss on the step's minibatch (nan at entry 0); ``seconds``:
    cumulative wall time of the updates alone (evaluating ``loss`` is not timed). ``w`` (d, 1), ``b`` (1,).
    """

    w: Tensor
    b: Tensor
    examples: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    batch_loss: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def minibatch_sgd(features: Tensor, labels: Tensor, batch_size: int, lr: float,
                  num_epochs: int) -> SGDRecord:
    """Fit ``linreg`` to ``features`` (n, d) and ``labels`` (n,) or (n, 1) by minibatch SGD.

    Starts from w = 0, b = 0; each epoch reads shuffled minibatches from ``data_iter`` (seed Python's
    ``random`` for a repeatable order), sums ``squared_loss`` over the minibatch, gets its gradient with
    autograd and steps with ``sgd``, which divides by the batch size (a step along the average gradient). Records the training loss after every step (see ``SGDRecord``).
    """
    if features.ndim != 2:
        raise ValueError(f"features must be 2-D (n, d), got shape {tuple(features.shape)}")
    labels = labels.reshape(-1, 1)
    n = len(features)
    if len(labels) != n:
        raise ValueError(f"features and labels differ in length: {n} != {len(labels)}")
    if lr <= 0:
        raise ValueError(f"the learning rate must be positive, got {lr}")
    if not 0 < batch_size <= n:
        raise ValueError(f"batch_size must lie between 1 and the number of examples {n}, got {batch_size}")
    if num_epochs < 1:
        raise ValueError(f"num_epochs must be at least 1, got {num_epochs}")

    w = torch.zeros(features.shape[1], 1, dtype=features.dtype, requires_grad=True)
    b = torch.zeros(1, dtype=features.dtype, requires_grad=True)

    def training_loss() -> float:
        with torch.no_grad():
            return float(squared_loss(linreg(features, w, b), labels).mean())

    record = SGDRecord(w, b, [0], [training_loss()], [float("nan")], [0.0])
    elapsed = 0.0
    for _ in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            start = time.perf_counter()
            batch_loss = squared_loss(linreg(X, w, b), y)
            batch_loss.sum().backward()
            sgd([w, b], lr, len(y))
            elapsed += time.perf_counter() - start
            record.examples.append(record.examples[-1] + len(y))
            record.batch_loss.append(float(batch_loss.detach().mean()))
            record.loss.append(training_loss())
            record.seconds.append(elapsed)
    record.w, record.b = w.detach(), b.detach()
    return record
