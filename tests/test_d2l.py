"""book.d2l: D2L's chapter-3 API under its names, so that D2L's code runs after `from book import d2l`."""

from __future__ import annotations

import math
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch import nn

import book
from book import d2l
from real_data import needs_real_data


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def toy_data(n=64, batch_size=16, seed=0, flip=False):
    """Two well-separated classes in 2-D, as a list of minibatches (labels swapped with flip)."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 2
    X = torch.randn(n, 2, generator=g) * 0.3 + torch.stack([2.0 * y - 1, 1 - 2.0 * y], dim=1)
    if flip:
        y = 1 - y
    return [(X[i:i + batch_size], y[i:i + batch_size]) for i in range(0, n, batch_size)]


def scratch_model(lr=0.5):
    """D2L's from-scratch softmax regression on 2 inputs and 2 classes: (net, updater)."""
    W = torch.zeros(2, 2, requires_grad=True)
    b = torch.zeros(2, requires_grad=True)

    def net(X):
        return book.softmax(d2l.matmul(X, W) + b)

    def updater(batch_size):
        return d2l.sgd([W, b], lr, batch_size)

    return net, updater


def cross_entropy(y_hat, y):
    return -d2l.log(y_hat[range(len(y_hat)), y])


# --- the module as a whole ---------------------------------------------------------------------

def test_every_public_name_is_torchs_books_or_tested_here_under_its_name():
    """A name of d2l's API is torch's own object, book's own, or d2l's wrapper with tests named for it."""
    own = [name for name in d2l.__all__ if name not in SAME_AS_TORCH and name not in SAME_AS_BOOK]
    tests = [test for test in globals() if test.startswith("test_")]
    untested = [name for name in own if not any(t.startswith(f"test_{name.lower()}_") for t in tests)]
    assert untested == []


def test_every_public_name_exists():
    assert [name for name in d2l.__all__ if not hasattr(d2l, name)] == []


def test_the_aliases_stay_out_of_book_namespace():
    aliases = ["tensor", "ones", "zeros", "normal", "matmul", "exp", "log", "reshape", "numpy",
               "size", "reduce_sum", "argmax", "astype", "use_svg_display", "plt"]
    assert [name for name in aliases if hasattr(book, name)] == []
    assert "d2l" not in book.__all__


