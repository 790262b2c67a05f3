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


def area_squared_fit(w4, b4, cv, r2_test_4):
    """w4: (4,), b4: the fit with area²; cv: dict, model → 5 validation R²; r2_test_4: its test R²."""
    assert isinstance(w4, torch.Tensor) and w4.numel() == 4, "w4 should hold 4 weights, one per feature"
    assert math.isfinite(float(b4)), "b4 should be a number"
    assert isinstance(cv, dict) and len(cv) == 2, "cv should be a dict with two entries: each model's scores"
    for name, values in cv.items():
        assert len(values) == 5, f"cv[{name!r}] should hold one validation R² per fold, 5 in all"
        assert all(0 < float(v) < 1 for v in values), f"cv[{name!r}] should hold R² values between 0 and 1"
    assert 0 < float(r2_test_4) < 1, "r2_test_4 should be an R², between 0 and 1"


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


def test_score_of_the_chosen_model(w4, b4, r2_test_4, X_test, y_test):
    """r2_test_4: the R² of w4, b4 on the test houses."""
    X4 = torch.cat([X_test, (X_test[:, 2:] / 1000) ** 2], dim=1).double()
    y = y_test.double()
    r2 = 1 - float(((y - X4 @ w4.double().reshape(-1) - float(b4)) ** 2).sum()) / float(((y - y.mean()) ** 2).sum())
    assert abs(float(r2_test_4) - r2) < 1e-6, "r2_test_4 should be the test R² of the model with area²"


def bias_is_the_mean_price(b_std, y_train):
    """b_std: the bias fitted on standardised features."""
    assert math.isfinite(float(b_std)), "b_std should be a number"
    assert abs(float(b_std) - float(y_train.double().mean())) < 1e-4, (
        "b_std is not the bias of the least-squares fit on standardised training features: standardise "
        "with the training set's own mean and standard deviation, then fit, in float64")


def mean_errors(train_residual, test_residual):
    """train_residual, test_residual: the mean of y − ŷ on each set, in US$."""
    assert all(isinstance(v, float) for v in (train_residual, test_residual)), (
        "train_residual and test_residual should be numbers (float(...))")
    assert abs(train_residual) < 1e-4, (
        "the mean training error is not zero: compute y − ŷ on the training houses, with the fitted "
        "model's predictions in float64 (y_hat_train)")


def test_mean_error(test_residual, y_test, y_hat_test):
    """test_residual: mean of y − ŷ on the test houses."""
    expected = float((y_test.double() - y_hat_test).mean())
    assert abs(test_residual - expected) < 1e-3, "test_residual should be the mean of y − ŷ over the test houses"


EXERCISES = (
    Exercise("linreg-ex-duplicate", answers={
        "X_dup": "the training features with a copy of the living-area column appended",
        "w_dup": "the weights that book.lstsq_fit finds for X_dup (in float64)",
        "b_dup": "its bias"},
             public=(duplicated_column, duplicated_weights_add_up), hidden=(minimum_norm_split,)),
    Exercise("linreg-ex-feature", answers={
        "w4": "the weights of the fit on all training houses with area² as a fourth feature",
        "b4": "its bias",
        "cv": "a dict: model → its validation R² on each of the 5 folds",
        "r2_test_4": "the test R² of the model with area²"},
             public=(area_squared_fit, area_squared_is_least_squares_on_training),
             hidden=(test_score_of_the_chosen_model,)),
    Exercise("linreg-ex-bias", answers={"b_std": "the bias fitted on standardised features, in float64, in US$"},
             public=(bias_is_the_mean_price,)),
    Exercise("linreg-ex-residuals", answers={"train_residual": "the mean of y − ŷ on the training set, in US$",
                                             "test_residual": "the same on the test set"},
             public=(mean_errors,), hidden=(test_mean_error,)),
)
