"""The reader notebooks (notebooks/): what Binder, Colab, the download button and `make lab` open.

Each chapter has two: English (notebooks/NAME.ipynb) and Chinese (notebooks/zh/NAME.ipynb), with the
same code cells and outputs; the Chinese one's text is the chapter's catalog (locales/zh_CN).
"""

from __future__ import annotations

import ast
import builtins
import copy
import json
import re
import sys
from pathlib import Path

import pytest
from myst_nb.core.variables import format_plain_text

from book_structure import ROOT, toc_notebooks

sys.path.insert(0, str(ROOT / "tools"))

import reader_notebooks  # noqa: E402
from editions import CHINESE, EDITIONS, ENGLISH  # noqa: E402

CHAPTERS = [p for p in toc_notebooks() if p.parent.name == "chapters"]
IDS = [p.stem for p in CHAPTERS]
BOTH = [pytest.param(path, edition, id=f"{edition.language}-{path.stem}") for edition in EDITIONS for path in CHAPTERS]
CJK = re.compile(r"[\u4e00-\u9fff]")
MYST = re.compile(r"\{glue|\{term\}|\{doc\}|\{cite|\{ref\}|\{numref\}|^(```+|:::+)\{", re.M)
GLUED = re.compile(r"\{glue:text\}`([^`:]+)(?::([^`]*))?`")
EXPLORABLE = re.compile(r"^(:{4,})\{explorable\}.*?^\1$", re.M | re.S)


def reader(path: Path, edition=ENGLISH) -> dict:
    return json.loads((ROOT / "notebooks" / edition.folder / path.name).read_text())


def markdown_text(notebook: dict) -> str:
    return "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")


def shown_cells(notebook: dict) -> list[dict]:
    return [c for c in notebook["cells"] if "remove-cell" not in c["metadata"].get("tags", [])]


@pytest.mark.parametrize("path, edition", BOTH)
def test_reader_notebook_is_made_from_the_current_chapter(path, edition):
    made = reader_notebooks.serialise(reader_notebooks.reader_notebook(path, edition))
    committed = ROOT / "notebooks" / edition.folder / path.name
    assert committed.exists() and committed.read_text() == made, (
        f"notebooks/{edition.folder}{path.name} is out of date: run `make notebooks` and commit it"
    )


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.language)
def test_no_reader_notebook_without_its_chapter(edition):
    names = {p.name for p in CHAPTERS}
    assert sorted(p.name for p in (ROOT / "notebooks" / edition.folder).glob("*.ipynb") if p.name not in names) == []


@pytest.mark.parametrize("path, edition", BOTH)
def test_no_myst_syntax_is_left_for_colab_to_show_raw(path, edition):
    left = MYST.findall(markdown_text(reader(path, edition)))
    assert not left, f"notebooks/{edition.folder}{path.name} still holds MyST: {left[:5]}"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_the_chinese_notebook_has_the_english_code_cells_and_outputs_with_chinese_figures(path):
    """Same cells and outputs; a figure the chapter also drew with Chinese words
    (book.figure_language) shows that drawing in the Chinese notebook, and neither notebook carries
    the other's drawing."""
    def code(notebook):
        return [(c.get("id"), c["source"], c.get("outputs"), c.get("execution_count"), c["metadata"])
                for c in notebook["cells"] if c["cell_type"] == "code"]
    chapter = {c.get("id"): c for c in json.loads(path.read_text())["cells"]}
    english, chinese = reader(path), reader(path, CHINESE)
    expected = copy.deepcopy(english)
    for cell in expected["cells"]:
        for output, source in zip(cell.get("outputs", []), chapter.get(cell.get("id"), {}).get("outputs", [])):
            drawing = source.get("metadata", {}).get("image/png", {}).get(CHINESE.language)
            if drawing:
                assert output["data"]["image/png"] == source["data"]["image/png"]
                output["data"]["image/png"] = drawing
    assert code(chinese) == code(expected)
    assert CHINESE.language not in json.dumps([code(english), code(chinese)])
    assert chinese["metadata"] == english["metadata"]
    assert len(chinese["cells"]) == len(english["cells"])


