"""Run the PyTorch code blocks of d2l-zh's chapter_linear-networks with ``from book import d2l``.

Usage::

    .venv/bin/python benchmarks/d2l_chapter_blocks.py PATH/TO/d2l-zh [chapter ...]

``PATH/TO/d2l-zh`` is a checkout of https://github.com/d2l-ai/d2l-zh (this script holds none of its
code). For each chapter, the ``{.python .input}`` blocks whose ``#@tab`` line names ``pytorch`` or
``all`` are taken in order, the line ``from d2l import torch as d2l`` becomes ``from book import d2l``
(nothing else changes), and the blocks run as the cells of one notebook in one Jupyter kernel
(matplotlib's inline backend, as a reader sees them). A few blocks of the chapter "image
classification dataset" call torchvision with ``root="../data"`` themselves (not through ``d2l``):
the kernel runs in a temporary folder whose ``../data`` links to the Fashion-MNIST that ``book``
found and verified, the layout a d2l-zh reader has. The script prints, per chapter, how many
blocks ran without an error, the first error, the blocks that left an output line (``Out[n]``),
the number of figures shown and the chapter's wall time. It exits with status 1 when any block failed.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

CHAPTERS = (
    "linear-regression",
    "linear-regression-scratch",
    "linear-regression-concise",
    "image-classification-dataset",
    "softmax-regression-scratch",
    "softmax-regression-concise",
)
D2L_IMPORT = "from d2l import torch as d2l"
BOOK_IMPORT = "from book import d2l"
FENCE = re.compile(r"^```\{\.python \.input[^}]*\}\s*$")


def pytorch_blocks(markdown: str) -> list[str]:
    """The code of the blocks a PyTorch reader runs, in order, the import line replaced."""
    blocks, lines, i = [], markdown.splitlines(), 0
    while i < len(lines):
        if not FENCE.match(lines[i]):
            i += 1
            continue
        j = i + 1
        while not lines[j].startswith("```"):
            j += 1
        body = lines[i + 1:j]
        i = j + 1
        if not body or not body[0].startswith("#@tab"):
            continue  # a block without #@tab is MXNet's
        tabs = {t.strip() for t in body[0][len("#@tab"):].split(",")}
        if tabs & {"pytorch", "all"}:
            code = "\n".join(body[1:])
            if D2L_IMPORT in code:
                code = code.replace(D2L_IMPORT, BOOK_IMPORT)
            blocks.append(code)
    return blocks


def run_chapter(path: Path, workdir: Path, timeout: int = 600) -> dict:
    """Execute one chapter's PyTorch blocks as one notebook in workdir; return what happened."""
    import nbformat
    from nbclient import NotebookClient

    blocks = pytorch_blocks(path.read_text(encoding="utf-8"))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code) for code in blocks]
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(workdir)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    errors, results, figures = [], [], 0
    for n, cell in enumerate(nb.cells, start=1):
        for out in cell.outputs:
            if out.output_type == "display_data" and any(k.startswith("image/") for k in out.data):
                figures += 1
            if out.output_type == "error":
                errors.append((n, f"{out.ename}: {out.evalue}"))
            elif out.output_type == "execute_result":
                text = out.get("data", {}).get("text/plain", "")
                results.append((n, text.splitlines()[0] if text else "(no text)"))
    return {"blocks": len(blocks), "errors": errors, "results": results, "figures": figures,
            "seconds": seconds}


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    import os
    import shutil
    import tempfile

    import book

    root = Path(argv[0]) / "chapter_linear-networks"
    chapters = argv[1:] or CHAPTERS
    tmp = Path(tempfile.mkdtemp(prefix="d2l-blocks-"))
    (tmp / "data").symlink_to(book.fashion_mnist_root(), target_is_directory=True)
    workdir = tmp / "chapter_linear-networks"
    workdir.mkdir()
    repo = str(Path(__file__).resolve().parents[1])  # so that the kernel imports this book
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [repo, os.environ.get("PYTHONPATH")]))
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    failed = total = ran = 0
    try:
        for name in chapters:
            report = run_chapter(root / f"{name}.md", workdir)
            ok = report["blocks"] - len({n for n, _ in report["errors"]})
            total += report["blocks"]
            ran += ok
            print(f"{name}: {ok} of {report['blocks']} blocks ran without an error "
                  f"({report['figures']} figures, {report['seconds']:.1f} s)")
            for n, message in report["errors"][:1]:
                print(f"  first error in block {n}: {message}")
            for n, text in report["results"]:
                print(f"  block {n} shows Out: {text[:100]}")
            failed += bool(report["errors"])
    finally:
        shutil.rmtree(tmp)  # removes the link to the data, not the data
    print(f"all chapters: {ran} of {total} blocks ran without an error")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
