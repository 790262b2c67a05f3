"""The Chinese edition (中文版, tools/translations.py): complete, current, and the same book.

The catalogs in locales/zh_CN must translate every entry (none untranslated, none fuzzy) and match
the English text as it is now; each translation keeps its source's glued values, inline formulas
and cross-references. On the built site (``built_site`` builds both editions), every page has its
Chinese twin under ``zh/``, whose code cells, outputs, glued values, formulas and links are those
of the English page; a language switch on every page leads to the other edition's same page.
"""

from __future__ import annotations

import collections
import copy
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from book_structure import ROOT, toc_files

sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "_ext"))

import translations  # noqa: E402
from editions import CHINESE  # noqa: E402
from reader_notebooks import page_title  # noqa: E402
from translated_pages import switch_link  # noqa: E402
from figure_language import drawings as figure_drawings  # noqa: E402  (_ext's, not book's)

bs4 = pytest.importorskip("bs4", reason="pip install beautifulsoup4 (the theme requires it)")

CATALOGS = translations.catalog_files()
TRANSLATED_PAGES = [p for p in toc_files() if p not in translations.english_only()]
CHAPTERS = [p for p in toc_files() if p.startswith("chapters/")]
RAW_MARKUP = re.compile(r"\{(?:term|glue:text|glue|doc|ref|numref|cite|eq)\}|\*\*|`|\$\$|\\\(|\\\[")


def catalog_name(po: Path) -> str:
    return po.relative_to(translations.CATALOGS).as_posix()


# --- the catalogs ------------------------------------------------------------------------------

def test_every_page_but_the_api_reference_has_a_catalog():
    assert sorted(translations.page_of(po) for po in CATALOGS) == sorted(TRANSLATED_PAGES)


@pytest.mark.parametrize("po", CATALOGS, ids=catalog_name)
def test_every_entry_is_translated_and_keeps_its_values_formulas_and_references(po):
    found = translations.problems(po)
    assert not found, (f"{len(found)} entries of {catalog_name(po)} need a translator "
                       "(python tools/translations.py status lists them all):\n" + "\n".join(found[:20]))


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    """The .pot templates of the English pages as they are now (Sphinx's gettext builder), with the
    figures' alt texts."""
    return translations.write_templates(tmp_path_factory.mktemp("gettext"))


@pytest.mark.parametrize("page", TRANSLATED_PAGES)
def test_the_catalog_holds_exactly_the_english_text_of_its_page(page, templates):
    with (templates / f"{page}.pot").open("rb") as handle:
        english = {m.id for m in read_po(handle) if m.id}
    catalog = {m.id for m in translations.messages(translations.load(translations.CATALOGS / f"{page}.po"))}
    missing, stale = english - catalog, catalog - english
    assert not missing and not stale, (
        f"{page}: the English text changed ({len(missing)} new paragraphs, {len(stale)} gone): run "
        f"`make translations`, then translate the entries it lists. New: {sorted(missing)[:3]}")


def test_no_display_formula_is_text_to_translate(templates):
    display = [m.id for pot in templates.rglob("*.pot") for m in read_po(pot.open("rb"))
               if m.id and m.id.startswith("\n")]
    assert not display, f"display formulas in the catalogs: {display[:3]}"


def test_every_part_caption_of_the_toc_has_a_translation():
    assert set(translations.translated_captions()) == set(translations.toc_captions())


def test_the_search_dictionary_keeps_the_glossary_terms_whole():
    words = translations.glossary_words()
    assert {"学习率", "交叉熵损失", "小批量随机梯度下降", "偏置"} <= set(words)


# --- the checks a translation must pass ---------------------------------------------------------

def write_catalog(path: Path, source: str, translation: str, fuzzy: bool = False) -> Path:
    catalog = Catalog(locale="zh_CN")
    catalog.add(source, translation, flags=["fuzzy"] if fuzzy else [])
    with path.open("wb") as handle:
        write_po(handle, catalog)
    return path


SOURCE = "The {term}`learning rate` $\\eta$ was {glue:text}`lr:.2f` in {doc}`/notation`."
GOOD = "{term}`学习率 <learning rate>`$\\eta$取{glue:text}`lr:.2f`，见{doc}`/notation`。"


def test_a_faithful_translation_passes(tmp_path):
    assert translations.problems(write_catalog(tmp_path / "x.po", SOURCE, GOOD)) == []


