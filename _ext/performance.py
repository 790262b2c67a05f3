"""Pages that load fast on a phone (issue 13: Lighthouse, mobile preset, slow 4G; ``benchmarks/lighthouse.py``).

A phone downloaded and ran, before the text of a page showed, what the reader does not need there;
``tests/test_performance.py`` checks the built pages for each point.

1. **Icons without a 1.45 MB script.** Each ``<i class="fa-solid fa-bars">`` the theme writes is
   replaced by the inline ``<svg>`` that Font Awesome's ``fontawesome.js`` would have drawn — its path
   taken from the theme's own copy of the script — and the script is no longer loaded.
2. **No blocking scripts.** Every script file is loaded with ``defer``, except those of
   ``performance_blocking_scripts`` (``documentation_options.js``, which inline scripts use at once).
   Sphinx's search index and code (100 kB) load only on the search page, since the theme's
   search-as-you-type box is off.
3. **Figures load when scrolled to** (``loading="lazy"``, ``decoding="async"``) and hold their place
   before they arrive: each carries the ``width`` and ``height`` of its image file (with
   ``height: auto``), so the text does not jump as figures load.
4. The ``<head>`` tags of ``page_meta.py``: a meta description, no request for a missing favicon.

Formulas come typeset from the build (``math_prerender.py``) and the theme's stylesheets and icon
fonts cut (``theme_assets.py``).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from PIL import Image  # matplotlib's dependency
from sphinx.builders.html._assets import _JavaScript

from built_pages import Rewrite, rewrite_pages
from page_meta import head_tags

ICON_CSS = (
    ".svg-inline--fa{display:inline-block;height:1em;overflow:visible;vertical-align:-.125em}"
    ".svg-inline--fa.fa-lg{vertical-align:-.2em}"
)
KEEP_BLOCKING = ["_static/documentation_options.js"]
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


def lazy_figure(match: re.Match, images: Path) -> str:
    """The figure ``<img>`` loaded when scrolled to, with its image's width and height (pixels)."""
    attrs = match.group("attrs")
    path = images / html.unescape(match.group("name"))
    if path.exists() and not re.search(r"\b(?:width|height)=", attrs):
        with Image.open(path) as image:  # reads the size from the file's header
            attrs += ' width="%d" height="%d"' % image.size
    return f'<img loading="lazy" decoding="async" {attrs} />'


def deferred(script, blocking) -> object:
    """The page's script as a new asset, loaded with ``defer`` unless it must block or already waits."""
    filename = getattr(script, "filename", script) or ""
    attributes = getattr(script, "attributes", None)
    if not filename or filename in blocking or attributes is None or {"async", "defer"} & set(attributes):
        return script
    return _JavaScript(filename, priority=script.priority, **{**attributes, "defer": "defer"})


def _page_context(app, pagename, templatename, context, doctree) -> None:
    extra = head_tags(app, pagename, context, doctree) + [f"<style>{ICON_CSS}{FIGURE_CSS}</style>"]
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(extra)
    blocking = set(app.config.performance_blocking_scripts)
    context["script_files"] = [deferred(script, blocking) for script in context.get("script_files") or []]


def page_rewrites(app) -> list[Rewrite]:
    """The rewrites of points 1 to 3, for this build's output folder."""
    outdir = Path(app.outdir)
    fa_js = outdir / "_static" / "scripts" / "fontawesome.js"
    icons = read_icons(fa_js.read_text(encoding="utf-8")) if fa_js.exists() else {}
    theme = "pydata-sphinx-theme 0.17.1"
    rewrites = [
        Rewrite("inline_icons", ICON, lambda m, _page: icon_svg(m, icons), why=f"{theme}'s Font Awesome icons"),
        Rewrite("fontawesome_script", FA_SCRIPT, "", why=f"{theme}'s fontawesome.js",
                where=lambda _page, html: bool(icons) and not ICON.search(html)),
    ]
    search_as_you_type = str((app.config.html_theme_options or {}).get("search_as_you_type", False)).lower() == "true"
    defer = lambda m, _page: m.group(0).replace("<script src=", "<script defer src=")  # noqa: E731
    if search_as_you_type:  # deferred: they need doctools.js
        rewrites.append(Rewrite("search_scripts", SEARCH_SCRIPTS, defer, why=f"{theme}'s search scripts"))
    else:
        rewrites += [
            Rewrite("search_scripts", SEARCH_SCRIPTS, defer, why=f"{theme}'s search scripts",
                    where=lambda page, _html: page == "search"),
            Rewrite("search_scripts_elsewhere", SEARCH_SCRIPTS, "", why=f"{theme}'s search scripts on every page",
                    where=lambda page, _html: page != "search"),
        ]
    rewrites.append(Rewrite("lazy_figures", FIGURE, lambda m, _page: lazy_figure(m, outdir / "_images"),
                            why="Sphinx 7.4's figures, written without loading or size"))
    return rewrites


def _rewrite_pages(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        rewrite_pages(app, page_rewrites(app))


def setup(app):
    app.setup_extension("built_pages")
    app.add_config_value("performance_blocking_scripts", KEEP_BLOCKING, "html", types=[list])
    # After the themes' handlers (500-501), which fill the context's metatags and scripts.
    app.connect("html-page-context", _page_context, priority=1000)
    app.connect("build-finished", _rewrite_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
