"""Checks of the code exercises of "Loss functions" (chapters/loss-functions.ipynb)."""

import math


from book.exercise_checks import Exercise


def one_slope_per_data_set(slopes, losses):
    """slopes: dict, loss name → 7 fitted slopes, for 0, 2, …, 12 outliers; losses: the chapter's."""
    assert isinstance(slopes, dict) and set(slopes) == set(losses), (
        f"slopes should be a dict with one entry per loss of the chapter: {', '.join(losses)}")
    for name, values in slopes.items():
        assert len(values) == 7, f"slopes[{name!r}] should have 7 slopes, for 0, 2, 4, …, 12 outliers"
        assert all(math.isfinite(float(v)) for v in values), (
            f"slopes[{name!r}] is not finite everywhere: keep the chapter's learning rate and steps")


def robust_losses_hold_then_l2_gives_way(slopes, true_w):
    """slopes: dict as above; true_w: the true slope."""
    assert abs(float(slopes["L2"][0]) - true_w) < 0.1, (
        "without outliers the L2 slope should be near true_w: the first data set has no outlier")
    assert all(abs(float(v) - true_w) > 0.5 for v in list(slopes["L2"])[1:]), (
        "the L2 slope should move away from true_w as soon as there are outliers: are the outliers "
        "in the data sets you fitted?")
    l2 = [float(v) for v in list(slopes["L2"])[:4]]
    for name in ("L1", "Huber"):
        robust = [float(v) for v in list(slopes[name])[:4]]
        assert abs(robust[0] - true_w) < 0.15, f"without outliers the {name} slope should be near true_w"
        # How near a robust slope stays depends on the noise drawn; that it stays nearer than L2's does not.
        assert all(abs(r - true_w) < abs(l - true_w) for r, l in zip(robust[1:], l2[1:])), (
            f"with up to 6 outliers the {name} slope should stay closer to true_w than the L2 slope: shift "
            "only the labels of the examples with the largest x, by −25 each")


def l2_slope_falls_with_every_outlier(slopes, true_w):
    """slopes: dict as above."""
    values = [float(v) for v in slopes["L2"]]
    assert all(later < earlier for earlier, later in zip(values, values[1:])), (
        "the L2 slope should fall with every two outliers added at the largest x")
    assert abs(values[-1] - true_w) > 1, "with 12 outliers the L2 slope should be far from true_w"


def normalising_constants(Z, losses):
    """Z: dict, loss name → ∫ exp(−l(0, ŷ)) dŷ."""
    assert isinstance(Z, dict) and set(Z) == set(losses), (
        f"Z should be a dict with one number per loss of the chapter: {', '.join(losses)}")
    assert all(math.isfinite(float(v)) and float(v) > 0 for v in Z.values()), "every Z should be a positive number"


def constants_match_the_closed_forms(Z):
    """Z: dict as above."""
    assert abs(float(Z["L2"]) - math.sqrt(2 * math.pi)) < 1e-4, (
        "Z['L2'] is off from the Gaussian's constant: integrate over a range that covers the tails "
        "(exp(−ŷ²/2) is negligible beyond |ŷ| = 10) with a fine grid, in float64")
    assert abs(float(Z["L1"]) - 2) < 1e-4, (
        "Z['L1'] is off from 2: the tails of exp(−|ŷ|) are heavier, so the range must be wider, and the "
        "kink at 0 needs a fine grid")


def huber_constant_is_the_largest(Z):
    """Z: dict as above."""
    assert float(Z["Huber"]) > max(math.sqrt(2 * math.pi), 2), (
        "Z['Huber'] should be larger than both closed forms: Huber's loss is below both losses")


EXERCISES = (
    Exercise("losses-ex-breakdown", answers={
        "slopes": "a dict: loss name → the 7 fitted slopes, for 0, 2, …, 12 outliers"},
             public=(one_slope_per_data_set, robust_losses_hold_then_l2_gives_way),
             hidden=(l2_slope_falls_with_every_outlier,)),
    Exercise("losses-ex-density", answers={"Z": "a dict: loss name → its constant ∫ exp(−l(0, ŷ)) dŷ"},
             public=(normalising_constants, constants_match_the_closed_forms),
             hidden=(huber_constant_is_the_largest,)),
)
