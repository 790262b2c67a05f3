"""Pages that load fast on a phone (issue 13: Lighthouse, mobile preset, slow 4G).

Lighthouse found that before the text of a page showed, a phone downloaded and ran what the reader does
not need there. This extension cuts it; ``benchmarks/lighthouse.py`` measures the result and
``tests/test_performance.py`` checks the built pages for each point.

1. **Icons without a 1.45 MB script.** The theme draws its few icons (menu, search, GitHub, download…)
   with Font Awesome's ``fontawesome.js``, which carries every icon of Font Awesome (1.45 MB, 540 kB
   gzipped) and rewrites the page once it has run. Each ``<i class="fa-solid fa-bars">`` of the built
   pages is replaced by the inline ``<svg>`` that script would have drawn — its path taken from the
   theme's own copy of the script, so the icons look the same — and the script is no longer loaded.
2. **No blocking scripts.** Every script file is loaded with ``defer`` (they all wait for the page
   anyway), except ``documentation_options.js``, a few hundred bytes that inline scripts use at once.
   The theme loads Sphinx's search index (``searchindex.js``, 100 kB) and search code on every page for
   its search-as-you-type box; that box is off (``search_as_you_type``), so only the search page loads
   them (deferred too, after ``doctools.js`` which they need).
3. **No MathJax in the browser.** Formulas are typeset when the site is built
   (``_ext/math_prerender.py``), so no page loads MathJax (1.1 MB) or waits for it.
4. **Figures load when scrolled to** (``loading="lazy"``, ``decoding="async"``), so they do not compete
   with the text for a slow connection, and **hold their place before they arrive**: each carries
   the ``width`` and ``height`` of its image file (with ``height: auto``, the browser reserves a box
   of the figure's proportions at any screen width), so the text does not jump as figures load.
5. **A description for search engines** (``<meta name="description">``, which Lighthouse's SEO audit
   asks for): the page's first paragraph, cut at a word to about 155 characters, unless the page sets
   its own (MyST front matter ``html_meta: {description: …}``).
6. **No 404 for /favicon.ico.** The site has no icon, so the browser asked for ``/favicon.ico`` and
   logged a 404 as a console error; an empty icon (``data:,``) is declared instead.
7. **Icon fonts cut to the icons shown.** The theme's CSS still draws a few icons with Font
   Awesome's webfonts (admonition titles, external links, breadcrumbs: 17 characters), and a page
   with an admonition downloaded all of ``fa-solid-900.woff2`` (157 kB), which Lighthouse counted
   before the first paint. Each Font Awesome font is cut (fontTools, which matplotlib installs) to
   the characters that CSS rules other than Font Awesome's own ``.fa-…:before`` classes use (those
   classes draw ``<i>`` icons, all replaced by SVG above), saved as WOFF next to the original, and
   the theme's ``@font-face`` points to it: about 3 kB instead of 157 kB.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from PIL import Image  # matplotlib's dependency

ICON_CSS = (
    ".svg-inline--fa{display:inline-block;height:1em;overflow:visible;vertical-align:-.125em}"
    ".svg-inline--fa.fa-lg{vertical-align:-.2em}"
)
FAVICON = '<link rel="icon" href="data:," />'
KEEP_BLOCKING = {"_static/documentation_options.js"}
SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>'
)
FA_SCRIPT = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
# An icon element the theme writes: <i class="fa-solid fa-bars"></i>, <span class="fab fa-github"></span>
# and the theme switch's <i class="theme-switch fa-solid fa-sun  fa-lg" data-mode="light" title="Light"></i>
ICON = re.compile(
    r'<(i|span) class="([^"]*\b(?:fa-solid|fa-regular|fa-brands|fas|far|fab)\b[^"]*)"((?:\s+[\w-]+="[^"]*")*)\s*></\1>'
)
PACKS = {"fas": "fas", "fa-solid": "fas", "far": "far", "fa-regular": "far", "fab": "fab", "fa-brands": "fab"}
# Font Awesome's bundle defines each pack as `var p={name:[width,height,[aliases],"unicode","path"],…}`
# and registers it with `d("fas",p)`.
PACK_START = re.compile(r"var p=\{")
PACK_END = re.compile(r'd\("(fa[srb])",p\)')
ICON_DEF = re.compile(r'(?:"([^"]+)"|([\w$]+)):\[(\d+),(\d+),\[([^\]]*)\],"[^"]*","([^"]+)"\]')
# A figure of the page (not the theme's logos): <img alt="…" src="../_images/NAME.png" />
FIGURE = re.compile(r'<img (?![^>]*\bloading=)(?P<attrs>[^>]*?\bsrc="[^"]*_images/(?P<name>[^"/]+)"[^>]*?)\s*/?>')
# A sized figure keeps its proportions when the theme's `img {max-width: 100%}` narrows it.
FIGURE_CSS = "img[width][height]{height:auto}"


# The theme's @font-face sources of a Font Awesome font: url(…/fa-solid-900.woff2) format("woff2"),url(….ttf) …
FA_SRC = re.compile(
    r'url\((?P<dir>[^)]*/)(?P<name>fa-[\w-]+)\.woff2\) format\("woff2"\),url\([^)]*/(?P=name)\.ttf\) format\("truetype"\)'
)
CSS_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
FA_CLASS_RULE = re.compile(r"\s*\.fa-[\w-]+:{1,2}(?:before|after)\s*$")
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def icon_characters(css: str) -> set[int]:
    """The icon-font characters (Unicode private use area) that CSS rules draw, except in
    Font Awesome's own ``.fa-name:before`` rules, which only ``<i class="fa-name">`` elements use."""
    used = set()
    for selector, body in CSS_RULE.findall(css):
        if all(FA_CLASS_RULE.match(part) for part in selector.split(",")):
            continue
        used.update(ord(c) for c in PRIVATE_USE.findall(body))
    return used


