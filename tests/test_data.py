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


def prepared(root: Path, payloads: dict[str, bytes]) -> Path:
    raw = root / "FashionMNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for name, payload in payloads.items():
        (raw / name).write_bytes(payload)
    return raw


def test_a_bad_prepared_file_is_explained_in_full(tmp_path, tiny_files):
    raw = prepared(tmp_path, tiny_files)
    bad = raw / "train-labels-idx1-ubyte"
    size = len(tiny_files[bad.name])
    for content, problem in [
        (b"X" * size, "corrupt: its sha256 is not that of the real Fashion-MNIST file"),
        (b"X" * 5, f"truncated: 5 bytes instead of {size:,}"),
        (b"X" * 2000, f"too long: 2,000 bytes instead of {size:,}"),
    ]:
        bad.write_bytes(content)
        with pytest.raises(CorruptDatasetError) as caught:
            fashion_mnist_root(tmp_path, debian_dir=tmp_path / "none", download=no_download)
        assert str(caught.value) == f"{bad}: {problem}. Delete it and run again to prepare it anew; it was not loaded."


def test_a_big_file_is_checked_whole(tmp_path, monkeypatch):
    """The checksum covers every block of a file longer than one read (1 MiB)."""
    payload = bytes(range(256)) * 10_000  # 2.56 MB
    monkeypatch.setattr(data, "FASHION_MNIST_FILES", {"big": (len(payload), hashlib.sha256(payload).hexdigest())})
    path = tmp_path / "big"
    path.write_bytes(payload)
    assert data._check(path, *data.FASHION_MNIST_FILES["big"]) is None
    path.write_bytes(payload[:-1] + b"\x00")
    assert data._check(path, *data.FASHION_MNIST_FILES["big"]).startswith("corrupt")


def test_a_bad_debian_file_is_explained_in_full(tmp_path, tiny_files):
    damaged = dict(tiny_files, **{"train-images-idx3-ubyte": b"not the data"})
    debian = write_debian(tmp_path / "debian", damaged)
    with pytest.raises(CorruptDatasetError) as caught:
        fashion_mnist_root(tmp_path / "cache", debian_dir=debian, download=no_download)
    size = len(tiny_files["train-images-idx3-ubyte"])
    assert str(caught.value) == (
        f"{debian / 'train-images-idx3-ubyte.gz'}: decompresses to a file that is truncated: 12 bytes "
        f"instead of {size:,}. Reinstall the package: apt-get install --reinstall dataset-fashion-mnist")


def test_a_broken_gzip_is_explained_in_full(tmp_path, tiny_files):
    debian = write_debian(tmp_path / "debian", tiny_files)
    gz = debian / "train-labels-idx1-ubyte.gz"
    gz.write_bytes(b"not gzip at all")
    with pytest.raises(CorruptDatasetError) as caught:
        fashion_mnist_root(tmp_path / "cache", debian_dir=debian, download=no_download)
    message = str(caught.value)
    assert message.startswith(f"{gz}: cannot be decompressed (")
    assert message.endswith("). Reinstall the package: apt-get install --reinstall dataset-fashion-mnist")
    assert isinstance(caught.value.__cause__, OSError)


def test_only_the_missing_files_are_taken_from_debian(tmp_path, tiny_files):
    raw = prepared(tmp_path, {n: p for n, p in tiny_files.items() if n != "t10k-labels-idx1-ubyte"})
    debian = write_debian(tmp_path / "debian", {"t10k-labels-idx1-ubyte": tiny_files["t10k-labels-idx1-ubyte"]})
    assert fashion_mnist_root(tmp_path, debian_dir=debian, download=no_download) == tmp_path
    assert (raw / "t10k-labels-idx1-ubyte").read_bytes() == tiny_files["t10k-labels-idx1-ubyte"]


def test_debian_is_skipped_when_it_lacks_a_missing_file(tmp_path, tiny_files):
    debian = write_debian(tmp_path / "debian", {n: p for n, p in tiny_files.items() if n != "t10k-labels-idx1-ubyte"})
    with pytest.raises(DatasetNotFoundError):
        fashion_mnist_root(tmp_path / "cache", debian_dir=debian, download=None)
    assert not (tmp_path / "cache" / "FashionMNIST" / "raw" / "train-images-idx3-ubyte").exists()


def test_a_corrupt_download_is_explained_in_full(tmp_path, tiny_files):
    def bad_download(root: Path) -> None:
        prepared(root, {name: payload[:-1] for name, payload in tiny_files.items()})

    with pytest.raises(CorruptDatasetError) as caught:
        fashion_mnist_root(tmp_path, debian_dir=tmp_path / "none", download=bad_download)
    path = caught.value.path
    size = len(tiny_files[path.name])
    assert str(caught.value) == (f"{path}: was downloaded but is truncated: {size - 1:,} bytes instead of "
                                 f"{size:,}. It was deleted; run again.")
    assert not path.exists()


def test_a_download_that_leaves_a_file_out_is_not_enough(tmp_path, tiny_files):
    def partial_download(root: Path) -> None:
        prepared(root, {n: p for n, p in tiny_files.items() if n != "train-images-idx3-ubyte"})

    with pytest.raises(DatasetNotFoundError):
        fashion_mnist_root(tmp_path, debian_dir=tmp_path / "none", download=partial_download)


def test_nothing_available_is_explained_in_full(tmp_path, tiny_files):
    def offline(root: Path) -> None:
        raise OSError("no network")

    raw = tmp_path / "FashionMNIST" / "raw"
    names = ", ".join(tiny_files)
    with pytest.raises(DatasetNotFoundError) as caught:
        fashion_mnist_root(tmp_path, debian_dir=tmp_path / "none", download=offline)
    assert str(caught.value) == (
        f"Fashion-MNIST is not available (the download failed: no network). Missing in {raw}: {names}.\n"
        "Any one of these fixes it:\n"
        f"  1. put the four decompressed IDX files in {raw}, or point $LNN_DATA_DIR at a folder that holds "
        "FashionMNIST/raw/;\n"
        f"  2. on Debian or Ubuntu: sudo apt-get install dataset-fashion-mnist (files in {tmp_path / 'none'});\n"
        "  3. connect to the internet, so that torchvision can download it.")
    with pytest.raises(DatasetNotFoundError) as caught:
        fashion_mnist_root(tmp_path, debian_dir=tmp_path / "none", download=None)
    assert str(caught.value).startswith(f"Fashion-MNIST is not available. Missing in {raw}: {names}.\n")


def test_debian_files_are_written_to_a_hidden_part_file_beside_the_target(tmp_path, tiny_files, monkeypatch):
    import os

    renamed = []
    original = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (renamed.append((Path(src), Path(dst))), original(src, dst)))
    debian = write_debian(tmp_path / "debian", tiny_files)
    fashion_mnist_root(tmp_path / "cache", debian_dir=debian, download=no_download)
    assert len(renamed) == 4
    for src, dst in renamed:
        assert src.parent == dst.parent and src.name.startswith(f".{dst.name}.") and src.name.endswith(".part")
