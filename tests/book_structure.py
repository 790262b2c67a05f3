"""What the tests know about the book's structure: the chapters in _toc.yml and their cells."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"

sys.path.insert(0, str(ROOT / "tools"))
from toc import toc_files  # noqa: E402,F401  (the one reader of _toc.yml, shared with the tools)


def toc_notebooks() -> list[Path]:
    return [ROOT / f"{f}.ipynb" for f in toc_files() if (ROOT / f"{f}.ipynb").exists()]


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def code_cells(notebook: dict) -> list[dict]:
    return [c for c in notebook["cells"] if c["cell_type"] == "code"]


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
