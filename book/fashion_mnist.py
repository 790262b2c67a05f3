"""Fashion-MNIST in memory: text labels, minibatches, image grids.

The whole dataset is kept as tensors (60,000 + 10,000 images of 28x28 uint8, about 55 MB), read
once by ``torchvision.datasets.FashionMNIST``; a minibatch is an index into those tensors, scaled
to [0, 1] on the fly. No per-image PIL transform, no worker processes.

On the CPU a batch is gathered and scaled by NumPy, on one thread: a batch is only ~200,000
values, and torch's thread pool would synchronise its threads twice per batch, which costs more
than it saves — many times more when other processes share the cores. On a GPU the same work is
done by torch on the device.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from book.data import fashion_mnist_root

TEXT_LABELS = (
    "t-shirt", "trouser", "pullover", "dress", "coat",
    "sandal", "shirt", "sneaker", "bag", "ankle boot",
)


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


def _check_resize(resize: int | Sequence[int] | None) -> tuple[int, int] | None:
    if resize is None:
        return None
    size = (resize, resize) if isinstance(resize, int) and not isinstance(resize, bool) else resize
    if (
        not isinstance(size, Sequence)
        or len(size) != 2
        or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in size)
    ):
        raise ValueError(f"resize must be a positive int or a pair of positive ints, got {resize!r}")
    return (size[0], size[1])


class ImageBatches:
    """Minibatches ``(X, y)`` over in-memory images: X float32 ``(B, 1, H, W)`` in [0, 1], y int64 ``(B,)``.

    ``shuffle=True`` draws a new order from torch's global generator on every pass; otherwise the
    order is fixed. ``len()`` is the number of batches; the last one may be short.
    """

    def __init__(
        self,
        images: Tensor,
        labels: Tensor,
        batch_size: int,
        shuffle: bool,
        resize: int | Sequence[int] | None = None,
        device: str | torch.device | None = None,
    ) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        if len(images) != len(labels):
            raise ValueError(f"{len(images)} images but {len(labels)} labels")
        self.images = images.to(device) if device is not None else images
        self.labels = labels.to(self.images.device)
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.resize = _check_resize(resize)

    def __len__(self) -> int:
        return math.ceil(len(self.labels) / self.batch_size)

    def __iter__(self) -> Iterator[tuple[Tensor, Tensor]]:
        n = len(self.labels)
        order = torch.randperm(n) if self.shuffle else None
        on_cpu = self.images.device.type == "cpu"
        if order is not None and not on_cpu:
            order = order.to(self.images.device)
        for start in range(0, n, self.batch_size):
            if order is None:
                index = slice(start, start + self.batch_size)
            else:
                index = order[start:start + self.batch_size]
            if on_cpu:
                rows = self.images.numpy()[index if order is None else index.numpy()]
                X = torch.from_numpy(np.divide(rows, 255, dtype=np.float32)).unsqueeze(1)
            else:
                X = self.images[index].unsqueeze(1).float().div_(255)
            if self.resize is not None:
                from torchvision.transforms.functional import resize

                X = resize(X, list(self.resize), antialias=True)
            yield X, self.labels[index]


def load_data_fashion_mnist(
    batch_size: int,
    resize: int | Sequence[int] | None = None,
    *,
    root: str | Path | None = None,
    device: str | torch.device | None = None,
) -> tuple[ImageBatches, ImageBatches]:
    """Return ``(train_iter, test_iter)`` over Fashion-MNIST, held in memory.

    Training batches are reshuffled every pass, test batches come in a fixed order.
    ``device`` places the tensors (and so every batch) on that device, e.g. a GPU.
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    _check_resize(resize)
    train = ImageBatches(*load_fashion_mnist_tensors(True, root), batch_size, True, resize, device)
    test = ImageBatches(*load_fashion_mnist_tensors(False, root), batch_size, False, resize, device)
    return train, test


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
