"""The reader notebooks (notebooks/): what Binder, Colab, the download button and `make lab` open."""

from __future__ import annotations

import ast
import builtins
import json
import re
import sys
from pathlib import Path

import pytest
from myst_nb.core.variables import format_plain_text

from book_structure import ROOT, toc_notebooks

sys.path.insert(0, str(ROOT / "tools"))

import reader_notebooks  # noqa: E402

CHAPTERS = [p for p in toc_notebooks() if p.parent.name == "chapters"]
IDS = [p.stem for p in CHAPTERS]
MYST = re.compile(r"\{glue|\{term\}|\{doc\}|\{cite|\{ref\}|\{numref\}|^(```+|:::+)\{", re.M)
GLUED = re.compile(r"\{glue:text\}`([^`:]+)(?::([^`]*))?`")


def reader(path: Path) -> dict:
    return json.loads((ROOT / "notebooks" / path.name).read_text())


def markdown_text(notebook: dict) -> str:
    return "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")


def shown_cells(notebook: dict) -> list[dict]:
    return [c for c in notebook["cells"] if "remove-cell" not in c["metadata"].get("tags", [])]


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_reader_notebook_is_made_from_the_current_chapter(path):
    made = reader_notebooks.serialise(reader_notebooks.reader_notebook(path))
    committed = ROOT / "notebooks" / path.name
    assert committed.exists() and committed.read_text() == made, (
        f"notebooks/{path.name} is out of date: run `make notebooks` and commit it"
    )


