"""Softmax regression from scratch, trained twice in one run: book's in-memory pipeline vs DataLoader.

Both runs use the same model (W ~ N(0, 0.01²) of shape 784x10, b = 0, re-seeded), batch size 256,
learning rate 0.1, 10 epochs and the same loop, ``book.train_ch3``:

(a) ``book.load_data_fashion_mnist(256)``: the images are tensors in memory, a batch is an index;
(b) the conventional pipeline: ``torchvision.datasets.FashionMNIST`` with ``transforms.ToTensor()``
    and ``DataLoader(batch_size=256, num_workers=2)``, shuffling the training set.

Run (b) shuffles exactly as (a) does — a fresh ``torch.randperm`` from the global generator on each
pass, with the loaders' worker seeds drawn from generators of their own — so both runs see the
same minibatches in the same order and must end with the same accuracy: only the pipeline differs.

It prints each wall time (data loading and training together), their ratio (a)/(b) and both test
accuracies. Target: ratio <= 0.05 and both accuracies >= 0.83. For reference it also times one
pass of each pipeline over the training set alone, without any training: the training loop's own
compute is the same in both runs and bounds the ratio from below.

    .venv/bin/python benchmarks/softmax_training.py [--epochs 10] [--threads 1]
"""

from __future__ import annotations

import argparse
import time

import matplotlib

matplotlib.use("Agg")  # train_ch3 draws its figure once, off screen

import torch
from torch.utils import data

import book

BATCH_SIZE, LR = 256, 0.1


class GlobalRandperm(data.Sampler):
    """Shuffle as book's batches do: a new torch.randperm(n) from the global generator per pass."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __iter__(self):
        return iter(torch.randperm(self.n).tolist())


def conventional_iters(batch_size: int, num_workers: int):
    """(train_iter, test_iter) the usual way: a PIL image per example, ToTensor, worker processes."""
    from torchvision import datasets, transforms

    root = str(book.fashion_mnist_root())
    trans = transforms.ToTensor()
    train = datasets.FashionMNIST(root, train=True, transform=trans, download=False)
    test = datasets.FashionMNIST(root, train=False, transform=trans, download=False)
    # Own generators for the worker seeds, so that only the sampler draws from the global one.
    return (data.DataLoader(train, batch_size, sampler=GlobalRandperm(len(train)),
                            num_workers=num_workers, generator=torch.Generator()),
            data.DataLoader(test, batch_size, shuffle=False, num_workers=num_workers,
                            generator=torch.Generator()))


def train_softmax_scratch(train_iter, test_iter, num_epochs: int, seed: int = 0):
    """Train the from-scratch model of the chapter; return (train loss, train acc, test acc)."""
    book.seed_everything(seed)
    W = torch.normal(0, 0.01, size=(784, 10), requires_grad=True)
    b = torch.zeros(10, requires_grad=True)

    def net(X):
        return book.softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)

    def updater(batch_size):
        return book.sgd([W, b], LR, batch_size)

    return book.train_ch3(net, train_iter, test_iter, book.cross_entropy, num_epochs, updater)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="DataLoader workers of run (b)")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads of the main process (1: fastest for this small model)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"softmax regression from scratch: batch {BATCH_SIZE}, lr {LR}, {args.epochs} epochs, "
          f"{args.threads} torch thread(s); torch {torch.__version__}")

    timer = book.Timer()
    train_iter, test_iter = book.load_data_fashion_mnist(BATCH_SIZE)
    _, _, acc_book = train_softmax_scratch(train_iter, test_iter, args.epochs)
    t_book = timer.stop()
    print(f"(a) book pipeline + train_ch3:          {t_book:8.2f} s, test accuracy {acc_book:.4f}")

    timer.start()
    train_iter, test_iter = conventional_iters(BATCH_SIZE, args.workers)
    _, _, acc_loader = train_softmax_scratch(train_iter, test_iter, args.epochs)
    t_loader = timer.stop()
    print(f"(b) DataLoader + ToTensor, {args.workers} workers: {t_loader:8.2f} s, "
          f"test accuracy {acc_loader:.4f}")

    ratio = t_book / t_loader
    print(f"ratio (a)/(b): {ratio:.4f} (target <= 0.05)")

    passes = {}
    for name, (loader, _) in [("book", book.load_data_fashion_mnist(BATCH_SIZE)),
                              ("DataLoader", conventional_iters(BATCH_SIZE, args.workers))]:
        timer.start()
        for _ in loader:
            pass
        passes[name] = timer.stop()
    print(f"data only, one pass over the training set: book {passes['book']:.2f} s, DataLoader "
          f"{passes['DataLoader']:.2f} s, ratio {passes['book'] / passes['DataLoader']:.4f}")
    ok = ratio <= 0.05 and min(acc_book, acc_loader) >= 0.83
    print("targets met" if ok else "targets NOT met")


if __name__ == "__main__":
    main()
