"""Checks of the code exercises of "The image classification dataset" (chapters/image-classification-dataset.ipynb)."""

import torch

from book.exercise_checks import Exercise


def split_sizes(fit_set, val_set, val_counts, train_iter):
    """fit_set, val_set: data.Subsets of the training set; val_counts: (10,) images per class."""
    for name, part, size in (("fit_set", fit_set, 50_000), ("val_set", val_set, 10_000)):
        assert isinstance(part, torch.utils.data.Subset) and part.dataset is train_iter.dataset, (
            f"{name} should be a data.Subset of train_iter.dataset (data.random_split makes them), not a copy")
        assert len(part) == size, f"{name} has {len(part):,} images instead of {size:,}"
    assert isinstance(val_counts, torch.Tensor) and tuple(val_counts.shape) == (10,), (
        "val_counts should be a tensor with one count per class (torch.bincount with minlength=10)")
    assert int(val_counts.sum()) == 10_000, (
        f"val_counts adds up to {int(val_counts.sum()):,}: count the labels of every batch of val_iter")


def parts_do_not_overlap(fit_set, val_set):
    """fit_set, val_set: data.Subsets."""
    shared = set(int(i) for i in fit_set.indices) & set(int(i) for i in val_set.indices)
    assert not shared, f"{len(shared):,} images are in both parts: split once, into two parts"


def classes_about_a_tenth(val_counts):
    """val_counts: (10,). A random 10,000 of the 60,000 (6,000 per class) puts a hypergeometric count
    in each class, standard deviation about 27: 1,000 +- 150 is 5.5 of them, missed by about one
    correct split in two million."""
    assert int(val_counts.min()) > 850 and int(val_counts.max()) < 1150, (
        "some class is far from a tenth of the validation set, farther than a random split of a "
        "balanced set goes: draw val_set from all 60,000 training images, not from part of them or "
        "in their stored order")


def closest_pair(first, second, means):
    """first, second: class indices of the two closest average images; means: (10, 28, 28)."""
    whole = [int(i) if isinstance(i, torch.Tensor) and i.numel() == 1 and not i.is_floating_point() else i
             for i in (first, second)]
    assert all(isinstance(i, int) and 0 <= i < 10 for i in whole), (
        "first and second should be class indices, whole numbers from 0 to 9")
    first, second = whole
    assert first != second, "first and second are the same class: ignore each class's distance to itself"
    flat = means.reshape(10, -1).double()
    distances = torch.cdist(flat, flat)
    distances.fill_diagonal_(float("inf"))
    assert float(distances[first, second]) <= float(distances.min()) * (1 + 1e-6), (
        "these two classes are not the closest pair: compare every pair of average images (means) "
        "by the Euclidean distance of their 784 pixels")


def background_and_ink(background, ink):
    """background: the fraction of training pixels that are 0; ink: (10,) mean pixel value per class."""
    assert 0 < float(background) < 1, "background should be a fraction, between 0 and 1"
    assert 0.4 < float(background) < 0.6, (
        "background is not the fraction of pixels that are exactly 0: count them over all training "
        "images (mnist_train.data) and divide by the number of pixels")
    assert isinstance(ink, torch.Tensor) and tuple(ink.shape) == (10,), (
        "ink should be a tensor with one mean pixel value per class, 10 in all")
    assert 0 < float(ink.min()) and float(ink.max()) < 1, (
        "ink should be on ToTensor's scale, from 0 to 1, like the average images (means), not in bytes")


def ink_is_the_mean_of_each_class(ink, means):
    """ink: (10,); means: (10, 28, 28)."""
    assert torch.allclose(ink.double(), means.reshape(10, -1).mean(dim=1).double(), atol=1e-3), (
        "ink is not the average pixel value of each class")


EXERCISES = (
    Exercise("fashion-ex-split", answers={
        "fit_set": "the 50,000 training images, a data.Subset of train_iter.dataset",
        "val_set": "the other 10,000, for validation",
        "val_counts": "the number of validation images of each class, a tensor of 10"},
             public=(split_sizes, parts_do_not_overlap), hidden=(classes_about_a_tenth,)),
    Exercise("fashion-ex-similar", answers={"first": "the index of one class of the closest pair",
                                            "second": "the index of the other"},
             public=(closest_pair,)),
    Exercise("fashion-ex-ink", answers={
        "background": "the fraction of all training pixels that are exactly 0",
        "ink": "the average pixel value of each class on ToTensor's scale, 0 to 1, a tensor of 10"},
             public=(background_and_ink,), hidden=(ink_is_the_mean_of_each_class,)),
)
