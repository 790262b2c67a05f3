"""book.regression: D2L's synthetic data, minibatch iterator, linear model and squared loss."""

import random

import pytest
import torch

from book import data_iter, linreg, load_array, sgd, squared_loss, synthetic_data

TRUE_W, TRUE_B = torch.tensor([2.0, -3.4]), 4.2


def test_synthetic_data_has_the_documented_shapes():
    X, y = synthetic_data(TRUE_W, TRUE_B, 1000)
    assert X.shape == (1000, 2) and y.shape == (1000, 1)


def test_synthetic_data_follows_the_model_up_to_small_noise():
    torch.manual_seed(0)
    X, y = synthetic_data(TRUE_W, TRUE_B, 1000)
    noise = y.squeeze(1) - (X @ TRUE_W + TRUE_B)
    assert noise.abs().max() < 0.05
    assert 0.008 < noise.std() < 0.012


def test_synthetic_data_draws_standard_normal_features_then_the_noise():
    """The chapters' outputs rest on these exact draws: X ~ N(0, 1) first, then noise ~ N(0, 0.01²)."""
    torch.manual_seed(1)
    X, y = synthetic_data(TRUE_W, TRUE_B, 500)
    torch.manual_seed(1)
    X_expected = torch.normal(0, 1, (500, 2))
    noise = torch.normal(0, 0.01, (500,))
    assert torch.equal(X, X_expected)
    assert torch.allclose(y.squeeze(1), X_expected @ TRUE_W + TRUE_B + noise, atol=1e-6)
    assert 0.9 < X.std() < 1.1


def test_data_iter_covers_every_example_once_and_the_last_batch_is_short():
    features, labels = torch.arange(10.0).reshape(10, 1), torch.arange(10.0)
    batches = list(data_iter(4, features, labels))
    assert [len(y) for _, y in batches] == [4, 4, 2]
    assert sorted(torch.cat([y for _, y in batches]).tolist()) == list(range(10))


def test_data_iter_keeps_features_and_labels_together():
    features = torch.arange(10.0).reshape(10, 1)
    for X, y in data_iter(3, features, features.squeeze(1) * 2):
        assert torch.equal(X.squeeze(1) * 2, y)


def test_data_iter_shuffles():
    random.seed(0)
    order = torch.cat([y for _, y in data_iter(100, torch.zeros(100, 1), torch.arange(100))])
    assert order.tolist() != list(range(100))


def test_linreg_is_xw_plus_b():
    X = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    w = torch.tensor([[1.0], [-1.0]])
    assert linreg(X, w, torch.tensor(0.5)).tolist() == [[-0.5], [-0.5]]


def test_squared_loss_is_half_the_squared_error_with_y_reshaped():
    loss = squared_loss(torch.tensor([[1.0], [3.0]]), torch.tensor([2.0, 0.0]))
    assert loss.shape == (2, 1)
    assert loss.squeeze(1).tolist() == [0.5, 4.5]


def test_load_array_shuffles_only_when_training():
    X, y = torch.arange(20.0).reshape(10, 2), torch.arange(10.0)
    test_order = torch.cat([b for _, b in load_array((X, y), 3, is_train=False)])
    assert test_order.tolist() == list(range(10))
    torch.manual_seed(1)
    train_order = torch.cat([b for _, b in load_array((X, y), 3)])
    assert sorted(train_order.tolist()) == list(range(10)) and train_order.tolist() != list(range(10))


def test_load_array_batches_of_one():
    X, y = torch.arange(6.0).reshape(3, 2), torch.arange(3.0)
    batches = list(load_array((X, y), 1, is_train=False))
    assert [b.tolist() for _, b in batches] == [[0.0], [1.0], [2.0]]


def test_load_array_rejects_bad_batch_size():
    with pytest.raises(ValueError, match="batch_size must be positive"):
        load_array((torch.zeros(3), torch.zeros(3)), 0)


def test_load_array_rejects_arrays_of_different_lengths():
    with pytest.raises(ValueError, match="differ in length"):
        load_array((torch.zeros(3, 2), torch.zeros(4)), 2)


def test_data_iter_order_is_reproducible_with_python_random_seed():
    """The chapters seed Python's ``random`` (``setup_chapter``) and rely on the same minibatch order."""
    features, labels = torch.arange(20.0).reshape(10, 2), torch.arange(10.0)
    random.seed(3)
    first = [y.tolist() for _, y in data_iter(3, features, labels)]
    random.seed(3)
    second = [y.tolist() for _, y in data_iter(3, features, labels)]
    assert first == second


def test_squared_loss_gradient_is_the_residual():
    """The ½ cancels: d/dŷ ½ (ŷ − y)² = ŷ − y (nn.MSELoss, without the ½, gives twice that)."""
    y_hat = torch.tensor([[1.0], [3.0], [-2.0]], requires_grad=True)
    y = torch.tensor([2.0, 0.0, -2.0])
    squared_loss(y_hat, y).sum().backward()
    assert y_hat.grad.squeeze(1).tolist() == [-1.0, 3.0, 0.0]


def test_load_array_keeps_the_last_short_batch():
    X, y = torch.zeros(10, 2), torch.zeros(10)
    assert [len(b) for _, b in load_array((X, y), 4, is_train=False)] == [4, 4, 2]


def test_sgd_on_linreg_and_squared_loss_recovers_synthetic_parameters():
    """The from-scratch pieces together: three epochs of minibatch SGD fit synthetic data closely."""
    torch.manual_seed(1)
    random.seed(1)
    features, labels = synthetic_data(TRUE_W, TRUE_B, 1000)
    w = torch.zeros((2, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    for _ in range(3):
        for X, y in data_iter(10, features, labels):
            squared_loss(linreg(X, w, b), y).sum().backward()
            sgd([w, b], 0.03, 10)
    assert (w.detach().squeeze(1) - TRUE_W).abs().max() < 5e-3
    assert abs(b.item() - TRUE_B) < 5e-3