@pytest.mark.parametrize("translation, complaint", [
    ("", "untranslated"),
    (GOOD.replace("lr:.2f", "lr:.3f"), "glue values differ"),
    (GOOD.replace("\\eta", "\\alpha"), "inline formulas differ"),
    (GOOD.replace("<learning rate>", "<loss>"), "cross-references differ"),
    (GOOD.replace("，见{doc}`/notation`", ""), "cross-references differ"),
    (GOOD.replace("取{glue", "取 {glue"), "spaces between Chinese and Latin text"),
    (GOOD.replace("取", "**取值。**取", 1), "bold or italic that Markdown cannot close"),
])
def test_a_translation_that_loses_something_is_named_with_its_file_and_entry(tmp_path, translation, complaint):
    found = translations.problems(write_catalog(tmp_path / "page.po", SOURCE, translation))
    assert len(found) == 1 and complaint in found[0] and "page.po" in found[0] and "learning rate" in found[0]


@pytest.mark.parametrize("loose, tight", [
    ("用 SGD 训练 $x + y$ 和 `a b`", "用SGD训练$x + y$和`a b`"),
    ("共{glue:text}`n` 张，见 {term}`softmax 回归 <softmax regression>`", "共{glue:text}`n`张，见{term}`softmax回归 <softmax regression>`"),
    ("**本节目标：** 后文", "**本节目标：** 后文"),  # the space Markdown needs after `：**` stays
])
def test_the_house_spacing_drops_spaces_between_chinese_and_latin_only(loose, tight):
    assert translations.tighten(loose) == tight


@pytest.mark.parametrize("text, literal", [
    ("**目标。**后文", ["**目标。**后"]),  # after punctuation, a closing ** needs a space or punctuation next
    ("**目标**。后文", []),
    ("**本节目标：** 后文", []),
    ("*训练*损失，`a**b`，$x^{**}$", []),  # code and formulas are not emphasis
])
def test_emphasis_that_markdown_leaves_as_asterisks_is_found(text, literal):
    assert translations.unclosed_emphasis(text) == literal


def test_a_fuzzy_entry_is_not_complete(tmp_path):
    found = translations.problems(write_catalog(tmp_path / "x.po", SOURCE, GOOD, fuzzy=True))
    assert len(found) == 1 and "fuzzy" in found[0]


@pytest.mark.parametrize("argv", [["update", "--help"], ["status", "chapters/setup"], ["translate"], []])
def test_a_wrong_command_or_option_prints_the_usage_and_changes_nothing(argv, capsys, monkeypatch):
    for command in ("update", "status", "tidy", "build"):
        monkeypatch.setattr(translations, command, lambda *a, c=command: pytest.fail(f"{c} ran"))
    assert translations.main(argv) == 2
    assert "tools/translations.py update" in capsys.readouterr().err


def test_glue_roles_are_qualified_with_their_notebook_and_a_format():
    text = "{glue:text}`n_train:,` / {glue:text}`n_test` / {glue:text}`/chapters/y.ipynb::k:.1f`"
    assert translations.qualify_glue(text, "/chapters/x.ipynb") == (
        "{glue:text}`/chapters/x.ipynb::n_train:,` / {glue:text}`/chapters/x.ipynb::n_test:s` / "
        "{glue:text}`/chapters/y.ipynb::k:.1f`")


@pytest.mark.parametrize("page, language, href", [
    ("intro", "en", "zh/intro.html"),
    ("chapters/setup", "en", "../zh/chapters/setup.html"),
    ("intro", "zh_CN", "../intro.html"),
    ("chapters/setup", "zh_CN", "../../chapters/setup.html"),
])
def test_the_language_switch_leads_to_the_same_page(page, language, href):
    assert f'href="{href}"' in switch_link(page, language)


# --- the built editions ------------------------------------------------------------------------

def soup(path: Path):
    return bs4.BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(page):
    return page.select_one("article.bd-article")


@pytest.fixture(scope="module")
def editions(built_site):
    """(English page, Chinese page) parsed, by page name."""
    return {name: (soup(built_site / f"{name}.html"), soup(built_site / "zh" / f"{name}.html"))
            for name in toc_files()}


def test_every_page_has_a_chinese_twin(built_site):
    missing = [n for n in toc_files() if not (built_site / "zh" / f"{n}.html").exists()]
    assert not missing
    assert 'lang="zh-CN"' in (built_site / "zh" / "intro.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", CHAPTERS)
