"""Checks of the code exercises of "Linear regression, concisely" (chapters/linear-regression-concise.ipynb)."""

import torch

from book.exercise_checks import Exercise


def summed_run_shape(summed, scratch):
    """summed: (steps, 3) parameters after each step of the run with the summed loss."""
    assert isinstance(summed, torch.Tensor) and tuple(summed.shape) == tuple(scratch.shape), (
        f"summed should hold the parameters (w1, w2, b) after each step, shape {tuple(scratch.shape)} "
        "like scratch: use concise_run with loss_fn=nn.MSELoss(reduction=\"sum\")")


def summed_run_follows_scratch(summed, scratch):
    """summed: (steps, 3); scratch: (steps, 3), the from-scratch run with learning rate 0.03."""
    gap = (summed - scratch).abs().max().item()
    assert gap < 1e-6, (
        f"summed differs from the from-scratch run by up to {gap:.1e}, more than float rounding: "
        "by what factor does the gradient of the summed nn.MSELoss differ from the one sgd steps along "
        "(squared_loss, summed, then divided by the batch size)? The learning rate must make up for it")


def summed_run_converges(summed, true_w, true_b):
    """summed: (steps, 3); the chapter's true parameters."""
    target = torch.cat([true_w.reshape(-1), torch.tensor([float(true_b)])])
    assert bool(torch.isfinite(summed).all()) and (summed[-1] - target).abs().max().item() < 0.01, (
        "after the last step the parameters are not near true_w and true_b: is the learning rate too "
        "large for the summed loss?")


def weight_gradient(by_hand, net):
    """by_hand: the gradient of the weight by the formula; net: the chapter's trained model."""
    assert isinstance(by_hand, torch.Tensor) and by_hand.numel() == 2, (
        "by_hand should be a tensor with one number per weight, 2 in all")
    grad = net[0].weight.grad
    assert grad is not None, "net[0].weight.grad is None: run loss(net(X), y).backward() first"
    assert torch.allclose(grad.reshape(-1), by_hand.detach().reshape(-1), atol=1e-6), (
        "net[0].weight.grad and by_hand differ: clear the old gradients with trainer.zero_grad() before "
        "backward(), and use the same minibatch (epochs[0][0]) for both")


def weight_gradient_of_first_minibatch(by_hand, net, epochs):
    """by_hand: (2,); net; epochs: the chapter's fixed minibatches."""
    X, y = epochs[0][0]
    with torch.no_grad():
        expected = 2 / len(X) * ((net(X) - y) * X).sum(dim=0)
    assert torch.allclose(by_hand.detach().reshape(-1), expected.reshape(-1), atol=1e-6), (
        "by_hand is not the formula's gradient on the first minibatch, epochs[0][0]: "
        "2 / |B| times the sum of (ŷ − y) x over its examples")


def huber_runs_shape(huber, huber_matched, scratch):
    """huber, huber_matched: (steps, 3) parameters after each step with nn.HuberLoss()."""
    for name, run in (("huber", huber), ("huber_matched", huber_matched)):
        assert isinstance(run, torch.Tensor) and tuple(run.shape) == tuple(scratch.shape), (
            f"{name} should hold the parameters (w1, w2, b) after each step, shape {tuple(scratch.shape)} "
            "like scratch: use concise_run with loss_fn=nn.HuberLoss()")


def huber_is_slower(huber, concise_same_lr, true_w, true_b):
    """huber: with learning rate 0.03; concise_same_lr: nn.MSELoss with 0.03."""
    target = torch.cat([true_w.reshape(-1), torch.tensor([float(true_b)])])
    huber_error = (huber[-1] - target).abs().max().item()
    mse_error = (concise_same_lr[-1] - target).abs().max().item()
    assert huber_error > 10 * mse_error, (
        "with nn.HuberLoss() and learning rate 0.03 the parameters end about as close as with "
        "nn.MSELoss: train huber with learning rate 0.03, from the chapter's start (concise_run)")