def subset_icon_fonts(static: Path) -> dict[str, int]:
    """Cut each Font Awesome font that a stylesheet of ``static`` loads to the characters CSS uses.

    The subsets are written as ``<font>.woff`` beside the theme's fonts, and the ``@font-face``
    rules point to them. Returns {font name: bytes of its subset}.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    sheets = {path: path.read_text(encoding="utf-8") for path in static.rglob("*.css")}
    used = set().union(*map(icon_characters, sheets.values())) if sheets else set()
    sizes = {}
    for path, css in sheets.items():
        def cut(match: re.Match) -> str:
            font = (path.parent / match.group("dir") / f"{match.group('name')}.ttf").resolve()
            if not font.is_file():
                return match.group(0)
            target = font.with_suffix(".woff")
            options = subset.Options()
            options.flavor = "woff"
            with TTFont(font) as ttf:
                subsetter = subset.Subsetter(options)
                subsetter.populate(unicodes=sorted(used))
                subsetter.subset(ttf)
                ttf.flavor = "woff"
                ttf.save(target)
            sizes[target.name] = target.stat().st_size
            return f'url({match.group("dir")}{target.name}) format("woff")'

        new = FA_SRC.sub(cut, css)
        if new != css:
            path.write_text(new, encoding="utf-8")
    return sizes


def read_icons(fontawesome_js: str) -> dict[tuple[str, str], tuple[int, int, str]]:
    """(pack, name) -> (width, height, SVG path) for every icon of the theme's fontawesome.js."""
    icons = {}
    starts = [m.end() for m in PACK_START.finditer(fontawesome_js)]
    for end in PACK_END.finditer(fontawesome_js):
        start = max((s for s in starts if s < end.start()), default=None)
        if start is None:
            continue
        body, pack = fontawesome_js[start : end.start()], end.group(1)
        for quoted, bare, width, height, aliases, path in ICON_DEF.findall(body):
            for name in [quoted or bare, *re.findall(r'"([^"]+)"', aliases)]:
                icons.setdefault((pack, name), (int(width), int(height), path))
    return icons