def prose(text: str) -> list[str]:
    """The paragraphs of a notebook's text that are words, not only formulas, code, links or markup."""
    found = []
    for paragraph in re.split(r"\n\s*\n", text):
        words = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|```.*?```|`[^`]*`|\]\([^)]*\)|<[^>]*>|https?://\S+", " ",
                       paragraph, flags=re.S)
        if len(re.findall(r"[A-Za-z]{2,}", words)) >= 3:
            found.append(paragraph)
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_the_chinese_notebook_is_chinese_with_no_paragraph_left_in_english(path):
    english, chinese = markdown_text(reader(path)), markdown_text(reader(path, CHINESE))
    untranslated = [p for p in prose(chinese) if not CJK.search(p)]
    assert not untranslated, f"notebooks/zh/{path.name}: paragraphs without Chinese: {untranslated[:3]}"
    left = [p for p in prose(english) if p in chinese]
    assert not left, f"notebooks/zh/{path.name}: English paragraphs left: {left[:3]}"
    # Every entry of the page's catalog was put in: none is still found in the translated chapter
    # (but those that a translation keeps as they are, such as `with torch.no_grad():`).
    chapter, notebook = reader_notebooks.Chapter.read(path, CHINESE)
    markdown = markdown_text({"cells": notebook["cells"]})
    found = reader_notebooks.translate_source(markdown, chapter.translations)[1]
    assert {m for m in found if chapter.translations[m] != m} == set()


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


@pytest.mark.parametrize("path, edition", BOTH)
def test_every_number_the_page_shows_is_written_into_the_notebook(path, edition):
    chapter = reader_notebooks.Chapter.read(path, edition)[1]  # in the edition's language
    glued = {}
    for cell in chapter["cells"]:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if record:
                glued[record["name"]] = output["data"][record.get("mime_prefix", "") + "text/plain"]
    text = markdown_text(reader(path, edition))
    # An explorable is left out of the notebook (its still figure stands for it), and its numbers with it.
    keys = GLUED.findall(EXPLORABLE.sub("", markdown_text({"cells": shown_cells(chapter)})))
    for key, spec in keys:
        shown = format_plain_text(glued[key], spec or "")
        assert shown in text, f"notebooks/{edition.folder}{path.name} lacks {key} = {shown}"


@pytest.mark.parametrize("edition, heading", [(ENGLISH, r"#### Solution to exercise \d+\.\d+\n"),
                                              (CHINESE, r"#### 练习\d+\.\d+的解答\n")], ids=["en", "zh_CN"])
def test_exercise_solutions_start_folded(edition, heading):
    solutions = sum("".join(c["source"]).count("{solution-start}") for p in CHAPTERS
                    for c in json.loads(p.read_text())["cells"] if c["cell_type"] == "markdown")
    folded = [c for p in CHAPTERS for c in reader(p, edition)["cells"] if c["metadata"].get("jp-MarkdownHeadingCollapsed")]
    assert solutions and len(folded) == solutions
    assert all(re.match(heading, "".join(c["source"]) + "\n") for c in folded)


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
    chapter = reader_notebooks.Chapter(ROOT / "chapters" / "x.ipynb", glue={"n": "1382"},
                                       repository="https://github.com/a-teacher/course")
    [(text, _, _)] = chapter.markdown(
        "We fit {glue:text}`n:,` houses by {term}`minibatch SGD <minibatch stochastic gradient descent>`"
        " as in {doc}`setup` and {cite}`xiao2017fashion`.")
    assert text == (
        "We fit 1,382 houses by minibatch SGD as in "
        "[Setting up](https://a-teacher.github.io/course/chapters/setup.html) and (Xiao et al., 2017).")


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


def test_a_paragraph_is_translated_where_it_stands_and_only_whole():
    source = ("# A title\n\nA paragraph\n  on two lines.\n\n- An item\n  that wraps.\n\n| | An item |\n| --- | --- |\n"
              "```{exercise} An item\nText $|x| An item$.\n```\nA paragraph on two lines. An item")
    text, used = reader_notebooks.translate_source(source, {
        "A title": "标题", "A paragraph on two lines.": "一段。", "An item that wraps.": "一项。", "An item": "一项"})
    assert text == ("# 标题\n\n一段。\n\n- 一项。\n\n| | 一项 |\n| --- | --- |\n"
                    "```{exercise} 一项\nText $|x| An item$.\n```\nA paragraph on two lines. An item")
    assert used == {"A title", "A paragraph on two lines.", "An item that wraps.", "An item"}
