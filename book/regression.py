"""Linear regression from scratch: synthetic data, a minibatch iterator, the model and its loss.

``synthetic_data``, ``data_iter``, ``linreg`` and ``squared_loss`` are shown line for line, from
``def`` on, in the chapter "Linear regression from scratch" (its ``#@save`` cells). The
``@checked(...)`` line above a ``def`` is ``book``'s alone: it checks the arguments (``book.checks``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import torch
from torch import Tensor
from torch.utils import data

from book.checks import check_batch_size, check_lengths, checked


def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise: X (n, len(w)) ~ N(0, 1), noise ~ N(0, 0.01²), y (n, 1)."""
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


@checked(check_batch_size, check_lengths)
def data_iter(batch_size, features, labels):
    """Yield shuffled minibatches (X, y) covering every example once; the last may be short."""
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)  # read the examples in a random order
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i:min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


def linreg(X, w, b):
    """The linear regression model: X (n, d) @ w (d, 1) + b -> (n, 1)."""
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    """Squared loss, elementwise: ½ (ŷ − y)², with y reshaped to ŷ's shape."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def load_array(data_arrays: Sequence[Tensor], batch_size: int, is_train: bool = True) -> data.DataLoader:
    """A ``DataLoader`` over a ``TensorDataset`` of equal-length tensors; shuffled only when training."""
    if batch_size <= 0:
        raise ValueError(f"batch_size must be positive, got {batch_size}")
    lengths = [len(a) for a in data_arrays]
    if len(set(lengths)) != 1:
        raise ValueError(f"features and labels differ in length: {lengths}")
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)
