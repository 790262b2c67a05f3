"""Softmax regression from scratch: the softmax operator, cross-entropy, accuracy.

``softmax``, ``check_labels``, ``cross_entropy``, ``accuracy`` and ``evaluate_accuracy`` are shown
line for line in the chapter "Softmax regression from scratch" (its ``#@save`` cells);
``tests/test_chapters.py`` keeps the chapter and this module identical.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch
from torch import Tensor


def softmax(X: Tensor) -> Tensor:
    """Row-wise softmax of logits X (n, q) -> probabilities (n, q), each row summing to 1."""
    if X.dim() != 2:
        raise ValueError(f"softmax expects logits of shape (n, q), got shape {tuple(X.shape)}")
    X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)  # largest exponent is exp(0) = 1
    partition = X_exp.sum(dim=1, keepdim=True)
    return X_exp / partition  # broadcasting divides row i by partition[i]


def check_labels(y_hat: Tensor, y: Tensor) -> None:
    """Raise ValueError unless y (n,) holds one class index per row of y_hat (n, q), each in 0..q-1."""
    if len(y_hat) != len(y):
        raise ValueError(f"y_hat has {len(y_hat)} rows but y has {len(y)} labels")
    q = y_hat.shape[1] if y_hat.dim() == 2 else None  # (n,) predictions do not tell q
    if len(y) and (y.min() < 0 or (q is not None and y.max() >= q)):
        raise ValueError(f"labels must be class indices 0..{'q-1' if q is None else q - 1}, "
                         f"got values from {int(y.min())} to {int(y.max())}")


def cross_entropy(y_hat: Tensor, y: Tensor) -> Tensor:
    """Cross-entropy per example (n,): minus the log of the probability y_hat (n, q) gives class y."""
    check_labels(y_hat, y)
    return -torch.log(y_hat[range(len(y_hat)), y])


def accuracy(y_hat: Tensor, y: Tensor) -> float:
    """The number of correct predictions, as a float; y_hat is (n, q) scores or (n,) classes."""
    check_labels(y_hat, y)
    if y_hat.dim() > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(dim=1)  # the predicted class: the largest score
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def evaluate_accuracy(net: Callable[[Tensor], Tensor], data_iter: Iterable) -> float:
    """The fraction of the examples (X, y) of data_iter that net classifies correctly."""
    if isinstance(net, torch.nn.Module):
        net.eval()  # evaluation mode: no dropout, no batch-statistics updates
    correct, total = 0.0, 0
    with torch.no_grad():  # no graph: we only read the predictions
        for X, y in data_iter:
            correct += accuracy(net(X), y)
            total += y.numel()
    if total == 0:
        raise ValueError("data_iter yielded no examples")
    return correct / total
