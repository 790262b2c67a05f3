"""book.closed_form: the normal equations, the lstsq check, the seeded split and the scores."""

import pytest
import torch

from book import (
    add_ones_column,
    closed_form,
    condition_number,
    lstsq_fit,
    r_squared,
    rmse,
    train_test_split,
)


def exact_data():
    X = torch.tensor([[1.0, 2.0], [2.0, 0.0], [3.0, 5.0], [4.0, 1.0], [0.5, 3.0]])
    w, b = torch.tensor([2.0, -3.0]), 4.0
    return X, X @ w + b, w, b


def test_closed_form_recovers_exact_weights_and_bias():
    X, y, w, b = exact_data()
    w_hat, b_hat = closed_form(X, y)
    assert w_hat.shape == (2,) and b_hat.shape == ()
    assert torch.allclose(w_hat, w, atol=1e-5) and abs(float(b_hat) - b) < 1e-5


def test_closed_form_accepts_a_column_vector_y():
    X, y, w, _ = exact_data()
    w_hat, _ = closed_form(X, y.reshape(-1, 1))
    assert torch.allclose(w_hat, w, atol=1e-5)


def test_closed_form_keeps_the_dtype_of_X():
    X, y, _, _ = exact_data()
    assert closed_form(X, y)[0].dtype == torch.float32
    assert closed_form(X.double(), y.double())[0].dtype == torch.float64


def test_closed_form_agrees_with_lstsq_on_noisy_data():
    generator = torch.Generator().manual_seed(0)
    X = torch.randn(200, 3, generator=generator, dtype=torch.float64)
    y = X @ torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64) + 0.3 * torch.randn(200, generator=generator,
                                                                                    dtype=torch.float64)
    w1, b1 = closed_form(X, y)
    w2, b2 = lstsq_fit(X, y)
    assert torch.allclose(w1, w2, rtol=1e-10) and torch.allclose(b1, b2, rtol=1e-10)


def test_closed_form_rejects_X_and_y_of_different_lengths():
    X, y, _, _ = exact_data()
    with pytest.raises(ValueError, match="differ in length"):
        closed_form(X, y[:-1])


@pytest.mark.parametrize("shape", [(5,), (5, 2, 1)])
def test_closed_form_rejects_X_that_is_not_2d(shape):
    with pytest.raises(ValueError, match="X must be 2-D"):
        closed_form(torch.ones(shape), torch.ones(5))


def test_closed_form_rejects_y_that_is_not_a_vector():
    X, _, _, _ = exact_data()
    with pytest.raises(ValueError, match="y must have shape"):
        closed_form(X, torch.ones(5, 2))


def test_closed_form_explains_a_singular_system():
    X = torch.tensor([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])  # duplicated column
    with pytest.raises(ValueError, match="singular"):
        closed_form(X, torch.tensor([1.0, 2.0, 3.0]))


def test_lstsq_fit_rejects_X_and_y_of_different_lengths():
    X, y, _, _ = exact_data()
    with pytest.raises(ValueError, match="differ in length"):
        lstsq_fit(X, y[:3])


def test_add_ones_column_appends_ones_last():
    X1 = add_ones_column(torch.zeros(3, 2))
    assert X1.shape == (3, 3) and X1[:, -1].tolist() == [1.0, 1.0, 1.0]


def test_condition_number_of_orthogonal_columns_is_one():
    X = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    assert condition_number(X, add_bias=False) == pytest.approx(1.0)


def test_condition_number_grows_with_badly_scaled_columns():
    generator = torch.Generator().manual_seed(0)
    X = torch.randn(100, 2, generator=generator)
    scaled = X * torch.tensor([1.0, 1000.0])
    assert condition_number(scaled) > 1000 * condition_number(X)


def test_condition_number_of_a_duplicated_column_is_infinite():
    X = torch.tensor([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    assert condition_number(X) == float("inf")


def test_condition_number_rejects_X_that_is_not_2d():
    with pytest.raises(ValueError, match="X must be 2-D"):
        condition_number(torch.ones(4))


def test_train_test_split_is_a_seeded_partition():
    train, test = train_test_split(10, 0.2, seed=3)
    assert len(test) == 2 and len(train) == 8
    assert sorted(torch.cat([train, test]).tolist()) == list(range(10))
    again_train, again_test = train_test_split(10, 0.2, seed=3)
    assert torch.equal(train, again_train) and torch.equal(test, again_test)


def test_train_test_split_depends_on_the_seed():
    assert not torch.equal(train_test_split(100, 0.2, seed=0)[1], train_test_split(100, 0.2, seed=1)[1])


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5])
def test_train_test_split_rejects_a_fraction_outside_0_1(fraction):
    with pytest.raises(ValueError, match="test_fraction"):
        train_test_split(10, fraction)


