"""book.softmax: the softmax operator, cross-entropy, accuracy; and the chapter that shows them."""

from __future__ import annotations

import math

import pytest
import torch

from book import accuracy, cross_entropy, evaluate_accuracy, softmax
from book_structure import CHAPTERS, code_cells, load, source


def test_softmax_rows_are_probabilities():
    P = softmax(torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]))
    assert torch.all(P >= 0)
    assert torch.allclose(P.sum(dim=1), torch.ones(2))
    assert torch.allclose(P[1], torch.full((3,), 1 / 3))


def test_softmax_matches_torch():
    X = torch.randn(5, 7)
    assert torch.allclose(softmax(X), torch.softmax(X, dim=1))


def test_softmax_is_stable_for_large_logits():
    assert softmax(torch.tensor([[1000.0, 0.0]])).tolist() == [[1.0, 0.0]]
    assert not torch.isnan(softmax(torch.tensor([[-1000.0, 1000.0, 999.0]]))).any()


def test_softmax_is_unchanged_by_adding_a_constant_to_a_row():
    X = torch.randn(3, 4)
    assert torch.allclose(softmax(X), softmax(X + torch.tensor([[5.0], [-7.0], [100.0]])))


def test_cross_entropy_is_minus_log_of_the_true_class_probability():
    y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    loss = cross_entropy(y_hat, torch.tensor([0, 2]))
    assert loss.shape == (2,)
    assert torch.allclose(loss, torch.tensor([-math.log(0.1), -math.log(0.5)]))


def test_cross_entropy_matches_torch_on_logits():
    logits, y = torch.randn(6, 4), torch.tensor([0, 1, 2, 3, 0, 1])
    expected = torch.nn.functional.cross_entropy(logits, y, reduction="none")
    assert torch.allclose(cross_entropy(softmax(logits), y), expected, atol=1e-6)


def test_accuracy_counts_correct_predictions_as_a_float():
    y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    correct = accuracy(y_hat, torch.tensor([0, 2]))
    assert correct == 1.0 and isinstance(correct, float)


def test_accuracy_accepts_predicted_classes():
    assert accuracy(torch.tensor([2, 1, 0]), torch.tensor([2, 1, 1])) == 2.0


def batches():
    X = torch.eye(4)
    return [(X[:2], torch.tensor([0, 1])), (X[2:], torch.tensor([2, 0]))]


def test_evaluate_accuracy_is_the_fraction_correct_over_all_batches():
    assert evaluate_accuracy(lambda X: X, batches()) == 0.75


def test_evaluate_accuracy_weighs_every_example_alike_not_every_batch():
    """3 of 3 right in a full batch, 0 of 2 in a short last one: 3/5, where a mean of batch accuracies says 1/2."""
    X = torch.eye(5)
    uneven = [(X[:3], torch.tensor([0, 1, 2])), (X[3:], torch.tensor([0, 0]))]
    assert evaluate_accuracy(lambda X: X, uneven) == 0.6


def test_evaluate_accuracy_puts_a_module_in_eval_mode_and_records_no_graph():
    grad_enabled = []

    class Net(torch.nn.Module):
        def forward(self, X):
            grad_enabled.append(torch.is_grad_enabled())
            return X

    net = Net()
    evaluate_accuracy(net, batches())
    assert not net.training and grad_enabled == [False, False]


@pytest.mark.parametrize("name", [
    "softmax", "cross_entropy", "accuracy", "evaluate_accuracy",
    "Accumulator", "train_epoch_ch3", "train_ch3", "predict_ch3",
])
def test_scratch_chapter_shows_the_helper_in_a_save_cell(name):
    """The from-scratch chapter teaches these; test_chapters checks they equal book's."""
    cells = code_cells(load(CHAPTERS / "softmax-regression-scratch.ipynb"))
    saved = "\n".join(source(c) for c in cells if source(c).startswith("#@save"))
    assert f"def {name}(" in saved or f"class {name}:" in saved


def test_accuracy_of_two_class_scores_takes_the_larger():
    assert accuracy(torch.tensor([[0.2, 0.8], [0.9, 0.1], [0.4, 0.6]]), torch.tensor([1, 0, 0])) == 2.0


@pytest.mark.parametrize("y_hat, y", [
    (torch.tensor([[0.0], [1.0], [2.0]]), torch.tensor([0, 1, 2])),   # one column: would broadcast to 3 x 3
    (torch.zeros(3, 2, 2), torch.tensor([0, 1, 1])),
    (torch.zeros(3, 2), torch.tensor([[0], [1], [1]])),
])
def test_accuracy_refuses_shapes_that_would_broadcast(y_hat, y):
    with pytest.raises(ValueError, match="expected y_hat of shape"):
        accuracy(y_hat, y)
