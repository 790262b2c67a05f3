"""The chapter "Linear regression from scratch" shows, in ``#@save`` cells, every function it teaches.

``tests/test_chapters.py`` checks that each ``#@save`` definition equals ``book``'s; this test checks
that none of the five is missing, so deleting one from the chapter fails instead of passing silently.
"""

import ast

from book_structure import CHAPTERS, code_cells, load, source

SCRATCH = CHAPTERS / "linear-regression-scratch.ipynb"
TAUGHT = {"synthetic_data", "data_iter", "linreg", "squared_loss", "sgd"}


def saved_function_names(path) -> set[str]:
    """Names of the functions defined in the notebook's cells that start with ``#@save``."""
    names = set()
    for cell in code_cells(load(path)):
        text = source(cell)
        if text.startswith("#@save"):
            names |= {node.name for node in ast.parse(text).body if isinstance(node, ast.FunctionDef)}
    return names


def test_scratch_chapter_shows_all_five_functions_in_save_cells():
    missing = TAUGHT - saved_function_names(SCRATCH)
    assert not missing, f"linear-regression-scratch must show these in #@save cells: {sorted(missing)}"

