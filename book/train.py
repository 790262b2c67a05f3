"""Training a classifier, D2L's chapter 3 way: Accumulator, Timer, Animator, train_ch3, predict_ch3.

``Accumulator``, ``train_epoch_ch3``, ``train_ch3`` and ``predict_ch3`` are shown line for line,
from ``def``/``class`` on, in the chapter "Softmax regression from scratch" (its ``#@save`` cells).
The ``@checked(...)`` lines are ``book``'s alone: they check the arguments (``book.checks``).
``Animator`` redraws its figure in place once per call of ``add`` when it runs in Jupyter; in a
script it draws the final figure once, in ``show``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import torch
from matplotlib.ticker import MaxNLocator
from torch import Tensor

from book.checks import (
    check_accumulated,
    check_n,
    check_num_epochs,
    check_train_iter,
    check_updater,
    checked,
)
from book.fashion_mnist import get_fashion_mnist_labels, show_images
from book.plot import set_axes
from book.softmax import accuracy, evaluate_accuracy


class Accumulator:
    """Running sums of n quantities, e.g. (summed loss, correct predictions, examples seen)."""

    def __init__(self, n):
        self.data = [0.0] * n

    @checked(check_accumulated)
    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]


class Timer:
    """Record wall-clock times: ``start()``/``stop()`` laps, then ``sum()``, ``avg()``, ``cumsum()``."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.start()

    def start(self) -> None:
        """Start (or restart) the current lap."""
        self.tik = time.perf_counter()

    def stop(self) -> float:
        """End the current lap; return its length in seconds."""
        self.times.append(time.perf_counter() - self.tik)
        return self.times[-1]

    def avg(self) -> float:
        """Mean lap length in seconds."""
        if not self.times:
            raise ValueError("no lap recorded yet: call stop() first")
        return sum(self.times) / len(self.times)

    def sum(self) -> float:
        """Total of the laps in seconds."""
        return sum(self.times)

    def cumsum(self) -> list[float]:
        """Time elapsed at the end of each lap, in seconds."""
        total, out = 0.0, []
        for t in self.times:
            total += t
            out.append(total)
        return out


def in_jupyter() -> bool:
    """True when running in a Jupyter kernel, where a figure can be redrawn in place."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


class Animator:
    """Curves that grow by one point per ``add`` (e.g. one per epoch), on one set of axes.

    ``live=True`` (the default in Jupyter) redraws the figure in place at every ``add``; a notebook
    executed top to bottom keeps only the last drawing. Otherwise (a script, or ``live=False``)
    ``add`` only records the points and ``show()`` draws the final figure once: in Jupyter it is
    displayed, in a script it stays open as ``self.fig`` for ``plt.show()`` or ``savefig``.
    An x axis labelled "epoch" gets integer ticks only.
    """

    def __init__(self, xlabel: str | None = None, ylabel: str | None = None,
                 legend: Sequence[str] | None = None, xlim=None, ylim=None,
                 xscale: str = "linear", yscale: str = "linear",
                 fmts: Sequence[str] = ("-", "m--", "g-.", "r:"),
                 figsize: tuple[float, float] = (3.5, 2.5), live: bool | None = None) -> None:
        self.jupyter = in_jupyter()
        self.live = self.jupyter if live is None else live
        import matplotlib.pyplot as plt

        self.fig, self.axes = plt.subplots(figsize=figsize)
        if self.jupyter:
            plt.close(self.fig)  # shown by display() below, never a second time by the inline backend
        self.config = (xlabel, ylabel, xlim, ylim, xscale, yscale, legend)
        self.fmts = tuple(fmts)
        self.X: list[list[float]] = []
        self.Y: list[list[float]] = []
        self._handle = None
        self._drawn = 0  # the number of points in the last drawing

    def add(self, x: float | Sequence[float], y: float | Sequence[float]) -> None:
        """Append one point to each curve: ``y`` holds one value per curve (None skips a curve)."""
        ys = list(y) if isinstance(y, Sequence) or (isinstance(y, Tensor) and y.dim() > 0) else [y]
        xs = list(x) if isinstance(x, Sequence) else [x] * len(ys)
        if len(xs) != len(ys):
            raise ValueError(f"got {len(xs)} x values for {len(ys)} y values")
        if not self.X:
            self.X, self.Y = [[] for _ in ys], [[] for _ in ys]
        if len(ys) != len(self.Y):
            raise ValueError(f"this Animator draws {len(self.Y)} curves, got {len(ys)} values")
        for i, (a, b) in enumerate(zip(xs, ys)):
            if a is not None and b is not None:
                self.X[i].append(float(a))
                self.Y[i].append(float(b))
        if self.live:
            self._redraw()

    def show(self) -> None:
        """Draw the final figure, unless the last drawing already shows every point."""
        if self._drawn != sum(len(x) for x in self.X) or self._handle is None:
            self._redraw()

    def _redraw(self) -> None:
        self.axes.cla()
        for x, y, fmt in zip(self.X, self.Y, self.fmts * len(self.X)):
            self.axes.plot(x, y, fmt)
        set_axes(self.axes, *self.config)
        if self.config[0] == "epoch":
            self.axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        self._drawn = sum(len(x) for x in self.X)
        if not self.jupyter:
            return  # a script: the figure stays open for plt.show() or savefig
        from IPython.display import display

        if self._handle is None:
            self._handle = display(self.fig, display_id=True)
        else:
            self._handle.update(self.fig)


@checked(check_train_iter, check_updater)
def train_epoch_ch3(net, train_iter, loss, updater):
    """Train net for one epoch; return (mean training loss, training accuracy).

    ``loss`` returns one loss per example or their mean; ``updater`` is a ``torch.optim.Optimizer``
    or a function ``updater(batch_size)``.
    """
    if isinstance(net, torch.nn.Module):
        net.train()  # training mode
    metric = Accumulator(3)  # summed loss, correct predictions, examples
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        total = l.sum() if l.dim() > 0 else l * len(y)  # the batch's summed loss
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            (total / len(y)).backward()  # PyTorch's optimizers expect the mean loss
            updater.step()
        else:
            total.backward()
            updater(len(y))  # our sgd divides the summed gradient by the batch size
        metric.add(total.item(), accuracy(y_hat, y), len(y))
    return metric[0] / metric[2], metric[1] / metric[2]


@checked(check_num_epochs)
def train_ch3(net, train_iter, val_iter, loss, num_epochs, updater):
    """Train for num_epochs, plotting the curves; return the last train loss, train and val acc."""
    animator = Animator(xlabel="epoch", ylabel="loss / accuracy", xlim=[1, num_epochs],
                        legend=["train loss", "train acc", "val acc"])
    for epoch in range(num_epochs):
        train_loss, train_acc = train_epoch_ch3(net, train_iter, loss, updater)
        val_acc = evaluate_accuracy(net, val_iter)
        animator.add(epoch + 1, (train_loss, train_acc, val_acc))
    animator.show()
    return train_loss, train_acc, val_acc


@checked(check_n)
def predict_ch3(net, test_iter, n=6):
    """Show the first n images of test_iter titled true/predicted label; return their axes."""
    X, y = next(iter(test_iter))
    with torch.no_grad():
        preds = net(X).argmax(dim=1)
    titles = [true + "\n" + pred for true, pred in
              zip(get_fashion_mnist_labels(y), get_fashion_mnist_labels(preds))]
    return show_images(X[0:n].reshape((n, 28, 28)), 1, n, titles=titles[0:n])
