"""Checks of the code exercises of "Basic optimization" (chapters/basic-optimization.ipynb)."""

import math

import torch

from book.exercise_checks import Exercise


def raw_run(wb_raw, lam_max_raw, houses, train_idx, labels):
    """wb_raw: (4,) (w, b) after 2,000 steps on the raw features; lam_max_raw: the largest eigenvalue of X1ᵀX1/n."""
    assert isinstance(wb_raw, torch.Tensor) and wb_raw.numel() == 4, (
        "wb_raw should hold the 3 weights and the bias after 2,000 steps, 4 numbers")
    assert bool(torch.isfinite(wb_raw).all()), (
        "wb_raw is not finite: gradient descent diverged, so the learning rate was above 2 / lam_max_raw")
    X = houses.features[train_idx].double()
    X1 = torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype)], dim=1)
    largest = float(torch.linalg.eigvalsh(X1.T @ X1 / len(X1)).max())
    assert abs(float(lam_max_raw) - largest) < 1e-6 * largest, (
        "lam_max_raw is not the largest eigenvalue of X1ᵀX1 / n, with X1 the raw training features and a column of ones")
    loss = float(((X1 @ wb_raw.double().reshape(-1) - labels) ** 2).mean() / 2)
    start = float((labels ** 2).mean() / 2)
    assert loss < start, "the loss after 2,000 steps is not below the loss at zero: did the run diverge?"


def raw_run_is_far_from_the_minimum(wb_raw, best_loss, houses, train_idx, labels):
    """The raw run's loss and bias against the minimum."""
    X = houses.features[train_idx].double()
    X1 = torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype)], dim=1)
    loss = float(((X1 @ wb_raw.double().reshape(-1) - labels) ** 2).mean() / 2)
    assert loss > best_loss * 1.02, (
        "the raw run reached the minimum: use the raw features (not standardised), start from zeros, "
        "and take 2,000 steps with a learning rate just below 2 / lam_max_raw")
    best = torch.linalg.lstsq(X1, labels.reshape(-1, 1)).solution.reshape(-1)
    assert abs(float(wb_raw[3] - best[3])) > 0.5 * abs(float(best[3])), "the bias should have barely moved"


def steps_per_rate(rates, counts, fastest):
    """rates: the 12 learning rates 0.05 + 0.04k, k = 0, ..., 11; counts: steps to f < 1e-6 for each;
    fastest: the best."""
    assert len(rates) == len(counts) == 12, "rates and counts should have one entry per learning rate, 12"
    assert all(abs(float(r) - (0.05 + 0.04 * k)) < 1e-6 for k, r in enumerate(rates)), (
        "the rates should be 0.05 + 0.04k for k = 0, 1, ..., 11, in this order (0.05, 0.09, ..., 0.49)")
    assert all(c is not None and float(c) == int(c) and int(c) > 0 for c in counts), (
        "counts should be whole, positive numbers of steps (Python ints, or one-element integer tensors)")
    counts = [int(c) for c in counts]
    assert abs(float(fastest) - float(rates[counts.index(min(counts))])) < 1e-9, (
        "fastest should be the rate that needs the fewest steps")


def fastest_rate_is_the_theorys(fastest, hessian):
    """fastest against 2 / (μ + λ_max) of the quadratic's Hessian."""
    eigenvalues = torch.linalg.eigvalsh(hessian)
    best = 2 / float(eigenvalues.min() + eigenvalues.max())
    assert abs(float(fastest) - best) < 0.03, "the fastest rate should be close to 2 / (μ + λ_max)"


def decaying_rate_one_epoch(decayed, constant, best_loss):
    """decayed: the loss after one epoch with η_t = 0.3 / (1 + t / 100); constant: with η = 0.3."""
    assert all(isinstance(v, (float, torch.Tensor)) and (not isinstance(v, torch.Tensor) or v.numel() == 1)
               for v in (decayed, constant)), "decayed and constant should be losses, one number each"
    decayed, constant = float(decayed), float(constant)
    assert all(math.isfinite(v) for v in (decayed, constant)), "decayed and constant should be finite numbers"
    assert decayed >= best_loss * (1 - 1e-6), (
        "decayed is below the smallest possible loss: compute it on all training examples")
    assert decayed < constant, (
        "the decaying rate should end below the constant one: call book.seed_everything(0) before the run, "
        "and use η_t = 0.3 / (1 + t / 100), with t the number of steps so far, batch size 1, one epoch from zero")


def decaying_rate_nearly_reaches_the_minimum(decayed, best_loss):
    """decayed: within a factor 2 of the minimum (how near depends on the shuffled order)."""
    assert float(decayed) < 2 * best_loss, "after one epoch the decaying rate should end within a factor 2 of the minimum"


EXERCISES = (
    Exercise("opt-ex-raw", answers={
        "lam_max_raw": "the largest eigenvalue of X1ᵀX1 / n on the raw features (with the column of ones)",
        "wb_raw": "(w1, w2, w3, b) after 2,000 steps of gradient descent from zero, a tensor of 4"},
             public=(raw_run, raw_run_is_far_from_the_minimum)),
    Exercise("opt-ex-best-lr", answers={"rates": "the 12 learning rates 0.05 + 0.04k, a list",
                                        "counts": "the steps to f < 1e-6 for each rate, a list",
                                        "fastest": "the rate with the fewest steps"},
             public=(steps_per_rate,), hidden=(fastest_rate_is_the_theorys,)),
    Exercise("opt-ex-decay", answers={
        "decayed": "the loss on all training examples after one epoch with the decaying rate",
        "constant": "the loss after the first epoch with the constant rate 0.3"},
             public=(decaying_rate_one_epoch,), hidden=(decaying_rate_nearly_reaches_the_minimum,)),
)
