"""Checks of the code exercises of "Linear regression" (chapters/linear-regression.ipynb)."""

import math

import torch

from book.exercise_checks import Exercise


def duplicated_column(X_dup, w_dup, b_dup, X_train):
    """X_dup: (n, 4) the training features with the area appended again; w_dup: (4,), b_dup: by lstsq."""
    assert isinstance(X_dup, torch.Tensor) and tuple(X_dup.shape) == (len(X_train), 4), (
        f"X_dup should be the training features with one more column, shape ({len(X_train)}, 4)")
    assert torch.equal(X_dup[:, 3].double(), X_train[:, 2].double()), (
        "the last column of X_dup should be a copy of the living area (column 2 of X_train)")
    assert isinstance(w_dup, torch.Tensor) and w_dup.numel() == 4, "w_dup should hold one weight per column, 4"
    assert math.isfinite(float(b_dup)), "b_dup should be a number: fit with book.lstsq_fit"


def duplicated_weights_add_up(w_dup, w):
    """w_dup: (4,); w: (3,) the chapter's fit on three features."""
    total = float(w_dup[2] + w_dup[3])
    assert abs(total - float(w[2])) < 1e-4, (
        "the two area weights should add up to the area's weight of the three-feature fit: "
        "fit X_dup in float64 with book.lstsq_fit")


def minimum_norm_split(w_dup, b_dup, X_test, y_hat_test):
    """lstsq's smallest-norm solution splits the weight equally and predicts as before."""
    assert abs(float(w_dup[2] - w_dup[3])) < 1e-4, "lstsq's solution should split the area's weight equally"
    y_hat = torch.cat([X_test, X_test[:, 2:]], 1).double() @ w_dup.double() + float(b_dup)
    assert float((y_hat - y_hat_test).abs().max()) < 1e-3, "w_dup should predict the test houses as the model did"


def area_squared_fit(w4, b4, gains, keep_area2, r2_test_chosen):
    """w4: (4,), b4: the fit with area²; gains: the 5 paired differences of validation R² (with area² minus
    without); keep_area2: the decision; r2_test_chosen: the chosen model's test R²."""
    def is_number(v):
        return isinstance(v, (int, float)) or (isinstance(v, torch.Tensor) and v.numel() == 1)

    assert isinstance(w4, torch.Tensor) and w4.numel() == 4, "w4 should hold 4 weights, one per feature"
    assert math.isfinite(float(b4)), "b4 should be a number"
    assert len(gains) == 5 and all(is_number(g) for g in gains), (
        "gains should hold one number per fold, 5 in all: the validation R² with area² minus the one without")
    assert all(abs(float(g)) < 1 for g in gains), (
        "gains should be differences of two validation R² on the same fold, each a fraction well below 1")
    assert isinstance(keep_area2, bool) or (isinstance(keep_area2, torch.Tensor) and keep_area2.numel() == 1
                                            and keep_area2.dtype == torch.bool), "keep_area2 should be True or False"
    assert is_number(r2_test_chosen) and 0 < float(r2_test_chosen) < 1, "r2_test_chosen should be an R², between 0 and 1"


def the_rule_decides(gains, keep_area2):
    """keep_area2 is True exactly when the mean of the gains exceeds its standard error, std / √5."""
    g = torch.tensor([float(v) for v in gains], dtype=torch.float64)
    mean, standard_error = float(g.mean()), float(g.std() / math.sqrt(len(g)))
    if abs(mean - standard_error) > 1e-9:                   # at the edge itself, either answer
        assert bool(keep_area2) == (mean > standard_error), (
            "keep_area2 does not follow the rule: keep area² only when the mean of the 5 gains exceeds its "
            "standard error, their standard deviation (torch.std) divided by √5")


def area_squared_is_least_squares_on_training(w4, b4, X_train, y_train):
    """The fit of w4, b4 on all training houses, with the fourth feature (area in 1,000 sq ft)²."""
    X4 = torch.cat([X_train, (X_train[:, 2:] / 1000) ** 2], dim=1).double()
    X1 = torch.cat([X4, torch.ones(len(X4), 1, dtype=X4.dtype)], dim=1)
    best = torch.linalg.lstsq(X1, y_train.double().reshape(-1, 1)).solution.reshape(-1)
    y = y_train.double()
    fitted = X4 @ w4.double().reshape(-1) + float(b4)
    spread = float(((y - y.mean()) ** 2).sum())
    r2, r2_best = 1 - float(((y - fitted) ** 2).sum()) / spread, 1 - float(((y - X1 @ best) ** 2).sum()) / spread
    assert abs(r2 - r2_best) < 1e-6, (
        "w4 and b4 are not the least-squares fit on all training houses with the fourth feature "
        "(the area in thousands of square feet, squared): fit them with book.closed_form on X_train")


