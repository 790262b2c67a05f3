"""Checks of the code exercises of "Softmax regression" (chapters/softmax-regression.ipynb)."""

import math

import torch

from book.exercise_checks import Exercise


def hessian_shapes(hessian, formula):
    """hessian: (q, q) by autograd; formula: (q, q), diag(ŷ) − ŷŷᵀ for the same logits."""
    for name, matrix in (("hessian", hessian), ("formula", formula)):
        assert isinstance(matrix, torch.Tensor) and matrix.dim() == 2 and matrix.shape[0] == matrix.shape[1], (
            f"{name} should be a square matrix, one row and one column per logit")
    assert hessian.shape == formula.shape, "hessian and formula should have the same shape"


def hessian_matches_formula(hessian, formula):
    """hessian, formula: (q, q)."""
    assert torch.allclose(hessian.detach().double(), formula.detach().double(), atol=1e-6), (
        "the Hessian by autograd and your formula differ: ŷ is the softmax of the same logits the "
        "Hessian is taken at, and the formula is torch.diag(ŷ) minus the outer product of ŷ with itself")


def formula_is_positive_semidefinite(formula):
    """formula: (q, q)."""
    matrix = formula.detach().double()
    eigenvalues = torch.linalg.eigvalsh(matrix)
    assert bool((eigenvalues > -1e-6).all()), "formula has a negative eigenvalue: it should be a covariance matrix"
    assert torch.allclose(matrix @ torch.ones(len(matrix), dtype=matrix.dtype),
                          torch.zeros(len(matrix), dtype=matrix.dtype), atol=1e-6), (
        "the rows of formula should add up to 0: the loss does not change along (1, …, 1)")


def confidently_wrong_gradients(ce_grad, sq_grad):
    """ce_grad, sq_grad: (3,) gradients with respect to the logits (0, 10, 0), true class 0."""
    for name, grad in (("ce_grad", ce_grad), ("sq_grad", sq_grad)):
        assert isinstance(grad, torch.Tensor) and grad.numel() == 3, (
            f"{name} should be the gradient with respect to the 3 logits, a tensor of 3 numbers")
    assert abs(float(ce_grad.sum())) < 1e-5, (
        "the entries of ce_grad should add up to 0 (it is ŷ − y): take the gradient of "
        "F.cross_entropy of the logits themselves, not of their softmax")


def cross_entropy_keeps_its_gradient(ce_grad):
    """ce_grad: (3,) at the logits (0, 10, 0), true class 0."""
    norm = float(ce_grad.norm())
    assert abs(norm - math.sqrt(2)) < 1e-3, (
        f"|ce_grad| is {norm:.3f}: take ce_grad at the logits (0, 10, 0) with true class index 0, "
        "and clear o.grad between the two backward passes. To see what to expect, work out ŷ − y by hand: "
        "where does softmax put almost all of its probability, and where is the 1 of the label?")


def squared_loss_gradient_vanishes(sq_grad):
    """sq_grad: (3,) at the logits (0, 10, 0), true class 0."""
    assert float(sq_grad.norm()) < 1e-3, (
        "sq_grad is not small: take ½‖softmax(o) − one_hot(y)‖² at the gap 10, and clear o.grad first")


def imagenet_sizes(d, q, num_params):
    """d: inputs of a 224 × 224 colour image; q: classes; num_params: parameters of softmax regression."""
    assert all(isinstance(v, int) for v in (d, q, num_params)), "d, q and num_params should be whole numbers (int)"
    assert q == 1000, "q should be the number of ImageNet's classes"
    assert d == 224 * 224 * 3, (
        "d should be the number of input values of one image: how many numbers describe one pixel of a "
        "colour image?")
    assert num_params == d * q + q, (
        "num_params should count every parameter of the layer: a weight for each pair of an input and an "
        "output, and one bias per output")


def float16_limits(limits):
    """limits: dict, format name → (largest number, largest logit with finite exp, the next
    representable number of the format above that logit)."""
    assert isinstance(limits, dict) and {"float16", "bfloat16"} <= set(limits), (
        "limits should be a dict with a key per format, at least 'float16' and 'bfloat16'")
    for name, entry in limits.items():
        assert len(entry) == 3, (
            f"limits[{name!r}] should be (largest number, largest logit, next representable number above it)")
        largest, logit, next_up = (float(v) for v in entry)
        assert logit <= math.log(largest) < next_up, (
            f"for {name} the largest logit should be the last number of the format at or below "
            "log(largest number), and the third entry the next representable number of the format above "
            "it: step with torch.nextafter")
        dtype = getattr(torch, name, None)
        if isinstance(dtype, torch.dtype) and dtype.is_floating_point:
            o = torch.tensor(logit, dtype=dtype)
            assert float(o) == logit, (
                f"limits[{name!r}][1] is not a number of the format {name}: compute the logit in {name}")
            assert float(torch.nextafter(o, torch.tensor(math.inf, dtype=dtype))) == next_up, (
                f"limits[{name!r}][2] should be the next representable {name} number above the logit, "
                f"one step up: torch.nextafter of the logit towards +inf, in {name}")


def float16_limit_values(limits):
    """limits: dict as above."""
    assert 11 < float(limits["float16"][1]) < 11.1, "the float16 logit should be just below log(65504)"
    assert tuple(float(v) for v in limits["bfloat16"][1:]) == (88.5, 89.0), (
        "in bfloat16 the numbers near 88 are 0.5 apart: compute in bfloat16, not float32")


EXERCISES = (
    Exercise("softmax-ex-hessian", answers={
        "hessian": "the Hessian of the cross-entropy loss with respect to the logits, by autograd",
        "formula": "diag(ŷ) − ŷŷᵀ for the same logits"},
             public=(hessian_shapes, hessian_matches_formula), hidden=(formula_is_positive_semidefinite,)),
    Exercise("softmax-ex-squared", answers={
        "ce_grad": "the gradient of cross-entropy with respect to the logits (0, 10, 0), true class 0",
        "sq_grad": "the same for the squared loss on the softmax output"},
             public=(confidently_wrong_gradients, cross_entropy_keeps_its_gradient),
             hidden=(squared_loss_gradient_vanishes,)),
    Exercise("softmax-ex-params", answers={"d": "the number of inputs of one 224 × 224 colour image",
                                           "q": "the number of classes",
                                           "num_params": "the number of parameters of softmax regression"},
             public=(imagenet_sizes,)),
    Exercise("softmax-ex-float16", answers={
        "limits": "a dict: format name → (largest number, largest logit whose exp is finite, "
                  "the next representable number of the format above that logit)"},
             public=(float16_limits,), hidden=(float16_limit_values,)),
)
