"""The whole course as one PDF (tools/course_pdf.py), linked from the front page."""

from __future__ import annotations

import html
import re

import pytest

from book_structure import toc_files

pypdf = pytest.importorskip("pypdf", reason="pip install pypdf (requirements.txt)")
pypdfium2 = pytest.importorskip("pypdfium2", reason="pip install pypdfium2 (requirements.txt)")

PDF_NAME = "linear-neural-networks.pdf"
TEX = re.compile(r"\$\$|\\\(|\\\[|\\(?:frac|mathbf|sum|hat|top|left|right|partial)\b")


def flat(text: str) -> str:
    """Text without spacing and ligatures, as PDF extraction and HTML both give it."""
    return re.sub(r"\s+", "", text.replace("\ufb01", "fi").replace("\ufb02", "fl"))


#: Each edition's folder in the site, with the title and contents heading of its PDF.
EDITIONS = {"": ("Linear Neural Networks", "Contents"), "zh/": ("线性神经网络", "目录")}
#: Each edition's language, which its PDF declares (its catalog's /Lang) for screen readers.
LANGUAGES = {"": "en", "zh/": "zh-CN"}


@pytest.fixture(scope="module", params=list(EDITIONS), ids=["English", "Chinese"])
def pdf(request, built_site):
    path = built_site / request.param / PDF_NAME
    if not path.exists():
        pytest.skip("no PDF: tools/course_pdf.py needs Chromium (sudo apt-get install chromium)")
    reader = pypdf.PdfReader(path)
    return reader, page_texts(path), request.param


def page_texts(path) -> list[str]:
    """The text of every page, read by PDFium (pypdfium2): under a second, where pypdf takes half a minute."""
    document = pypdfium2.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_bounded() for page in document]
    finally:
        document.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_front_page_links_the_pdf(built_site, edition):
    assert f'href="{PDF_NAME}"' in (built_site / edition / f"{toc_files()[0]}.html").read_text()


def test_the_pdf_has_a_title_page_contents_and_every_page_of_the_book(pdf):
    reader, texts, edition = pdf
    title, contents = EDITIONS[edition]
    assert flat(title) in flat(texts[0]) and flat(contents) in flat(texts[1])
    assert len(reader.pages) >= 2 + len(toc_files())


def book_pages(reader) -> list:
    """The top level of the outline (each page of the book), without the sections listed below each."""
    return [item for item in reader.outline if not isinstance(item, list)]


def test_every_page_of_the_book_is_in_the_outline_in_reading_order(pdf):
    reader, texts, _ = pdf
    outline = book_pages(reader)
    assert len(outline) == len(toc_files())
    starts = [reader.get_destination_page_number(item) for item in outline]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for item, start in zip(outline, starts):
        assert flat(item.title) in flat(texts[start]), f"page {start + 1} does not start {item.title}"


def test_every_title_is_in_the_contents_with_its_page_number(pdf):
    reader, texts, _ = pdf
    contents = flat(texts[1])
    for item in book_pages(reader):
        number = reader.get_destination_page_number(item) + 1
        assert flat(item.title) + str(number) in contents


def structure_types(reader) -> dict[str, int]:
    """How many structure elements of each type (/H1, /P, /Figure, ...) a tagged PDF has."""
    types, stack = {}, [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        kids = stack.pop().get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:  # not a marked-content id or reference
                types[kid["/S"]] = types.get(kid["/S"], 0) + 1
                stack.append(kid)
    return types


def test_the_pdf_is_tagged_in_the_language_of_its_edition(pdf):
    """A structure tree (headings, paragraphs, figures, ...) that screen readers and reflowing
    readers follow, one /H1 for each page of the book, in one tree for the whole book."""
    reader, _, edition = pdf
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog, "an untagged PDF: no structure tree"
    assert catalog.get("/MarkInfo", {}).get("/Marked") == True  # noqa: E712 - a pypdf BooleanObject
    assert catalog["/Lang"] == LANGUAGES[edition]
    types = structure_types(reader)
    assert {"/H1", "/H2", "/P", "/L", "/Table", "/Figure", "/Link"} <= set(types)
    assert types["/H1"] == len(toc_files())


def test_links_into_the_book_stay_in_the_pdf(pdf):
    """A link to a page of the book (a term of the glossary, a cited work, an exercise) leads to it
    in the PDF; none leads back to the local server the pages were printed from."""
    reader, _, _ = pdf
    inside, to_local = 0, []
    for sheet in reader.pages:
        for annotation in sheet.get("/Annots") or []:
            annotation = annotation.get_object()
            uri = annotation.get("/A", {}).get("/URI")
            if uri is not None and re.match(r"https?://(127\.0\.0\.1|localhost)\b", uri):
                to_local.append(uri)
            inside += "/Dest" in annotation
    assert not to_local, to_local[:5]
    assert inside >= len(toc_files())


def test_no_formula_is_left_as_raw_tex(pdf, built_site):
    """TeX may show only where the pages show code (a plot label in a code cell, say)."""
    _, texts, _ = pdf
    code = flat("".join(html.unescape(re.sub(r"<[^>]+>", "", block))
                        for page in built_site.rglob("*.html")
                        for block in re.findall(r"<pre[^>]*>(.*?)</pre>", page.read_text(), re.S)))
    raw = [(number + 1, line) for number, text in enumerate(texts) for line in text.splitlines()
           if TEX.search(line) and flat(line) not in code]
    assert not raw, f"raw TeX outside code, (page, line): {raw[:10]}"


def test_chinese_terms_are_printed(pdf):
    _, texts, _ = pdf
    assert "线性回归" in "".join(texts)


#: A quick check of linear regression as printed: its answer and the explanation of a wrong option.
QUICK_CHECK_ANSWERS = {"": ("Right: A.", "The loss only scores the predictions"),
                       "zh/": ("正确选项：A。", "损失只负责给预测打分")}


def test_quick_checks_print_their_answer_and_explanations(pdf):
    """The fold a reader opens on the page is open in print (_ext/static/quick-check.css)."""
    _, texts, edition = pdf
    printed = flat("".join(texts))
    assert all(flat(words) in printed for words in QUICK_CHECK_ANSWERS[edition])
