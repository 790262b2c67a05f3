"""The conventions every chapter follows, checked on the committed notebooks."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap

import pytest

import book
from book_structure import code_cells, load, source, toc_notebooks

NOTEBOOKS = [p for p in toc_notebooks() if p.parent.name == "chapters"]
IDS = [p.stem for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_first_cell_seeds_and_reports_versions(path):
    """(The reader notebooks add a cell before it that installs ``book`` on Colab.)"""
    first = code_cells(load(path))[0]
    statements = ast.parse(source(first)).body
    assert all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in statements[:-1])
    assert ast.unparse(statements[-1]) == "device = book.setup_chapter(seed=0)"
    printed = "".join("".join(o.get("text", "")) for o in first["outputs"])
    versions = book.versions()
    assert printed == (f"Python {versions['python']}, torch {versions['torch']}, "
                       f"torchvision {versions['torchvision']}; device: cpu; seed: 0\n")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_code_cell_was_executed_in_order_without_errors(path):
    cells = [c for c in code_cells(load(path)) if source(c).strip()]
    counts = [c["execution_count"] for c in cells]
    assert None not in counts, "run the whole notebook (make outputs NB=...) before committing"
    assert counts == sorted(counts), "outputs come from one run, top to bottom"
    errors = [o for c in cells for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_on_the_python3_kernel(path):
    assert load(path)["metadata"]["kernelspec"]["name"] == "python3"


def book_object(name: str):
    """The object called ``name`` in ``book`` or one of its modules."""
    if hasattr(book, name):
        return getattr(book, name)
    for module in pkgutil.iter_modules(book.__path__):
        found = getattr(importlib.import_module(f"book.{module.name}"), name, None)
        if found is not None:
            return found
    raise LookupError(f"book has no {name!r}")


def saved_definitions():
    """(chapter, name, source shown) for each def/class in a cell that starts with ``#@save``."""
    for path in NOTEBOOKS:
        for cell in code_cells(load(path)):
            text = source(cell)
            if not text.startswith("#@save"):
                continue
            for node in ast.parse(text).body:
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                    lines = text.splitlines()[first - 1:node.end_lineno]
                    yield path.stem, node.name, "\n".join(lines)


SAVED = list(saved_definitions())


def is_checked_decorator(node: ast.expr) -> bool:
    """True for ``@checked(...)``, the argument checks of ``book.checks``."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "checked"


def source_without_checks(obj) -> str:
    """``book``'s source of ``obj`` (unwrapped), minus its ``@checked(...)`` lines, methods' included."""
    text = textwrap.dedent(inspect.getsource(obj))
    drop = set()
    for node in ast.walk(ast.parse(text)):
        for decorator in getattr(node, "decorator_list", []):
            if is_checked_decorator(decorator):
                drop.update(range(decorator.lineno, decorator.end_lineno + 1))
    return "\n".join(line for i, line in enumerate(text.splitlines(), 1) if i not in drop)


@pytest.mark.skipif(not SAVED, reason="no chapter has #@save cells yet")
@pytest.mark.parametrize("chapter, name, shown", SAVED, ids=[f"{c}:{n}" for c, n, _ in SAVED])
def test_code_shown_with_save_is_the_code_book_runs(chapter, name, shown):
    """One source: a ``#@save`` cell's definitions are, to the character, those of ``book``.

    Only ``book``'s ``@checked(...)`` lines (argument checks, ``book.checks``) are not shown.
    """
    assert source_without_checks(book_object(name)).strip() == shown.strip(), (
        f"{chapter} shows a {name} that differs from book's; change both together"
    )


def test_source_without_checks_drops_only_the_checked_lines():
    import book.checks

    assert source_without_checks(book.sgd).startswith("def sgd(params, lr, batch_size):")
    accumulator = source_without_checks(book.Accumulator)
    assert "checked" not in accumulator and "    def add(self, *args):" in accumulator
    assert source_without_checks(book.checks.checked).startswith("def checked(")
    assert inspect.getsource(book.sgd).startswith("@checked(")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_outputs_carry_no_timestamps_and_one_output_per_printed_stream(path):
    """What `make outputs` saves, so that re-running a chapter changes only what its code prints."""
    for cell in code_cells(load(path)):
        assert "execution" not in cell["metadata"], "run `make outputs`, which records no timestamps"
        streams = [o.get("name") if o["output_type"] == "stream" else None for o in cell["outputs"]]
        assert all(a is None or a != b for a, b in zip(streams, streams[1:])), (
            f"{path.name}: a cell's printed lines are split over several outputs: run `make outputs`")
