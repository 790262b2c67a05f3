"""Where a lecture slide is written in a chapter, and how its text is read (``tools/slides.py``).

A slide is a Markdown cell of the chapter tagged ``slide`` (and ``remove-cell``): a ``##`` title,
a body of Markdown, display formulas on lines of their own, ``@figure NAME``, ``@code CELL`` (or
``@code CELL 7-11``, lines 7 to 11 of the cell) and ``@output CELL`` lines, and after a line ``Note:`` the speaker notes. Its headings, paragraphs and list
items are entries of the page's catalog (``tools/translations.py``), which is why this module is
apart: reading the text needs no torch, no Sphinx and no browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from artifacts import ToolError

TAG = "slide"
NOTES = re.compile(r"^Note:\s*$", re.M)
INSERT = re.compile(r"^@(?P<kind>figure|code|output)\s+(?P<target>\S+(?:\s+\d+-\d+)?)\s*$")
MARKDOWN = MarkdownIt("commonmark", {"html": True}).use(dollarmath_plugin).enable("table")


class SlideError(ToolError):
    """A slide cell that cannot be made into a slide: its chapter and what to change."""


def is_slide(cell: dict) -> bool:
    return cell["cell_type"] == "markdown" and TAG in cell["metadata"].get("tags", [])


def slide_cells(notebook: dict) -> list[dict]:
    return [cell for cell in notebook["cells"] if is_slide(cell)]


def source_of(cell: dict) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def split_notes(source: str) -> tuple[str, str]:
    """A slide cell's body and its speaker notes (the lines after ``Note:``)."""
    body, notes = (NOTES.split(source, maxsplit=1) + [""])[:2]
    return body.strip(), notes.strip()


def markdown_parts(body: str) -> Iterator[tuple[str, str]]:
    """A slide's body as ("markdown", text), ("display", TeX) for a display formula (``$$…$$``, on
    lines of its own), and (kind, target) for its ``@figure``/``@code``/``@output`` lines."""
    lines: list[str] = []
    formula: list[str] | None = None
    for line in body.splitlines():
        found = INSERT.match(line)
        if formula is not None or line.strip().startswith("$$"):
            if formula is None and lines:
                yield "markdown", "\n".join(lines)
                lines = []
            formula = (formula or []) + [line]
            tex = "\n".join(formula).strip()
            if len(tex) > 2 and tex.endswith("$$"):
                yield "display", tex[2:-2].strip()
                formula = None
        elif found:
            if lines:
                yield "markdown", "\n".join(lines)
            lines = []
            yield found["kind"], found["target"]
        else:
            lines.append(line)
    if formula is not None:
        raise SlideError(f"a display formula is not closed by $$: {formula[0]!r}")
    if lines:
        yield "markdown", "\n".join(lines)


def messages(source: str) -> list[str]:
    """The catalog entries of one slide cell: its headings, paragraphs and list items, each on one
    line as Sphinx writes a paragraph (display formulas and ``@`` lines are not text to translate)."""
    body, notes = split_notes(source)
    found = []
    for kind, text in [*markdown_parts(body), ("markdown", notes)]:
        if kind == "markdown":
            found += [" ".join(token.content.split()) for token in MARKDOWN.parse(text)
                      if token.type == "inline" and token.content.strip()]
    return found


def slide_messages(notebook: dict) -> list[str]:
    """Every catalog entry of a chapter's slide cells, in order, each once."""
    return list(dict.fromkeys(m for cell in slide_cells(notebook) for m in messages(source_of(cell))))


