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

A solution's title is worded by the site's catalog (:class:`SolutionTitles`): "练习4.2的解答" in
Chinese, where sphinx-exercise writes "解答 练习 4.2".
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform

from site_text import translate as _

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


class SolutionTitles(SphinxPostTransform):
    """A solution's title worded by the site's catalog: "Solution to Exercise 4.2", "练习4.2的解答".

    sphinx-exercise writes its word ("Solution to", 解答) before the link to the exercise, an order
    no translation of that word can change; the title is rebuilt from ``Solution to {exercise}``
    around the same link, whose text is ``Exercise {number}`` (``_ext/locales/…/site_text.po``).
    """

    default_priority = 22  # after sphinx-exercise's ResolveTitlesInSolutions (21)

    def run(self, **kwargs) -> None:
        from sphinx_exercise.nodes import solution_node

        before, _sep, after = _("Solution to {exercise}").partition("{exercise}")
        for node in self.document.findall(solution_node):
            title = node.children[0] if node.children else None
            links = [c for c in title.children if isinstance(c, nodes.reference)] if title else []
            if not isinstance(title, nodes.title) or len(links) != 1 or not links[0].children:
                continue
            link, first = links[0], links[0].children[0]
            number = re.search(r"(\d+(?:\.\d+)*)\s*$", first.astext())
            if isinstance(first, nodes.Text) and number:
                link.replace(first, nodes.Text(_("Exercise {number}").format(number=number.group(1))))
            title.clear()
            title += [nodes.Text(before), link, nodes.Text(after)]


def setup(app: Sphinx) -> dict:
    app.setup_extension("built_pages")  # puts tools/ on the path
    app.setup_extension("site_text")
    app.add_post_transform(SolutionTitles)
    # After Sphinx's toctree collector (priority 500), which assigns the book-wide numbers.
    app.connect("env-get-updated", number_per_chapter, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

