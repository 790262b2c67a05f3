"""Formulas typeset at build time: pages arrive with their math rendered and load no MathJax.

Why (``benchmarks/lighthouse.py``): MathJax in the browser was the main cost of the pages with math
(its scripts, blocking time while it typeset, text jumping as formulas replaced their TeX). The same
MathJax (3.2.2, ``mathjax-full`` pinned in ``tools/node/``) runs once, in Node, when the site is
built, with its SVG output (no web fonts to download; sized in ex, so formulas follow the text).

1. The formulas are written by this extension's math renderer (``html_math_renderer:
   math_prerender`` in ``_config.yml``; Sphinx's own MathJax markup, so Sphinx's MathJax extension
   adds no script or ``window.MathJax`` configuration to any page).
2. After Sphinx has written the pages (``build-finished``), every formula —
   ``<span class="math">\\(…\\)</span>`` and ``<div class="math">\\[…\\]</div>`` (or an ``amsmath``
   environment without delimiters) — is sent, all pages at once, to one Node process
   (``tools/node/typeset.js``), which returns an SVG for each, with its hidden MathML for screen
   readers (``assistive-mml``). The TeX options are ``mathjax3_config.tex`` of ``_config.yml`` (the
   ``\\R`` macro); Sphinx's equation numbers and their links are kept beside the formula.
3. Each page holds the glyphs its formulas use, once (a hidden ``<svg>`` atop its ``<body>``, drawn
   with ``<use>``), and MathJax's small stylesheet inline in its ``<head>``: nothing to fetch, so
   any edition, wherever it is built (``_build/html/zh/``), works the same way.
4. A display formula is a tab stop (``tabindex="0"``): one wider than the page scrolls sideways in its
   own box, which the keyboard must reach (axe: scrollable-region-focusable).
5. An inline formula wider than a phone's line (``WIDE_INLINE``) scrolls sideways in its own box
   (a tab stop too) instead of being cut off at the text's edge, where the theme clips it.
6. A formula's drawing is skipped while it is off screen (``content-visibility: auto`` on its
   ``<svg>``, which keeps its size; screen readers read the MathML beside it; a printout draws every
   formula): half of a long chapter's blocking time on a phone.

A TeX error is a build warning (so ``-W`` fails), naming the page and the formula. Without Node.js or
without ``tools/node/node_modules`` the build stops and says what to install: falling back to
MathJax in the browser would silently bring back the slow pages this extension exists to avoid.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from sphinx.ext.mathjax import html_visit_displaymath, html_visit_math
from sphinx.util import logging

import node_tools
from built_pages import pages as built_pages, write_if_changed

logger = logging.getLogger(__name__)

# Sphinx escapes the TeX (&lt;), so a formula holds no "<": a typeset one (<mjx-container…>) never matches.
INLINE = re.compile(r'<span class="math(?: [^"]*)?">\\\(([^<]*?)\\\)</span>')
DISPLAY = re.compile(
    r'<div class="math(?: [^"]*)?"(?P<attrs>[^>]*)>\s*(?P<eqno><span class="eqno">[^<]*(?:<a\b[^>]*>[^<]*</a>)?</span>)?\s*'
    r"(?P<body>[^<]*?)\s*</div>",
    re.S,
)
DISPLAY_CONTAINER = '<mjx-container class="MathJax" jax="SVG" display="true"'
STYLE_ID = "MJX-SVG-styles"
# Point 5 of the docstring: an off-screen formula's glyphs are neither styled nor laid out nor painted.
SKIP_OFFSCREEN = (
    'mjx-container[jax="SVG"]>svg{content-visibility:auto}'
    '@media print{mjx-container[jax="SVG"]>svg{content-visibility:visible}}'
)
BODY = re.compile(r"<body\b[^>]*>")
#: Point 5: an inline formula wider than this (in ex; a phone's 320 px line holds about 32) scrolls.
WIDE_INLINE = 30
SVG_WIDTH = re.compile(r'<svg [^>]*?width="([0-9.]+)ex"')
SCROLL_WIDE = "span.math.math-wide{overflow-x:auto;overflow-y:hidden}"


def formulas(page: str) -> list[tuple[re.Match, str, bool]]:
    """Every formula Sphinx wrote into the page: (match, TeX, display), in document order."""
    found = [(m, html.unescape(m.group(1)), False) for m in INLINE.finditer(page)]
    for m in DISPLAY.finditer(page):
        body = m.group("body")
        if body.startswith("\\[") and body.endswith("\\]"):
            body = body[2:-2]
        found.append((m, html.unescape(body), True))
    return sorted(found, key=lambda f: f[0].start())


def typeset(requests: list[dict], tex: dict) -> dict:
    """One Node process typesets every page's formulas (see tools/node/typeset.js)."""
    return node_tools.run("typeset.js", "mathjax-full", {"tex": tex, "pages": requests})


def render(page: str, found, typeset_page: dict) -> str:
    """The page with each formula replaced by its SVG, the glyphs atop its <body>, the stylesheet in its <head>."""
    out, last = [], 0
    for (match, _tex, display), svg in zip(found, typeset_page["html"]):
        out.append(page[last : match.start()])
        if display:
            svg = svg.replace(DISPLAY_CONTAINER, DISPLAY_CONTAINER + ' tabindex="0"', 1)
            out.append(f'<div class="math notranslate nohighlight"{match.group("attrs")}>')
            out.append((match.group("eqno") or "") + svg + "</div>")
        elif float(SVG_WIDTH.search(svg).group(1)) > WIDE_INLINE:
            out.append('<span class="math notranslate nohighlight math-wide" tabindex="0">' + svg + "</span>")
        else:
            out.append('<span class="math notranslate nohighlight">' + svg + "</span>")
        last = match.end()
    out.append(page[last:])
    page = "".join(out)
    css = minify(typeset_page["css"]) + SKIP_OFFSCREEN + SCROLL_WIDE
    page = page.replace("</head>", f'<style id="{STYLE_ID}">{css}</style>\n</head>', 1)
    body = BODY.search(page)
    return page[: body.end()] + typeset_page["defs"] + page[body.end() :]


def minify(css: str) -> str:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\s*\n\s*", "", css)
    return re.sub(r"\s*([{};:,])\s*", r"\1", css)


def _prerender(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages, requests = [], []
    for _name, path in built_pages(app):
        text = path.read_text(encoding="utf-8")
        found = formulas(text)
        if not found:
            continue
        pages.append((path, text, found))
        requests.append({"formulas": [{"tex": t, "display": d} for _m, t, d in found]})
    if not pages:
        return
    tex = (app.config.mathjax3_config or {}).get("tex", {})
    result = typeset(requests, tex)
    for (path, text, found), typeset_page in zip(pages, result["pages"]):
        for error in typeset_page["errors"]:
            logger.warning("TeX error in %s: %s", path.relative_to(outdir), error, type="math", subtype="tex")
        write_if_changed(path, render(text, found, typeset_page))
    logger.info("math_prerender: %d formulas on %d pages typeset with MathJax %s",
                sum(len(f) for _p, _t, f in pages), len(pages), result["version"])


def setup(app):
    app.setup_extension("built_pages")
    # Its configuration (mathjax3_config, the delimiters) and its markup, which typeset.js reads.
    app.setup_extension("sphinx.ext.mathjax")
    app.add_html_math_renderer("math_prerender", (html_visit_math, None), (html_visit_displaymath, None))
    # Before the other extensions' page rewrites (500): these regexes see Sphinx's markup.
    app.connect("build-finished", _prerender, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
