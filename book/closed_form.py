"""Linear regression solved exactly: the normal equations, a least-squares check, a seeded split and
two scores (RMSE, R²).

``closed_form`` folds the bias into the weights by appending a column of ones to ``X`` and solves
(XᵀX) w = Xᵀy with ``torch.linalg.solve``: solving is cheaper and more accurate than forming the
inverse (XᵀX)⁻¹ and multiplying by it.
"""

from __future__ import annotations

import torch
from torch import Tensor


def _check_xy(X: Tensor, y: Tensor) -> Tensor:
    """Validate X (n, d) and y (n,) or (n, 1); return y as (n,)."""
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n, d), got shape {tuple(X.shape)}")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.reshape(-1)
    if y.ndim != 1:
        raise ValueError(f"y must have shape (n,) or (n, 1), got shape {tuple(y.shape)}")
    if len(X) != len(y):
        raise ValueError(f"X and y differ in length: {len(X)} rows in X, {len(y)} values in y")
    if len(X) == 0:
        raise ValueError("X and y are empty")
    return y


def add_ones_column(X: Tensor) -> Tensor:
    """Append a column of ones to ``X`` (n, d) -> (n, d + 1), so the bias becomes the last weight."""
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n, d), got shape {tuple(X.shape)}")
    return torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype, device=X.device)], dim=1)


def closed_form(X: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """Least-squares weights ``w`` (d,) and bias ``b`` (scalar) for X (n, d), y (n,) or (n, 1).

    Solves the normal equations (XᵀX) w = Xᵀy, with a column of ones appended to X, in float64;
    returns tensors of X's floating dtype (float32 for integer X).
    """
    y = _check_xy(X, y)
    dtype = X.dtype if X.is_floating_point() else torch.float32
    X1 = add_ones_column(X.to(torch.float64))
    A = X1.T @ X1
    rhs = X1.T @ y.to(torch.float64)
    try:
        w_full = torch.linalg.solve(A, rhs)
    except torch.linalg.LinAlgError as err:
        raise ValueError("XᵀX is singular: a feature is a linear combination of the others "
                         "(for example a duplicated or constant column); drop it, or use "
                         "lstsq_fit") from err
    return w_full[:-1].to(dtype), w_full[-1].to(dtype)


def lstsq_fit(X: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """The same fit as ``closed_form`` by ``torch.linalg.lstsq`` (no normal equations): ``w`` (d,), ``b``.

    Works in float64 on [X, 1]; also gives an answer when XᵀX is singular.
    """
    y = _check_xy(X, y)
    dtype = X.dtype if X.is_floating_point() else torch.float32
    X1 = add_ones_column(X.to(torch.float64))
    w_full = torch.linalg.lstsq(X1, y.to(torch.float64).reshape(-1, 1), driver="gelsd").solution.reshape(-1)
    return w_full[:-1].to(dtype), w_full[-1].to(dtype)


def condition_number(X: Tensor, add_bias: bool = True) -> float:
    """Condition number of XᵀX (largest over smallest eigenvalue), with the ones column when ``add_bias``.

    Returns ``inf`` when XᵀX is singular to float64 precision (smallest eigenvalue below
    d · eps · largest), e.g. when two columns are equal.
    """
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n, d), got shape {tuple(X.shape)}")
    X = X.to(torch.float64)
    if add_bias:
        X = add_ones_column(X)
    eigenvalues = torch.linalg.eigvalsh(X.T @ X)
    if eigenvalues[0] <= len(eigenvalues) * torch.finfo(torch.float64).eps * eigenvalues[-1]:
        return float("inf")
    return float(eigenvalues[-1] / eigenvalues[0])


def train_test_split(n: int, test_fraction: float = 0.2, seed: int = 0) -> tuple[Tensor, Tensor]:
    """Shuffle the indices 0..n-1 with ``seed`` and split them: (train indices, test indices).

    The test part holds ``round(test_fraction * n)`` indices; both parts are non-empty.
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}")
    num_test = round(test_fraction * n)
    if num_test < 1 or num_test > n - 1:
        raise ValueError(f"cannot split {n} examples with test_fraction={test_fraction}: "
                         f"one of the parts would be empty")
    generator = torch.Generator().manual_seed(seed)
    indices = torch.randperm(n, generator=generator)
    return indices[num_test:], indices[:num_test]


def _check_pair(y_hat: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    y_hat, y = y_hat.reshape(-1), y.reshape(-1)
    if len(y_hat) != len(y):
        raise ValueError(f"predictions and targets differ in length: {len(y_hat)} != {len(y)}")
    if len(y) == 0:
        raise ValueError("predictions and targets are empty")
    return y_hat.to(torch.float64), y.to(torch.float64)


def rmse(y_hat: Tensor, y: Tensor) -> float:
    """Root mean squared error between predictions and targets (any shapes with n elements)."""
    y_hat, y = _check_pair(y_hat, y)
    return float(torch.sqrt(torch.mean((y_hat - y) ** 2)))


def r_squared(y_hat: Tensor, y: Tensor) -> float:
    """Coefficient of determination: 1 − Σ(y − ŷ)² / Σ(y − ȳ)²; 1 is perfect, 0 is predicting the mean."""
    y_hat, y = _check_pair(y_hat, y)
    total = torch.sum((y - y.mean()) ** 2)
    if total == 0:
        raise ValueError("R² is undefined when every target is the same")
    return float(1 - torch.sum((y - y_hat) ** 2) / total)
