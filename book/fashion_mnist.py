"""Fashion-MNIST in memory: text labels, minibatches through torch's ``DataLoader``, image grids.

The whole dataset is kept as tensors (60,000 + 10,000 images of 28x28 uint8, about 55 MB), read
once by ``torchvision.datasets.FashionMNIST``. :class:`~book.fashion_mnist.InMemoryImages` is a
``Dataset`` that is indexed with a whole list of indices at once, and
:func:`~book.fashion_mnist.minibatch_loader` wraps it in a standard ``torch.utils.data.DataLoader``
whose sampler yields those lists: one indexing operation per minibatch, scaled to [0, 1] on the
fly. No per-image PIL transform, no worker processes.

On the CPU a batch is gathered and scaled by NumPy, on one thread; torch's own indexing may share
the work out among torch's threads instead. ``benchmarks/data_pipeline.py`` times both, also with
other processes keeping the cores busy (``--busy``). On a GPU the work is done by torch on the
device.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import torch
from torch import Tensor
from torch.utils import data

from book.checks import checked
from book.data import fashion_mnist_root

TEXT_LABELS = (
    "t-shirt", "trouser", "pullover", "dress", "coat",
    "sandal", "shirt", "sneaker", "bag", "ankle boot",
)
#: The same classes in Chinese, as d2l-zh names them: what the Chinese pages write where the English
#: ones write a label (a chapter's hidden cell glues both: ``CHINESE_LABELS[name]`` beside ``name``).
CHINESE_LABELS = dict(zip(TEXT_LABELS, ("T恤", "裤子", "套衫", "连衣裙", "外套",
                                        "凉鞋", "衬衫", "运动鞋", "包", "短靴")))


def get_fashion_mnist_labels(labels: Iterable[int] | Tensor) -> list[str]:
    """Text labels of Fashion-MNIST class indices (0-9)."""
    values = labels.tolist() if isinstance(labels, Tensor) else list(labels)
    names = []
    for value in values:
        index = int(value)
        if not 0 <= index < len(TEXT_LABELS):
            raise ValueError(f"Fashion-MNIST labels are 0..9, got {value}")
        names.append(TEXT_LABELS[index])
    return names


def load_fashion_mnist_tensors(train: bool = True, root: str | Path | None = None) -> tuple[Tensor, Tensor]:
    """The images ``(n, 28, 28)`` uint8 and labels ``(n,)`` int64 of one split, from a verified root."""
    from torchvision.datasets import FashionMNIST

    dataset = FashionMNIST(str(fashion_mnist_root(root)), train=train, download=False)
    return dataset.data, dataset.targets


def _check_batch_size(batch_size) -> None:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")


def _check_resize(resize) -> None:
    if resize is None or (isinstance(resize, int) and not isinstance(resize, bool) and resize > 0):
        return
    if (
        not isinstance(resize, Sequence)
        or isinstance(resize, str)
        or len(resize) != 2
        or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in resize)
    ):
        raise ValueError(f"resize must be a positive int or a pair of positive ints, got {resize!r}")


def _check_images_and_labels(images, labels) -> None:
    if len(images) != len(labels):
        raise ValueError(f"{len(images)} images but {len(labels)} labels")


# minibatch_loader is shown, character for character, in the chapter "The image classification
# dataset" (its folded #@save cell; the @checked line, an argument check, is not shown). The chapter
# describes InMemoryImages, which keeps the bytes and scales each minibatch as it is read.

class InMemoryImages(data.Dataset):
    """Images (n, H, W) uint8 and their labels, held in memory; indexed by a list of indices,
    it returns that whole minibatch: X float32 (B, 1, H, W) in [0, 1] and y (B,)."""

    @checked(_check_images_and_labels, _check_resize)
    def __init__(self, images, labels, resize=None, device=None):
        self.images = images.to(device) if device is not None else images
        self.labels = labels.to(self.images.device)
        self.resize = resize  # None, an int or (height, width), as torchvision's Resize takes

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, indices):
        if self.images.device.type == "cpu":  # NumPy gathers and scales on one thread
            index = np.asarray(indices)
            X = torch.from_numpy(np.divide(self.images.numpy()[index], 255, dtype=np.float32))
            y = torch.as_tensor(self.labels.numpy()[index])
        else:  # on a GPU, torch does it there
            X, y = self.images[indices].float() / 255, self.labels[indices]
        X = X.unsqueeze(-3)  # the channel axis: (B, 1, H, W); one index gives (1, H, W)
        if self.resize is not None:
            from torchvision.transforms.functional import resize
            X = resize(X, self.resize, antialias=True)
        return X, y


@checked(_check_batch_size)
def minibatch_loader(dataset, batch_size, shuffle):
    """A DataLoader that reads one minibatch per indexing of dataset; with shuffle, in a new order
    every pass (one torch.randperm from the global generator), else in a fixed order."""
    order = data.SubsetRandomSampler(range(len(dataset))) if shuffle else data.SequentialSampler(dataset)
    batches = data.BatchSampler(order, batch_size, drop_last=False)
    # batch_size=None: each item the sampler asks for is already a batch. The loader's own
    # generator only seeds worker processes; it keeps the global one for the shuffling alone.
    return data.DataLoader(dataset, sampler=batches, batch_size=None, generator=torch.Generator())


def load_data_fashion_mnist(
    batch_size: int,
    resize: int | Sequence[int] | None = None,
    *,
    root: str | Path | None = None,
    device: str | torch.device | None = None,
) -> tuple[data.DataLoader, data.DataLoader]:
    """Return ``(train_iter, test_iter)``: two ``DataLoader`` objects over Fashion-MNIST, held in memory.

    Training batches are reshuffled every pass, test batches come in a fixed order; the last
    batch of a pass may be short. Each loader's ``dataset`` is an :class:`~book.fashion_mnist.InMemoryImages`.
    ``device`` places the tensors (and so every batch) on that device, e.g. a GPU.
    """
    _check_batch_size(batch_size)
    _check_resize(resize)
    train = InMemoryImages(*load_fashion_mnist_tensors(True, root), resize, device)
    test = InMemoryImages(*load_fashion_mnist_tensors(False, root), resize, device)
    return minibatch_loader(train, batch_size, shuffle=True), minibatch_loader(test, batch_size, shuffle=False)


def _check_num_val(num_val) -> None:
    if isinstance(num_val, bool) or not isinstance(num_val, int) or num_val <= 0:
        raise ValueError(f"num_val, the number of training images held out for validation, must be a "
                         f"positive int, got {num_val!r}")


@checked(_check_batch_size, _check_num_val, _check_resize)
def load_data_fashion_mnist_with_validation(
    batch_size: int,
    num_val: int = 10_000,
    seed: int = 1,
    resize: int | Sequence[int] | None = None,
    *,
    root: str | Path | None = None,
    device: str | torch.device | None = None,
) -> tuple[data.DataLoader, data.DataLoader, data.DataLoader]:
    """Return ``(train_iter, val_iter, test_iter)``: Fashion-MNIST with a validation set.

    The validation set is ``num_val`` of the 60,000 training images, drawn at random: the first
    ``num_val`` indices of ``torch.randperm`` with a generator seeded by ``seed``. The other training
    images are trained on. Training batches are reshuffled every pass; validation and test batches
    come in a fixed order. The datasets of ``train_iter`` and ``val_iter`` are two subsets
    (``torch.utils.data.Subset``) of one :class:`~book.fashion_mnist.InMemoryImages`; the test set
    is that of :func:`load_data_fashion_mnist`.
    """
    train = InMemoryImages(*load_fashion_mnist_tensors(True, root), resize, device)
    if num_val >= len(train):
        raise ValueError(f"num_val={num_val} leaves no image to train on: the training set has "
                         f"{len(train):,} images; hold out fewer")
    test = InMemoryImages(*load_fashion_mnist_tensors(False, root), resize, device)
    order = torch.randperm(len(train), generator=torch.Generator().manual_seed(seed))
    fit_set = data.Subset(train, order[num_val:].tolist())
    val_set = data.Subset(train, order[:num_val].tolist())
    return (minibatch_loader(fit_set, batch_size, shuffle=True),
            minibatch_loader(val_set, batch_size, shuffle=False),
            minibatch_loader(test, batch_size, shuffle=False))


def show_images(
    imgs: Tensor | Sequence,
    num_rows: int,
    num_cols: int,
    titles: Sequence[str] | None = None,
    scale: float = 1.5,
):
    """Draw ``imgs`` (each ``(H, W)`` or ``(1, H, W)``) on a ``num_rows x num_cols`` grid; return the axes.

    Images beyond the grid's ``num_rows * num_cols`` cells are not drawn (as in D2L); ``titles``
    needs one entry per drawn image.
    """
    import matplotlib.pyplot as plt

    for name, value in (("num_rows", num_rows), ("num_cols", num_cols)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    shown = min(len(imgs), num_rows * num_cols)
    if titles is not None and len(titles) < shown:
        raise ValueError(f"{shown} images to draw but only {len(titles)} titles")

    figsize = (num_cols * scale, num_rows * scale)
    _, axes = plt.subplots(num_rows, num_cols, figsize=figsize, squeeze=False)
    axes = axes.flatten()
    for i, (ax, img) in enumerate(zip(axes, imgs)):
        if isinstance(img, Tensor):
            img = img.detach().cpu().squeeze().numpy()
        ax.imshow(img, cmap="gray_r" if img.ndim == 2 else None)
        ax.axes.get_xaxis().set_visible(False)
        ax.axes.get_yaxis().set_visible(False)
        if titles:
            ax.set_title(titles[i])
    for ax in axes[len(imgs):]:
        ax.set_visible(False)
    return axes
