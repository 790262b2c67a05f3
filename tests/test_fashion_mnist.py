"""book.fashion_mnist: text labels, the in-memory Dataset and its DataLoaders, image grids."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest
import torch
from torch.utils import data

import book.fashion_mnist as fm
from book import (
    fashion_mnist_root,
    get_fashion_mnist_labels,
    load_data_fashion_mnist,
    load_data_fashion_mnist_with_validation,
    show_images,
)
from book.fashion_mnist import InMemoryImages, minibatch_loader
from real_data import needs_real_data




def numbered_images(n: int, first: int = 0) -> torch.Tensor:
    """n images of 28x28 uint8; every pixel of image i is first + i, so a batch shows which images it holds."""
    return (torch.arange(n) + first).to(torch.uint8).reshape(n, 1, 1).expand(n, 28, 28).contiguous()


def image_numbers(X: torch.Tensor) -> list[int]:
    return (X[:, 0, 0, 0] * 255).round().long().tolist()


def small_loader(n=10, batch_size=4, shuffle=False, resize=None):
    return minibatch_loader(InMemoryImages(numbered_images(n), torch.arange(n), resize), batch_size, shuffle)


@pytest.fixture
def fake_splits(monkeypatch) -> list:
    """Replace the files by a 10-image training split (images 0..9) and a 6-image test split (100..105)."""
    calls = []

    def fake_tensors(train: bool = True, root=None):
        calls.append((train, root))
        n, first = (10, 0) if train else (6, 100)
        return numbered_images(n, first), torch.arange(first, first + n) % 10

    monkeypatch.setattr(fm, "load_fashion_mnist_tensors", fake_tensors)
    return calls


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


def test_loaders_are_torch_dataloaders_over_the_in_memory_dataset(fake_splits):
    train_iter, test_iter = load_data_fashion_mnist(4)
    for loader in (train_iter, test_iter):
        assert isinstance(loader, data.DataLoader)
        assert isinstance(loader.dataset, InMemoryImages)
        assert isinstance(loader.sampler, data.BatchSampler) and loader.sampler.batch_size == 4
        assert not loader.sampler.drop_last and loader.num_workers == 0


def test_train_and_test_are_not_swapped(fake_splits):
    train_iter, test_iter = load_data_fashion_mnist(4, root="/some/folder")
    assert fake_splits == [(True, "/some/folder"), (False, "/some/folder")]
    assert sorted(image_numbers(torch.cat([X for X, _ in train_iter]))) == list(range(10))
    assert image_numbers(torch.cat([X for X, _ in test_iter])) == list(range(100, 106))


def test_batches_are_float_in_unit_range_with_int64_labels():
    X, y = next(iter(small_loader()))
    assert X.shape == (4, 1, 28, 28) and X.dtype == torch.float32
    assert 0.0 <= X.min() and X.max() <= 1.0
    assert y.shape == (4,) and y.dtype == torch.int64


def test_batches_are_the_images_divided_by_255_exactly():
    images = torch.randint(0, 256, (10, 28, 28), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))
    X, _ = next(iter(minibatch_loader(InMemoryImages(images, torch.zeros(10, dtype=torch.int64)), 10, False)))
    assert torch.equal(X, images.unsqueeze(1).float() / 255)


def test_len_counts_batches_and_the_last_is_short():
    for shuffle in (False, True):
        loader = small_loader(n=10, batch_size=4, shuffle=shuffle)
        assert len(loader) == 3
        assert [len(y) for _, y in loader] == [4, 4, 2]


def test_test_batches_come_in_a_fixed_order(fake_splits):
    _, test_iter = load_data_fashion_mnist(4)
    first = [image_numbers(X) for X, _ in test_iter]
    assert first == [[100, 101, 102, 103], [104, 105]]
    assert [image_numbers(X) for X, _ in test_iter] == first


def test_training_batches_are_reshuffled_every_pass(fake_splits):
    torch.manual_seed(0)
    train_iter, _ = load_data_fashion_mnist(3)
    passes = [image_numbers(torch.cat([X for X, _ in train_iter])) for _ in range(4)]
    for order in passes:
        assert sorted(order) == list(range(10))  # every image once per pass
    assert len({tuple(order) for order in passes}) == 4  # a new order each pass


def test_shuffling_draws_one_randperm_per_pass_from_torch_global_generator():
    """The order is torch.randperm(n) of the global generator, as before the loaders were DataLoaders."""
    loader = small_loader(n=50, batch_size=8, shuffle=True)
    torch.manual_seed(1)
    expected = [torch.randperm(50).tolist() for _ in range(2)], torch.rand(3)
    torch.manual_seed(1)
    got = [image_numbers(torch.cat([X for X, _ in loader])) for _ in range(2)], torch.rand(3)
    assert got[0] == expected[0]
    assert torch.equal(got[1], expected[1])  # nothing else drawn from the global generator


def test_shuffled_batches_keep_each_image_with_its_label():
    torch.manual_seed(0)
    for X, y in small_loader(n=50, batch_size=8, shuffle=True):
        assert image_numbers(X) == y.tolist()


def test_one_index_gives_one_example_as_totensor_does():
    dataset = InMemoryImages(numbered_images(5), torch.arange(5))
    X, y = dataset[3]
    assert X.shape == (1, 28, 28) and torch.all(X == 3 / 255) and y.item() == 3
    assert len(dataset) == 5


def test_a_subset_of_the_dataset_gives_exactly_its_examples():
    dataset = InMemoryImages(numbered_images(20), torch.arange(20))
    loader = minibatch_loader(data.Subset(dataset, [3, 7, 11, 19]), 3, shuffle=True)
    assert sorted(torch.cat([y for _, y in loader]).tolist()) == [3, 7, 11, 19]


def test_resize_changes_the_image_size(fake_splits):
    train_iter, test_iter = load_data_fashion_mnist(4, resize=(32, 40))
    assert next(iter(train_iter))[0].shape == next(iter(test_iter))[0].shape == (4, 1, 32, 40)
    assert next(iter(small_loader(resize=12)))[0].shape == (4, 1, 12, 12)


def test_device_argument_places_every_batch_on_that_device(fake_splits):
    """The meta device (shapes, no data) differs from the default CPU, so an ignored device fails."""
    train_iter, test_iter = load_data_fashion_mnist(4, resize=16, device=torch.device("meta"))
    for loader in (train_iter, test_iter):
        assert loader.dataset.images.device.type == loader.dataset.labels.device.type == "meta"
        shapes = []
        for X, y in loader:
            assert X.device.type == y.device.type == "meta"
            assert X.dtype == torch.float32 and y.dtype == torch.int64
            shapes.append(tuple(X.shape))
        assert shapes[0] == (4, 1, 16, 16) and shapes[-1][0] == len(loader.dataset) % 4


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, True])
def test_bad_batch_size_is_a_value_error(batch_size, fake_splits):
    with pytest.raises(ValueError, match="batch_size"):
        load_data_fashion_mnist(batch_size)
    with pytest.raises(ValueError, match="batch_size"):
        small_loader(batch_size=batch_size)
    assert fake_splits == []  # refused before any file is read


@pytest.mark.parametrize("resize", [0, -3, (28,), (28, 0), "28", 2.5])
def test_bad_resize_is_a_value_error(resize, fake_splits):
    with pytest.raises(ValueError, match="resize"):
        load_data_fashion_mnist(32, resize=resize)
    with pytest.raises(ValueError, match="resize"):
        InMemoryImages(numbered_images(2), torch.arange(2), resize)
    assert fake_splits == []


def test_images_and_labels_of_different_lengths_is_a_value_error():
    with pytest.raises(ValueError, match="5 images but 4 labels"):
        InMemoryImages(torch.zeros(5, 28, 28, dtype=torch.uint8), torch.zeros(4, dtype=torch.int64))


@needs_real_data
def test_real_data_has_the_published_sizes_and_splits():
    train_iter, test_iter = load_data_fashion_mnist(256)
    assert len(train_iter.dataset) == 60_000 and len(test_iter.dataset) == 10_000
    assert len(train_iter) == 235 and len(test_iter) == 40
    X, y = next(iter(test_iter))
    assert X.shape == (256, 1, 28, 28)
    assert y[:5].tolist() == [9, 2, 1, 1, 6]  # the test file's first labels
    assert train_iter.dataset.labels[:5].tolist() == [9, 0, 0, 3, 0]  # the training file's


@needs_real_data
def test_real_batches_equal_what_totensor_makes():
    from torchvision import transforms
    from torchvision.datasets import FashionMNIST

    test = FashionMNIST(str(fashion_mnist_root(download=None)), train=False, transform=transforms.ToTensor())
    _, test_iter = load_data_fashion_mnist(16)
    X, y = next(iter(test_iter))
    assert torch.equal(X, torch.stack([test[i][0] for i in range(16)]))
    assert y.tolist() == [test[i][1] for i in range(16)]


def test_show_images_draws_one_axes_per_image_and_hides_the_rest():
    axes = show_images(torch.rand(5, 28, 28), 2, 3, titles=list("abcde"))
    assert len(axes) == 6
    assert [ax.get_title() for ax in axes[:5]] == list("abcde")
    assert not axes[5].get_visible()


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


def test_every_class_has_one_chinese_name_as_d2l_zh_gives_it():
    from book.fashion_mnist import CHINESE_LABELS, TEXT_LABELS

    assert list(CHINESE_LABELS) == list(TEXT_LABELS) and len(set(CHINESE_LABELS.values())) == 10
    assert (CHINESE_LABELS["t-shirt"], CHINESE_LABELS["ankle boot"]) == ("T恤", "短靴")


def test_with_validation_holds_out_num_val_training_images_and_keeps_the_test_set(fake_splits):
    train_iter, val_iter, test_iter = load_data_fashion_mnist_with_validation(4, num_val=3)
    trained = image_numbers(torch.cat([X for X, _ in train_iter]))
    validated = image_numbers(torch.cat([X for X, _ in val_iter]))
    assert len(trained) == 7 and len(validated) == 3
    assert sorted(trained + validated) == list(range(10))  # every training image in one part only
    assert image_numbers(torch.cat([X for X, _ in test_iter])) == list(range(100, 106))


def test_with_validation_draws_the_validation_set_from_its_seed_alone(fake_splits):
    torch.manual_seed(0)
    _, first, _ = load_data_fashion_mnist_with_validation(4, num_val=3, seed=5)
    torch.manual_seed(1)  # the global generator shuffles training batches; it does not choose the split
    _, again, _ = load_data_fashion_mnist_with_validation(4, num_val=3, seed=5)
    _, other, _ = load_data_fashion_mnist_with_validation(4, num_val=3, seed=6)
    order = torch.randperm(10, generator=torch.Generator().manual_seed(5))[:3].tolist()
    assert first.dataset.indices == again.dataset.indices == order != other.dataset.indices


def test_with_validation_reads_validation_batches_in_a_fixed_order(fake_splits):
    _, val_iter, _ = load_data_fashion_mnist_with_validation(2, num_val=3)
    first = [image_numbers(X) for X, _ in val_iter]
    assert [len(batch) for batch in first] == [2, 1]
    assert [image_numbers(X) for X, _ in val_iter] == first


@pytest.mark.parametrize("num_val", [0, -1, 2.5, True, "3"])
def test_with_validation_rejects_a_num_val_that_is_not_a_positive_int(num_val, fake_splits):
    with pytest.raises(ValueError, match="num_val.*positive int"):
        load_data_fashion_mnist_with_validation(4, num_val=num_val)
    assert fake_splits == []  # refused before any file is read


def test_with_validation_refuses_to_hold_out_every_training_image(fake_splits):
    with pytest.raises(ValueError, match="num_val=10 leaves no image to train on.*hold out fewer"):
        load_data_fashion_mnist_with_validation(4, num_val=10)