def test_train_test_split_rejects_an_empty_part():
    with pytest.raises(ValueError, match="empty"):
        train_test_split(2, 0.1)


def test_rmse_of_known_errors():
    assert rmse(torch.tensor([1.0, 3.0]), torch.tensor([0.0, 0.0])) == pytest.approx(5 ** 0.5)


def test_r_squared_is_one_for_perfect_and_zero_for_the_mean():
    y = torch.tensor([1.0, 2.0, 3.0, 6.0])  # mean 3, Σ(y − ȳ)² = 4 + 1 + 0 + 9 = 14
    assert r_squared(y, y) == pytest.approx(1.0)
    assert r_squared(torch.full((4,), 3.0), y) == pytest.approx(0.0)
    # predictions whose mean (2) is not the targets' (3): Σ(y − ŷ)² = 1 + 0 + 1 + 16 = 18
    assert r_squared(torch.full((4,), 2.0), y) == pytest.approx(1 - 18 / 14)
    assert r_squared(torch.tensor([1.0, 2.0, 3.0, 5.0]), y) == pytest.approx(1 - 1 / 14)


def test_r_squared_is_not_symmetric():
    y, y_hat = torch.tensor([1.0, 2.0, 3.0, 6.0]), torch.tensor([2.0, 2.0, 3.0, 4.0])
    assert r_squared(y_hat, y) == pytest.approx(1 - 5 / 14)  # Σ(y − ȳ)² of the targets, not the predictions
    assert r_squared(y, y_hat) == pytest.approx(1 - 5 / 2.75)


def test_scores_reject_predictions_of_another_length():
    with pytest.raises(ValueError, match="differ in length"):
        rmse(torch.ones(3), torch.ones(4))
    with pytest.raises(ValueError, match="differ in length"):
        r_squared(torch.ones(3), torch.ones(4))


def test_r_squared_rejects_constant_targets():
    with pytest.raises(ValueError, match="undefined"):
        r_squared(torch.ones(3), torch.full((3,), 2.0))


def test_rmse_of_errors_against_nonzero_targets():
    assert rmse(torch.tensor([1.0, 3.0]), torch.tensor([2.0, 1.0])) == pytest.approx((5 / 2) ** 0.5)
    assert rmse(torch.tensor([4.0]), torch.tensor([1.0])) == 3.0  # one example is enough


def test_scores_are_computed_in_float64():
    # float32 targets near 1e8 (spacing 8): their mean and spread are exact in float64 only
    y = torch.tensor([1e8, 1e8 + 8, 1e8 + 16])
    y_hat = y + torch.tensor([0.0, 8.0, 0.0])
    assert r_squared(y_hat, y) == 0.5  # 1 − 64 / 128
    assert rmse(y_hat, y) == pytest.approx((64 / 3) ** 0.5, rel=1e-12)


def test_scores_reject_empty_predictions_and_targets():
    for score in (rmse, r_squared):
        with pytest.raises(ValueError) as caught:
            score(torch.ones(0), torch.ones(0))
        assert str(caught.value) == "predictions and targets are empty"


def test_r_squared_of_constant_targets_says_why_it_is_undefined():
    with pytest.raises(ValueError) as caught:
        r_squared(torch.ones(3), torch.full((3,), 2.0))
    assert str(caught.value) == "R² is undefined when every target is the same"


def test_train_test_split_holds_out_a_fifth_by_default():
    train, test = train_test_split(10)
    assert (len(train), len(test)) == (8, 2)


@pytest.mark.parametrize("n, fraction, sizes", [(10, 0.1, (9, 1)), (10, 0.9, (1, 9)), (3, 0.5, (1, 2))])
def test_train_test_split_allows_one_example_in_a_part(n, fraction, sizes):
    train, test = train_test_split(n, fraction)
    assert (len(train), len(test)) == sizes


@pytest.mark.parametrize("n, fraction", [(10, 0.04), (10, 0.96), (2, 0.9)])
def test_train_test_split_rejects_a_part_that_would_be_empty(n, fraction):
    with pytest.raises(ValueError, match=f"cannot split {n} examples with test_fraction={fraction}: "
                                         f"one of the parts would be empty"):
        train_test_split(n, fraction)