def huber_matched_catches_up(huber_matched, true_w, true_b):
    """huber_matched: nn.HuberLoss() with the learning rate that matches nn.MSELoss with 0.03."""
    target = torch.cat([true_w.reshape(-1), torch.tensor([float(true_b)])])
    error = (huber_matched[-1] - target).abs().max().item()
    assert error < 1e-3, (
        f"huber_matched ends {error:.1e} from the true parameters, more than 0.001: in its quadratic "
        "zone Huber's loss is ½(ŷ − y)², so which learning rate makes its steps those of nn.MSELoss with 0.03?")


def huber_matched_as_close_as_mse(huber_matched, concise_same_lr, true_w, true_b):
    """huber_matched and concise_same_lr: (steps, 3)."""
    target = torch.cat([true_w.reshape(-1), torch.tensor([float(true_b)])])
    error = (huber_matched[-1] - target).abs().max().item()
    mse_error = (concise_same_lr[-1] - target).abs().max().item()
    assert error < 1.5 * mse_error, "huber_matched should end about as close as nn.MSELoss with 0.03"


def fast_runs(fast_scratch, fast_concise, scratch):
    """fast_scratch, fast_concise: (steps, 3), both trained with learning rate 1."""
    for name, run in (("fast_scratch", fast_scratch), ("fast_concise", fast_concise)):
        assert isinstance(run, torch.Tensor) and tuple(run.shape) == tuple(scratch.shape), (
            f"{name} should hold the parameters (w1, w2, b) after each step, shape {tuple(scratch.shape)} "
            "like scratch: use scratch_run and concise_run")


def scratch_converges_concise_diverges(fast_scratch, fast_concise, true_w, true_b):
    """fast_scratch: scratch_run(lr=1.0); fast_concise: concise_run(lr=1.0)."""
    target = torch.cat([true_w.reshape(-1), torch.tensor([float(true_b)])])
    assert (fast_scratch[-1] - target).abs().max().item() < 0.01, (
        "fast_scratch should end near the true parameters: train it with scratch_run and learning rate 1")
    last = fast_concise[-1]
    assert not bool(torch.isfinite(last).all()) or last.abs().max().item() > 1e6, (
        "fast_concise should run away: train it with concise_run (nn.MSELoss) and learning rate 1")


def concise_first_step_twice_as_long(fast_scratch, fast_concise, w_init):
    """The first steps of both runs, from the same start w_init."""
    start = torch.cat([w_init.reshape(-1), torch.zeros(1)])
    assert torch.allclose(fast_concise[0] - start, 2 * (fast_scratch[0] - start), rtol=1e-4, atol=1e-5), (
        "the first step of fast_concise should be twice that of fast_scratch: start both from w_init and "
        "train them on the same minibatches, with scratch_run and concise_run")


EXERCISES = (
    Exercise("concise-ex-sum", answers={
        "summed": "the parameters (w1, w2, b) after each step of concise_run with nn.MSELoss(reduction=\"sum\") "
                  "and the learning rate that makes it step like the from-scratch run scratch"},
             public=(summed_run_shape, summed_run_follows_scratch), hidden=(summed_run_converges,)),
    Exercise("concise-ex-grad", answers={
        "by_hand": "the gradient of the weight on the first minibatch, epochs[0][0], by the formula (2 numbers); "
                   "run trainer.zero_grad() and a backward pass of net's loss on that minibatch too, "
                   "so that net[0].weight.grad can be compared with it"},
             public=(weight_gradient,), hidden=(weight_gradient_of_first_minibatch,)),
    Exercise("concise-ex-huber", answers={
        "huber": "the parameters after each step of concise_run with nn.HuberLoss() and learning rate 0.03",
        "huber_matched": "the same with the learning rate that makes it step like nn.MSELoss with 0.03"},
             public=(huber_runs_shape, huber_is_slower, huber_matched_catches_up),
             hidden=(huber_matched_as_close_as_mse,)),
    Exercise("concise-ex-divergence", answers={
        "fast_scratch": "the parameters after each step of the from-scratch training (scratch_run) with learning rate 1",
        "fast_concise": "the same for the concise training (concise_run, nn.MSELoss)"},
             public=(fast_runs, scratch_converges_concise_diverges), hidden=(concise_first_step_twice_as_long,)),
)
