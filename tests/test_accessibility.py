"""Every page of the site passes axe-core's WCAG checks, and every figure says what it shows.

axe-core (the engine accessibility auditors run, shipped inside the ``axe-playwright-python``
package) checks each page of _toc.yml and the search page in Debian's Chromium, driven by
Playwright (never a downloaded browser); colour contrast on the English edition, whose stylesheets
and elements the Chinese one shares (``browser_support.axe_options``). No violation of impact
"moderate" or worse may remain; a failure names the page, the rule and the first elements.

Words in the other language carry it (WCAG 3.1.2, ``_ext/text_language.py``): read off every built
page with Python's own HTML parser, no Chinese character in English text, no English word in
Chinese text.
"""

from __future__ import annotations

import html
import re
import sys
from html.parser import HTMLParser

import pytest

from book_structure import ROOT, toc_files
from browser_support import axe_browser, axe_options

sys.path.insert(0, str(ROOT / "_ext"))

from accessibility import accessible, visit_citation  # noqa: E402
from text_language import mark  # noqa: E402

#: Every page of both editions (the Chinese one in zh/, tools/translations.py), and their search pages.
PAGES = [edition + page for edition in ("", "zh/") for page in toc_files() + ["search"]]
CHAPTERS = [edition + p for edition in ("", "zh/") for p in toc_files() if p.startswith("chapters/")]
BLOCKING = {"moderate", "serious", "critical"}


@pytest.fixture(scope="module")
def axe_page(built_site):
    """(page, axe, url) with the built site served on 127.0.0.1."""
    with axe_browser(built_site, 1280, 900) as found:
        yield found


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_moderate_serious_or_critical_axe_violation(axe_page, name):
    page, axe, url = axe_page
    page.goto(f"{url}{name}.html", wait_until="load")
    result = axe.run(page, options=axe_options(name))
    violations = [v for v in result.response["violations"] if v["impact"] in BLOCKING]
    report = [f"{name}: {v['id']} ({v['impact']}): {v['help']} — "
              + "; ".join(" ".join(n["target"]) for n in v["nodes"][:3]) for v in violations]
    assert not violations, "\n".join(report)


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_figure_has_written_alt_text_and_a_caption(built_site, name):
    text = (built_site / f"{name}.html").read_text()
    images = re.findall(r'<img[^>]*src="[^"]*_images/[^"]*"[^>]*>', text)
    for img in images:
        alt = html.unescape((re.search(r'alt="([^"]*)"', img) or [None, ""])[1])
        words = len(alt.split()) if not name.startswith("zh/") else len(re.findall(r"[\u4e00-\u9fff]", alt)) / 2
        assert words >= 4 and not re.search(r"_images/|\.png|\.svg", alt), (
            f"{name}: a figure's alt text says nothing about it: {alt!r}")
    figures = re.findall(r"<figure[^>]*>(.*?)</figure>", text, re.S)
    in_figures = sum(len(re.findall(r'<img[^>]*src="[^"]*_images/', f)) for f in figures)
    assert in_figures == len(images), f"{name}: {len(images) - in_figures} output images without a figure"
    for figure in figures:
        caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S)
        assert caption and re.sub(r"<[^>]+>", "", caption.group(1)).strip(), f"{name}: a figure without a caption"


def test_bibliography_entries_are_list_items():
    from docutils.core import publish_parts
    from docutils.writers.html5_polyglot import HTMLTranslator, Writer

    class Translator(HTMLTranslator):
        visit_citation = visit_citation  # as the extension has Sphinx's writer do

    writer = Writer()
    writer.translator_class = Translator
    body = publish_parts(".. [Ref] An entry.\n", writer=writer)["body"]
    assert '<div role="list" class="citation-list">\n<div class="citation" id="ref" role="listitem">' in body


def test_the_sidebar_landmark_is_named_in_the_editions_language(built_site):
    for page, name in (("intro.html", "Book navigation"), ("zh/intro.html", "全书导航")):
        assert f'role="complementary" aria-label="{name}"' in (built_site / page).read_text(encoding="utf-8"), page


def test_a_multi_line_signature_is_no_definition_list():
    page = ('<dt class="sig sig-object py" id="book.f">f(<dl>\n<dd><em>a</em>,</dd>\n<dd><em>b</em></dd>\n</dl>)</dt>'
            "<dd><dl class=\"field-list\"><dt>Parameters</dt><dd>x</dd></dl></dd>")
    fixed = accessible(page)
    assert '<div class="sig-param-list">\n<div class="sig-param-line"><em>a</em>,</div>' in fixed
    assert fixed.endswith('<dd><dl class="field-list"><dt>Parameters</dt><dd>x</dd></dl></dd>')


def test_the_primary_sidebar_is_a_landmark():
    page = '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">'
    assert 'role="complementary" aria-label="Book navigation"' in accessible(page)


def test_a_chinese_gloss_on_an_english_page_is_marked_chinese():
    assert mark("<p>learning rate (学习率，η)</p>", "en") == '<p>learning rate (<span lang="zh-CN">学习率，</span>η)</p>'


def test_english_words_on_a_chinese_page_are_marked_english():
    assert mark("<p>用 PyTorch 读取 Fashion-MNIST 数据集</p>", "zh") == (
        '<p>用 <span lang="en">PyTorch</span> 读取 <span lang="en">Fashion-MNIST</span> 数据集</p>')
    # a word with digits at its end is one token, read in one voice (float32, AVX2)
    assert mark("<p>在float32中，AVX2指令</p>", "zh") == (
        '<p>在<span lang="en">float32</span>中，<span lang="en">AVX2</span>指令</p>')


def test_a_name_with_digits_is_marked_whole():
    assert mark("<p>在AVX2上用float32</p>", "zh") == '<p>在<span lang="en">AVX2</span>上用<span lang="en">float32</span></p>'


@pytest.mark.parametrize("page", [
    "<head><title>Linear (线性)</title></head>",
    "<pre>x = '学习率'</pre><code>学</code>",
    "<script>if (a<b) x = '学';</script><style>p<q{}</style>",
    '<span class="math"><mjx-container><svg><use href="#a"/></svg><mjx-assistive-mml>学</mjx-assistive-mml></mjx-container></span>',
    '<a lang="zh-CN">中文</a>',
    "<p>&nbsp;&#8212;&amp;</p>",
])
def test_code_formulas_the_head_and_text_that_names_its_language_are_left_alone(page):
    assert mark(page, "en") == page
    assert mark(page.replace("学", "x"), "zh") == page.replace("学", "x")


class _TextLanguages(HTMLParser):
    """The shown text of a page with the language each piece is in (the nearest lang attribute)."""

    SKIPPED = {"head", "script", "style", "pre", "code", "kbd", "samp", "textarea", "svg", "mjx-container"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []  # (tag, lang)
        self.text: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not any(tag in self.SKIPPED for tag, _ in self.stack):
            self.text.append((next((lang for _, lang in reversed(self.stack) if lang), ""), data))


@pytest.mark.parametrize("name", PAGES)
def test_words_of_the_other_language_say_which_language_they_are_in(built_site, name):
    reader = _TextLanguages()
    reader.feed((built_site / f"{name}.html").read_text(encoding="utf-8"))
    if name.startswith("zh/"):
        unmarked = [t for lang, t in reader.text if lang.startswith("zh") and re.search(r"[A-Za-z]{2}", t)]
    else:
        unmarked = [t for lang, t in reader.text if lang.startswith("en") and re.search(r"[\u4e00-\u9fff]", t)]
    assert not unmarked, f"{name}: text in the other language without its lang: {unmarked[:5]}"
