"""book.data: where Fashion-MNIST comes from, how it is checked, and what a reader is told."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

from book import data
from book.data import CorruptDatasetError, DatasetNotFoundError, fashion_mnist_root

REAL_DEBIAN = Path("/usr/share/datasets/fashion-mnist")
needs_debian = pytest.mark.skipif(
    not REAL_DEBIAN.is_dir(), reason="Debian's dataset-fashion-mnist is not installed"
)


@pytest.fixture
def tiny_files(monkeypatch) -> dict[str, bytes]:
    """Replace the four real files by small ones with their own recorded size and checksum."""
    payloads = {name: f"{name} payload".encode() * 10 for name in data.FASHION_MNIST_FILES}
    monkeypatch.setattr(data, "FASHION_MNIST_FILES", {
        name: (len(p), hashlib.sha256(p).hexdigest()) for name, p in payloads.items()
    })
    return payloads


def write_debian(folder: Path, payloads: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, payload in payloads.items():
        with gzip.open(folder / f"{name}.gz", "wb") as f:
            f.write(payload)
    return folder


def no_download(root: Path) -> None:
    raise AssertionError("the download must not be tried")


def raw_files(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "FashionMNIST" / "raw").iterdir())


def test_prepared_folder_is_used_as_it_is(tmp_path, tiny_files):
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name, payload in tiny_files.items():
        (raw / name).write_bytes(payload)
    assert fashion_mnist_root(tmp_path, debian_dir=tmp_path / "none", download=no_download) == tmp_path


def test_environment_variable_names_the_prepared_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LNN_DATA_DIR", str(tmp_path / "mine"))
    assert data.data_dir() == tmp_path / "mine"


def test_default_folder_is_in_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("LNN_DATA_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert str(data.data_dir()) == f"{tmp_path}/.cache/lnn-book"


def test_an_empty_environment_variable_means_the_default_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LNN_DATA_DIR", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert str(data.data_dir()) == f"{tmp_path}/.cache/lnn-book"


def test_a_tilde_in_the_environment_variable_is_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LNN_DATA_DIR", "~/datasets")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert str(data.data_dir()) == f"{tmp_path}/datasets"


def test_fashion_mnist_root_defaults_to_the_prepared_folder(tmp_path, monkeypatch, tiny_files):
    raw = tmp_path / "mine" / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name, payload in tiny_files.items():
        (raw / name).write_bytes(payload)
    monkeypatch.setenv("LNN_DATA_DIR", str(tmp_path / "mine"))
    assert fashion_mnist_root(debian_dir=tmp_path / "none", download=no_download) == tmp_path / "mine"


def test_debian_files_are_decompressed_into_the_cache(tmp_path, tiny_files):
    debian = write_debian(tmp_path / "debian", tiny_files)
    root = fashion_mnist_root(tmp_path / "cache", debian_dir=debian, download=no_download)
    for name, payload in tiny_files.items():
        assert (root / "FashionMNIST" / "raw" / name).read_bytes() == payload
    assert raw_files(root) == sorted(tiny_files)  # no temporary file left behind


def test_download_is_the_last_resort(tmp_path, tiny_files):
    calls = []

    def fake_download(root: Path) -> None:
        calls.append(root)
        raw = root / "FashionMNIST" / "raw"
        raw.mkdir(parents=True, exist_ok=True)
        for name, payload in tiny_files.items():
            (raw / name).write_bytes(payload)

    root = fashion_mnist_root(tmp_path, debian_dir=tmp_path / "none", download=fake_download)
    assert calls == [tmp_path]
    assert raw_files(root) == sorted(tiny_files)


def test_corrupt_prepared_file_is_reported_with_its_path(tmp_path, tiny_files):
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name, payload in tiny_files.items():
        (raw / name).write_bytes(payload)
    bad = raw / "train-labels-idx1-ubyte"
    bad.write_bytes(b"X" * len(tiny_files[bad.name]))  # right size, wrong bytes
    with pytest.raises(CorruptDatasetError, match="corrupt") as caught:
        fashion_mnist_root(tmp_path, debian_dir=tmp_path / "none", download=no_download)
    assert caught.value.path == bad
    assert str(bad) in str(caught.value)


def test_truncated_prepared_file_is_reported_with_its_path(tmp_path, tiny_files):
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name, payload in tiny_files.items():
        (raw / name).write_bytes(payload)
    short = raw / "t10k-images-idx3-ubyte"
    short.write_bytes(tiny_files[short.name][:5])
    with pytest.raises(CorruptDatasetError, match="truncated") as caught:
        fashion_mnist_root(tmp_path, debian_dir=tmp_path / "none", download=no_download)
    assert caught.value.path == short


def test_corrupt_debian_file_leaves_nothing_half_written(tmp_path, tiny_files):
    damaged = dict(tiny_files, **{"train-images-idx3-ubyte": b"not the data"})
    debian = write_debian(tmp_path / "debian", damaged)
    cache = tmp_path / "cache"
    with pytest.raises(CorruptDatasetError) as caught:
        fashion_mnist_root(cache, debian_dir=debian, download=no_download)
    assert caught.value.path == debian / "train-images-idx3-ubyte.gz"
    assert "train-images-idx3-ubyte" not in raw_files(cache)
    assert not [p for p in raw_files(cache) if p.endswith(".part")]


def test_truncated_gzip_leaves_nothing_half_written(tmp_path, tiny_files):
    debian = write_debian(tmp_path / "debian", tiny_files)
    gz = debian / "train-labels-idx1-ubyte.gz"
    gz.write_bytes(gz.read_bytes()[:-12])  # cut the gzip trailer and some data
    cache = tmp_path / "cache"
    with pytest.raises(CorruptDatasetError) as caught:
        fashion_mnist_root(cache, debian_dir=debian, download=no_download)
    assert caught.value.path == gz
    assert not [p for p in raw_files(cache) if p.startswith(".") or p == "train-labels-idx1-ubyte"]


def test_corrupt_download_is_deleted_and_reported(tmp_path, tiny_files):
    def bad_download(root: Path) -> None:
        raw = root / "FashionMNIST" / "raw"
        raw.mkdir(parents=True, exist_ok=True)
        for name, payload in tiny_files.items():
            (raw / name).write_bytes(payload[:-1])

    with pytest.raises(CorruptDatasetError, match="downloaded"):
        fashion_mnist_root(tmp_path, debian_dir=tmp_path / "none", download=bad_download)
    assert len(raw_files(tmp_path)) < len(tiny_files)


def test_nothing_available_names_the_three_ways(tmp_path, tiny_files):
    def offline(root: Path) -> None:
        raise OSError("no network")

    with pytest.raises(DatasetNotFoundError) as caught:
        fashion_mnist_root(tmp_path, debian_dir=tmp_path / "none", download=offline)
    message = str(caught.value)
    assert "LNN_DATA_DIR" in message
    assert "apt-get install dataset-fashion-mnist" in message
    assert "internet" in message and "no network" in message


def test_no_downloader_still_names_the_three_ways(tmp_path, tiny_files):
    with pytest.raises(DatasetNotFoundError, match="dataset-fashion-mnist"):
        fashion_mnist_root(tmp_path, debian_dir=tmp_path / "none", download=None)


@needs_debian
def test_real_debian_files_decompress_to_the_recorded_checksums(tmp_path):
    root = fashion_mnist_root(tmp_path, download=no_download)
    assert raw_files(root) == sorted(data.FASHION_MNIST_FILES)


@needs_debian
def test_torchvision_reads_the_prepared_folder(tmp_path):
    from torchvision.datasets import FashionMNIST

    root = fashion_mnist_root(tmp_path, download=no_download)
    test = FashionMNIST(str(root), train=False, download=False)
    assert test.data.shape == (10_000, 28, 28)
    assert test.targets[:5].tolist() == [9, 2, 1, 1, 6]


def test_torchvision_download_asks_torchvision_for_the_training_set(tmp_path, monkeypatch):
    import torchvision.datasets

    calls = []

    class FakeFashionMNIST:
        def __init__(self, *args, **kwargs):
            calls.append((args, kwargs))

    monkeypatch.setattr(torchvision.datasets, "FashionMNIST", FakeFashionMNIST)
    data.torchvision_download(tmp_path)
    assert calls == [((str(tmp_path),), {"train": True, "download": True})]