def test_importing_it_leaves_torchs_thread_count_alone():
    code = ("import torch; torch.set_num_threads(2); from book import d2l; "
            "print(torch.get_num_threads())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "2"


# --- d2l's names of torch functions: the very same functions -----------------------------------

SAME_AS_TORCH = {
    "abs": torch.abs, "arange": torch.arange, "concat": torch.cat, "cos": torch.cos,
    "cosh": torch.cosh, "exp": torch.exp, "eye": torch.eye, "float32": torch.float32,
    "int32": torch.int32, "linspace": torch.linspace, "log": torch.log, "matmul": torch.matmul,
    "meshgrid": torch.meshgrid, "normal": torch.normal, "ones": torch.ones, "rand": torch.rand,
    "randn": torch.randn, "sin": torch.sin, "sinh": torch.sinh, "stack": torch.stack,
    "tanh": torch.tanh, "tensor": torch.tensor, "zeros": torch.zeros,
}


@pytest.mark.parametrize("name", sorted(SAME_AS_TORCH))
def test_alias_is_torch_own_function(name):
    assert getattr(d2l, name) is SAME_AS_TORCH[name]


def test_tensor_ones_and_zeros_make_tensors():
    assert d2l.tensor([2, -3.4]).tolist() == pytest.approx([2, -3.4])
    assert d2l.ones([3]).tolist() == [1.0, 1.0, 1.0] and d2l.zeros(2).tolist() == [0.0, 0.0]


def test_normal_draws_with_the_given_mean_and_standard_deviation():
    torch.manual_seed(0)
    X = d2l.normal(3.0, 0.5, (20000,))
    assert X.shape == (20000,) and abs(float(X.mean()) - 3.0) < 0.02 and abs(float(X.std()) - 0.5) < 0.02


def test_rand_and_randn_draw_tensors_of_the_given_shape():
    assert d2l.rand(2, 3).shape == (2, 3) and bool(((d2l.rand(100) >= 0) & (d2l.rand(100) < 1)).all())
    assert d2l.randn(4, 1).shape == (4, 1)


def test_matmul_multiplies_matrix_and_vector():
    assert d2l.matmul(d2l.tensor([[1.0, 2.0], [3.0, 4.0]]), d2l.tensor([1.0, -1.0])).tolist() == [-1.0, -1.0]


def test_exp_and_log_are_inverse_elementwise():
    x = d2l.tensor([0.5, 1.0, 2.0])
    assert d2l.log(d2l.exp(x)).tolist() == pytest.approx([0.5, 1.0, 2.0])
    assert math.isnan(float(d2l.log(d2l.tensor(-1.0))))  # a bad input gives nan, as torch.log does


def test_trigonometric_and_hyperbolic_functions_and_abs():
    x = d2l.tensor([0.0, 1.0])
    assert d2l.sin(x).tolist() == pytest.approx([0, math.sin(1)])
    assert d2l.cos(x).tolist() == pytest.approx([1, math.cos(1)])
    assert d2l.sinh(x).tolist() == pytest.approx([0, math.sinh(1)])
    assert d2l.cosh(x).tolist() == pytest.approx([1, math.cosh(1)])
    assert d2l.tanh(x).tolist() == pytest.approx([0, math.tanh(1)])
    assert d2l.abs(d2l.tensor([-2.0, 3.0])).tolist() == [2.0, 3.0]


def test_arange_linspace_meshgrid_and_eye_build_grids():
    assert d2l.arange(3).tolist() == [0, 1, 2] and d2l.linspace(0, 1, 3).tolist() == [0.0, 0.5, 1.0]
    xx, yy = d2l.meshgrid(d2l.arange(2), d2l.arange(3), indexing="ij")
    assert xx.shape == yy.shape == (2, 3)
    assert d2l.eye(2).tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_concat_and_stack_join_tensors():
    a, b = d2l.ones(2), d2l.zeros(2)
    assert d2l.concat([a, b]).tolist() == [1.0, 1.0, 0.0, 0.0] and d2l.stack([a, b]).shape == (2, 2)
    with pytest.raises(RuntimeError):
        d2l.stack([a, d2l.zeros(3)])


def test_float32_and_int32_are_dtypes():
    assert d2l.tensor([1], dtype=d2l.int32).dtype == torch.int32
    assert d2l.tensor([1], dtype=d2l.float32).dtype == torch.float32


# --- d2l's names of tensor methods: the tensor first, then the method's arguments ---------------

def test_numpy_returns_the_values_detached_from_autograd():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    array = d2l.numpy(x * 2)
    assert isinstance(array, np.ndarray) and array.tolist() == [2.0, 4.0]


def test_numpy_rejects_what_is_not_a_tensor():
    with pytest.raises(AttributeError):
        d2l.numpy([1.0, 2.0])


def test_size_is_the_number_of_elements():
    assert d2l.size(d2l.zeros(2, 3)) == 6 and d2l.size(d2l.tensor(5.0)) == 1


def test_reshape_takes_the_tensor_then_the_shape():
    assert d2l.reshape(d2l.arange(6), (-1, 1)).shape == (6, 1)
    assert d2l.reshape(d2l.arange(6), (2, 3)).tolist() == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(RuntimeError):
        d2l.reshape(d2l.arange(6), (4, -1))


def test_to_converts_the_dtype_or_device():
    assert d2l.to(d2l.arange(2), torch.float64).dtype == torch.float64
    assert d2l.to(d2l.ones(1), "cpu").device.type == "cpu"


def test_reduce_sum_sums_everything_or_along_an_axis():
    X = d2l.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert float(d2l.reduce_sum(X)) == 21.0
    assert d2l.reduce_sum(X, 0, keepdim=True).tolist() == [[5.0, 7.0, 9.0]]
    assert d2l.reduce_sum(X, 1, keepdim=True).tolist() == [[6.0], [15.0]]


def test_reduce_mean_averages_everything_or_along_an_axis():
    X = d2l.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert float(d2l.reduce_mean(X)) == 2.5 and d2l.reduce_mean(X, 0).tolist() == [2.0, 3.0]
    with pytest.raises(RuntimeError):
        d2l.reduce_mean(d2l.arange(3))  # the mean of integers, as torch refuses it


def test_argmax_takes_axis_as_d2l_code_writes_it():
    y_hat = d2l.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5], [0.9, 0.05, 0.05]])
    assert d2l.argmax(y_hat, axis=1).tolist() == [2, 2, 0] and int(d2l.argmax(y_hat)) == 6


