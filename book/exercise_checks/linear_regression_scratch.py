"""Checks of the code exercises of "Linear regression from scratch" (chapters/linear-regression-scratch.ipynb)."""

import math

import torch

from book.exercise_checks import Exercise


def zero_start_recovers_parameters(w0, b0, true_w, true_b):
    """w0: (2, 1) and b0: (1,), trained from zeros for three epochs; true_w: (2,), true_b: float."""
    assert isinstance(w0, torch.Tensor) and tuple(w0.shape) == (2, 1), (
        "w0 should be a tensor of shape (2, 1), like the chapter's w")
    assert isinstance(b0, torch.Tensor) and b0.numel() == 1, "b0 should be a tensor with one number, like b"
    assert bool(w0.detach().abs().sum() > 0), (
        "w0 is still zero: train it (three epochs of the chapter's loop, starting from zeros)")
    error = max((true_w - w0.detach().reshape(-1)).abs().max().item(), abs(true_b - b0.item()))
    # Over 300 minibatch orders the chapter's run from zeros ends at most 1.4e-3 away; with half the
    # learning rate it ends 0.05 away, with the gradient divided twice by the batch size 1.8 away.
    assert error < 5e-3, (
        f"after training, w0 and b0 are still {error:.1e} from true_w and true_b, more than 0.005: "
        "train for three epochs with the chapter's learning rate 0.03 and batch size 10")


def one_run_per_rate(lr_losses):
    """lr_losses: dict, learning rate → list of the losses after each of three epochs."""
    assert isinstance(lr_losses, dict), "lr_losses should be a dict: learning rate → losses per epoch"
    assert set(lr_losses) == {0.001, 0.03, 1.0, 2.0}, (
        f"lr_losses has the keys {sorted(lr_losses)}; it should have one per rate: 0.001, 0.03, 1.0, 2.0")
    assert all(len(losses) == 3 for losses in lr_losses.values()), (
        "each learning rate should have three losses, one after each epoch")


def small_rate_is_slow(lr_losses):
    """lr_losses: dict, learning rate → three losses."""
    assert lr_losses[0.03][0] < 1.0, (
        "with 0.03 the loss after the first epoch should be far below 1, as in the chapter: start each "
        "run from a fresh initialisation, and check the scaling of your loss and sgd (a loss averaged "
        "over the batch and then divided again by the batch size in sgd makes the rate 10 times smaller)")
    assert lr_losses[0.001][-1] > 1.0, (
        "with 0.001 the loss after three epochs is too small: each run should start afresh from the "
        "chapter's initialisation, not from the parameters another run has trained")


def large_rates(lr_losses):
    """lr_losses: dict, learning rate → three losses."""
    assert lr_losses[1.0][0] < 1e-3, "with learning rate 1 the first epoch should reach the noise level"
    # From the initialisation the loss is about 17; at rate 2 it grows without bound, but after three
    # epochs it may still be finite (above 1e8 over 200 seeds), and its growth since the first epoch
    # varies too much (768 times at the least) to be checked.
    last = lr_losses[2.0][-1]
    assert not math.isfinite(last) or last > 1e6, (
        "with learning rate 2 the loss should grow without bound: use the same loop for every rate")


def broadcast_shapes(diff_without, diff_with):
    """diff_without: y_hat - y for y_hat (4, 1) and y (4,); diff_with: the same with y reshaped."""
    assert isinstance(diff_without, torch.Tensor) and isinstance(diff_with, torch.Tensor), (
        "diff_without and diff_with should be tensors: the differences y_hat - y you computed")
    assert tuple(diff_with.shape) == (4, 1), (
        f"diff_with has shape {tuple(diff_with.shape)}: reshape the labels (4,) to the shape of the "
        "predictions (4, 1) before subtracting")
    assert tuple(diff_without.shape) == (4, 4), (
        f"diff_without has shape {tuple(diff_without.shape)}: compute y_hat - y with y_hat of shape "
        "(4, 1) and y of shape (4,) as they are, without reshaping either")


def each_prediction_meets_its_label(diff_without, diff_with):
    """With the reshape, prediction i meets label i only: the entries (i, i) of diff_without."""
    assert torch.allclose(diff_without.diagonal(), diff_with.reshape(-1)), (
        "diff_with should pair each prediction with its own label: use the same y_hat and y for both")


def ten_seeds(max_errors, above):
    """max_errors: list of 10 floats, the largest error of each run; above: how many exceed 1e-3."""
    assert isinstance(max_errors, list) and len(max_errors) == 10, (
        "max_errors should be a list with one number per seed, 1 to 10")
    assert all(isinstance(e, float) and e > 0 for e in max_errors), (
        "each entry of max_errors should be a positive float (use .item() on a tensor)")
    assert above == sum(e > 1e-3 for e in max_errors), (
        "above should count the entries of max_errors that are larger than 0.001")


def errors_of_three_epochs(max_errors, above):
    """max_errors: list of 10 floats; above: int."""
    assert max(max_errors) < 1e-2, (
        "some run ends more than 0.01 from the true parameters: train each seed for three epochs "
        "on its own new data, from a fresh initialisation, with the chapter's learning rate 0.03")


EXERCISES = (
    Exercise("scratch-ex-zero-init", answers={
        "w0": "the weights, shape (2, 1), after three epochs of training that start from zero",
        "b0": "the bias, shape (1,), after the same training"}, public=(zero_start_recovers_parameters,)),
    Exercise("scratch-ex-lr", answers={
        "lr_losses": "a dict: learning rate → the loss after each of the three epochs"}, public=(one_run_per_rate, small_rate_is_slow),
             hidden=(large_rates,)),
    Exercise("scratch-ex-reshape", answers={
        "diff_without": "y_hat - y for predictions y_hat of shape (4, 1) and labels y of shape (4,)",
        "diff_with": "the same difference with y reshaped to the shape of y_hat"},
             public=(broadcast_shapes,), hidden=(each_prediction_meets_its_label,)),
    Exercise("scratch-ex-seeds", answers={
        "max_errors": "for seeds 1 to 10 (book.seed_everything(seed) before generating the data), the "
                      "largest absolute error |true − learned| over w₁, w₂ and b of each run: a list of 10 floats",
        "above": "how many of them are above 0.001"}, public=(ten_seeds,),
             hidden=(errors_of_three_epochs,)),
)
