"""The book's structure, read from ``_toc.yml`` in one place: by the tools, the tests and the Makefile.

    python tools/toc.py            # every page, root first, in reading order
    python tools/toc.py --chapters # the chapter notebooks (what `make outputs` executes)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from artifacts import ROOT, parser, run

TOC = ROOT / "_toc.yml"


def read_toc(path: Path = TOC) -> dict:
    """``_toc.yml`` as a mapping."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def toc_files(path: Path = TOC) -> list[str]:
    """Every ``file:`` of the toc (without extension), the root first, in reading order, sections included."""
    toc = read_toc(path)
    files = [toc["root"]]

    def walk(entries) -> None:
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    walk(toc.get("sections"))
    return files


def toc_captions(path: Path = TOC) -> list[str]:
    """The captions of the toc's parts, in order."""
    return [part["caption"] for part in read_toc(path).get("parts", []) if "caption" in part]


def chapter_notebooks() -> list[Path]:
    """The pages of the toc that are notebooks in ``chapters/``, in reading order."""
    return [ROOT / f"{f}.ipynb" for f in toc_files() if f.startswith("chapters/") and (ROOT / f"{f}.ipynb").is_file()]


def chapter_numbers() -> dict[str, int]:
    """Each chapter notebook's number, 1 for the first, by its name (``linear-regression-scratch``):
    exercise 2 of chapter 4 is "Exercise 4.2" on the site, in the PDF, the notebooks and assignments."""
    return {path.stem: number for number, path in enumerate(chapter_notebooks(), start=1)}


def main(argv: Sequence[str] | None = None) -> int:
    options = parser(__doc__, "tools/toc.py")
    options.add_argument("--chapters", action="store_true", help="only the chapter notebooks, as paths")
    args = options.parse_args(argv)
    if args.chapters:
        print(" ".join(p.relative_to(ROOT).as_posix() for p in chapter_notebooks()))
    else:
        print("\n".join(toc_files()))
    return 0


if __name__ == "__main__":
    run(main, "tools/toc.py")
