"""Device choice, seeding and the versions a page's outputs were produced with."""

from __future__ import annotations

import platform
import random
from importlib import metadata

import numpy as np
import torch


def try_gpu(i: int = 0) -> torch.device:
    """``cuda:i`` when that GPU exists, else the CPU."""
    if torch.cuda.is_available() and i < torch.cuda.device_count():
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")


def seed_everything(seed: int = 0) -> None:
    """Seed Python's, NumPy's and torch's generators."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def setup_chapter(seed: int = 0, num_threads: int | None = 1) -> torch.device:
    """Seed every generator, print tensors with 4 decimals, and say what the outputs were made with.

    In Jupyter, each figure also carries a plain-text summary of what it draws
    (``book.figure_data``), which the chapter tests compare as they compare printed numbers, and
    its drawing with Chinese words for the Chinese edition (``book.figure_language``).

    torch computes on ``num_threads`` CPU threads (1 by default): the course's models are small,
    so one thread is as fast as several and never waits for the others, and on one CPU sums are
    added in the same order from run to run, which keeps the printed digits identical between runs
    (another processor or a GPU may add in another order: its last digits may differ). ``None`` keeps
    torch's default. Returns the device to compute on (a GPU when there is one).
    """
    from book.figure_data import show_figure_data
    from book.figure_language import show_chinese_figures

    seed_everything(seed)
    show_figure_data()
    show_chinese_figures()
    if num_threads is not None:
        torch.set_num_threads(num_threads)
    torch.set_printoptions(precision=4, sci_mode=False)
    device = try_gpu()
    found = versions()
    print(f"Python {found['python']}, torch {found['torch']}, torchvision {found['torchvision']}; "
          f"device: {device.type}; seed: {seed}")
    return device


def versions() -> dict[str, str]:
    """Versions of Python (major.minor), torch and torchvision (without their build suffix).

    torchvision's is read from its installed metadata: importing it takes longer than importing torch,
    and a chapter that does not read Fashion-MNIST never needs it."""
    return {
        "python": ".".join(platform.python_version_tuple()[:2]),
        "torch": torch.__version__.split("+")[0],
        "torchvision": metadata.version("torchvision").split("+")[0],
    }
