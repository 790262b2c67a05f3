"""Checks of the code exercises of "Softmax regression from scratch" (chapters/softmax-regression-scratch.ipynb)."""

import torch

from book.exercise_checks import Exercise


def confidences_and_outcomes(confidence, correct, y_test):
    """confidence: (n,) the largest predicted probability per test image; correct: (n,) 1.0 or 0.0."""
    for name, values in (("confidence", confidence), ("correct", correct)):
        assert isinstance(values, torch.Tensor) and tuple(values.shape) == tuple(y_test.shape), (
            f"{name} should have one number per test image, shape {tuple(y_test.shape)} like y_test")
    assert bool(((correct == 0) | (correct == 1)).all()), "correct should be 1.0 where the prediction is right, else 0.0"
    assert float(confidence.min()) >= 0.1 - 1e-6 and float(confidence.max()) <= 1 + 1e-6, (
        "confidence should be the largest of the 10 predicted probabilities, so between 0.1 and 1")


def confidences_of_the_trained_model(confidence, correct, net, X_test, y_test):
    """confidence, correct: (n,); net, X_test, y_test: the chapter's model and test set."""
    with torch.no_grad():
        probs = net(X_test)
    assert torch.allclose(confidence.float(), probs.max(dim=1).values, atol=1e-5), (
        "confidence is not the largest predicted probability of each test image: "
        "predict X_test with net (probabilities, not logits)")
    assert torch.equal(correct.float(), (probs.argmax(dim=1) == y_test).float()), (
        "correct should compare the predicted class (the most probable one) with y_test")


def templates_of_the_classes(templates, W):
    """templates: (10, 28, 28), column j of W as an image; W: (784, 10)."""
    assert isinstance(templates, torch.Tensor) and tuple(templates.shape) == (10, 28, 28), (
        "templates should be 10 images of 28 × 28 pixels, one per class")
    assert torch.allclose(templates.detach().float(), W.detach().T.reshape(10, 28, 28), atol=1e-6), (
        "templates[j].flatten() should equal W[:, j], the weights of class j")


EXERCISES = (
    Exercise("scratch-ex-calibration", answers={
        "confidence": "the largest predicted probability of each test image",
        "correct": "1.0 where the predicted class of a test image is right, else 0.0"},
             public=(confidences_and_outcomes, confidences_of_the_trained_model)),
    Exercise("scratch-ex-weights", answers={
        "templates": "a tensor of shape (10, 28, 28): column j of W as a 28 × 28 image, for each class j"},
             public=(templates_of_the_classes,)),
)
