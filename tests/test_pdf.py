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


def test_every_page_of_the_book_is_in_the_outline_in_reading_order(pdf):
    reader, texts, _ = pdf
    outline = reader.outline
    assert len(outline) == len(toc_files())
    starts = [reader.get_destination_page_number(item) for item in outline]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for item, start in zip(outline, starts):
        assert flat(item.title) in flat(texts[start]), f"page {start + 1} does not start {item.title}"


def test_every_title_is_in_the_contents_with_its_page_number(pdf):
    reader, texts, _ = pdf
    contents = flat(texts[1])
    for item in reader.outline:
        number = reader.get_destination_page_number(item) + 1
        assert flat(item.title) + str(number) in contents


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
