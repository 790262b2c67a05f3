"""Argument checks for the from-scratch helpers, kept out of the code the chapters show.

A from-scratch chapter shows a helper as plain as *Dive into Deep Learning* does, and ``book`` runs
that very code: the chapter's ``#@save`` cell is ``book``'s source from the ``def`` (or ``class``)
line on. What ``book`` adds is one line above the ``def``, never shown::

    @checked(check_lr, check_batch_size)
    def sgd(params, lr, batch_size):
        ...

``checked`` runs each check with the call's arguments that the check names (defaults filled in)
before the body, so a bad argument raises a ``ValueError`` that says what is wrong, instead of an
obscure error deep inside, or a silently wrong result. ``tests/test_chapters.py`` compares the
chapters with ``book``'s source minus these decorator lines; ``tests/test_checked.py`` proves that
every check still fires.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sized


def checked(*checks: Callable[..., None]) -> Callable:
    """Decorator: before each call, run every check on the arguments named by its parameters."""

    def decorate(func: Callable) -> Callable:
        signature = inspect.signature(func)
        wanted = [(check, list(inspect.signature(check).parameters)) for check in checks]
        for check, names in wanted:
            unknown = set(names) - set(signature.parameters)
            if unknown:
                raise TypeError(f"{check.__name__} checks {sorted(unknown)}, "
                                f"which {func.__qualname__} does not take")

        params = list(signature.parameters)
        plain = all(p.kind == p.POSITIONAL_OR_KEYWORD for p in signature.parameters.values())

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if plain and not kwargs and len(args) == len(params):  # the common call: fast
                arguments = dict(zip(params, args))
            else:
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                arguments = bound.arguments
            for check, names in wanted:
                check(*(arguments[name] for name in names))
            return func(*args, **kwargs)

        wrapper.checks = checks
        return wrapper

    return decorate


def check_labels(y_hat, y) -> None:
    """Raise ValueError unless y (n,) holds one class index per row of y_hat (n, q), each in 0..q-1.

    ``y_hat`` may also be (n,) predicted classes, which do not tell q: then only y ≥ 0 is checked.
    """
    if y.dim() != 1 or y_hat.dim() not in (1, 2) or (y_hat.dim() == 2 and y_hat.shape[1] < 2):
        raise ValueError(f"expected y_hat of shape (n,) classes or (n, q) scores with q >= 2 and y of "
                         f"shape (n,), got {tuple(y_hat.shape)} and {tuple(y.shape)}")
    if len(y_hat) != len(y):
        raise ValueError(f"y_hat has {len(y_hat)} rows but y has {len(y)} labels")
    q = y_hat.shape[1] if y_hat.dim() == 2 else None
    if len(y) and (y.min() < 0 or (q is not None and y.max() >= q)):
        raise ValueError(f"labels must be class indices 0..{'q-1' if q is None else q - 1}, "
                         f"got values from {int(y.min())} to {int(y.max())}")


def check_logits(X) -> None:
    """Raise ValueError unless X is a matrix (n, q) of logits, one row per example."""
    if X.dim() != 2:
        raise ValueError(f"softmax expects logits of shape (n, q), got shape {tuple(X.shape)}")


def check_lengths(features, labels) -> None:
    """Raise ValueError unless there is one label per example."""
    if len(features) != len(labels):
        raise ValueError(f"features and labels differ in length: {len(features)} != {len(labels)}")


def check_batch_size(batch_size) -> None:
    """Raise ValueError unless the batch size is positive."""
    if batch_size <= 0:
        raise ValueError(f"batch_size must be positive, got {batch_size}")


def check_lr(lr) -> None:
    """Raise ValueError unless the learning rate is positive."""
    if lr <= 0:
        raise ValueError(f"the learning rate must be positive, got {lr}")


def _positive_int(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")


def check_num_epochs(num_epochs) -> None:
    """Raise ValueError unless num_epochs is a positive int (not a float, not a bool)."""
    _positive_int("num_epochs", num_epochs)


def check_n(n) -> None:
    """Raise ValueError unless the number of images n is a positive int."""
    _positive_int("n", n)


def check_updater(updater) -> None:
    """Raise ValueError unless updater is a ``torch.optim.Optimizer`` or a function."""
    import torch

    if not (isinstance(updater, torch.optim.Optimizer) or callable(updater)):
        raise ValueError(f"updater must be a torch.optim.Optimizer or a function, got {updater!r}")


def _not_empty(name: str, batches) -> None:
    if isinstance(batches, Sized) and len(batches) == 0:
        raise ValueError(f"{name} yielded no examples")


def check_train_iter(train_iter) -> None:
    """Raise ValueError when train_iter has a length and it is 0 (a list, a ``DataLoader``)."""
    _not_empty("train_iter", train_iter)


def check_data_iter(data_iter) -> None:
    """Raise ValueError when data_iter has a length and it is 0 (a list, a ``DataLoader``)."""
    _not_empty("data_iter", data_iter)


def check_accumulated(self, args) -> None:
    """Raise ValueError unless ``Accumulator.add`` gets one value per running sum."""
    if len(args) != len(self.data):
        raise ValueError(f"this Accumulator sums {len(self.data)} values, got {len(args)}")
