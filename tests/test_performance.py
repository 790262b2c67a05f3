"""Pages fast on a phone (issue 13; `_ext/performance.py`): what Lighthouse measured, checked in the HTML.

Lighthouse (``benchmarks/lighthouse.py``, mobile preset, slow 4G) found that a phone downloaded and ran,
before the text showed, what a reader does not need: the theme's 1.45 MB ``fontawesome.js`` for a dozen
icons, MathJax on pages without a formula, Sphinx's search index on every page, scripts that block
rendering, MathJax typesetting every formula in the browser (``_ext/math_prerender.py`` now does it at
build time); its SEO audit missed a meta description and its best-practices audit a 404 (/favicon.ico).
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
from PIL import Image

from book_structure import ROOT, toc_files

sys.path.insert(0, str(ROOT / "_ext"))
import math_prerender  # noqa: E402
import node_tools  # noqa: E402
import page_meta  # noqa: E402
import performance  # noqa: E402
import theme_assets  # noqa: E402

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


def test_no_page_loads_mathjax(pages, built_site):
    for name in [*pages, "search", "genindex"]:
        page = pages.get(name) or Head(built_site / f"{name}.html")
        text = (built_site / f"{name}.html").read_text(encoding="utf-8")
        assert not [s for s in page.all_scripts if "mathjax" in s.lower()], f"{name} loads MathJax's scripts"
        assert "window.MathJax" not in text, f"{name} configures MathJax in the browser"


def test_every_formula_is_typeset_at_build_time(pages, built_site):
    with_math = {name for name, page in pages.items() if page.math}
    assert {"notation", "chapters/linear-regression", "chapters/softmax-regression"} <= with_math
    assert "intro" not in with_math
    for name in pages:
        text = (built_site / f"{name}.html").read_text(encoding="utf-8")
        assert not math_prerender.formulas(text), f"{name}: formulas left as TeX for a browser to typeset"
        elements = [e.split("</mjx-container>")[0] for e in text.split('class="math notranslate nohighlight')[1:]]
        assert len(elements) == pages[name].math
        for element in elements:  # MathJax's SVG with its hidden MathML for screen readers
            assert "<mjx-container" in element and "<svg " in element and "<use " in element
            assert "<mjx-assistive-mml" in element and "<math " in element
            assert 'data-mml-node="merror"' not in element, f"{name}: a TeX error: {element[:300]}"
        displays = re.findall(r'<mjx-container [^>]*display="true"[^>]*>', text)
        assert all('tabindex="0"' in d for d in displays), f"{name}: a display formula that is not a tab stop"
        styles = re.findall(r'<style id="MJX-SVG-styles">', text)
        assert len(styles) == (1 if elements else 0), f"{name}: {len(styles)} MathJax stylesheets"


def test_formulas_draw_their_glyphs_from_the_page_itself(pages, built_site):
    """SVG formulas: each glyph is a path defined once in the page (no web font, no request)."""
    for name, page in pages.items():
        text = (built_site / f"{name}.html").read_text(encoding="utf-8")
        caches = re.findall(r'<svg style="display: none;" id="MJX-SVG-global-cache"><defs>(.*?)</defs></svg>', text, re.S)
        assert len(caches) == (1 if page.math else 0), f"{name}: {len(caches)} glyph caches"
        if not page.math:
            continue
        defined = set(re.findall(r'<path id="([^"]+)"', caches[0]))
        used = set(re.findall(r'<use [^>]*xlink:href="#([^"]+)"', text))
        assert used and not used - defined, f"{name}: glyphs drawn but not defined: {sorted(used - defined)[:10]}"
        assert not defined - used, f"{name}: glyphs defined but never drawn"
        style = re.search(r'<style id="MJX-SVG-styles">(.*?)</style>', text, re.S).group(1)
        assert "url(" not in style and "@font-face" not in style, f"{name}: MathJax's style loads something"


def test_macros_of_the_config_and_equation_numbers():
    """The TeX options come from _config.yml (``\\R``); Sphinx's equation numbers stay by the formula."""
    import yaml

    tex = yaml.safe_load((ROOT / "_config.yml").read_text())["sphinx"]["config"]["mathjax3_config"]["tex"]
    page = (
        '<html><head></head><body><p><span class="math notranslate nohighlight">\\(x \\in \\R^n, a &lt; b\\)</span></p>\n'
        '<div class="math notranslate nohighlight" id="equation-loss">\n<span class="eqno">(1)<a class="headerlink" '
        'href="#equation-loss" title="Link to this equation">#</a></span>\\[L = \\sum_i l_i\\]</div>\n'
        '<div class="math notranslate nohighlight" id="equation-a">\n<span class="eqno">(2)<a class="headerlink" '
        'href="#equation-a" title="Link to this equation">#</a></span>\\begin{align}a &amp;= b\\end{align}</div>\n'
        "</body></html>"
    )
    found = math_prerender.formulas(page)
    assert [(tex_, display) for _m, tex_, display in found] == [
        ("x \\in \\R^n, a < b", False), ("L = \\sum_i l_i", True), ("\\begin{align}a &= b\\end{align}", True),
    ]
    result = math_prerender.typeset([{"formulas": [{"tex": t, "display": d} for _m, t, d in found]}], tex)
    typeset = result["pages"][0]
    assert result["version"] == "3.2.2" and not typeset["errors"]
    out = math_prerender.render(page, found, typeset)
    assert not math_prerender.formulas(out)
    assert '<mi mathvariant="double-struck">R</mi>' in out  # \\R is \\mathbb{R}
    assert 'xlink:href="#MJX-TEX-D-211D"' in out and '<path id="MJX-TEX-D-211D"' in out
    assert out.count('<span class="eqno">') == 2 and 'id="equation-loss"' in out
    assert out.index("(1)") < out.index("<mjx-container", out.index('id="equation-loss"'))
    assert out.count('tabindex="0"') == 2
    assert '<body><svg style="display: none;" id="MJX-SVG-global-cache">' in out  # the glyphs, first
    assert out.count('<style id="MJX-SVG-styles">') == 1