@pytest.mark.parametrize("fraction", [0.0, 1.0, 1.5])
def test_train_test_split_names_the_allowed_range(fraction):
    with pytest.raises(ValueError, match=rf"^test_fraction must lie strictly between 0 and 1, got {fraction}$"):
        train_test_split(100, fraction)


def test_condition_number_is_the_ratio_of_the_extreme_eigenvalues():
    X = torch.diag(torch.tensor([2.0, 3.0, 4.0]))  # XᵀX = diag(4, 9, 16)
    assert condition_number(X, add_bias=False) == pytest.approx(4.0)


def test_condition_number_counts_the_bias_column_by_default():
    generator = torch.Generator().manual_seed(0)
    X = torch.randn(20, 2, generator=generator) + 3.0
    assert condition_number(X) == pytest.approx(condition_number(add_ones_column(X), add_bias=False))
    assert condition_number(X) != pytest.approx(condition_number(X, add_bias=False))


def test_condition_number_of_an_all_zero_matrix_is_infinite():
    assert condition_number(torch.zeros(3, 2), add_bias=False) == float("inf")


@pytest.mark.parametrize("fit", [closed_form, lstsq_fit])
def test_fits_return_float32_for_float32_or_integer_X(fit):
    X, y, w, b = exact_data()
    for features in (X, (2 * X).long()):
        w_hat, b_hat = fit(features, y)
        assert w_hat.dtype == b_hat.dtype == torch.float32
    w_hat, b_hat = fit((2 * X).long(), y)  # doubled features: half the weights
    assert torch.allclose(w_hat, w / 2, atol=1e-5) and abs(float(b_hat) - b) < 1e-5


def test_lstsq_fit_recovers_exact_weights_from_float32_data():
    X, y, w, b = exact_data()
    w_hat, b_hat = lstsq_fit(X, y)
    assert w_hat.shape == (2,) and b_hat.shape == ()
    assert torch.allclose(w_hat, w, atol=1e-5) and abs(float(b_hat) - b) < 1e-5


def test_lstsq_fit_gives_the_smallest_weights_when_XtX_is_singular():
    X = torch.tensor([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [4.0, 4.0]], dtype=torch.float64)
    w_hat, b_hat = lstsq_fit(X, 2 * X[:, 0])
    assert torch.allclose(w_hat, torch.tensor([1.0, 1.0], dtype=torch.float64)) and abs(float(b_hat)) < 1e-10


def test_closed_form_explains_a_singular_system_in_full():
    X = torch.tensor([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    with pytest.raises(ValueError) as caught:
        closed_form(X, torch.tensor([1.0, 2.0, 3.0]))
    assert str(caught.value) == ("XᵀX is singular: a feature is a linear combination of the others (for "
                                 "example a duplicated or constant column); drop it, or use lstsq_fit")


def test_train_test_split_uses_seed_0_by_default():
    train, test = train_test_split(50)
    again_train, again_test = train_test_split(50, 0.2, seed=0)
    assert torch.equal(train, again_train) and torch.equal(test, again_test)
    assert not torch.equal(test, train_test_split(50, 0.2, seed=1)[1])


def test_add_ones_column_keeps_the_dtype_and_device_of_X():
    assert add_ones_column(torch.zeros(2, 1, dtype=torch.long)).tolist() == [[0, 1], [0, 1]]
    assert add_ones_column(torch.zeros(2, 1, dtype=torch.long)).dtype == torch.long
    assert add_ones_column(torch.zeros(2, 1, dtype=torch.float16)).dtype == torch.float16
    assert add_ones_column(torch.zeros(2, 2, device="meta")).device.type == "meta"  # a stand-in for a GPU


def test_add_ones_column_rejects_X_that_is_not_2d():
    with pytest.raises(ValueError, match=r"^X must be 2-D \(n, d\), got shape \(3,\)$"):
        add_ones_column(torch.ones(3))


@pytest.mark.parametrize("fit", [closed_form, lstsq_fit])
def test_fits_reject_empty_data(fit):
    with pytest.raises(ValueError, match="^X and y are empty$"):
        fit(torch.ones(0, 2), torch.ones(0))


def test_lstsq_fit_accepts_a_single_example():
    w_hat, b_hat = lstsq_fit(torch.tensor([[2.0]]), torch.tensor([4.0]))  # smallest (w, b) with 2w + b = 4
    assert w_hat.tolist() == pytest.approx([1.6]) and float(b_hat) == pytest.approx(0.8)
