"""The lecture slides (tools/slides.py): what a slide cell becomes, and every deck as a room sees it.

The decks of both editions are made with the site (tests/conftest.py) and opened in Debian's
Chromium at 1280 × 720, a projector's size: each slide is shown in turn and every element on it must
lie inside the slide's frame (nothing clipped, nothing scrolled), its images loaded and its formulas
typeset; the keyboard reaches the last slide; axe finds no violation on a sample of slides. The
handouts have one page per slide, and the Chinese decks' text is all in the catalogs.
"""

from __future__ import annotations

import json
import re
import sys

import pytest

from book_structure import ROOT
from browser_support import NO_CHROMIUM, axe_browser, axe_options

sys.path.insert(0, str(ROOT / "tools"))
from editions import ENGLISH  # noqa: E402
from slide_cells import SlideError, markdown_parts, messages, slide_messages  # noqa: E402
from slides import SlideWriter, decks  # noqa: E402
from toc import read_toc  # noqa: E402

EDITIONS = {"": "en", "zh/": "zh_CN"}
DECKS = [f"{edition}slides/{deck.name}" for edition in EDITIONS for deck in decks()]
BLOCKING = {"moderate", "serious", "critical"}

#: Run on the slide shown: what sticks out of the slide's frame or scrolls, an image not loaded, a
#: formula not typeset (TeX left as text).
PROBLEMS = """() => {
  const frame = document.querySelector('.reveal .slides').getBoundingClientRect();
  const slide = Reveal.getCurrentSlide();
  const where = el => `${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}`;
  const found = [];
  for (const el of [slide, ...slide.querySelectorAll('*')]) {
    if (el.closest('aside.notes, mjx-assistive-mml')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < frame.left - 1 || r.top < frame.top - 1 || r.right > frame.right + 1 || r.bottom > frame.bottom + 1)
      found.push(`${where(el)} lies outside the slide (to ${Math.round(r.bottom - frame.top)} px down and ` +
                 `${Math.round(r.right - frame.left)} px across, of ${Math.round(frame.height)} × ` +
                 `${Math.round(frame.width)})`);
    if (el.tagName !== 'svg' && getComputedStyle(el).overflow !== 'visible' &&
        (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1))
      found.push(`${where(el)} scrolls: its content is larger than its box`);
    if (el.tagName === 'IMG' && !(el.complete && el.naturalWidth > 0)) found.push(`${el.src} did not load`);
  }
  const text = slide.cloneNode(true);
  text.querySelectorAll('pre, code, aside.notes, mjx-container').forEach(e => e.remove());
  if (/\\\\\\(|\\\\\\[|\\$\\$|\\\\frac|\\\\mathbf/.test(text.textContent))
    found.push('TeX left as text: a formula was not typeset');
  return found;
}"""


@pytest.fixture(scope="module")
def browser_page(built_site):
    """(page, url, axe, errors) with the built site served on 127.0.0.1, in a projector's 1280 × 720
    window; ``errors`` collects the console's errors since the last deck was opened."""
    with axe_browser(built_site, 1280, 720) as (page, axe, url):
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page, url, axe, errors


def open_deck(page, url: str, deck: str, errors: list[str]) -> int:
    """Open a deck at its first slide; its number of slides."""
    errors.clear()
    page.goto(f"{url}{deck}.html", wait_until="load")
    page.wait_for_function("() => window.Reveal && Reveal.isReady()")
    return page.evaluate("Reveal.getTotalSlides()")


# --- what a slide cell becomes ----------------------------------------------------------------------

def test_each_heading_item_and_note_paragraph_of_a_slide_is_one_catalog_entry():
    cell = ("## Gradient descent\n- one step\n  down the slope\n- **two**\n$$x^2$$\n@figure fig-x\n"
            "Note:\nSay it.\n\nTwice.")
    assert messages(cell) == ["Gradient descent", "one step down the slope", "**two**", "Say it.", "Twice."]


def test_a_display_formula_and_the_inserted_outputs_are_parts_of_their_own():
    body = "- a\n$$\nx^2\n$$\n@code abc 2-3\n@output abc\n@figure fig-y\ntext"
    assert list(markdown_parts(body)) == [("markdown", "- a"), ("display", "x^2"), ("code", "abc 2-3"),
                                          ("output", "abc"), ("figure", "fig-y"), ("markdown", "text")]


def test_an_unclosed_display_formula_is_an_error_that_says_so():
    with pytest.raises(SlideError, match=r"not closed by \$\$"):
        list(markdown_parts("$$\nx^2\n"))


def test_a_slide_cell_is_a_tagged_markdown_cell_and_only_that():
    notebook = {"cells": [
        {"cell_type": "markdown", "metadata": {"tags": ["slide", "remove-cell"]}, "source": "## A\n- b"},
        {"cell_type": "markdown", "metadata": {}, "source": "## Not a slide"},
        {"cell_type": "code", "metadata": {"tags": ["slide"]}, "source": "x = 1"},
    ]}
    assert slide_messages(notebook) == ["A", "b"]


