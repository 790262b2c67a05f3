"""Checks of the code exercises of "Softmax regression, concisely" (chapters/softmax-regression-concise.ipynb)."""

import math

import torch

from book.exercise_checks import Exercise


def batch_losses_by_formula(O, y, by_formula):
    """O: (n, 10) the trained model's logits for a batch of test images; y: (n,) labels; by_formula: (n,)."""
    assert isinstance(O, torch.Tensor) and O.dim() == 2 and O.shape[1] == 10, (
        "O should be the logits of a batch of images, one row per image and one column per class")
    assert isinstance(y, torch.Tensor) and tuple(y.shape) == (len(O),), "y should hold one label per row of O"
    assert isinstance(by_formula, torch.Tensor) and tuple(by_formula.shape) == (len(O),), (
        "by_formula should hold one loss per image, shape (n,): LSE over each row minus that row's true logit")


def formula_matches_cross_entropy(O, y, by_formula):
    """O: (n, 10); y: (n,); by_formula: (n,)."""
    expected = torch.nn.functional.cross_entropy(O.detach(), y, reduction="none")
    assert torch.allclose(by_formula.detach().double(), expected.double(), atol=1e-5), (
        "by_formula differs from the cross-entropy of O: is the LogSumExp taken over each row (the "
        "classes), and is it the true class's logit of each row that you subtract?")


def loss_at_least_the_margin(O, y, by_formula):
    """LSE(o) ≥ max(o), so the loss is at least max(o) − o_y."""
    margin = O.detach().max(dim=1).values - O.detach()[range(len(y)), y]
    assert bool((by_formula.detach() >= margin - 1e-5).all()), "some loss is below max(o) − o_y"


def precision_and_recall(precision, recall, confusion):
    """precision, recall: (10,) per class; confusion: (10, 10), rows true classes, columns predictions."""
    for name, values in (("precision", precision), ("recall", recall)):
        assert isinstance(values, torch.Tensor) and tuple(values.shape) == (10,), (
            f"{name} should hold one number per class, 10 in all")
        assert bool(((values >= 0) & (values <= 1)).all()), f"{name} should be fractions, between 0 and 1"
    correct = confusion.diagonal().double()
    assert torch.allclose(recall.double(), correct / confusion.sum(dim=1), atol=1e-6), (
        "recall is not right: divide each class's correct predictions by the number of its images, "
        "the sum of its row of confusion (rows are the true classes)")
    assert torch.allclose(precision.double(), correct / confusion.sum(dim=0), atol=1e-6), (
        "precision is not right: divide each class's correct predictions by the number of images "
        "predicted as that class, the sum of its column of confusion")


def lse_bounds(O_test, excess, y_test):
    """O_test: (n, 10) logits of the whole test set; excess: (n,) LSE(o) − max(o) per image."""
    assert isinstance(O_test, torch.Tensor) and tuple(O_test.shape) == (len(y_test), 10), (
        f"O_test should hold the logits of every test image, shape ({len(y_test)}, 10)")
    assert isinstance(excess, torch.Tensor) and tuple(excess.shape) == (len(y_test),), (
        "excess should hold one number per test image")
    assert bool((excess >= -1e-5).all()) and bool((excess <= math.log(10) + 1e-6).all()), (
        "excess should lie between 0 and log 10: torch.logsumexp of each row minus the row's maximum")


def excess_of_these_logits(O_test, excess):
    """excess is LSE − max of the rows of O_test."""
    expected = torch.logsumexp(O_test, dim=1) - O_test.max(dim=1).values
    assert torch.allclose(excess.detach().double(), expected.double(), atol=1e-5), (
        "excess is not LSE(o) − max(o) of the rows of O_test")


EXERCISES = (
    Exercise("concise-ex-lse", answers={
        "O": "the trained model's logits for one batch of test images",
        "y": "the labels of that batch",
        "by_formula": "LSE(o) − o_y for each image of the batch, with torch.logsumexp"},
             public=(batch_losses_by_formula, formula_matches_cross_entropy), hidden=(loss_at_least_the_margin,)),
    Exercise("concise-ex-precision", answers={"precision": "the precision of each class, a tensor of 10",
                                              "recall": "the recall of each class, a tensor of 10"},
             public=(precision_and_recall,)),
    Exercise("concise-ex-lse-bounds", answers={
        "O_test": "the trained model's logits for every test image",
        "excess": "LSE(o) − max(o) for each test image"},
             public=(lse_bounds,), hidden=(excess_of_these_logits,)),
)
