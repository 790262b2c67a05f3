"""The theme's stylesheets and icon fonts, cut to what the site's pages use (issue 13: fast on a phone).

One ``build-finished`` handler, after every page is written as readers get it, in this order:

1. **Restore.** The stylesheets below are put back whole from the theme, since Sphinx skips copying
   them when no page is out of date and every build cuts from the full files.
2. **Icon fonts.** The theme's CSS draws a few icons with Font Awesome's webfonts (admonition titles,
   external links: 17 characters), and a page with an admonition downloaded all of
   ``fa-solid-900.woff2`` (157 kB). Each Font Awesome font is cut (fontTools, which matplotlib
   installs) to the characters that CSS rules other than Font Awesome's own ``.fa-…:before`` classes
   draw (those draw ``<i>`` icons, all inline SVG: ``performance.py``), saved as WOFF beside the
   original, and the theme's ``@font-face`` points to it: about 3 kB.
3. **Purge.** PurgeCSS (``tools/node/purge.js``, pinned in ``tools/node/``) keeps each rule of the
   stylesheets ``theme_assets_purged`` whose selector's classes, ids, tags and attribute values all
   occur as words in the built pages or in the site's scripts — a class that a script adds is kept
   because the script names it; ``theme_assets_safelist`` keeps those scripts compose at run time.
   Custom properties, ``@font-face`` and ``@keyframes`` are kept whole. pydata-sphinx-theme.css:
   397 kB → 111 kB before the first paint (``benchmarks/lighthouse.py``).

``tests/test_css_purge.py`` opens pages in Chromium (light and dark mode, phone and desktop, menus
and tooltips open), lists the rules of the theme's full stylesheets that the cut left out, and
requires that none of them matches an element of the page, in any media block or state.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.util import logging

import node_tools
from built_pages import pages, write_if_changed

logger = logging.getLogger(__name__)

# The stylesheets cut, relative to _static/: the two that are mostly rules this site never uses.
PURGED = ("styles/pydata-sphinx-theme.css", "sphinx-design.min.css")
SAFELIST = {
    # Bootstrap names a tooltip's placement at run time: `bs-${NAME}-${placement}` (bs-tooltip-top).
    # PurgeCSS drops a rule whose selector is a pseudo-class alone, such as the theme's focus ring for
    # every element: `:focus-visible{outline:…}`.
    "standard": ["^bs-", "^:focus-visible$"],
}

# The theme's @font-face sources of a Font Awesome font: url(…/fa-solid-900.woff2) format("woff2"),url(….ttf) …
FA_SRC = re.compile(
    r'url\((?P<dir>[^)]*/)(?P<name>fa-[\w-]+)\.woff2\) format\("woff2"\),url\([^)]*/(?P=name)\.ttf\) format\("truetype"\)'
)
CSS_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
FA_CLASS_RULE = re.compile(r"\s*\.fa-[\w-]+:{1,2}(?:before|after)\s*$")
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def sources(app, names=PURGED) -> dict[str, Path]:
    """Where Sphinx copies each stylesheet of ``names`` from: as Sphinx does, the theme's folders
    (base theme first), then ``html_static_path``; a later folder's file wins."""
    folders = [Path(d) / "static" for d in reversed(app.builder.theme.get_theme_dirs())]
    folders += [Path(app.confdir, p) for p in app.config.html_static_path]
    found = {}
    for name in names:
        for folder in folders:
            if (folder / name).is_file():
                found[name] = folder / name
    return found


def restore(outdir: Path, full: dict[str, Path]) -> None:
    """Put the full stylesheets `full` ({name under _static: source}) in place in ``outdir/_static``."""
    for name, source in full.items():
        write_if_changed(outdir / "_static" / name, source.read_bytes())


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

        write_if_changed(path, FA_SRC.sub(cut, css))
    return sizes


def content(outdir: Path, html: list[Path] | None = None) -> list[str]:
    """The files whose words keep a rule: the pages ``html`` (default: every page under ``outdir``),
    and every script that may add a class."""
    found = [str(page) for page in html] if html is not None else [str(outdir / "**" / "*.html")]
    return found + [str(outdir / "_static" / "**" / "*.js")]


def purge(outdir: Path, names=PURGED, safelist=SAFELIST,
          html: list[Path] | None = None) -> dict[str, tuple[int, int]]:
    """Cut the stylesheets ``names`` found in ``outdir/_static`` to the rules that the pages ``html``
    (default: every page under ``outdir``) and the scripts use; {name: (bytes before, after)}."""
    static = outdir / "_static"
    sheets = [static / name for name in names if (static / name).is_file()]
    if not sheets:
        return {}
    result = node_tools.run(
        "purge.js", "purgecss", {"content": content(outdir, html), "css": [str(s) for s in sheets], "safelist": safelist}
    )
    sizes = {}
    for item in result["css"]:
        path = Path(item["file"])
        before = path.stat().st_size
        write_if_changed(path, item["css"])
        sizes[path.relative_to(static).as_posix()] = (before, path.stat().st_size)
    return sizes


def _cut(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    names = tuple(app.config.theme_assets_purged)
    restore(outdir, sources(app, names))
    subset_icon_fonts(outdir / "_static")
    built = [path for _name, path in pages(app)]  # not another edition's pages in a folder of outdir
    sizes = purge(outdir, names, app.config.theme_assets_safelist, built)
    for name in names:
        if name not in sizes:
            logger.warning("the theme no longer writes _static/%s: update theme_assets_purged in _config.yml",
                           name, type="theme_assets", subtype="purged")
    logger.info("theme_assets: " + ", ".join(f"{n} {b // 1000} kB → {a // 1000} kB" for n, (b, a) in sizes.items()))


def setup(app):
    app.setup_extension("built_pages")
    app.add_config_value("theme_assets_purged", list(PURGED), "html", types=[list, tuple])
    app.add_config_value("theme_assets_safelist", SAFELIST, "html", types=[dict])
    # Last of the build-finished handlers (the page rewrites run at the default, 500): PurgeCSS reads
    # the pages as readers get them.
    app.connect("build-finished", _cut, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