def test_score_of_the_chosen_model(keep_area2, r2_test_chosen, X_train, y_train, X_test, y_test):
    """r2_test_chosen: the test R² of the model keep_area2 chose, fitted on all training houses."""
    def features(X):
        X = X.double()
        X = torch.cat([X, (X[:, 2:] / 1000) ** 2], dim=1) if bool(keep_area2) else X
        return torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype)], dim=1)

    best = torch.linalg.lstsq(features(X_train), y_train.double().reshape(-1, 1)).solution.reshape(-1)
    y = y_test.double()
    r2 = 1 - float(((y - features(X_test) @ best) ** 2).sum()) / float(((y - y.mean()) ** 2).sum())
    assert abs(float(r2_test_chosen) - r2) < 1e-6, (
        "r2_test_chosen should be the test R² of the model you chose, fitted on all training houses")


def bias_is_the_mean_price(b_centred, y_train):
    """b_centred: the bias fitted on centred features."""
    def is_number(v):
        return isinstance(v, (int, float)) or (isinstance(v, torch.Tensor) and v.numel() == 1)

    assert is_number(b_centred) and math.isfinite(float(b_centred)), "b_centred should be a number"
    mean = float(y_train.double().mean())
    assert abs(float(b_centred) - mean) < 1e-6 * abs(mean), (
        "b_centred is not the bias of the least-squares fit on centred training features: subtract from each "
        "feature its mean over the training houses (X_train.double().mean(dim=0)), then fit")


def weights_do_not_change(w_centred, w):
    """w_centred: (3,) the weights on centred features; w: the chapter's fit on the raw features."""
    assert isinstance(w_centred, torch.Tensor) and w_centred.numel() == 3, "w_centred should hold 3 weights"
    assert torch.allclose(w_centred.double().reshape(-1), w.double().reshape(-1), rtol=1e-5, atol=0), (
        "w_centred should be the weights of the fit on centred features: subtract the training mean of each "
        "feature, do not divide by its standard deviation")


def mean_errors(train_residual, test_residual):
    """train_residual, test_residual: the mean of y − ŷ on each set, in US$."""
    def is_number(v):
        return isinstance(v, (int, float)) or (isinstance(v, torch.Tensor) and v.numel() == 1)

    assert all(is_number(v) for v in (train_residual, test_residual)), (
        "train_residual and test_residual should be numbers (a Python float, or a one-element tensor)")
    assert abs(float(train_residual)) < 1e-4, (
        "the mean training error is not zero: compute y − ŷ on the training houses, with the fitted "
        "model's predictions in float64 (y_hat_train)")


def test_mean_error(test_residual, y_test, y_hat_test):
    """test_residual: mean of y − ŷ on the test houses."""
    expected = float((y_test.double() - y_hat_test).mean())
    assert abs(float(test_residual) - expected) < 1e-3, "test_residual should be the mean of y − ŷ over the test houses"


EXERCISES = (
    Exercise("linreg-ex-duplicate", answers={
        "X_dup": "the training features with a copy of the living-area column appended",
        "w_dup": "the weights that book.lstsq_fit finds for X_dup (in float64)",
        "b_dup": "its bias"},
             public=(duplicated_column, duplicated_weights_add_up), hidden=(minimum_norm_split,)),
    Exercise("linreg-ex-feature", answers={
        "w4": "the weights of the fit on all training houses with area² as a fourth feature",
        "b4": "its bias",
        "gains": "the 5 paired differences, fold by fold: validation R² with area² minus without",
        "keep_area2": "True if the rule keeps area², else False",
        "r2_test_chosen": "the test R² of the model you chose, fitted on all training houses"},
             public=(area_squared_fit, the_rule_decides, area_squared_is_least_squares_on_training),
             hidden=(test_score_of_the_chosen_model,)),
    Exercise("linreg-ex-bias", answers={"w_centred": "the weights fitted on centred features, in float64",
                                        "b_centred": "the bias fitted on centred features, in US$"},
             public=(bias_is_the_mean_price, weights_do_not_change)),
    Exercise("linreg-ex-residuals", answers={"train_residual": "the mean of y − ŷ on the training set, in US$, from the float64 "
                                                               "predictions y_hat_train",
                                             "test_residual": "the same on the test set"},
             public=(mean_errors,), hidden=(test_mean_error,)),
)
