"""Whether the real Fashion-MNIST is prepared: tests that need it skip, with the reason, when it is not."""

from __future__ import annotations

import pytest

from book import DatasetNotFoundError, fashion_mnist_root


def real_data_missing() -> str | None:
    """Why the real-data tests cannot run (no prepared data, and they never download it), or None."""
    try:
        fashion_mnist_root(download=None)
    except DatasetNotFoundError:
        return "Fashion-MNIST is not prepared (run `make data`); these tests never download it"
    return None


REAL_DATA_MISSING = real_data_missing()
needs_real_data = pytest.mark.skipif(REAL_DATA_MISSING is not None, reason=REAL_DATA_MISSING or "")
