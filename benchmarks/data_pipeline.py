"""Time one pass over the Fashion-MNIST training set with several input pipelines, in one run.

1. The conventional one: ``torchvision.datasets.FashionMNIST(transform=ToTensor())`` read through a
   ``torch.utils.data.DataLoader`` (shuffled), with ``num_workers`` worker processes; every image
   becomes a PIL image, then a float tensor, one at a time, and the batch is collated from them.
2. The course's in-memory one: ``book.load_data_fashion_mnist``, a ``DataLoader`` too, over an
   ``InMemoryImages`` dataset that is indexed with a whole minibatch of indices at once (gathered
   and scaled by NumPy on one thread, on the CPU).
3. For reference, the same in-memory ``DataLoader`` with the batch gathered and scaled by torch
   (``images[indices].float() / 255``), which uses torch's thread pool.

Building the datasets (reading the files) is done before the clock starts. The ``DataLoader`` +
``ToTensor`` passes are timed ``--repeats`` times, the in-memory ones ``--memory-repeats`` times,
and the fastest of each is kept. Prints each time and the ratio in-memory / DataLoader; the
course's target is a ratio of at most 0.03. ``--threads`` sets torch's thread count (default:
torch's own); ``--busy N`` keeps N other processes spinning on the CPU during the measurement.

    .venv/bin/python benchmarks/data_pipeline.py [--batch-size 256] [--workers 0 2] [--repeats 1]
                                                 [--memory-repeats 5] [--threads 1] [--busy 1]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import time

import torch
from torch.utils import data

import book
from book.fashion_mnist import InMemoryImages, minibatch_loader

TARGET_RATIO = 0.03


class TorchIndexedImages(InMemoryImages):
    """The in-memory dataset with the batch gathered and scaled by torch (its thread pool)."""

    def __getitem__(self, indices):
        return self.images[indices].unsqueeze(-3).float() / 255, self.labels[indices]


def spin() -> None:
    """Keep one core busy (another process loading the CPU)."""
    while True:
        pass


def one_pass(batches) -> tuple[float, int]:
    """Seconds for one full pass over ``batches``, and the number of images seen."""
    start = time.perf_counter()
    seen = 0
    for X, y in batches:
        seen += len(y)
    return time.perf_counter() - start, seen


def best_of(repeats: int, make_batches) -> tuple[float, int]:
    """The fastest of ``repeats`` passes, each over a freshly made iterable (workers start anew)."""
    results = [one_pass(make_batches()) for _ in range(repeats)]
    return min(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 2],
                        help="num_workers settings of the DataLoader to time (default: 0 2)")
    parser.add_argument("--repeats", type=int, default=1, help="passes per DataLoader; the fastest counts")
    parser.add_argument("--memory-repeats", type=int, default=5,
                        help="passes per in-memory pipeline; the fastest counts")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's own)")
    parser.add_argument("--busy", type=int, default=0, help="other processes spinning during the run")
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)

    from torchvision import transforms
    from torchvision.datasets import FashionMNIST

    torch.manual_seed(0)
    root = str(book.fashion_mnist_root())
    dataset = FashionMNIST(root, train=True, transform=transforms.ToTensor(), download=False)
    train_iter, _ = book.load_data_fashion_mnist(args.batch_size)
    by_torch = minibatch_loader(TorchIndexedImages(dataset.data, dataset.targets), args.batch_size, True)
    busy = [multiprocessing.Process(target=spin, daemon=True) for _ in range(args.busy)]
    for process in busy:
        process.start()
    print(f"Fashion-MNIST training set: {len(dataset):,} images, batch size {args.batch_size}, "
          f"torch {torch.__version__}, {torch.get_num_threads()} torch threads, {os.cpu_count()} cores, "
          f"{args.busy} other busy processes")

    try:
        times = {}
        for workers in args.workers:
            seconds, seen = best_of(args.repeats, lambda: data.DataLoader(
                dataset, args.batch_size, shuffle=True, num_workers=workers))
            assert seen == len(dataset)
            times[f"DataLoader + ToTensor, num_workers={workers}"] = seconds
        memory = {}
        for name, loader in [("in memory (book.load_data_fashion_mnist)", train_iter),
                             ("in memory, batch made by torch (reference)", by_torch)]:
            seconds, seen = best_of(args.memory_repeats, lambda: loader)
            assert seen == len(dataset)
            memory[name] = seconds
    finally:
        for process in busy:
            process.terminate()

    width = max(len(name) for name in [*times, *memory]) + 2
    for name, seconds in [*times.items(), *memory.items()]:
        print(f"{name:<{width}} {seconds:8.3f} s")
    in_memory = memory["in memory (book.load_data_fashion_mnist)"]
    for name, seconds in times.items():
        print(f"ratio in-memory / {name}: {in_memory / seconds:.4f}")
    ratio = in_memory / min(times.values())
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ratio against the fastest DataLoader setting: {ratio:.4f} "
          f"({verdict} the target of at most {TARGET_RATIO})")


if __name__ == "__main__":
    main()