def test_astype_converts_to_the_dtype():
    cmp = d2l.tensor([1, 2]) == d2l.tensor([1, 3])
    assert d2l.astype(cmp, torch.int64).tolist() == [1, 0]
    assert d2l.astype(cmp, torch.int64).dtype == torch.int64


def test_transpose_transposes_a_matrix_and_rejects_more_dimensions():
    assert d2l.transpose(d2l.tensor([[1, 2, 3]])).tolist() == [[1], [2], [3]]
    with pytest.raises(RuntimeError):
        d2l.transpose(d2l.zeros(2, 2, 2))


# --- the chapter's helpers that book.d2l takes from book as they are: the very same objects ------
# (their behaviour and argument checks are tested once, in tests/test_<module>.py and test_checked.py)

SAME_AS_BOOK = [
    "Accumulator", "Timer", "accuracy", "data_iter", "evaluate_accuracy", "get_fashion_mnist_labels",
    "linreg", "load_array", "load_data_fashion_mnist", "set_axes", "sgd", "squared_loss",
    "synthetic_data", "train_epoch_ch3",
]


@pytest.mark.parametrize("name", SAME_AS_BOOK)
def test_helper_is_book_own(name):
    assert getattr(d2l, name) is getattr(book, name)


# --- Fashion-MNIST ------------------------------------------------------------------------------

def test_show_images_draws_tensors_arrays_and_images_on_a_grid():
    from PIL import Image

    imgs = [torch.zeros(28, 28), np.ones((28, 28)), Image.new("L", (28, 28))]
    axes = d2l.show_images(imgs, 1, 3, titles=["a", "b", "c"])
    assert len(axes) == 3 and [ax.get_title() for ax in axes] == ["a", "b", "c"]
    assert all(len(ax.get_images()) == 1 for ax in axes)


def test_show_images_rejects_too_few_titles():
    with pytest.raises(ValueError, match="titles"):
        d2l.show_images(torch.zeros(2, 28, 28), 1, 2, titles=["only one"])


def test_get_dataloader_workers_is_d2l_four():
    assert d2l.get_dataloader_workers() == 4


@needs_real_data
def test_load_data_fashion_mnist_gives_d2l_batches():
    train_iter, test_iter = d2l.load_data_fashion_mnist(256)
    X, y = next(iter(train_iter))
    assert X.shape == (256, 1, 28, 28) and X.dtype == torch.float32 and y.dtype == torch.int64
    assert 0 <= float(X.min()) and float(X.max()) <= 1
    assert len(train_iter.dataset) == 60000 and len(test_iter.dataset) == 10000


@needs_real_data
def test_load_data_fashion_mnist_resizes_as_the_chapter_asks():
    train_iter, _ = d2l.load_data_fashion_mnist(32, resize=64)
    X, y = next(iter(train_iter))
    assert X.shape == (32, 1, 64, 64) and y.shape == (32,)


# --- figures ------------------------------------------------------------------------------------

