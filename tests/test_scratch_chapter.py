"""The from-scratch chapters' ``#@save`` cells: complete, and as plain as D2L's.

``tests/test_chapters.py`` checks that each ``#@save`` definition equals ``book``'s; these tests check
that none of the five functions of "Linear regression from scratch" is missing (deleting one fails
instead of passing silently), and that no shown definition carries type hints or argument checks.
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



def test_shown_code_is_plain_no_type_hints_and_no_argument_checks():
    """What a student reads is as plain as D2L's: checks live in book's ``@checked`` lines (book.checks)."""
    from test_chapters import SAVED

    heavy = []
    for chapter, name, shown in SAVED:
        for node in ast.walk(ast.parse(shown)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                args += [a for a in (node.args.vararg, node.args.kwarg) if a]
                if node.returns or any(a.annotation for a in args):
                    heavy.append(f"{chapter}:{name}: type hints in {node.name}")
            if isinstance(node, ast.Raise):
                heavy.append(f"{chapter}:{name}: a raise (move the check to book.checks)")
    assert not heavy, heavy
