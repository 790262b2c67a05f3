"""Checks of the code exercises of "Softmax regression from scratch" (chapters/softmax-regression-scratch.ipynb)."""

import torch

from book.exercise_checks import Exercise


def eces_by_temperature(val_ece, best_T):
    """val_ece: {temperature T: the ECE on the validation images}; best_T: the T chosen."""
    assert isinstance(val_ece, dict) and len(val_ece) >= 3 and 1.0 in val_ece, (
        "val_ece should map each temperature tried, 1 among them, to its expected calibration error")
    assert all(0 <= float(e) <= 1 for e in val_ece.values()), (
        "an ECE is a weighted mean of gaps between two fractions, so it lies between 0 and 1")
    assert best_T == min(val_ece, key=val_ece.get), "best_T should be the temperature with the smallest validation ECE"


def ece_of_the_validation_images(val_ece, net, val_iter, edges):
    """val_ece[1.0]: the ECE of the model's own probabilities on the images of val_iter, binned by edges."""
    with torch.no_grad():
        batches = [(net(X), y) for X, y in val_iter]
    probs, y = torch.cat([p for p, _ in batches]), torch.cat([y for _, y in batches])
    confidence, predicted = probs.max(dim=1)
    correct = (predicted == y).float()
    bin_index = torch.bucketize(confidence, edges[1:-1])
    ece = 0.0
    for k in range(len(edges) - 1):
        in_bin = bin_index == k
        if in_bin.any():
            ece += float(in_bin.float().mean() * (correct[in_bin].mean() - confidence[in_bin].mean()).abs())
    assert abs(float(val_ece[1.0]) - ece) < 1e-4, (
        "val_ece[1] is not the ECE of the model's probabilities on the validation images (val_iter) with "
        "the bins of edges: weight each bin's |accuracy - mean confidence| by its share of the images, "
        "and choose on the validation images, not on the test images")


def templates_of_the_classes(templates, W):
    """templates: (10, 28, 28), column j of W as an image; W: (784, 10)."""
    assert isinstance(templates, torch.Tensor) and tuple(templates.shape) == (10, 28, 28), (
        "templates should be 10 images of 28 × 28 pixels, one per class")
    assert torch.allclose(templates.detach().float(), W.detach().T.reshape(10, 28, 28), atol=1e-6), (
        "templates[j].flatten() should equal W[:, j], the weights of class j")


EXERCISES = (
    Exercise("scratch-ex-temperature", answers={
        "val_ece": "a dict: each temperature tried (0.7, 0.8, 0.9, 1.0, 1.1, 1.25) → the ECE on the validation images",
        "best_T": "the temperature with the smallest validation ECE"},
             public=(eces_by_temperature,), hidden=(ece_of_the_validation_images,)),
    Exercise("scratch-ex-weights", answers={
        "templates": "a tensor of shape (10, 28, 28): column j of W as a 28 × 28 image, for each class j"},
             public=(templates_of_the_classes,)),
)
