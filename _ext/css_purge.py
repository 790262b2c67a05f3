"""The theme's stylesheets cut to the rules the site's pages can use (issue 13: fast on a phone).

Why: a stylesheet blocks the first paint until it has arrived, and Lighthouse (``benchmarks/lighthouse.py``,
mobile preset, slow 4G) found the theme's ``pydata-sphinx-theme.css`` the largest thing a page waits
for: 397 kB (66 kB gzipped), most of it Bootstrap components this site never shows ("unused CSS
rules: 58 KiB"). Cut with PurgeCSS, it is 111 kB (19 kB gzipped), and ``sphinx-design.min.css``
55 kB → 5 kB; the first contentful paint of a chapter came 0.45 s sooner (2.11 s → 1.66 s,
simulated slow 4G).

How: after every other extension has rewritten the pages (``build-finished``, last), PurgeCSS
(``tools/node/purge.js``, pinned in ``tools/node/``) keeps each rule of the stylesheets in
``PURGED`` whose selector's classes, ids, tags and attribute values all occur as words in the built
pages or in the site's scripts — so a class that a script adds (Bootstrap's ``show``, the theme's
dark mode, the search page's results) is kept because the script names it. ``SAFELIST`` keeps the
few that scripts compose at run time. Custom properties, ``@font-face`` and ``@keyframes`` are kept
whole. Each build cuts from the full stylesheets, for the pages as they are now: first of the
``build-finished`` handlers, the files Sphinx copies are put back in place, since Sphinx skips copying
when no page is out of date, and an extension's change may still have changed the pages.

``tests/test_css_purge.py`` renders pages in Chromium with the cut and with the theme's full
stylesheets, in light and dark mode, on a phone and a desktop, with menus and tooltips open, and
requires every element's computed style to be the same.
"""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.util import logging

import node_tools

logger = logging.getLogger(__name__)

# The stylesheets cut, relative to _static/: the two that are mostly rules this site never uses.
PURGED = ("styles/pydata-sphinx-theme.css", "sphinx-design.min.css")
SAFELIST = {
    # Bootstrap names a tooltip's placement at run time: `bs-${NAME}-${placement}` (bs-tooltip-top).
    "standard": ["^bs-"],
}


def content(outdir: Path) -> list[str]:
    """The files whose words keep a rule: every page, and every script that may add a class."""
    return [str(outdir / "**" / "*.html"), str(outdir / "_static" / "**" / "*.js")]


def sources(app) -> dict[str, Path]:
    """Where Sphinx copies each stylesheet of ``PURGED`` from: as Sphinx does, the theme's folders
    (base theme first), then ``html_static_path``; a later folder's file wins."""
    folders = [Path(d) / "static" for d in reversed(app.builder.theme.get_theme_dirs())]
    folders += [Path(app.confdir, p) for p in app.config.html_static_path]
    found = {}
    for name in PURGED:
        for folder in folders:
            if (folder / name).is_file():
                found[name] = folder / name
    return found


def _write(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)  # never a half-written stylesheet


def restore(outdir: Path, full: dict[str, Path]) -> None:
    """Put the full stylesheets `full` ({name under _static: source}) in place in ``outdir/_static``."""
    for name, source in full.items():
        target = outdir / "_static" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        _write(target, source.read_text(encoding="utf-8"))


def purge(outdir: Path) -> dict[str, tuple[int, int]]:
    """Cut the stylesheets of ``PURGED`` found in ``outdir/_static``; {name: (bytes before, after)}."""
    static = outdir / "_static"
    sheets = [static / name for name in PURGED if (static / name).is_file()]
    if not sheets:
        return {}
    result = node_tools.run(
        "purge.js", "purgecss", {"content": content(outdir), "css": [str(s) for s in sheets], "safelist": SAFELIST}
    )
    sizes = {}
    for item in result["css"]:
        path = Path(item["file"])
        before = path.stat().st_size
        _write(path, item["css"])
        sizes[path.relative_to(static).as_posix()] = (before, path.stat().st_size)
    return sizes


def _restore(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        restore(Path(app.outdir), sources(app))


def _purge(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    sizes = purge(Path(app.outdir))
    for name in PURGED:
        if name not in sizes:
            logger.warning("css_purge: the theme no longer writes _static/%s: update PURGED in _ext/css_purge.py",
                           name, type="css_purge")
    logger.info("css_purge: " + ", ".join(f"{n} {b // 1000} kB → {a // 1000} kB" for n, (b, a) in sizes.items()))


def setup(app):
    # The full stylesheets first of the build-finished handlers (before _ext/performance.py points the
    # theme's @font-face to its cut icon fonts), the cut last (the others run at 400–500), when
    # PurgeCSS reads the pages as readers get them.
    app.connect("build-finished", _restore, priority=100)
    app.connect("build-finished", _purge, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
