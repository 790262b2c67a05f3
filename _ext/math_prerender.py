"""Formulas typeset at build time: pages arrive with their math rendered and load no MathJax.

Why: Lighthouse (``benchmarks/lighthouse.py``, mobile preset, slow 4G) measured MathJax in the browser
as the main cost of the pages with math: its scripts (165 kB gzipped) to download and run, 200–500 ms
of blocking time while it typeset, and the text jumping as each formula replaced its TeX (layout
shift 0.16–0.26). The same MathJax (3.2.2, the npm package ``mathjax-full`` pinned in
``tools/node/``) now runs once, in Node, when the site is built, with its SVG output: measured
against its CommonHTML output (also tried), SVG needs no web fonts — CommonHTML's nine math fonts
(140 kB) were downloaded before the first paint and re-laid out the page as each arrived, costing
15–20 Lighthouse points on the long chapters — and its formulas are sized in ex, so they follow the
x-height of the text around them as the browser's MathJax scaled them:

1. After Sphinx has written the pages (``build-finished``, before the other extensions' rewrites of
   the same files), every formula Sphinx wrote — ``<span class="math">\\(…\\)</span>`` and
   ``<div class="math">\\[…\\]</div>`` (or an ``amsmath`` environment without delimiters) — is sent,
   all pages at once, to one Node process (``tools/node/typeset.js``), which returns an SVG for
   each, with its hidden MathML for screen readers (``assistive-mml``), as the browser's MathJax
   writes it. The TeX options are ``mathjax3_config.tex`` of ``_config.yml`` (the ``\\R`` macro);
   Sphinx's equation numbers and their links are kept beside the formula.
2. Each page holds the glyphs its formulas use, once (a hidden ``<svg>`` of paths at the top of
   its ``<body>``, which the formulas draw with ``<use>``), and MathJax's small stylesheet inline
   in its ``<head>``: nothing to fetch from anywhere, so any edition, wherever it is built
   (``_build/html/zh/``), works the same way.
3. A display formula is a tab stop (``tabindex="0"``): one wider than the page scrolls sideways in its
   own box, which the keyboard must reach (axe: scrollable-region-focusable).
4. No page loads MathJax: Sphinx's MathJax script and its ``window.MathJax`` configuration are dropped.
5. A formula's drawing is skipped while it is off screen (``content-visibility: auto`` on its
   ``<svg>``). Each glyph is a ``<use>`` of the glyph's path, which the browser copies and styles
   one by one: on the longest chapter (160 formulas, 1,385 glyphs) that was about half of the
   blocking time Lighthouse measured on a phone (the Chinese page, medians of 6 runs: 205 ms
   before, 109 ms after). The ``<svg>`` keeps its size (its ``width`` and ``height`` in ex), so
   nothing moves when a formula comes into view; it is ``aria-hidden``, so screen readers, which
   read the MathML beside it, lose nothing; and a printout (the course PDF) draws every formula.

A TeX error is a build warning (so ``-W`` fails), naming the page and the formula. Without Node.js or
without ``tools/node/node_modules`` the build stops and says what to install: falling back to
MathJax in the browser would silently bring back the slow pages this extension exists to avoid.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

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
        else:
            out.append('<span class="math notranslate nohighlight">' + svg + "</span>")
        last = match.end()
    out.append(page[last:])
    page = "".join(out)
    css = minify(typeset_page["css"]) + SKIP_OFFSCREEN
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


def _no_mathjax(app, pagename, templatename, context, doctree) -> None:
    """Drop Sphinx's MathJax script and its ``window.MathJax`` configuration from the page."""
    kept = []
    for script in context.get("script_files") or []:
        filename = (getattr(script, "filename", script) or "").split("?")[0]
        body = getattr(script, "attributes", {}).get("body", "")
        if (filename and filename == app.config.mathjax_path.split("?")[0]) or "window.MathJax" in body:
            continue
        kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.setup_extension("built_pages")
    # Before the other extensions' html-page-context (performance: 1000) and build-finished (500)
    # handlers: they then see the pages as readers get them, and these regexes see Sphinx's markup.
    app.connect("html-page-context", _no_mathjax, priority=800)
    app.connect("build-finished", _prerender, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