def test_no_reader_notebook_without_its_chapter():
    names = {p.name for p in CHAPTERS}
    assert sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb") if p.name not in names) == []


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_no_myst_syntax_is_left_for_colab_to_show_raw(path):
    left = MYST.findall(markdown_text(reader(path)))
    assert not left, f"notebooks/{path.name} still holds MyST: {left[:5]}"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_no_scaffolding_cell_is_left(path):
    for cell in reader(path)["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        assert "glue(" not in source, f"a glue cell is left in notebooks/{path.name}:\n{source}"
        statements = [node for node in ast.parse(source).body if not isinstance(node, ast.Import | ast.ImportFrom)]
        assert not statements or not all(isinstance(n, ast.Assert) for n in statements), (
            f"a cell of notebooks/{path.name} holds only asserts:\n{source}"
        )


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_no_cell_needs_the_site_builder(path):
    """Colab installs only `book` and its dependencies: myst_nb (glue) is the site's, not the reader's."""
    code = "\n".join("".join(c["source"]) for c in reader(path)["cells"] if c["cell_type"] == "code")
    assert "myst_nb" not in code, f"notebooks/{path.name} imports myst_nb: import it in a remove-cell cell"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_every_number_the_page_shows_is_written_into_the_notebook(path):
    chapter = json.loads(path.read_text())
    glued = {}
    for cell in chapter["cells"]:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if record:
                glued[record["name"]] = output["data"][record.get("mime_prefix", "") + "text/plain"]
    text = markdown_text(reader(path))
    for key, spec in GLUED.findall(markdown_text({"cells": shown_cells(chapter)})):
        shown = format_plain_text(glued[key], spec or "")
        assert shown in text, f"notebooks/{path.name} lacks {key} = {shown}"


def test_exercise_solutions_start_folded():
    solutions = [c for p in CHAPTERS for c in reader(p)["cells"]
                 if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("#### Solution")]
    assert solutions and all(c["metadata"].get("jp-MarkdownHeadingCollapsed") for c in solutions)


def test_a_quick_check_is_its_question_options_and_a_folded_answer(tmp_path):
    chapter = reader_notebooks.Chapter(tmp_path / "x.ipynb", glue={"steps": "17"})
    [(text, _, _)] = chapter.markdown(
        "::::{quick-check}\n:label: qc-a\nWhich?\n:::{choice}\n:correct:\nThis `one`.\n\nBecause.\n:::\n"
        ":::{choice}\nThat one.\n\nA misconception.\n:::\n::::\n\n"
        "::::{quick-check}\n:label: qc-b\n:kind: number\n:answer: {glue}`steps`\n:tolerance: 0\n:unit: steps\n"
        "How many?\n:::{explanation}\nCount them.\n:::\n::::")
    assert text == (
        "**Quick check.** Which?\n\n- **A.** This `one`.\n- **B.** That one.\n\n"
        "<details><summary>Answer</summary>\n\n**Right: A.**\n\n- **A** (right): Because.\n\n"
        "- **B** (wrong): A misconception.\n\n</details>\n\n"
        "**Quick check.** How many?\n\n*Answer with a number, in steps.*\n\n"
        "<details><summary>Answer</summary>\n\n**Answer: 17 steps**\n\nCount them.\n\n</details>")


def test_a_directive_without_a_reader_form_is_a_clear_error(tmp_path):
    chapter = reader_notebooks.Chapter(tmp_path / "x.ipynb")
    with pytest.raises(reader_notebooks.ReaderNotebookError, match=r"x.ipynb: the directive \{margin\}"):
        chapter.markdown("```{margin}\nA note.\n```")


def test_a_glue_key_without_a_value_is_a_clear_error(tmp_path):
    chapter = reader_notebooks.Chapter(tmp_path / "x.ipynb")
    with pytest.raises(reader_notebooks.ReaderNotebookError, match="glue key 'loss' has no value"):
        chapter.markdown("The loss is {glue:text}`loss:.2f`.")


def test_roles_become_text_links_and_citations(tmp_path):
    chapter = reader_notebooks.Chapter(ROOT / "chapters" / "x.ipynb", glue={"n": "1382"})
    [(text, _, _)] = chapter.markdown(
        "We fit {glue:text}`n:,` houses by {term}`minibatch SGD <minibatch stochastic gradient descent>`"
        " as in {doc}`setup` and {cite}`xiao2017fashion`.")
    assert text == (
        "We fit 1,382 houses by minibatch SGD as in "
        f"[Setting up]({reader_notebooks.site_url()}chapters/setup.html) and (Xiao et al., 2017).")


def module_bindings(tree: ast.AST) -> set[str]:
    """The names a cell binds in the notebook's namespace (not inside its functions or comprehensions)."""
    names: set[str] = set()
    scopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda,
              ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)

    def visit(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[0])
        if not isinstance(node, scopes):
            for child in ast.iter_child_nodes(node):
                visit(child)

    for statement in tree.body:
        visit(statement)
    return names


def free_names(tree: ast.AST) -> set[str]:
    """The names a cell reads that it does not bind itself anywhere (arguments and locals included)."""
    loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    bound |= {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)}
    bound |= {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    return loaded - bound - set(dir(builtins))


def hidden_dependencies(chapter: dict) -> list[str]:
    """Where a shown cell reads a name whose latest value before it came from a hidden cell.

    The chapter run (nbval) executes every cell; the reader notebook runs the same cells without the
    hidden ones, so this is what could fail (or differ) there and nowhere else.
    """
    set_by: dict[str, bool] = {}  # name -> whether its latest binding so far is in a hidden cell
    found = []
    for number, cell in enumerate(chapter["cells"]):
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))  # the chapters use no IPython magics
        hidden = "remove-cell" in cell["metadata"].get("tags", [])
        if not hidden:
            found += [f"cell {number} reads {name!r}, last set by a hidden cell"
                      for name in sorted(free_names(tree)) if set_by.get(name)]
        set_by.update(dict.fromkeys(module_bindings(tree), hidden))
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_no_shown_cell_depends_on_a_hidden_one(path):
    assert hidden_dependencies(json.loads(path.read_text())) == []


def test_a_shown_cell_that_reads_a_name_a_hidden_cell_set_is_found():
    def cell(source, hidden=False):
        return {"cell_type": "code", "source": source, "metadata": {"tags": ["remove-cell"] if hidden else []}}

    chapter = {"cells": [
        cell("import torch\nx = torch.ones(2)"),
        cell("from myst_nb import glue\nworst = x.argmin()\nglue('w', int(worst))", hidden=True),
        cell("def f(worst):\n    return worst\nprint(f(1), [x for x in range(2)])"),
        cell("print(worst, x)"),
        cell("x = 1  # rebinding by a hidden cell", hidden=True),
        cell("y = x + 1"),
    ]}
    assert hidden_dependencies(chapter) == ["cell 3 reads 'worst', last set by a hidden cell",
                                            "cell 5 reads 'x', last set by a hidden cell"]