def test_code_cells_and_outputs_are_the_same_in_both_editions(name, editions, built_site):
    def cells(page):
        found = []
        for cell in article(page).select("div.cell"):
            code = [c.get_text() for c in cell.select("div.cell_input pre")]
            outputs = [o.get_text() for o in cell.select("div.cell_output pre")]
            images = [i["src"] for i in cell.select("div.cell_output img")]
            found.append((code, outputs, images))
        return found
    english, chinese = (cells(page) for page in editions[name])
    assert english and [cell[:2] for cell in chinese] == [cell[:2] for cell in english]
    # a figure drawn with Chinese words too (book.figure_language) shows that drawing, a file beside it
    drawn = figure_drawings(json.loads((ROOT / f"{name}.ipynb").read_text(encoding="utf-8")))
    twin = {src: src.replace(f"{Path(src).stem}.png", f"{Path(src).stem}-zh_CN.png")
            for cell in english for src in cell[2] if Path(src).stem in drawn}
    assert [[twin.get(src, src) for src in cell[2]] for cell in english] == [cell[2] for cell in chinese]
    assert len(twin) == len(drawn), f"{name}: {len(drawn)} figures drawn in Chinese, {len(twin)} shown"
    page = built_site / "zh" / name
    assert all((page.parent / src).is_file() for src in twin.values())


@pytest.mark.parametrize("name", TRANSLATED_PAGES)
def test_glued_values_formulas_and_links_are_the_same_in_both_editions(name, editions):
    def parts(page):
        body = article(page)
        return {
            "glued values": collections.Counter(s.get_text() for s in body.select(".pasted-text")),
            # A formula's line breaks are the source's: the catalogs hold each paragraph on one line.
            "formulas": collections.Counter(" ".join(m.get_text().split()) for m in body.select(".math")),
            "links": collections.Counter(a.get("href") for a in body.select("a.reference")),
        }
    english, chinese = (parts(page) for page in editions[name])
    # A Chinese twin (key_zh: a class name, a setting) shows in place of its English value.
    notebook = ROOT / f"{name}.ipynb"
    values = glued_values(notebook) if notebook.exists() else {}
    twins = {values[key]: values[key[:-3]] for key in values if key.endswith("_zh") and key[:-3] in values}
    chinese["glued values"] = collections.Counter(twins.get(text, text) for text in chinese["glued values"].elements())
    for what in english:
        assert chinese[what] == english[what], (
            f"{name}: {what} differ; only in English: {list((english[what] - chinese[what]).elements())[:5]}, "
            f"only in Chinese: {list((chinese[what] - english[what]).elements())[:5]}")


@pytest.mark.parametrize("name", TRANSLATED_PAGES)
def test_the_chinese_page_is_chinese_with_no_markup_left_raw(name, editions):
    _, page = editions[name]
    body = copy.copy(article(page))  # the parsed pages are shared by this module's tests
    for code in body.select("pre, code, .math, div.cell, script, style"):
        code.decompose()
    text = body.get_text(" ")
    assert not RAW_MARKUP.findall(text), f"{name}: raw markup on the page: {sorted(set(RAW_MARKUP.findall(text)))}"
    if name != "bibliography":  # a list of English titles under a Chinese heading
        assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 0.3 * len(re.sub(r"\W", "", text)), (
            f"{name}: most of the page is not in Chinese")


@pytest.mark.parametrize("name", toc_files())
def test_every_page_links_to_itself_in_the_other_edition(name, built_site):
    for page, other in ((built_site / f"{name}.html", built_site / "zh" / f"{name}.html"),
                        (built_site / "zh" / f"{name}.html", built_site / f"{name}.html")):
        switches = soup(page).select("a.language-switch")
        assert len(switches) == 1, f"{page.relative_to(built_site)}: {len(switches)} language switches"
        assert (page.parent / switches[0]["href"]).resolve() == other.resolve()


def test_the_api_reference_is_marked_as_english_on_the_chinese_site(editions):
    _, page = editions["api"]
    assert article(page).get("lang") == "en"
    assert all(article(editions[name][1]).get("lang") is None for name in TRANSLATED_PAGES)