@pytest.mark.parametrize(("line", "error"), [
    ("@figure fig-none", "no code cell draws a figure named 'fig-none'"),
    ("@code no-such-cell", "no code cell with that id"),
    ("@code a4c9914e 2-999", "@code a4c9914e 2-999: the cell has lines 1-"),
    ("- a $x$ and $$y$$ inline", "put a display formula"),
])
def test_a_slide_that_names_what_the_chapter_lacks_is_an_error_that_says_what_to_change(tmp_path, line, error):
    chapter = ROOT / "chapters" / "basic-optimization.ipynb"
    writer = SlideWriter(chapter, ENGLISH, tmp_path)
    cell = {"cell_type": "markdown", "id": "s", "metadata": {"tags": ["slide"]}, "source": f"## T\n{line}"}
    with pytest.raises(SlideError, match=re.escape(error)):
        writer.section(cell)


def test_every_lecture_of_the_book_has_a_deck():
    lectures = [part["caption"] for part in read_toc()["parts"] if part["caption"].startswith("Lecture")]
    assert [deck.title for deck in decks()] == lectures


def test_every_slide_text_is_translated_in_its_pages_catalog():
    from babel.messages.pofile import read_po

    missing = []
    for deck in decks():
        for path in deck.chapters:
            page = path.relative_to(ROOT).with_suffix("").as_posix()
            with open(ROOT / "locales" / "zh_CN" / "LC_MESSAGES" / f"{page}.po", "rb") as handle:
                done = {m.id for m in read_po(handle) if m.id and m.string and not m.fuzzy}
            notebook = json.loads(path.read_text(encoding="utf-8"))
            missing += [f"{page}: {m}" for m in slide_messages(notebook) if m not in done]
    assert not missing, "untranslated slide text (make translations, then translate):\n" + "\n".join(missing)


# --- the decks in the browser -------------------------------------------------------------------------

@pytest.mark.parametrize("deck", DECKS)
def test_every_slide_fits_its_frame_at_1280_by_720_with_its_images_and_formulas(browser_page, deck):
    page, url, _axe, errors = browser_page
    total = open_deck(page, url, deck, errors)
    problems = []
    for index in range(total):
        page.evaluate(f"Reveal.slide({index})")
        found = page.evaluate(PROBLEMS)
        problems += [f"slide {index + 1}: {p}" for p in found[:3]]
    assert total >= 25, f"{deck} has {total} slides: a lecture's deck has 25–40"
    assert not problems, f"{deck}:\n" + "\n".join(problems)
    assert not errors, f"{deck}: console errors: {errors}"


@pytest.mark.parametrize("deck", DECKS)
def test_the_keyboard_reaches_every_slide(browser_page, deck):
    page, url, _axe, errors = browser_page
    total = open_deck(page, url, deck, errors)
    page.locator("body").focus()
    for expected in range(1, total):
        page.keyboard.press("ArrowRight")
        assert page.evaluate("Reveal.getIndices().h") == expected, f"{deck}: → did not reach slide {expected + 1}"
    assert page.evaluate("Reveal.isLastSlide()")


@pytest.mark.parametrize("deck", DECKS)
def test_axe_finds_no_violation_on_the_title_a_chapter_and_the_last_slide(browser_page, deck):
    page, url, axe, errors = browser_page
    total = open_deck(page, url, deck, errors)
    report = []
    for index in (0, 1, total // 2, total - 1):
        page.evaluate(f"Reveal.slide({index})")
        result = axe.run(page, options=axe_options(deck))
        report += [f"slide {index + 1}: {v['id']} ({v['impact']}): {v['help']} — "
                   + "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
                   for v in result.response["violations"] if v["impact"] in BLOCKING]
    assert not report, f"{deck}:\n" + "\n".join(report)


@pytest.mark.parametrize("deck", DECKS)
def test_each_handout_has_one_page_per_slide_and_no_raw_tex(built_site, deck):
    pypdfium2 = pytest.importorskip("pypdfium2", reason="pip install pypdfium2 (requirements.txt)")
    handout = built_site / f"{deck}.pdf"
    if not handout.is_file():
        pytest.skip(f"no {handout.name}: tools/slides.py --handouts needs Chromium ({NO_CHROMIUM})")
    slides = (built_site / f"{deck}.html").read_text(encoding="utf-8").count("<section")
    document = pypdfium2.PdfDocument(handout)
    texts = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    assert len(texts) == slides, f"{handout.name}: {len(texts)} pages for {slides} slides"
    raw = [i + 1 for i, text in enumerate(texts) if re.search(r"\\(frac|mathbf|\(|\[)|\$\$", text)]
    assert not raw, f"{handout.name}: TeX left as text on pages {raw}"