def test_a_tex_error_is_reported():
    result = math_prerender.typeset([{"formulas": [{"tex": "\\frac{1}{", "display": False}]}], {})
    assert result["pages"][0]["errors"] == ["Missing close brace in: \\frac{1}{"]
    assert 'data-mml-node="merror"' in result["pages"][0]["html"][0]  # MathJax's red box, as in a browser


def test_an_unknown_macro_is_a_tex_error():
    """Not red text on the page (MathJax's noundefined) but an error that fails the build."""
    result = math_prerender.typeset([{"formulas": [{"tex": "\\boldsymbo\\delta", "display": False}]}], {})
    assert result["pages"][0]["errors"] == ["Undefined control sequence \\boldsymbo in: \\boldsymbo\\delta"]


def test_macros_a_browser_would_autoload_are_typeset():
    result = math_prerender.typeset([{"formulas": [{"tex": "\\boldsymbol\\delta_k", "display": False}]}], {})
    page = result["pages"][0]
    assert not page["errors"] and 'mathvariant="bold-italic">δ</mi>' in page["html"][0]


def test_without_node_the_build_says_what_to_install(monkeypatch):
    from sphinx.errors import ExtensionError

    monkeypatch.setattr(node_tools.shutil, "which", lambda name: None)
    with pytest.raises(ExtensionError, match="apt-get install nodejs"):
        math_prerender.typeset([], {})


def test_without_the_node_packages_the_build_says_what_to_run(monkeypatch, tmp_path):
    from sphinx.errors import ExtensionError

    monkeypatch.setattr(node_tools, "TOOLS", tmp_path)  # a checkout where `npm ci` never ran
    with pytest.raises(ExtensionError, match=r"purgecss, one of .*npm ci --prefix tools/node"):
        node_tools.run("purge.js", "purgecss", {})


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


def test_figures_carry_the_size_of_their_image(pages, built_site):
    for name, page in pages.items():
        for img in (i for i in page.images if "_images/" in i.get("src", "")):
            with Image.open(built_site / "_images" / img["src"].rsplit("/", 1)[1]) as image:
                assert (img.get("width"), img.get("height")) == tuple(map(str, image.size)), f"{name}: {img['src']}"


def lazy(page: str, images: Path) -> str:
    return performance.FIGURE.sub(lambda m: performance.lazy_figure(m, images), page)


@pytest.fixture
def images(tmp_path) -> Path:
    Image.new("RGB", (640, 480)).save(tmp_path / "plot.png")
    return tmp_path


def test_a_figure_gets_the_size_of_its_image(images):
    assert lazy('<img alt="a plot" src="../_images/plot.png" />', images) == (
        '<img loading="lazy" decoding="async" alt="a plot" src="../_images/plot.png" width="640" height="480" />'
    )


def test_a_figure_keeps_a_size_it_was_given(images):
    assert lazy('<img alt="a plot" src="../_images/plot.png" width="50%">', images) == (
        '<img loading="lazy" decoding="async" alt="a plot" src="../_images/plot.png" width="50%" />'
    )


def test_a_figure_whose_image_is_missing_is_left_unsized(images):
    assert lazy('<img alt="a plot" src="../_images/gone.png" />', images) == (
        '<img loading="lazy" decoding="async" alt="a plot" src="../_images/gone.png" />'
    )


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
    text = page_meta.describe(doctree)
    assert text.startswith("A sentence of prose") and text.endswith("…") and len(text) <= 155
    assert not text[:-1].endswith(" ")


def test_icon_fonts_are_cut_to_the_icons_the_css_draws(built_site):
    from fontTools.ttLib import TTFont

    theme = built_site / "_static" / "styles" / "pydata-sphinx-theme.css"
    css = theme.read_text(encoding="utf-8")
    assert "fa-solid-900.woff2" not in css, "the theme still loads the whole Font Awesome font (157 kB)"
    drawn = theme_assets.icon_characters(css)
    assert 0xF05A in drawn and len(drawn) < 40  # info-circle, of the note admonition: a handful
    fonts = re.findall(r"url\(([^)]*/fa-[\w-]+\.woff)\)", css)
    assert len(fonts) == 3
    solid = None
    for url in fonts:
        font = (theme.parent / url).resolve()
        assert font.stat().st_size < 10_000, f"{font.name}: {font.stat().st_size} bytes"
        with TTFont(font) as ttf:
            if "solid" in font.name:
                solid = set(ttf.getBestCmap())
    assert {0xF05A, 0xF071, 0xF0EB} <= solid, "an admonition icon missing from the cut font"


def test_icon_characters_skip_font_awesomes_own_classes():
    css = '.fa-bell:before{content:"\uf0f3"}.fa-a:before,.fa-b::before{content:"A"}' \
          'html{--pst-icon-info:"\uf05a"}.admonition-title:after{content:"\uf071";font:var(--fa-font-solid)}'
    assert theme_assets.icon_characters(css) == {0xF05A, 0xF071}
