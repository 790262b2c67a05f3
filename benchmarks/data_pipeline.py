"""Time one pass over the Fashion-MNIST training set with two input pipelines, in one run.

1. The conventional one: ``torchvision.datasets.FashionMNIST(transform=ToTensor())`` read through a
   ``torch.utils.data.DataLoader`` (shuffled), with ``num_workers`` worker processes; every image
   becomes a PIL image, then a float tensor, one at a time, and the batch is collated from them.
2. The course's in-memory one: ``book.load_data_fashion_mnist``, which keeps the images as one
   uint8 tensor and makes each minibatch by indexing it and scaling to [0, 1].

Building the datasets (reading the files) is done before the clock starts, for both. Each pass is
timed ``--repeats`` times and the fastest is kept. Prints each time and the ratio in-memory /
DataLoader; the course's target is a ratio of at most 0.03.

    .venv/bin/python benchmarks/data_pipeline.py [--batch-size 256] [--workers 0 2] [--repeats 1]
"""

from __future__ import annotations

import argparse
import time

import torch
from torch.utils import data

import book

TARGET_RATIO = 0.03


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
    parser.add_argument("--repeats", type=int, default=1, help="passes per pipeline; the fastest counts")
    args = parser.parse_args()

    from torchvision import transforms
    from torchvision.datasets import FashionMNIST

    torch.manual_seed(0)
    root = str(book.fashion_mnist_root())
    dataset = FashionMNIST(root, train=True, transform=transforms.ToTensor(), download=False)
    train_iter, _ = book.load_data_fashion_mnist(args.batch_size)
    print(f"Fashion-MNIST training set: {len(dataset):,} images, batch size {args.batch_size}, "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads")

    times = {}
    for workers in args.workers:
        seconds, seen = best_of(args.repeats, lambda: data.DataLoader(
            dataset, args.batch_size, shuffle=True, num_workers=workers))
        assert seen == len(dataset)
        times[f"DataLoader + ToTensor, num_workers={workers}"] = seconds

    seconds, seen = best_of(args.repeats, lambda: train_iter)
    assert seen == len(dataset)
    in_memory = seconds

    memory_name = "in memory (book.load_data_fashion_mnist)"
    width = max(len(name) for name in [*times, memory_name]) + 2
    for name, seconds in times.items():
        print(f"{name:<{width}} {seconds:8.3f} s")
    print(f"{memory_name:<{width}} {in_memory:8.3f} s")
    fastest_loader = min(times.values())
    ratio = in_memory / fastest_loader
    for name, seconds in times.items():
        print(f"ratio in-memory / {name}: {in_memory / seconds:.4f}")
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ratio against the fastest DataLoader setting: {ratio:.4f} "
          f"({verdict} the target of at most {TARGET_RATIO})")


if __name__ == "__main__":
    main()
