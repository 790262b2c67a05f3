"""Dive into Deep Learning's chapter-3 API under its own names: ``from book import d2l``.

Code written for *Dive into Deep Learning* (d2l-zh's ``chapter_linear-networks``, PyTorch) starts
with ``from d2l import torch as d2l``. Replace that one line with ``from book import d2l`` and the
rest runs unchanged, offline, on the course's helpers: the same names, arguments and return values
(``plot``, ``train_ch3`` and ``predict_ch3`` return ``None``, so a notebook cell ending in them shows
no extra output line), plus d2l's short aliases of torch functions (``d2l.tensor``,
``d2l.reduce_sum``, ...). What differs from the ``d2l`` package:

- ``load_data_fashion_mnist`` reads Fashion-MNIST from where ``book`` finds it (a prepared folder,
  Debian's package, or torchvision's download when online), checks every file's size and SHA-256,
  and keeps the images in memory as tensors: no ``../data`` folder, no worker processes;
- the helpers check their arguments and raise a ``ValueError`` that says what is wrong.

``book``'s own namespace is unchanged: the aliases live only here.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch

import book.fashion_mnist as _fashion_mnist
import book.train as _train
from book.fashion_mnist import get_fashion_mnist_labels, load_data_fashion_mnist
from book.optim import sgd
from book.plot import plot as _book_plot
from book.plot import set_axes
from book.plot import set_figsize as _book_set_figsize
from book.regression import data_iter, linreg, load_array, squared_loss, synthetic_data
from book.softmax import accuracy, evaluate_accuracy
from book.train import Accumulator, Timer, train_epoch_ch3

__all__ = [
    # the chapter's helpers, d2l's names
    "Accumulator", "Animator", "Timer", "accuracy", "data_iter", "evaluate_accuracy",
    "get_dataloader_workers", "get_fashion_mnist_labels", "linreg", "load_array",
    "load_data_fashion_mnist", "plot", "plt", "predict_ch3", "set_axes", "set_figsize", "sgd",
    "show_images", "squared_loss", "synthetic_data", "train_ch3", "train_epoch_ch3",
    "use_svg_display",
    # d2l's short names of torch functions and dtypes
    "abs", "arange", "argmax", "astype", "concat", "cos", "cosh", "exp", "eye", "float32",
    "int32", "linspace", "log", "matmul", "meshgrid", "normal", "numpy", "ones", "rand", "randn",
    "reduce_mean", "reduce_sum", "reshape", "sin", "sinh", "size", "stack", "tanh", "tensor", "to",
    "transpose", "zeros",
]

# d2l's aliases that are torch's own functions and dtypes, the very same objects.
abs = torch.abs  # noqa: A001 (d2l's name)
arange = torch.arange
concat = torch.cat
cos = torch.cos
cosh = torch.cosh
exp = torch.exp
eye = torch.eye
float32 = torch.float32
int32 = torch.int32
linspace = torch.linspace
log = torch.log
matmul = torch.matmul
meshgrid = torch.meshgrid
normal = torch.normal
ones = torch.ones
rand = torch.rand
randn = torch.randn
sin = torch.sin
sinh = torch.sinh
stack = torch.stack
tanh = torch.tanh
tensor = torch.tensor
zeros = torch.zeros


# d2l's aliases that call a tensor method: the tensor comes first, the method's arguments follow.

def numpy(x, *args, **kwargs):
    """``x`` as a NumPy array, detached from autograd (copied to the CPU first if needed)."""
    return x.detach().cpu().numpy(*args, **kwargs)


def size(x, *args, **kwargs):
    """The number of elements of ``x`` (``x.numel()``)."""
    return x.numel(*args, **kwargs)


def reshape(x, *args, **kwargs):
    """``x.reshape(...)``: e.g. ``reshape(x, (-1, 1))``."""
    return x.reshape(*args, **kwargs)


def to(x, *args, **kwargs):
    """``x.to(...)``: a device or a dtype."""
    return x.to(*args, **kwargs)


def reduce_sum(x, *args, **kwargs):
    """``x.sum(...)``: all elements, or along an axis, e.g. ``reduce_sum(X, 1, keepdim=True)``."""
    return x.sum(*args, **kwargs)


def reduce_mean(x, *args, **kwargs):
    """``x.mean(...)``: all elements, or along an axis."""
    return x.mean(*args, **kwargs)


def argmax(x, *args, **kwargs):
    """``x.argmax(...)``: the index of the largest element, e.g. ``argmax(y_hat, axis=1)``."""
    return x.argmax(*args, **kwargs)


def astype(x, *args, **kwargs):
    """``x.type(dtype)``: ``x`` converted to ``dtype``."""
    return x.type(*args, **kwargs)


def transpose(x, *args, **kwargs):
    """``x.t()``: the transpose of a matrix (at most 2-D)."""
    return x.t(*args, **kwargs)


# Figures

def use_svg_display():
    """Show the figures that follow as SVG in Jupyter or IPython; elsewhere, do nothing."""
    from IPython import get_ipython

    if get_ipython() is None:
        return  # a plain script: no shell whose figure format could change
    from matplotlib_inline import backend_inline

    backend_inline.set_matplotlib_formats("svg")


def set_figsize(figsize=(3.5, 2.5)):
    """Show figures as SVG and set the default size (inches) of the figures that follow."""
    use_svg_display()
    _book_set_figsize(figsize)


def plot(X, Y=None, xlabel=None, ylabel=None, legend=None, xlim=None, ylim=None,
         xscale="linear", yscale="linear", fmts=("-", "m--", "g-.", "r:"), figsize=(3.5, 2.5),
         axes=None):
    """Plot one or several curves on ``axes`` (by default the current axes, cleared first).

    ``X`` and ``Y`` are arrays or lists of arrays; with ``Y=None`` the values of ``X`` are plotted
    against their index. Returns ``None``, as d2l's does.
    """
    set_figsize(figsize)
    axes = axes if axes else plt.gca()
    axes.cla()
    _book_plot(X, Y, xlabel=xlabel, ylabel=ylabel, legend=legend, xlim=xlim, ylim=ylim,
               xscale=xscale, yscale=yscale, fmts=fmts, figsize=figsize, axes=axes)


def show_images(imgs, num_rows, num_cols, titles=None, scale=1.5):
    """Draw ``imgs`` (tensors, arrays or PIL images) on a ``num_rows x num_cols`` grid; return the axes."""
    imgs = [img if isinstance(img, torch.Tensor) else np.asarray(img) for img in imgs]
    return _fashion_mnist.show_images(imgs, num_rows, num_cols, titles=titles, scale=scale)


class Animator(_train.Animator):
    """Curves that grow by one point per ``add``, redrawn in place in Jupyter, as d2l's Animator.

    ``nrows`` and ``ncols`` are accepted for d2l's signature; like d2l's, it draws on one set of
    axes, so only 1 x 1 is supported.
    """

    def __init__(self, xlabel=None, ylabel=None, legend=None, xlim=None, ylim=None,
                 xscale="linear", yscale="linear", fmts=("-", "m--", "g-.", "r:"), nrows=1,
                 ncols=1, figsize=(3.5, 2.5)):
        if (nrows, ncols) != (1, 1):
            raise ValueError(f"Animator draws on one set of axes: nrows and ncols must be 1, "
                             f"got {nrows} x {ncols}")
        use_svg_display()
        super().__init__(xlabel=xlabel, ylabel=ylabel, legend=legend, xlim=xlim, ylim=ylim,
                         xscale=xscale, yscale=yscale, fmts=fmts, figsize=figsize)


def train_ch3(net, train_iter, test_iter, loss, num_epochs, updater):
    """Train ``net`` for ``num_epochs``, drawing train loss, train and test accuracy per epoch.

    ``loss`` gives one loss per example; ``updater`` is a ``torch.optim.Optimizer`` or a function
    ``updater(batch_size)``. The y axis shows [0.3, 0.9]. Returns ``None``, as d2l's does, after
    checking, as d2l's does, that training worked: final train loss < 0.5, train and test accuracy
    in (0.7, 1] (else ``AssertionError``).
    """
    if isinstance(num_epochs, bool) or not isinstance(num_epochs, int) or num_epochs < 1:
        raise ValueError(f"num_epochs must be a positive int, got {num_epochs!r}")
    animator = Animator(xlabel="epoch", xlim=[1, num_epochs], ylim=[0.3, 0.9],
                        legend=["train loss", "train acc", "test acc"])
    for epoch in range(num_epochs):
        train_loss, train_acc = train_epoch_ch3(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        animator.add(epoch + 1, (train_loss, train_acc, test_acc))
    animator.show()
    assert train_loss < 0.5, f"training did not work: final train loss {train_loss:.4f} is not < 0.5"
    assert 0.7 < train_acc <= 1, f"training did not work: train accuracy {train_acc:.4f} is not > 0.7"
    assert 0.7 < test_acc <= 1, f"training did not work: test accuracy {test_acc:.4f} is not > 0.7"


def predict_ch3(net, test_iter, n=6):
    """Show the first ``n`` images of ``test_iter`` titled with true and predicted label; return ``None``."""
    _train.predict_ch3(net, test_iter, n=n)


def get_dataloader_workers():
    """The number of worker processes d2l gives its ``DataLoader`` objects: 4.

    ``load_data_fashion_mnist`` here uses none (the images are in memory); this is for code that
    builds its own ``DataLoader`` the way d2l does.
    """
    return 4
