"""Helpers for the course "Linear Neural Networks": the names D2L readers know, one module per topic."""

from book.data import (
    CorruptDatasetError,
    DatasetNotFoundError,
    data_dir,
    fashion_mnist_root,
)
from book.device import seed_everything, setup_chapter, try_gpu, versions
from book.fashion_mnist import (
    get_fashion_mnist_labels,
    load_data_fashion_mnist,
    show_images,
)
from book.houses import load_houses, standardize
from book.plot import draw_network, plot, set_axes, set_figsize

__all__ = [
    "CorruptDatasetError",
    "DatasetNotFoundError",
    "data_dir",
    "draw_network",
    "fashion_mnist_root",
    "get_fashion_mnist_labels",
    "load_data_fashion_mnist",
    "load_houses",
    "plot",
    "set_axes",
    "set_figsize",
    "seed_everything",
    "setup_chapter",
    "show_images",
    "standardize",
    "try_gpu",
    "versions",
]