def icon_svg(match: re.Match, icons) -> str:
    classes = match.group(2).split()
    packs = [PACKS[c] for c in classes if c in PACKS]
    if not packs:
        return match.group(0)
    names = [c[3:] for c in classes if c.startswith("fa-") and c not in PACKS]
    for name in names:
        if (packs[0], name) in icons:
            width, height, path = icons[(packs[0], name)]
            extra = " ".join(c for c in classes if c not in PACKS and c != f"fa-{name}")
            cls = f"svg-inline--fa fa-{name}" + (f" {extra}" if extra else "")
            return (
                f'<svg class="{cls}"{match.group(3)} aria-hidden="true" focusable="false" role="img" '
                f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">'
                f'<path fill="currentColor" d="{path}"></path></svg>'
            )
    return match.group(0)  # unknown icon: left for the theme (then fontawesome.js stays)


def describe(doctree, limit: int = 155) -> str:
    """The page's first paragraph of prose, cut at a word to about `limit` characters."""
    for para in doctree.findall(nodes.paragraph):
        if para.next_node(nodes.Invisible) or any(
            isinstance(p, (nodes.admonition, nodes.sidebar, nodes.topic, nodes.field_list, nodes.table))
            for p in _ancestors(para)
        ):
            continue
        text = " ".join(para.astext().split())
        if len(text) < 40:  # a label, a button line
            continue
        if len(text) > limit:
            text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—-") + "…"
        return text
    return ""


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def _page_context(app, pagename, templatename, context, doctree) -> None:
    metatags = context.get("metatags", "")
    extra = [FAVICON, f"<style>{ICON_CSS}{FIGURE_CSS}</style>"]
    if 'name="description"' not in metatags:
        if doctree is not None:
            description = describe(doctree)
        else:  # a page Sphinx makes (search, index): its title
            title = context.get("title") or pagename.replace("gen", "general ").title()
            description = f"{title} — {context.get('docstitle') or app.config.html_title}"
        if description:
            extra.insert(0, f'<meta name="description" content="{html.escape(description)}" />')
    context["metatags"] = metatags + "\n" + "\n".join(extra)

    for script in context.get("script_files") or []:
        filename = getattr(script, "filename", script) or ""
        attributes = getattr(script, "attributes", None)
        if filename and filename not in KEEP_BLOCKING and attributes is not None:
            if "async" not in attributes and "defer" not in attributes:
                attributes["defer"] = "defer"


def lazy_figure(match: re.Match, images: Path) -> str:
    """The figure ``<img>`` loaded when scrolled to, with its image's width and height (pixels)."""
    attrs = match.group("attrs")
    path = images / html.unescape(match.group("name"))
    if path.exists() and not re.search(r"\b(?:width|height)=", attrs):
        with Image.open(path) as image:  # reads the size from the file's header
            attrs += ' width="%d" height="%d"' % image.size
    return f'<img loading="lazy" decoding="async" {attrs} />'


def _rewrite_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    subset_icon_fonts(outdir / "_static")
    fa_js = outdir / "_static" / "scripts" / "fontawesome.js"
    icons = read_icons(fa_js.read_text(encoding="utf-8")) if fa_js.exists() else {}
    theme_options = app.config.html_theme_options or {}
    search_as_you_type = str(theme_options.get("search_as_you_type", False)).lower() == "true"
    for page in outdir.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        new = ICON.sub(lambda m: icon_svg(m, icons), text)
        if icons and not ICON.search(new):
            new = FA_SCRIPT.sub("", new)
        if page == outdir / "search.html" or search_as_you_type:  # deferred: they need doctools.js
            new = SEARCH_SCRIPTS.sub(lambda m: m.group(0).replace("<script src=", "<script defer src="), new)
        else:
            new = SEARCH_SCRIPTS.sub("", new)
        new = FIGURE.sub(lambda m: lazy_figure(m, outdir / "_images"), new)
        if new != text:
            page.write_text(new, encoding="utf-8")


def setup(app):
    app.connect("html-page-context", _page_context, priority=1000)
    app.connect("build-finished", _rewrite_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
