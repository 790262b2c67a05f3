"""Pages fast on a phone (issue 13; `_ext/performance.py`): what Lighthouse measured, checked in the HTML.

Lighthouse (``benchmarks/lighthouse.py``, mobile preset, slow 4G) found that a phone downloaded and ran,
before the text showed, what a reader does not need: the theme's 1.45 MB ``fontawesome.js`` for a dozen
icons, MathJax on pages without a formula, Sphinx's search index on every page, scripts that block
rendering; its SEO audit missed a meta description and its best-practices audit a 404 (/favicon.ico).
Timings are never asserted here (they depend on the machine); these are the causes, read off the pages
that the ``built_site`` fixture built. ``tests/test_browser.py`` checks that icons, formulas and search
still work in a browser.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from book_structure import ROOT, toc_files

sys.path.insert(0, str(ROOT / "_ext"))
import performance  # noqa: E402

PAGES = toc_files()
# Scripts that may block rendering: a few hundred bytes that the inline scripts after it need at once.
MAY_BLOCK = {"_static/documentation_options.js"}


class Head(HTMLParser):
    """The scripts, metas and links of a page's <head>, the icon elements and images of its body."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.in_head = False
        self.scripts: list[dict] = []  # external scripts in <head>
        self.all_scripts: list[str] = []  # every external script of the page
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.icons: list[str] = []  # elements Font Awesome's script would have to draw
        self.svg_icons = 0
        self.images: list[dict] = []
        self.math = 0
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if tag == "head":
            self.in_head = True
        elif tag == "script" and a.get("src"):
            self.all_scripts.append(a["src"])
            if self.in_head:
                self.scripts.append(a)
        elif tag == "meta" and a.get("name"):
            self.meta[a["name"]] = a.get("content", "")
        elif tag == "link":
            self.links.append(a)
        elif tag == "svg" and "svg-inline--fa" in classes:
            self.svg_icons += 1
        elif tag == "img":
            self.images.append(a)
        if tag != "svg" and set(classes) & set(performance.PACKS):
            self.icons.append(a["class"])
        if "math" in classes:
            self.math += 1

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def _path(src: str) -> str:
    return re.sub(r"^(\.\./)+", "", src.split("?")[0])


@pytest.fixture(scope="module")
def pages(built_site) -> dict[str, Head]:
    return {name: Head(built_site / f"{name}.html") for name in PAGES}


def test_no_script_blocks_the_first_paint(pages):
    blocking = {
        name: [s["src"] for s in page.scripts
               if "defer" not in s and "async" not in s and _path(s["src"]) not in MAY_BLOCK]
        for name, page in pages.items()
    }
    blocking = {name: scripts for name, scripts in blocking.items() if scripts}
    assert not blocking, f"scripts in <head> without defer/async (they hold back the text): {blocking}"


def test_icons_are_inline_svg_without_fontawesome_js(pages):
    for name, page in pages.items():
        assert not page.icons, f"{name}: icon elements left for fontawesome.js to draw: {page.icons}"
        assert not [s for s in page.all_scripts if "fontawesome" in s], f"{name} loads fontawesome.js (1.45 MB)"
        assert page.svg_icons >= 5, f"{name}: only {page.svg_icons} inline icons (menu, search, GitHub, …)"


def test_search_index_loads_only_on_the_search_page(pages, built_site):
    for name, page in pages.items():
        heavy = [s for s in page.all_scripts if _path(s).endswith(("searchindex.js", "searchtools.js"))]
        assert not heavy, f"{name} loads the search index and code (search-as-you-type is off): {heavy}"
    search = Head(built_site / "search.html")
    assert any(_path(s).endswith("searchindex.js") for s in search.all_scripts), "the search page lost its index"


def test_mathjax_loads_exactly_on_the_pages_with_formulas(pages):
    mathjax = {name: any("mathjax" in s for s in page.all_scripts) for name, page in pages.items()}
    assert {n for n, p in pages.items() if p.math} == {n for n, m in mathjax.items() if m}
    assert not mathjax["intro"], "the front page has no formula: no MathJax (1.1 MB)"
    assert mathjax["notation"]


def test_every_page_has_a_meta_description(pages):
    for name, page in pages.items():
        description = page.meta.get("description", "")
        assert 50 <= len(description) <= 160, f"{name}: meta description {description!r}"
    descriptions = [page.meta["description"] for page in pages.values()]
    assert len(set(descriptions)) == len(descriptions), "two pages share a description"


def test_no_request_for_a_missing_favicon(pages):
    for name, page in pages.items():
        icons = [link.get("href") for link in page.links if "icon" in link.get("rel", "").split()]
        assert icons, f"{name} declares no icon, so browsers ask for /favicon.ico (a 404 in the console)"


def test_figures_load_lazily(pages):
    figures = {name: [i for i in page.images if "_images/" in i.get("src", "")] for name, page in pages.items()}
    assert sum(map(len, figures.values())) > 10
    for name, images in figures.items():
        eager = [i["src"] for i in images if i.get("loading") != "lazy"]
        assert not eager, f"{name}: figures loaded before they are scrolled to: {eager}"


def test_icons_are_read_from_the_themes_fontawesome():
    from importlib.resources import files

    bundle = files("pydata_sphinx_theme") / "theme/pydata_sphinx_theme/static/scripts/fontawesome.js"
    icons = performance.read_icons(bundle.read_text(encoding="utf-8"))
    assert len(icons) > 1000
    width, height, path = icons[("fas", "magnifying-glass")]
    assert (width, height) == (512, 512) and path.startswith("M")
    assert icons[("fas", "search")] == icons[("fas", "magnifying-glass")]  # an alias
    assert ("fab", "github") in icons and ("fas", "github") not in icons
    match = performance.ICON.search('<i class="fa-solid fa-magnifying-glass fa-lg"></i>')
    svg = performance.icon_svg(match, icons)
    assert svg.startswith('<svg class="svg-inline--fa fa-magnifying-glass fa-lg" aria-hidden="true"')
    assert 'viewBox="0 0 512 512"' in svg and path in svg
    # the theme switch: its own class and attributes are kept (CSS shows the icon of the current mode)
    switch = '<i class="theme-switch fa-solid fa-sun   fa-lg" data-mode="light" title="Light"></i>'
    svg = performance.icon_svg(performance.ICON.search(switch), icons)
    assert svg.startswith('<svg class="svg-inline--fa fa-sun theme-switch fa-lg" data-mode="light" title="Light"')


def test_description_is_the_first_paragraph_cut_at_a_word():
    from docutils.core import publish_doctree

    doctree = publish_doctree("Title\n=====\n\nShort.\n\n" + "A sentence of prose that goes on. " * 10)
    text = performance.describe(doctree)
    assert text.startswith("A sentence of prose") and text.endswith("…") and len(text) <= 155
    assert not text[:-1].endswith(" ")
