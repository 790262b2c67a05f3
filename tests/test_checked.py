"""book.checks: the argument checks that ``book`` adds above the plain code the chapters show.

The chapters show a from-scratch helper from its ``def`` on; ``book`` runs that code behind one
``@checked(...)`` line. These tests prove the checks still fire for bad input, for every checked
helper (the one place where those checks are tested), and that the decorator leaves the helper itself (name, docstring, signature, result) alone.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
import torch

import book
from book.checks import check_labels, checked
from test_chapters import SAVED


def checked_objects() -> dict[str, object]:
    """Every function or method of ``book`` that carries ``@checked``, by qualified name."""
    found = {}
    for module in pkgutil.iter_modules(book.__path__):
        if module.name == "__main__":
            continue
        for _, obj in vars(importlib.import_module(f"book.{module.name}")).items():
            members = vars(obj).values() if inspect.isclass(obj) else [obj]
            for member in members:
                if hasattr(member, "checks") and hasattr(member, "__wrapped__"):
                    found[member.__qualname__] = member
    return found


def scratch_net(X):
    return torch.softmax(X.reshape(len(X), -1)[:, :2], dim=1)


def batches():
    return [(torch.zeros(2, 2), torch.tensor([0, 1]))]


def updater(batch_size):
    pass


# (checked helper, a call with one bad argument, what the ValueError says)
BAD_CALLS = [
    ("data_iter", lambda: book.data_iter(0, torch.zeros(4, 1), torch.zeros(4)), "batch_size must be positive"),
    ("data_iter", lambda: book.data_iter(-5, torch.zeros(4, 1), torch.zeros(4)), "batch_size must be positive"),
    ("data_iter", lambda: book.data_iter(2, torch.zeros(4, 1), torch.zeros(3)), "differ in length: 4 != 3"),
    ("sgd", lambda: book.sgd([], -0.1, 10), "learning rate must be positive"),
    ("sgd", lambda: book.sgd([], 0.0, 10), "learning rate must be positive"),
    ("sgd", lambda: book.sgd([], 0.1, 0), "batch_size must be positive"),
    ("softmax", lambda: book.softmax(torch.ones(3)), r"shape \(n, q\)"),
    ("cross_entropy", lambda: book.cross_entropy(torch.full((2, 3), 1 / 3), torch.tensor([0, 3])),
     "labels must be class indices 0..2, got values from 0 to 3"),
    ("cross_entropy", lambda: book.cross_entropy(torch.full((2, 3), 1 / 3), torch.tensor([-1, 0])),
     "labels must be class indices 0..2"),
    ("cross_entropy", lambda: book.cross_entropy(torch.full((2, 3), 1 / 3), torch.tensor([0, 1, 2])),
     "2 rows but y has 3 labels"),
    ("accuracy", lambda: book.accuracy(torch.zeros(3, 2), torch.tensor([0, 1])), "3 rows but y has 2 labels"),
    ("accuracy", lambda: book.accuracy(torch.zeros(2, 3), torch.tensor([0, 5])), "labels must be class indices 0..2"),
    ("evaluate_accuracy", lambda: book.evaluate_accuracy(scratch_net, []), "data_iter yielded no examples"),
    ("Accumulator.add", lambda: book.Accumulator(3).add(1.0, 2.0), "sums 3 values, got 2"),
    ("train_epoch_ch3", lambda: book.train_epoch_ch3(scratch_net, [], book.cross_entropy, updater),
     "train_iter yielded no examples"),
    ("train_epoch_ch3", lambda: book.train_epoch_ch3(scratch_net, batches(), book.cross_entropy, 0.1),
     "updater must be"),
    ("train_ch3", lambda: book.train_ch3(scratch_net, batches(), batches(), book.cross_entropy, 2.0, updater),
     "num_epochs must be a positive int, got 2.0"),
    ("train_ch3", lambda: book.train_ch3(scratch_net, batches(), batches(), book.cross_entropy, True, updater),
     "num_epochs must be a positive int, got True"),
    ("train_ch3", lambda: book.train_ch3(scratch_net, batches(), batches(), book.cross_entropy, 0, updater),
     "num_epochs must be a positive int, got 0"),
    ("train_ch3", lambda: book.train_ch3(scratch_net, batches(), batches(), book.cross_entropy, -1, updater),
     "num_epochs must be a positive int, got -1"),
    ("predict_ch3", lambda: book.predict_ch3(scratch_net, batches(), n=0), "n must be a positive int"),
    ("predict_ch3", lambda: book.predict_ch3(scratch_net, batches(), n=-1), "n must be a positive int, got -1"),
    ("predict_ch3", lambda: book.predict_ch3(scratch_net, batches(), n=2.0), "n must be a positive int, got 2.0"),
    ("predict_ch3", lambda: book.predict_ch3(scratch_net, batches(), n=True), "n must be a positive int, got True"),
]


def test_every_checked_helper_of_the_scratch_chapters_has_a_bad_call_below():
    """Checked helpers of other chapters (e.g. book.fashion_mnist's) are tested in their own files."""
    scratch = {"linear-regression-scratch", "softmax-regression-scratch"}
    shown = {name for chapter, name, _ in SAVED if chapter in scratch}
    checked_shown = {name for name in checked_objects() if name.split(".")[0] in shown}
    assert checked_shown == {name for name, _, _ in BAD_CALLS}


@pytest.mark.parametrize("name, call, message", BAD_CALLS, ids=[f"{n}:{m[:30]}" for n, _, m in BAD_CALLS])
def test_the_check_fires_on_a_bad_argument(name, call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_generator_is_checked_when_called_not_when_first_read():
    with pytest.raises(ValueError, match="batch_size must be positive"):
        book.data_iter(-1, torch.zeros(4, 1), torch.zeros(4))  # no next() needed


def test_the_plain_code_without_its_checks_fails_late_or_silently():
    """Why the checks exist: the shown code picks a wrong column for a label -1 without a word."""
    y_hat = torch.tensor([[0.2, 0.8], [0.6, 0.4]])
    plain = book.cross_entropy.__wrapped__
    assert torch.allclose(plain(y_hat, torch.tensor([0, -1])), -torch.log(torch.tensor([0.2, 0.4])))
    with pytest.raises(ValueError):
        book.cross_entropy(y_hat, torch.tensor([0, -1]))


@pytest.mark.parametrize("name", sorted(checked_objects()))
def test_checked_keeps_name_docstring_and_signature(name):
    wrapper = checked_objects()[name]
    plain = wrapper.__wrapped__
    assert wrapper.__name__ == plain.__name__ and wrapper.__doc__ == plain.__doc__
    assert inspect.signature(wrapper) == inspect.signature(plain)


def test_checks_see_keyword_arguments_and_defaults():
    seen = []

    def check_n(n):
        seen.append(n)

    @checked(check_n)
    def f(x, n=6):
        return x * n

    assert f(2) == 12 and f(2, n=3) == 6 and f(x=1, n=4) == 4 and f(1, 5) == 5
    assert seen == [6, 3, 4, 5]


def test_checks_see_star_args_as_a_tuple_even_for_one_value():
    acc = book.Accumulator(1)
    acc.add(5)
    assert acc[0] == 5.0
    with pytest.raises(ValueError, match="sums 2 values, got 1"):
        book.Accumulator(2).add(5)


def test_the_check_runs_before_the_body():
    ran = []

    def check_x(x):
        raise ValueError("bad x")

    @checked(check_x)
    def f(x):
        ran.append(x)

    with pytest.raises(ValueError, match="bad x"):
        f(1)
    assert ran == []


def test_a_check_of_an_argument_the_function_does_not_take_fails_at_definition():
    with pytest.raises(TypeError, match="does not take"):
        @checked(check_labels)
        def f(y_hat, labels):
            pass


def test_check_labels_accepts_valid_labels_and_predicted_classes():
    check_labels(torch.zeros(3, 4), torch.tensor([0, 3, 2]))
    check_labels(torch.tensor([1, 0]), torch.tensor([1, 1]))  # (n,) predictions: q unknown
    check_labels(torch.zeros(0, 4), torch.tensor([], dtype=torch.long))
    with pytest.raises(ValueError, match="class indices 0..q-1"):
        check_labels(torch.tensor([1, 0]), torch.tensor([1, -1]))
