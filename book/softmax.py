"""Softmax regression from scratch: the softmax operator, cross-entropy, accuracy.

``softmax``, ``cross_entropy``, ``accuracy`` and ``evaluate_accuracy`` are shown line for line, from
``def`` on, in the chapter "Softmax regression from scratch" (its ``#@save`` cells). The
``@checked(...)`` line above a ``def`` is ``book``'s alone: it checks the arguments (``book.checks``),
e.g. that the labels are class indices 0..q-1, one per row of predictions.
"""

from __future__ import annotations

import torch

from book.checks import check_data_iter, check_labels, check_logits, checked


@checked(check_logits)
def softmax(X):
    """Row-wise softmax: logits X (n, q) -> probabilities (n, q), each row summing to 1."""
    X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)  # largest exponential is exp(0) = 1
    partition = X_exp.sum(dim=1, keepdim=True)
    return X_exp / partition  # broadcasting divides row i by partition[i]


@checked(check_labels)
def cross_entropy(y_hat, y):
    """Cross-entropy per example (n,): −log of the probability that y_hat (n, q) gives class y."""
    return -torch.log(y_hat[range(len(y_hat)), y])


@checked(check_labels)
def accuracy(y_hat, y):
    """The number of correct predictions, as a float; y_hat is (n, q) scores or (n,) classes."""
    if y_hat.dim() > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(dim=1)  # the predicted class: the largest score
    return float((y_hat.type(y.dtype) == y).sum())


@checked(check_data_iter)
def evaluate_accuracy(net, data_iter):
    """The fraction of the examples (X, y) of data_iter that net classifies correctly."""
    if isinstance(net, torch.nn.Module):
        net.eval()  # evaluation mode: no dropout, no batch-statistics updates
    correct, total = 0.0, 0
    with torch.no_grad():  # no graph: we only read the predictions
        for X, y in data_iter:
            correct += accuracy(net(X), y)
            total += y.numel()
    return correct / total
