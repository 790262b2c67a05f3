"""``python -m book``: the set-up step of both README commands."""

from __future__ import annotations

import pytest

import book.__main__ as entry
from book.data import CorruptDatasetError, DatasetNotFoundError


@pytest.mark.parametrize("error", [
    DatasetNotFoundError("Fashion-MNIST is not available.\nAny one of these fixes it: ..."),
    CorruptDatasetError("/data/train-images-idx3-ubyte", "is 12 bytes, not 47040016", "Delete it."),
])
def test_missing_or_damaged_data_prints_what_to_do_and_exits_non_zero(monkeypatch, capsys, error):
    def unavailable():
        raise error

    monkeypatch.setattr(entry, "fashion_mnist_root", unavailable)
    assert entry.main() == 1
    printed = capsys.readouterr()
    assert printed.err.startswith("error: ") and str(error) in printed.err
    assert "Traceback" not in printed.err + printed.out
    assert printed.out == ""


def test_prepared_data_is_reported_with_its_folder(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(entry, "fashion_mnist_root", lambda: tmp_path)
    assert entry.main() == 0
    out = capsys.readouterr().out
    assert f"Fashion-MNIST: verified in {tmp_path / 'FashionMNIST' / 'raw'}" in out
    assert "House sales: 1,728 sales" in out
