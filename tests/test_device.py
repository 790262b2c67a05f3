"""book.device: the device to compute on, seeding, and what a chapter's first output says."""

from __future__ import annotations

import platform
import random

import numpy as np
import pytest
import torch

import book.device
from book import seed_everything, setup_chapter, try_gpu, versions


@pytest.fixture
def restore_torch_settings():
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)
    torch.set_printoptions(profile="default")


def draws():
    return random.random(), float(np.random.rand()), float(torch.rand(1))


def test_seed_everything_seeds_python_numpy_and_torch():
    seed_everything(3)
    first = draws()
    seed_everything(3)
    assert draws() == first
    seed_everything(4)
    second = draws()
    assert all(a != b for a, b in zip(first, second))


def test_seed_everything_defaults_to_seed_0():
    seed_everything()
    default = draws()
    seed_everything(0)
    assert draws() == default


def test_try_gpu_is_the_cpu_without_a_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert try_gpu() == torch.device("cpu")


def test_try_gpu_names_an_existing_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert try_gpu() == torch.device("cuda:0")
    assert try_gpu(1) == torch.device("cuda:1")
    assert try_gpu(2) == torch.device("cpu")  # no third GPU


def test_versions_are_major_minor_python_and_torch_without_build_suffix(monkeypatch):
    monkeypatch.setattr(torch, "__version__", "2.14.1+cu128")
    monkeypatch.setattr(book.device.metadata, "version",
                        lambda name: {"torchvision": "0.29.1+cpu"}[name])
    monkeypatch.setattr(platform, "python_version_tuple", lambda: ("3", "11", "7"))
    assert versions() == {"python": "3.11", "torch": "2.14.1", "torchvision": "0.29.1"}


def test_setup_chapter_says_what_the_outputs_were_made_with(capsys, monkeypatch, restore_torch_settings):
    monkeypatch.setattr(book.device, "versions", lambda: {"python": "3.11", "torch": "2.14.1",
                                                          "torchvision": "0.29.1"})
    monkeypatch.setattr(book.device, "try_gpu", lambda: torch.device("cpu"))
    assert setup_chapter(seed=7) == torch.device("cpu")
    assert capsys.readouterr().out == "Python 3.11, torch 2.14.1, torchvision 0.29.1; device: cpu; seed: 7\n"


def test_setup_chapter_seeds_every_generator(capsys, restore_torch_settings):
    setup_chapter(seed=5)
    first = draws()
    seed_everything(5)
    assert draws() == first
    setup_chapter()
    default = draws()
    seed_everything(0)
    assert draws() == default
    assert "seed: 0" in capsys.readouterr().out


def test_setup_chapter_computes_on_one_thread_and_prints_four_decimals(capsys, restore_torch_settings):
    torch.set_num_threads(2)
    torch.set_printoptions(precision=8, sci_mode=True)
    setup_chapter()
    assert torch.get_num_threads() == 1
    assert str(torch.tensor([0.000123456, 1.0])) == "tensor([0.0001, 1.0000])"  # 4 decimals, no 1e-04


def test_setup_chapter_can_keep_torchs_threads(capsys, restore_torch_settings):
    torch.set_num_threads(2)
    setup_chapter(num_threads=None)
    assert torch.get_num_threads() == 2
    setup_chapter(num_threads=3)
    assert torch.get_num_threads() == 3
