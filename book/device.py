"""Device choice, seeding and the versions a page's outputs were produced with."""

from __future__ import annotations

import platform
import random

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


def setup_chapter(seed: int = 0) -> torch.device:
    """Seed every generator, print tensors with 4 decimals, and say what the outputs were made with.

    Returns the device to compute on (a GPU when there is one).
    """
    seed_everything(seed)
    torch.set_printoptions(precision=4, sci_mode=False)
    device = try_gpu()
    found = versions()
    print(f"Python {found['python']}, torch {found['torch']}, torchvision {found['torchvision']}; "
          f"device: {device.type}; seed: {seed}")
    return device


def versions() -> dict[str, str]:
    """Versions of Python (major.minor), torch and torchvision (without their build suffix)."""
    import torchvision

    return {
        "python": ".".join(platform.python_version_tuple()[:2]),
        "torch": torch.__version__.split("+")[0],
        "torchvision": torchvision.__version__.split("+")[0],
    }