def test_plt_is_pyplot_and_draws():
    d2l.plt.scatter([1, 2], [3, 4], 1)
    assert d2l.plt is plt and len(plt.gca().collections) == 1


@pytest.fixture
def ipython_shell():
    """An IPython shell for the duration of one test, as in Jupyter (removed afterwards)."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    yield shell
    InteractiveShell.clear_instance()


def test_use_svg_display_makes_jupyter_show_figures_as_svg(ipython_shell):
    from matplotlib.figure import Figure

    d2l.use_svg_display()
    formatters = ipython_shell.display_formatter.formatters
    assert formatters["image/svg+xml"].lookup_by_type(Figure) is not None
    with pytest.raises(KeyError):
        formatters["image/png"].lookup_by_type(Figure)


def test_use_svg_display_in_a_script_changes_nothing():
    from IPython.core.interactiveshell import InteractiveShell

    assert not InteractiveShell.initialized()
    d2l.use_svg_display()
    assert not InteractiveShell.initialized()  # no shell made up for the occasion


def test_set_figsize_sets_the_size_of_the_next_figures_and_svg(monkeypatch):
    called = []
    monkeypatch.setattr(d2l, "use_svg_display", lambda: called.append(True))
    monkeypatch.setitem(plt.rcParams, "figure.figsize", (6.4, 4.8))
    d2l.set_figsize((2, 1))
    assert tuple(plt.figure().get_size_inches()) == (2, 1) and called == [True]


def test_set_axes_takes_d2l_positional_order():
    _, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    d2l.set_axes(ax, "x", "y", [0, 2], [0.1, 1], "linear", "log", ["line"])
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_xlim(), ax.get_yscale()) == ("x", "y", (0, 2), "log")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["line"]


def test_plot_returns_none_so_a_notebook_cell_shows_no_output_line():
    x = np.arange(-7, 7, 0.01)
    assert d2l.plot(x, [np.exp(-x ** 2 / 2), np.exp(-x ** 2)], "x", "p(x)", legend=["a", "b"]) is None
    ax = plt.gca()
    assert len(ax.get_lines()) == 2 and ax.get_xlabel() == "x"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]


def test_plot_draws_on_the_current_axes_cleared_first():
    d2l.plot([1, 2, 3], [[1, 2, 3], [3, 2, 1]])
    d2l.plot(d2l.arange(3), d2l.tensor([0.0, 1.0, 4.0]))
    assert len(plt.get_fignums()) == 1 and len(plt.gca().get_lines()) == 1
    assert list(plt.gca().get_lines()[0].get_ydata()) == [0.0, 1.0, 4.0]


def test_plot_of_one_series_draws_it_against_its_index_on_given_axes():
    _, ax = plt.subplots()
    d2l.plot([5.0, 6.0], axes=ax)
    assert list(ax.get_lines()[0].get_xdata()) == [0, 1]


def test_plot_rejects_x_and_y_of_different_lengths():
    with pytest.raises(ValueError):
        d2l.plot([1, 2, 3], [1, 2])


def test_animator_takes_d2l_signature_and_draws_its_curves():
    animator = d2l.Animator("epoch", None, ["train", "test"], [1, 2], [0.3, 0.9], "linear", "linear",
                            ("-", "m--"), 1, 1, (3.5, 2.5))
    animator.add(1, (0.5, 0.6))
    animator.add(2, (0.4, 0.7))
    animator.show()
    ax = animator.axes
    assert len(ax.get_lines()) == 2 and ax.get_ylim() == (0.3, 0.9)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "test"]


def test_animator_rejects_a_grid_of_axes():
    with pytest.raises(ValueError, match="nrows and ncols must be 1"):
        d2l.Animator(nrows=2)


class FakeDisplay:
    """IPython.display.display with display_id=True and its handle: counts drawings."""

    def __init__(self):
        self.shown = []

    def __call__(self, fig, display_id=None):
        self.shown.append("display")
        return self

    def update(self, fig):
        self.shown.append("update")


def test_train_ch3_in_jupyter_redraws_one_figure_in_place_each_epoch(monkeypatch):
    import IPython.display

    import book.train

    fake = FakeDisplay()
    monkeypatch.setattr(book.train, "in_jupyter", lambda: True)
    monkeypatch.setattr(IPython.display, "display", fake)
    net, updater = scratch_model()
    d2l.train_ch3(net, toy_data(), toy_data(seed=1), cross_entropy, 3, updater)
    assert fake.shown == ["display", "update", "update"]


def test_train_ch3_returns_none_so_a_notebook_cell_shows_no_output_line():
    net, updater = scratch_model()
    assert d2l.train_ch3(net, toy_data(), toy_data(seed=1), cross_entropy, 3, updater) is None


def test_train_ch3_draws_three_curves_on_d2l_axes():
    net, updater = scratch_model()
    d2l.train_ch3(net, toy_data(), toy_data(seed=1), cross_entropy, 4, updater)
    (number,) = plt.get_fignums()
    ax = plt.figure(number).axes[0]
    assert ax.get_ylim() == (0.3, 0.9) and ax.get_xlim() == (1, 4) and ax.get_xlabel() == "epoch"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train loss", "train acc", "test acc"]
    assert list(ax.get_lines()[2].get_xdata()) == [1.0, 2.0, 3.0, 4.0]


def test_train_ch3_trains_a_module_with_a_torch_optimizer():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Flatten(), nn.Linear(2, 2))
    trainer = torch.optim.SGD(net.parameters(), lr=0.5)
    d2l.train_ch3(net, toy_data(), toy_data(seed=1), nn.CrossEntropyLoss(reduction="none"), 3, trainer)
    assert d2l.evaluate_accuracy(net, toy_data(seed=1)) == 1.0


def test_train_ch3_fails_when_the_train_loss_stays_high():
    net, _ = scratch_model()
    with pytest.raises(AssertionError, match=r"final train loss 0\.6931 is not < 0\.5"):
        d2l.train_ch3(net, toy_data(), toy_data(seed=1), cross_entropy, 2, lambda batch_size: None)


def test_train_ch3_fails_when_the_train_accuracy_stays_low():
    net, _ = scratch_model()

    def zero_loss(y_hat, y):
        return (y_hat * 0).sum(dim=1)

    with pytest.raises(AssertionError, match=r"train accuracy 0\.5000 is not > 0\.7"):
        d2l.train_ch3(net, toy_data(), toy_data(seed=1), zero_loss, 2, lambda batch_size: None)


def test_train_ch3_fails_when_the_test_accuracy_stays_low():
    net, updater = scratch_model()
    with pytest.raises(AssertionError, match=r"test accuracy 0\.0000 is not > 0\.7"):
        d2l.train_ch3(net, toy_data(), toy_data(seed=1, flip=True), cross_entropy, 3, updater)


def fashion_like_batches():
    X = torch.zeros(8, 1, 28, 28)
    X[:, 0, 0, 0] = torch.arange(8.0)  # each image says which class to predict
    return [(X, torch.tensor([0, 1, 2, 3, 4, 5, 6, 9]))]


def predict_from_pixel(X):
    return torch.nn.functional.one_hot(X[:, 0, 0, 0].long(), 10).float()


def test_predict_ch3_returns_none_and_titles_true_then_predicted():
    assert d2l.predict_ch3(predict_from_pixel, fashion_like_batches(), n=8) is None
    titles = [ax.get_title() for ax in plt.gcf().axes]
    assert titles[:2] == ["t-shirt\nt-shirt", "trouser\ntrouser"] and titles[7] == "ankle boot\nsneaker"


def test_predict_ch3_shows_six_images_by_default():
    d2l.predict_ch3(predict_from_pixel, fashion_like_batches())
    assert len(plt.gcf().axes) == 6


