"""d2l-zh's softmax regression from scratch through ``book.d2l``, against d2l's own data pipeline.

Both runs train the model of d2l-zh's "softmax regression from scratch" the same way: O = XW + b with
W ~ N(0, 0.01²) of shape (784, 10) and b = 0, softmax, cross-entropy, minibatch SGD with learning
rate 0.1, batch size 256, 10 epochs, through ``book.d2l.train_ch3`` (the loop, its figure and its
checks). Only the data pipeline and torch's threads differ:

(a) ``from book import d2l``: ``d2l.load_data_fashion_mnist(256)`` (images in memory, verified
    files), one torch thread (set here, as ``book.setup_chapter`` does);
(b) what the ``d2l`` package does: ``torchvision.datasets.FashionMNIST`` with
    ``transforms.ToTensor()``, ``DataLoader(batch_size=256, shuffle=True, num_workers=4)`` for
    training and ``shuffle=False`` for testing, torch's default number of threads.

It prints each wall time (loading the data and training, from the first call), their ratio (a)/(b)
(target <= 0.05) and both final test accuracies, and the CPU time each run used (its own process
and its DataLoader workers): on a machine that other processes keep busy, wall times stretch with
the load, CPU times much less. Then, for (a), where the time goes in one epoch: one pass of the
data alone, the arithmetic alone on batches already in memory, the evaluation, and the figure. The
script also prints the load average and the number of CPUs.

    nice -n 10 .venv/bin/python benchmarks/d2l_softmax.py [--epochs 10]
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import matplotlib

matplotlib.use("Agg")  # the figure is drawn off screen

import torch  # noqa: E402

DEFAULT_THREADS = torch.get_num_threads()

from torch.utils import data  # noqa: E402

import book  # noqa: E402
from book import d2l  # noqa: E402

BATCH_SIZE, LR, NUM_INPUTS, NUM_OUTPUTS = 256, 0.1, 784, 10


def scratch_model(seed: int = 0):
    """The chapter's model and updater: net(X) = softmax(X W + b), W (784, 10), SGD with lr 0.1."""
    torch.manual_seed(seed)
    W = torch.normal(0, 0.01, size=(NUM_INPUTS, NUM_OUTPUTS), requires_grad=True)
    b = torch.zeros(NUM_OUTPUTS, requires_grad=True)

    def net(X):
        return book.softmax(d2l.matmul(d2l.reshape(X, (-1, W.shape[0])), W) + b)

    def updater(batch_size):
        return d2l.sgd([W, b], LR, batch_size)

    return net, updater


def d2l_style_iters(batch_size: int, workers: int):
    """(train_iter, test_iter) as the d2l package builds them: PIL images, ToTensor, worker processes."""
    from torchvision import datasets, transforms

    root = str(book.fashion_mnist_root())
    trans = transforms.ToTensor()
    train = datasets.FashionMNIST(root, train=True, transform=trans, download=False)
    test = datasets.FashionMNIST(root, train=False, transform=trans, download=False)
    return (data.DataLoader(train, batch_size, shuffle=True, num_workers=workers),
            data.DataLoader(test, batch_size, shuffle=False, num_workers=workers))


def cpu_seconds() -> float:
    """CPU time used so far by this process and its finished children (the DataLoader workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_training(make_iters, num_epochs: int) -> tuple[float, float, float]:
    """Load the data and train with d2l.train_ch3; return (wall s, CPU s, final test accuracy)."""
    start, cpu = time.perf_counter(), cpu_seconds()
    train_iter, test_iter = make_iters()
    net, updater = scratch_model()
    d2l.train_ch3(net, train_iter, test_iter, book.cross_entropy, num_epochs, updater)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    return seconds, cpu, d2l.evaluate_accuracy(net, test_iter)


class Lap:
    """Wall and CPU seconds of a block: ``with Lap(parts, name): ...`` stores them in parts[name]."""

    def __init__(self, parts: dict, name: str) -> None:
        self.parts, self.name = parts, name

    def __enter__(self):
        self.start, self.cpu = time.perf_counter(), cpu_seconds()

    def __exit__(self, *exc):
        self.parts[self.name] = (time.perf_counter() - self.start, cpu_seconds() - self.cpu)


def breakdown() -> dict[str, tuple[float, float]]:
    """(wall s, CPU s) of one epoch of (a), part by part."""
    parts: dict[str, tuple[float, float]] = {}
    with Lap(parts, "reading and verifying the files (once)"):
        train_iter, test_iter = d2l.load_data_fashion_mnist(BATCH_SIZE)
    with Lap(parts, "data: one pass over the training set"):
        batches = list(train_iter)
    net, updater = scratch_model()
    with Lap(parts, "arithmetic: train_epoch_ch3 on batches in memory"):
        d2l.train_epoch_ch3(net, batches, book.cross_entropy, updater)
    with Lap(parts, "evaluation: test accuracy (data and arithmetic)"):
        d2l.evaluate_accuracy(net, test_iter)
    with Lap(parts, "figure: 10 points, one drawing (once per run)"):
        animator = d2l.Animator(xlabel="epoch", xlim=[1, 10], ylim=[0.3, 0.9],
                                legend=["train loss", "train acc", "test acc"])
        for epoch in range(10):
            animator.add(epoch + 1, (0.5, 0.8, 0.8))
        animator.show()
        animator.fig.canvas.draw()
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4, help="DataLoader workers of run (b)")
    args = parser.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"softmax regression from scratch, W {NUM_INPUTS}x{NUM_OUTPUTS}: batch {BATCH_SIZE}, "
          f"lr {LR}, {args.epochs} epochs; torch {torch.__version__}; {os.cpu_count()} CPUs, "
          f"load average {load} at the start")

    torch.set_num_threads(1)
    t_book, cpu_book, acc_book = timed_training(lambda: d2l.load_data_fashion_mnist(BATCH_SIZE),
                                                args.epochs)
    print(f"(a) book.d2l.load_data_fashion_mnist, 1 thread:     {t_book:7.2f} s wall, "
          f"{cpu_book:7.2f} s CPU, test accuracy {acc_book:.4f}")

    torch.set_num_threads(DEFAULT_THREADS)
    t_d2l, cpu_d2l, acc_d2l = timed_training(lambda: d2l_style_iters(BATCH_SIZE, args.workers),
                                             args.epochs)
    print(f"(b) DataLoader + ToTensor, {args.workers} workers, {DEFAULT_THREADS} thread(s): "
          f"{t_d2l:7.2f} s wall, {cpu_d2l:7.2f} s CPU, test accuracy {acc_d2l:.4f}")
    ratio = t_book / t_d2l
    print(f"ratio (a)/(b): {ratio:.4f} wall (target <= 0.05: {'met' if ratio <= 0.05 else 'NOT met'}), "
          f"{cpu_book / cpu_d2l:.4f} CPU")

    torch.set_num_threads(1)
    parts = breakdown()
    print("where the time of (a) goes, one epoch (wall, CPU):")
    for name, (seconds, cpu) in parts.items():
        print(f"  {name:<52} {seconds * 1000:8.1f} ms {cpu * 1000:8.1f} ms")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average {load} at the end")


if __name__ == "__main__":
    main()
