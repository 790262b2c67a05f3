"""Checks of the code exercises of "Setting up" (chapters/setup.ipynb)."""

import math

import torch

from book.exercise_checks import Exercise


def counts_per_class(counts):
    """counts: (10,) integer tensor, the test images of each class."""
    assert isinstance(counts, torch.Tensor) and counts.shape == (10,), (
        "counts should be a tensor with one number per class, 10 in all, "
        "the first for class 0 (a list or a dict of counts is not one)")
    assert int(counts.sum()) == 10_000, (
        f"counts add up to {int(counts.sum()):,}, not to the number of test images: "
        "count the labels of test_iter.dataset")


def counts_are_balanced(counts):
    """counts: (10,) the test images of each class."""
    assert len(set(counts.tolist())) == 1, (
        "the classes do not all have the same count: count the labels of the test set "
        "(test_iter.dataset.labels), not of one batch")


def largest_area_and_price(largest_area, highest_price):
    """largest_area: square feet; highest_price: US$ (numbers or 0-d tensors)."""
    area, price = float(largest_area), float(highest_price)
    assert math.isfinite(area) and math.isfinite(price), "both answers should be numbers"
    assert 5_000 < area < 6_000, (
        "largest_area is not the largest living area in sq ft: take the maximum of the living-area "
        "column of houses.features (houses.feature_names says which column that is)")
    assert 700_000 < price < 800_000, (
        "highest_price is not the highest sale price in US$: take the maximum of houses.price")


EXERCISES = (
    Exercise("setup-ex-labels", answers={"counts": "the number of test images of each class, a tensor of 10"}, public=(counts_per_class,),
             hidden=(counts_are_balanced,)),
    Exercise("setup-ex-houses", answers={"largest_area": "the largest living area, in sq ft",
                                                "highest_price": "the highest sale price, in US$"},
             public=(largest_area_and_price,)),
)