def test_the_chinese_sidebar_and_theme_speak_chinese(editions):
    english, chinese = editions["chapters/setup"]
    captions = [c.get_text(strip=True) for c in chinese.select("p.caption .caption-text")]
    assert captions == [translations.translated_captions()[c] for c in translations.toc_captions()]
    text = chinese.get_text(" ")
    for label in ("上一页", "下一页", "搜索本书"):
        assert label in text or label in str(chinese), f"the theme's text {label!r} is missing"
    # A folded code cell's button (the dataset chapter folds the loader it shows in full in book/).
    assert "显示代码" in str(editions["chapters/image-classification-dataset"][1]), "the theme's text '显示代码' is missing"


@pytest.mark.parametrize("term", ["学习率", "交叉熵损失", "小批量随机梯度下降"])
def test_the_chinese_search_index_holds_whole_glossary_terms(term, built_site):
    script = (built_site / "zh" / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(script[script.index("(") + 1:script.rindex(")")])
    assert term in index["terms"], f"{term} is not a word of the Chinese search index"


@pytest.mark.parametrize("name", CHAPTERS)
def test_launch_buttons_and_the_download_open_the_notebook_of_the_pages_edition(name, built_site):
    """Binder, Colab and the download open notebooks/NAME.ipynb from an English page, notebooks/zh/NAME.ipynb
    from a Chinese one (tools/reader_notebooks.py), the download being the committed notebook."""
    reader = name.removeprefix("chapters/") + ".ipynb"
    for page, folder in ((built_site / f"{name}.html", "notebooks/"), (built_site / "zh" / f"{name}.html", "notebooks/zh/")):
        links = [a["href"] for a in soup(page).select("a[href]")
                 if re.search(r"mybinder\.org|colab\.research\.google\.com|\.ipynb$", a["href"])]
        launches = [h for h in links if h.startswith("https://")]
        downloads = [(page.parent / h).resolve() for h in links if not h.startswith("https://")]
        assert len(launches) == 2 and all(h.endswith(f"/{folder}{reader}") for h in launches), launches
        assert len(downloads) == 1 and downloads[0].read_bytes() == (ROOT / folder / reader).read_bytes()


# --- no English interface on a Chinese page -----------------------------------------------------------

#: Names that stay as they are in Chinese text (d2l-zh writes them so too), and file types.
PROPER_NAMES = {"Binder", "Colab", "PyTorch", "Fashion-MNIST", "GitHub", "JupyterLab", "ipynb", "md", "pdf", "PDF"}
#: What is not interface text: code and its outputs (the same in both editions by construction), formulas,
#: glued values (their words are checked on their own), citations (authors and titles of works).
NOT_INTERFACE = {"math", "pasted-text", "highlight", "cell_output", "bibtex-citation", "citation"}
LATIN = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


class InterfaceText(HTMLParser):
    """A page's text and its tooltips, alt texts and names for screen readers, without what
    :data:`NOT_INTERFACE` names and parts marked as English (an English-only page's article); runs of
    English words that _ext/text_language.py marked in Chinese text are kept."""

    SKIPPED = {"script", "style", "pre", "code", "kbd", "samp", "svg", "mjx-container", "math", "textarea"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    ATTRIBUTES = ("title", "aria-label", "alt", "placeholder", "data-toggle-hint")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open, self.texts, self.script = [], [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        english = attributes.get("lang") == "en" and not (tag == "span" and attrs == [("lang", "en")])  # not a marked run
        skipped = english or tag in self.SKIPPED or bool(NOT_INTERFACE & set(classes))
        if not any(s for _t, s in self.open) and not skipped:
            self.texts += [attributes[a] for a in self.ATTRIBUTES if attributes.get(a)]
        if tag not in self.VOID:
            self.open.append((tag, skipped))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        if self.open and self.open[-1][0] == "script":
            self.script.append(data)
        elif self.open and not any(s for _t, s in self.open):
            self.texts.append(data)


def chosen_words(page: str) -> set[str]:
    """The Latin-script words that translators write on purpose on a Chinese page (softmax, logit, a
    term's English gloss): its catalog's, the Chinese titles and part captions of the sidebar, the
    Chinese config's (the footer)."""
    texts = [(ROOT / "locales" / "zh_CN" / "_config.yml").read_text(encoding="utf-8")]
    texts += list(translations.translated_captions().values())
    # A page's title is shown whole where a link names the page, its code words too ("API reference (book)").
    texts += [page_title(ROOT / source.lstrip("/"), CHINESE).replace("`", "")
              for source in map(translations.source_of, toc_files())]
    po = translations.CATALOGS / f"{page}.po"
    texts += [m.string for m in translations.messages(translations.load(po))] if po.exists() else []
    words = set()
    for text in texts:
        words |= set(LATIN.findall(re.sub(r"\{[\w:]+\}`[^`]*<([^<>`]+)>`|`[^`]*`|\$[^$]*\$", " ", text).replace("’", "'")))
    return words | PROPER_NAMES


def interface_english(page: Path, allowed: set[str]) -> list[str]:
    """The Latin-script words of a Chinese page that no translator chose: English interface text."""
    parser = InterfaceText()
    parser.feed(page.read_text(encoding="utf-8"))
    texts = parser.texts + re.findall(r"let toggleHint\w+ = '([^']*)'", "".join(parser.script))
    return sorted({word for text in texts for word in LATIN.findall(text.replace("’", "'")) if word not in allowed})


# The bibliography lists works by their titles; the API reference stays English (its headings too).
@pytest.mark.parametrize("name", [n for n in TRANSLATED_PAGES if n != "bibliography"])
def test_no_english_interface_text_on_a_chinese_page(name, built_site):
    left = interface_english(built_site / "zh" / f"{name}.html", chosen_words(name))
    assert not left, f"zh/{name}.html shows English interface text: {left}"


def test_the_interface_text_check_finds_an_english_tooltip(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<p>点击<span lang="en">softmax</span></p><a title="Launch on Binder">Binder</a>'
                    '<article lang="en"><p>API reference</p></article><script>let toggleHintShow = \'Click to show\';</script>'
                    '<pre>print("hello")</pre>', encoding="utf-8")
    assert interface_english(page, {"softmax"} | PROPER_NAMES) == ["Click", "Launch", "on", "show", "to"]


def glued_values(notebook: Path) -> dict[str, str]:
    """What a chapter glued: key → the text a page shows."""
    values = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if record:
                text = output["data"].get(record.get("mime_prefix", "") + "text/plain", "")
                values[record["name"]] = "".join(text).strip("'\"")
    return values


@pytest.mark.parametrize("page", CHAPTERS)
def test_no_english_word_is_glued_into_a_chinese_sentence(page):
    """A class name or a setting glued into a Chinese sentence is its Chinese twin (``key_zh``)."""
    values = glued_values(ROOT / f"{page}.ipynb")
    english = []
    for message in translations.messages(translations.load(translations.CATALOGS / f"{page}.po")):
        for target in translations.GLUE.findall(message.string):
            key = target.split(":")[0]
            if re.search(r"[A-Za-z]{2,}", values.get(key, "")):
                english.append(f"{key} = {values[key]!r} in {message.string[:60]!r}…: glue {key}_zh in the chapter")
    assert not english, "\n".join(english)


def test_a_chinese_twin_stands_for_its_english_value_in_the_catalog_check(tmp_path):
    po = tmp_path / "page.po"
    catalog = Catalog(locale="zh_CN")
    catalog.add("The worst class is {glue:text}`worst_class`.", "最差的类别是{glue:text}`worst_class_zh`。")
    catalog.add("It is {glue:text}`best`.", "它是{glue:text}`other_zh`。")
    with po.open("wb") as handle:
        write_po(handle, catalog)
    found = translations.problems(po)
    assert len(found) == 1 and "It is" in found[0] and "glue values differ" in found[0]


#: Words a display formula may hold: units and the abbreviations that name a measure.
FORMULA_WORDS = {"sq ft", "m", "MSE", "RMSE"}


@pytest.mark.parametrize("page", CHAPTERS)
def test_display_formulas_hold_no_english_words(page):
    """Display formulas are shared by both editions (they stay out of the catalogs): no prose in them
    (a case is its condition, j ≠ y, not "otherwise"); operator names (softmax, median) are notation."""
    cells = json.loads((ROOT / f"{page}.ipynb").read_text(encoding="utf-8"))["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    words = [w for formula in re.findall(r"\$\$(.*?)\$\$", markdown, re.S)
             for w in re.findall(r"\\text\{([^}]*)\}", formula)
             if re.search(r"[A-Za-z]{2,}", w) and w.strip(" ,.") not in FORMULA_WORDS]
    assert not words, f"{page}: English words in display formulas: {words}"
