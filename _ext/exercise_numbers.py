"""Exercises numbered per chapter: "Exercise 4.2" is the second exercise of chapter 4.

sphinx-exercise numbers exercises through Sphinx's numfig machinery. Without numbered sections
(the toctree's ``:numbered:``, which would number every heading and figure too), Sphinx counts an
enumerable node across the whole book, so the site said "Exercise 14" where a chapter's notebook
said "Exercise 4". After Sphinx has assigned the numbers (its toctree collector, on
``env-get-updated``), this extension replaces each page's exercise numbers by (chapter, position in
the chapter). The chapter numbers come from ``tools/toc.py`` (``chapter_numbers``), which the reader
notebooks and the assignments use too, so every view says the same number. sphinx-exercise then
writes the titles and ``{ref}`` texts from them, in every language; the PDF prints these pages.

So that "Exercise 4.2" leads somewhere, a chapter's title shows its number ("4. Linear regression
from scratch"), written by Sphinx's own section numbering (``env.toc_secnumbers``): the number is
given to the page's first heading only, every other heading of the page an empty one.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

FIGTYPE = "exercise"


def number_per_chapter(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Renumber each chapter's exercises (chapter, k); the pages whose numbers changed, to rewrite."""
    from toc import chapter_numbers  # tools/, on the path through built_pages

    numbers = chapter_numbers()
    changed = []
    for docname, toc in env.tocs.items():
        chapter = numbers.get(docname.rpartition("/")[2]) if docname.startswith("chapters/") else None
        if chapter is not None:
            headings = {ref["anchorname"]: () for ref in toc.findall(nodes.reference)}
            title = {**headings, "": (chapter,)}
            if env.toc_secnumbers.get(docname) != title:
                env.toc_secnumbers[docname] = title
                changed.append(docname)
    for docname, fignumbers in env.toc_fignumbers.items():
        exercises = fignumbers.get(FIGTYPE)
        chapter = numbers.get(docname.rpartition("/")[2]) if docname.startswith("chapters/") else None
        if not exercises or chapter is None:
            continue
        ordered = sorted(exercises, key=exercises.get)
        renumbered = {node_id: (chapter, k) for k, node_id in enumerate(ordered, start=1)}
        if renumbered != exercises:
            fignumbers[FIGTYPE] = renumbered
            changed.append(docname)
    return sorted(set(changed))


def setup(app: Sphinx) -> dict:
    app.setup_extension("built_pages")  # puts tools/ on the path
    # After Sphinx's toctree collector (priority 500), which assigns the book-wide numbers.
    app.connect("env-get-updated", number_per_chapter, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
