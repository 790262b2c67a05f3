"""How long the whole book takes to execute: each chapter of _toc.yml in a fresh kernel, in order.

    .venv/bin/python benchmarks/book_execution.py            # every chapter
    .venv/bin/python benchmarks/book_execution.py NAME ...   # some chapters (file stems)

Target: the whole book in <= 120 s on a 2-core machine. Notebooks are executed from a copy;
the committed ones are not touched. A kernel's start (Python and torch imports) counts, since a
reader pays it too; one untimed kernel first imports torch and book, so that the first chapter
does not also pay for reading torch's libraries from disk after the machine was idle.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from book_structure import toc_notebooks  # noqa: E402

TARGET_S = 120.0


def execute(path: Path) -> float:
    """Seconds to run one notebook top to bottom in a new kernel, started in its folder."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def warm_up() -> None:
    """Import torch and book once in a kernel: the disk cache then holds their files."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import book, torch")])
    NotebookClient(notebook, timeout=600, kernel_name="python3").execute()


def main(names: list[str]) -> None:
    warm_up()
    chapters = [p for p in toc_notebooks() if not names or p.stem in names]
    unknown = set(names) - {p.stem for p in chapters}
    if unknown:
        raise SystemExit(f"not a chapter of _toc.yml: {', '.join(sorted(unknown))}")
    total = 0.0
    print(f"{'chapter':<32} {'seconds':>8}")
    for path in chapters:
        seconds = execute(path)
        total += seconds
        print(f"{path.stem:<32} {seconds:8.1f}", flush=True)
    print(f"{'total':<32} {total:8.1f}")
    if not names:
        verdict = "within" if total <= TARGET_S else "OVER"
        print(f"target: <= {TARGET_S:.0f} s for the whole book ({verdict} it on this machine, now)")


if __name__ == "__main__":
    main(sys.argv[1:])
