"""Accessibility fixes to the built pages, found by the axe-core test (tests/test_accessibility.py).

Each fix is to markup that Sphinx or the theme writes, so it is made on the written HTML files
(``build-finished``), where it can be tested:

1. The bibliography is a ``role="list"`` whose entries carry the deprecated ``doc-biblioentry``
   role instead of ``listitem`` (axe: aria-required-children, critical; aria-deprecated-role).
2. A signature too long for one line lists its parameters as ``<dl><dd>…</dd></dl>`` inside the
   ``<dt>``: a definition list without terms (axe: definition-list, serious). It becomes
   ``<div class="sig-param-list">`` with one ``<div class="sig-param-line">`` a parameter.
3. The primary sidebar (the book's title and search, above the navigation) is outside every
   landmark (axe: region): it is marked as the complementary region it is.
4. Links in exercise boxes lack contrast: ``static/a11y.css`` darkens them.
5. A display formula wider than the page scrolls inside its own box, which the keyboard cannot
   reach (axe: scrollable-region-focusable, serious): each display formula is a tab stop, written
   so when the formulas are typeset at build time (``math_prerender.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
SIGNATURE = re.compile(r'(<dt class="sig[^"]*"[^>]*>)(.*?)(</dt>)', re.S)
SIDEBAR = '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">'


def _signature(match: re.Match) -> str:
    body = match.group(2)
    if "<dl>" not in body:
        return match.group(0)
    body = (body.replace("<dl>", '<div class="sig-param-list">').replace("</dl>", "</div>")
                .replace("<dd>", '<div class="sig-param-line">').replace("</dd>", "</div>"))
    return match.group(1) + body + match.group(3)


#: The sidebar landmark's name, in the language of the edition (the Chinese one: tools/translations.py).
SIDEBAR_LABEL = {"en": "Book navigation", "zh": "全书导航"}


def accessible(html: str, language: str = "en") -> str:
    """The page's HTML with the fixes above; ``language``: the edition's (``en``, ``zh_CN``)."""
    label = SIDEBAR_LABEL.get((language or "en")[:2], SIDEBAR_LABEL["en"])
    html = html.replace('role="doc-biblioentry"', 'role="listitem"')
    html = SIGNATURE.sub(_signature, html)
    html = html.replace(SIDEBAR, SIDEBAR[:-1] + f' role="complementary" aria-label="{label}">')
    return html


def _fix_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = accessible(text, app.config.language)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def _add_static(app) -> None:
    if str(STATIC) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC))


def setup(app):
    app.connect("builder-inited", _add_static)
    app.add_css_file("a11y.css")
    app.connect("build-finished", _fix_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
