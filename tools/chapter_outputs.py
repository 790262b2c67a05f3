"""Re-execute chapters in place, so that their committed outputs are those of their code now.

    python tools/chapter_outputs.py chapters/setup.ipynb [chapters/… ]

Each notebook runs top to bottom in a fresh kernel (nbclient) from its own folder. What is saved
changes only where the code's output changed: no execution timestamps, and the lines a cell prints
as one output per stream (a kernel flushes them in pieces that differ from run to run). A cell that
fails stops the run and leaves the notebook as it was.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from artifacts import ToolError, parse, parser, run, write_if_changed  # noqa: E402

PROG = "chapter_outputs.py"


def execute(path: Path, timeout: int = 600) -> str:
    """The notebook at ``path`` executed, as the text to save."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False,
                            coalesce_streams=True, resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as error:
        raise ToolError(f"{path}: a cell failed, so the notebook was left as it was:\n{error}") from None
    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"  # as nbformat.write saves it


def main(argv: Sequence[str] | None = None) -> int:
    options = parser(__doc__, PROG)
    options.add_argument("notebooks", nargs="+", type=Path, help="the chapters to re-execute")
    options.add_argument("--timeout", type=int, default=600, help="seconds a cell may take (600)")
    args = parse(options, argv)
    if isinstance(args, int):
        return args
    for path in args.notebooks:
        if not path.is_file():
            raise ToolError(f"{path}: no such notebook")
        print(f"{path}: {'written' if write_if_changed(path, execute(path, args.timeout)) else 'unchanged'}")
    return 0


if __name__ == "__main__":
    run(main, PROG)
