"""book.fashion_mnist: text labels, in-memory minibatches, image grids."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest
import torch

from book import get_fashion_mnist_labels, load_data_fashion_mnist, show_images
from book.fashion_mnist import ImageBatches


def small_batches(n=10, batch_size=4, shuffle=False, resize=None):
    images = torch.arange(n * 28 * 28, dtype=torch.int64).remainder(256).to(torch.uint8).reshape(n, 28, 28)
    return ImageBatches(images, torch.arange(n) % 10, batch_size, shuffle, resize)


def test_labels_are_the_ten_clothing_names_in_order():
    assert get_fashion_mnist_labels(range(10)) == [
        "t-shirt", "trouser", "pullover", "dress", "coat",
        "sandal", "shirt", "sneaker", "bag", "ankle boot",
    ]


def test_labels_accept_a_tensor():
    assert get_fashion_mnist_labels(torch.tensor([9, 0])) == ["ankle boot", "t-shirt"]


def test_label_out_of_range_is_a_value_error():
    with pytest.raises(ValueError, match="0..9"):
        get_fashion_mnist_labels([10])


def test_batches_are_float_in_unit_range_with_int64_labels():
    X, y = next(iter(small_batches()))
    assert X.shape == (4, 1, 28, 28) and X.dtype == torch.float32
    assert 0.0 <= X.min() and X.max() <= 1.0
    assert y.dtype == torch.int64


def test_len_counts_batches_and_the_last_may_be_short():
    batches = small_batches(n=10, batch_size=4)
    assert len(batches) == 3
    assert [len(y) for _, y in batches] == [4, 4, 2]


def test_fixed_order_without_shuffle():
    batches = small_batches(shuffle=False)
    assert torch.cat([y for _, y in batches]).tolist() == list(range(10))


def test_shuffled_passes_cover_every_example_once_in_new_orders():
    torch.manual_seed(0)
    batches = small_batches(n=100, batch_size=7, shuffle=True)
    first = torch.cat([y for _, y in batches])
    second = torch.cat([y for _, y in batches])
    assert sorted(first.tolist()) == sorted((torch.arange(100) % 10).tolist())
    assert not torch.equal(first, second)


def test_resize_changes_the_image_size():
    X, _ = next(iter(small_batches(resize=(32, 40))))
    assert X.shape == (4, 1, 32, 40)


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, True])
def test_bad_batch_size_is_a_value_error(batch_size):
    with pytest.raises(ValueError, match="batch_size"):
        load_data_fashion_mnist(batch_size)


@pytest.mark.parametrize("resize", [0, -3, (28,), (28, 0), "28", 2.5])
def test_bad_resize_is_a_value_error(resize):
    with pytest.raises(ValueError, match="resize"):
        load_data_fashion_mnist(32, resize=resize)


def test_real_data_has_the_published_sizes():
    train_iter, test_iter = load_data_fashion_mnist(256)
    assert len(train_iter.labels) == 60_000 and len(test_iter.labels) == 10_000
    assert len(train_iter) == 235 and len(test_iter) == 40
    X, y = next(iter(test_iter))
    assert X.shape == (256, 1, 28, 28)
    assert y[:3].tolist() == [9, 2, 1]


def test_show_images_draws_one_axes_per_image_and_hides_the_rest():
    axes = show_images(torch.rand(5, 28, 28), 2, 3, titles=list("abcde"))
    assert len(axes) == 6
    assert [ax.get_title() for ax in axes[:5]] == list("abcde")
    assert not axes[5].get_visible()


def test_batches_are_the_images_divided_by_255_exactly():
    batches = small_batches(n=10, batch_size=10)
    X, _ = next(iter(batches))
    assert torch.equal(X, batches.images.unsqueeze(1).float() / 255)


def test_shuffled_batches_keep_each_image_with_its_label():
    images = torch.arange(50, dtype=torch.uint8).reshape(50, 1, 1).expand(50, 28, 28).contiguous()
    torch.manual_seed(0)
    for X, y in ImageBatches(images, torch.arange(50), 8, shuffle=True):
        assert torch.equal((X[:, 0, 0, 0] * 255).round().long(), y)


def test_shuffling_follows_torch_manual_seed():
    batches = small_batches(n=100, batch_size=7, shuffle=True)
    torch.manual_seed(1)
    first = torch.cat([y for _, y in batches])
    torch.manual_seed(1)
    assert torch.equal(first, torch.cat([y for _, y in batches]))


def test_device_argument_places_every_batch_on_that_device():
    images = torch.zeros(6, 28, 28, dtype=torch.uint8)
    batches = ImageBatches(images, torch.zeros(6, dtype=torch.int64), 4, shuffle=True, device="cpu")
    for X, y in batches:
        assert X.device.type == "cpu" and y.device.type == "cpu"


def test_images_and_labels_of_different_lengths_is_a_value_error():
    with pytest.raises(ValueError, match="5 images but 4 labels"):
        ImageBatches(torch.zeros(5, 28, 28, dtype=torch.uint8), torch.zeros(4, dtype=torch.int64), 2, False)


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, True])
def test_bad_batch_size_of_image_batches_is_a_value_error(batch_size):
    with pytest.raises(ValueError, match="batch_size"):
        small_batches(batch_size=batch_size)


@pytest.mark.parametrize("rows, cols", [(0, 3), (2, -1), (1.5, 2)])
def test_show_images_bad_grid_is_a_value_error(rows, cols):
    with pytest.raises(ValueError, match="must be a positive int"):
        show_images(torch.rand(2, 28, 28), rows, cols)


def test_show_images_too_few_titles_is_a_value_error():
    with pytest.raises(ValueError, match="3 images to draw but only 2 titles"):
        show_images(torch.rand(3, 28, 28), 1, 3, titles=["a", "b"])


def test_show_images_draws_only_what_fits_in_the_grid():
    axes = show_images(torch.rand(8, 28, 28), 2, 2, titles=list("abcd"))
    assert [ax.get_title() for ax in axes] == list("abcd")


def test_load_data_device_argument_places_the_data_on_that_device():
    train_iter, test_iter = load_data_fashion_mnist(1024, device="cpu")
    X, y = next(iter(test_iter))
    assert X.device.type == y.device.type == train_iter.images.device.type == "cpu"
