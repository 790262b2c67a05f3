"""Accessibility fixes found by the axe-core test (tests/test_accessibility.py).

1. The bibliography is a ``role="list"`` whose entries carry the deprecated ``doc-biblioentry``
   role (docutils 0.21's HTML writer) instead of ``listitem`` (axe: aria-required-children,
   critical; aria-deprecated-role).
2. A signature too long for one line lists its parameters as ``<dl><dd>…</dd></dl>`` inside the
   ``<dt>`` (Sphinx 7.4): a definition list without terms (axe: definition-list, serious). It becomes
   ``<div class="sig-param-list">`` with one ``<div class="sig-param-line">`` a parameter.
3. The primary sidebar (the book's title and search, above the navigation) is outside every
   landmark (axe: region; pydata-sphinx-theme 0.17.1): it is marked as the complementary region it is.
4. Links in exercise boxes lack contrast: ``static/a11y.css`` darkens them.
5. A display formula wider than the page scrolls inside its own box, which the keyboard cannot
   reach (axe: scrollable-region-focusable, serious): each display formula is a tab stop, written
   so when the formulas are typeset at build time (``math_prerender.py``).

1 is the HTML writer's (``add_node(..., override=True)``), 2 a change to the page's body
(``html-page-context``); 3 is the theme's template, changed in the written page (``built_pages.py``).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator

from built_pages import Rewrite, rewrite_pages
from site_text import translate as _

SIGNATURE = re.compile(r'(<dt class="sig[^"]*"[^>]*>)(.*?)(</dt>)', re.S)
SIDEBAR = '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">'


def _signature(match: re.Match) -> str:
    body = match.group(2)
    if "<dl>" not in body:
        return match.group(0)
    body = (body.replace("<dl>", '<div class="sig-param-list">').replace("</dl>", "</div>")
                .replace("<dd>", '<div class="sig-param-line">').replace("</dd>", "</div>"))
    return match.group(1) + body + match.group(3)


def visit_citation(self: HTML5Translator, node: nodes.citation) -> None:
    """A bibliography entry as docutils writes it, with the role ``listitem`` (fix 1)."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def accessible_body(body: str) -> str:
    """The page body with fix 2."""
    return SIGNATURE.sub(_signature, body)


def sidebar_landmark() -> Rewrite:
    """Fix 3, the landmark named in the edition's language (``site_text.py``)."""
    label = _("Book navigation")
    return Rewrite("sidebar_landmark", SIDEBAR, SIDEBAR[:-1] + f' role="complementary" aria-label="{label}">',
                   why="pydata-sphinx-theme 0.17.1 puts its primary sidebar in no landmark")


def accessible(html: str) -> str:
    """A whole page's HTML with fixes 2 and 3."""
    return sidebar_landmark().apply("", accessible_body(html))[0]


def _fix_body(app, pagename, templatename, context, doctree) -> None:
    if "body" in context:
        context["body"] = accessible_body(context["body"])


def _fix_pages(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        rewrite_pages(app, [sidebar_landmark()])


def setup(app):
    app.setup_extension("built_pages")
    app.setup_extension("site_text")
    app.setup_extension("site_static")
    app.add_node(nodes.citation, override=True, html=(visit_citation, HTML5Translator.depart_citation))
    app.add_css_file("a11y.css")
    app.connect("html-page-context", _fix_body)
    app.connect("build-finished", _fix_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
