"""Lecture slides: one reveal.js deck per lecture and edition, made from the chapters themselves.

    python tools/slides.py              # the decks: _build/html/slides/ and _build/html/zh/slides/
    python tools/slides.py --handouts   # and a PDF handout of each, printed by Debian's Chromium
    python tools/slides.py --check      # exit 1 if a deck is missing or older than its chapters

**Where a slide is written.** In its chapter, right after the section it condenses, as a Markdown
cell tagged ``slide`` and ``remove-cell`` (the page does not show it; the reader notebooks drop it)::

    ## Minibatch stochastic gradient descent
    - one step: the mean gradient of a random minibatch $\\mathcal{B}$
    $$\\mathbf{w} \\leftarrow \\mathbf{w} - \\eta \\, \\nabla_{\\mathbf{w}} L_{\\mathcal{B}}(\\mathbf{w})$$
    @figure fig-sgd-noise
    Note:
    What the teacher says here: the speaker notes.

The ``##`` heading is the slide's title. The body is Markdown with the page's formulas and roles
(``{glue:text}`key``` writes the number the chapter computed, as on the page). A line
``@figure NAME`` shows the figure the chapter named NAME (its cell's committed output and alt text),
``@code CELL`` the code of the chapter's cell with that id (``@code CELL 7-11``: its lines 7 to 11),
``@output CELL`` what that cell printed.
The lines after ``Note:`` are the speaker notes (reveal.js's presenter view: press S).

**Translation.** Each heading, paragraph and list item of a slide cell is an entry of its page's
catalog (``tools/translations.py`` adds them to the page's template, as it adds figures' alt texts),
so ``make translations`` lists a new or changed slide for the translator, and the Chinese deck is the
same cells with the translations in place (as the Chinese reader notebooks are made).

**A deck** is a lecture, a part of ``_toc.yml`` with slide cells (``lecture-N.html`` for the part
"Lecture N — …"): a title slide (the part's caption),
then for each chapter a slide with its title, numbered as in the book, and its slide cells in order.
Formulas are typeset when the deck is made, by the site's MathJax (``_ext/math_prerender.py``);
reveal.js and its notes plugin are copied from ``tools/node`` (pinned by its lock), so a deck works
offline and loads nothing from another site. The handout (``lecture-N.pdf`` beside the deck) has one
page per slide, 1280 × 720 px, as reveal.js prints a deck (``?print-pdf``).
"""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from artifacts import ROOT, ToolError, parse, parser, report_stale, run, write_if_changed
from editions import EDITIONS, ENGLISH, Edition, config
from reader_notebooks import Chapter, page_title, words
from slide_cells import MARKDOWN, SlideError, markdown_parts, slide_cells, source_of, split_notes
from toc import chapter_numbers, read_toc

sys.path.insert(0, str(ROOT / "_ext"))
import math_prerender  # noqa: E402 - the site's extension, from _ext/

PROG = "tools/slides.py"
REVEAL = ROOT / "tools" / "node" / "node_modules" / "reveal.js" / "dist"
REVEAL_FILES = ["reset.css", "reveal.css", "reveal.js", "plugin/notes.js"]
STYLE = Path(__file__).with_name("slides.css")
#: The slide size reveal.js lays out (it scales the slide to the window or projector).
WIDTH, HEIGHT = 1280, 720
INLINE_MATH = re.compile(r'<span class="math inline">(.*?)</span>', re.S)
DISPLAY_MATH = re.compile(r'<div class="math block">\s*(.*?)\s*</div>', re.S)


@dataclass
class Deck:
    """One lecture: its name (``lecture-1``), its title (the part's caption) and its chapters."""

    name: str
    title: str
    chapters: list[Path]


def decks() -> list[Deck]:
    """The lectures: each part of _toc.yml whose chapters have slide cells, in the book's order."""
    found = []
    for part in read_toc().get("parts", []):
        chapters = [ROOT / f"{entry['file']}.ipynb" for entry in part.get("chapters", [])
                    if (ROOT / f"{entry['file']}.ipynb").is_file()]
        if any(slide_cells(json.loads(path.read_text(encoding="utf-8"))) for path in chapters):
            number = re.match(r"Lecture (\d+)", part["caption"])
            name = f"lecture-{number[1]}" if number else re.sub(r"[^a-z0-9]+", "-", part["caption"].lower()).strip("-")
            found.append(Deck(name, part["caption"], chapters))
    return found


# --- one slide -------------------------------------------------------------------------------------

class SlideWriter:
    """Turns one chapter's slide cells into ``<section>``s, in one edition."""

    def __init__(self, path: Path, edition: Edition, images: Path):
        self.path, self.edition, self.images = path, edition, images
        self.chapter, self.notebook = Chapter.read(path, edition)
        self.cells = {cell.get("id"): cell for cell in self.notebook["cells"]}
        self.figures = {cell["metadata"].get("mystnb", {}).get("figure", {}).get("name"): cell
                        for cell in self.notebook["cells"] if cell["cell_type"] == "code"}

    def fail(self, message: str) -> SlideError:
        return SlideError(f"{self.path.relative_to(ROOT)}: {message}")

    def markdown(self, text: str) -> str:
        source = self.chapter.inline(text)
        rendered = MARKDOWN.render(source)
        rendered = INLINE_MATH.sub(lambda m: f'<span class="math">\\({m[1]}\\)</span>', rendered)
        rendered = DISPLAY_MATH.sub(lambda m: f'<div class="math">\\[{m[1]}\\]</div>', rendered)
        # A "$" left in the text that the source did not escape ("\$5") is a formula Markdown did not read.
        escaped = re.sub(r"`[^`]*`", "", source).count("\\$")
        if re.sub(r"<pre.*?</pre>|<code>.*?</code>|<[^>]+>", "", rendered, flags=re.S).count("$") > escaped:
            raise self.fail(f"a formula's $ was left in a slide, in {text!r}: close each $…$ on its line, "
                            "put a display formula $$…$$ on lines of its own, and write a dollar as \\$")
        return rendered

    def display(self, tex: str) -> str:
        return f'<div class="math">\\[{html.escape(tex, quote=False)}\\]</div>'

    def figure(self, name: str) -> str:
        cell = self.figures.get(name)
        if cell is None:
            raise self.fail(f"@figure {name}: no code cell draws a figure named {name!r} (mystnb.figure.name)")
        images = [o["data"]["image/png"] for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if not images:
            raise self.fail(f"@figure {name}: its cell has no PNG output: run the chapter (make outputs)")
        alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
        alt = self.chapter.translations.get(alt, alt)
        if not alt:
            raise self.fail(f"@figure {name}: its cell has no alt text (mystnb.image.alt)")
        image = self.images / f"{self.path.stem}-{name}.png"
        data = base64.b64decode(images[-1] if isinstance(images[-1], str) else "".join(images[-1]))
        write_if_changed(image, data)
        return f'<img class="slide-figure" src="images/{image.name}" alt="{html.escape(alt)}">'

    def code_cell(self, cell_id: str, what: str) -> dict:
        cell = self.cells.get(cell_id)
        if cell is None or cell["cell_type"] != "code":
            raise self.fail(f"@{what} {cell_id}: the chapter has no code cell with that id")
        return cell

    def code(self, target: str) -> str:
        cell_id, _, lines = target.partition(" ")
        source = source_of(self.code_cell(cell_id, "code")).strip("\n").splitlines()
        if lines:
            first, last = (int(n) for n in lines.split("-"))
            if not 1 <= first <= last <= len(source):
                raise self.fail(f"@code {target}: the cell has lines 1-{len(source)}")
            source = source[first - 1:last]
        return f'<pre class="slide-code"><code>{html.escape(chr(10).join(source))}</code></pre>'

    def output(self, cell_id: str) -> str:
        cell = self.code_cell(cell_id, "output")
        text = "".join("".join(o["text"]) if isinstance(o["text"], list) else o["text"]
                       for o in cell.get("outputs", []) if o.get("output_type") == "stream")
        if not text.strip():
            raise self.fail(f"@output {cell_id}: that cell printed nothing")
        return f'<pre class="slide-output">{html.escape(text.rstrip())}</pre>'

    def section(self, cell: dict) -> str:
        body, notes = split_notes(source_of(cell))
        if not body.startswith("## "):
            raise self.fail(f"the slide cell {cell.get('id')} must start with its title, a '## ' heading")
        parts = []
        for kind, content in markdown_parts(body):
            parts.append(self.markdown(content) if kind == "markdown" else getattr(self, kind)(content))
        aside = f'<aside class="notes">{self.markdown(notes)}</aside>' if notes else ""
        return f'<section id="{self.path.stem}-{cell.get("id")}">\n{"".join(parts)}{aside}</section>'

    def sections(self) -> list[str]:
        return [self.section(cell) for cell in slide_cells(self.notebook)]


# --- one deck --------------------------------------------------------------------------------------

def edition_folder(site: Path, edition: Edition) -> Path:
    return site / edition.folder.rstrip("/")


def caption(deck: Deck, edition: Edition) -> str:
    """The lecture's title in ``edition``: its part caption, translated in the root page's catalog."""
    if edition is ENGLISH:
        return deck.title
    from translations import translated_captions

    return translated_captions().get(deck.title, deck.title)


def deck_html(deck: Deck, edition: Edition, folder: Path) -> str:
    """The deck's page, with its formulas typeset."""
    say = words(edition)
    numbers = chapter_numbers()
    title = caption(deck, edition)
    course = config(edition)["title"]
    hint = say("Press S for the speaker notes, Esc for an overview of the slides.")
    sections = [f'<section class="title-slide" id="title">\n<h1>{html.escape(title)}</h1>\n'
                f'<p>{html.escape(course)}</p>\n<p class="slide-hint">{html.escape(hint)}</p>\n</section>']
    for path in deck.chapters:
        writer = SlideWriter(path, edition, folder / "images")
        slides = writer.sections()
        if not slides:
            continue
        heading = f"{numbers.get(path.stem, '')}. {page_title(path, edition)}".lstrip(". ")
        page = f"../{path.relative_to(ROOT).with_suffix('.html').as_posix()}"
        sections.append(f'<section class="chapter-slide" id="{path.stem}">\n<h2>{html.escape(heading)}</h2>\n'
                        f'<p><a href="{page}">{html.escape(say("Read the chapter"))}</a></p>\n</section>')
        sections += slides
    page = TEMPLATE.format(lang=edition.html_lang, title=html.escape(f"{title} · {course}"),
                           sections="\n".join(sections), width=WIDTH, height=HEIGHT)
    return typeset(page)


def typeset(page: str) -> str:
    """The page with its formulas typeset as on the site (MathJax in Node, SVG with hidden MathML)."""
    found = math_prerender.formulas(page)
    if not found:
        return page
    tex = (config(ENGLISH)["sphinx"]["config"].get("mathjax3_config") or {}).get("tex", {})
    result = math_prerender.typeset([{"formulas": [{"tex": t, "display": d} for _m, t, d in found]}], tex)["pages"][0]
    if result["errors"]:
        raise SlideError("TeX errors in the slides: " + "; ".join(result["errors"]))
    return math_prerender.render(page, found, result)


TEMPLATE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="reveal/reset.css">
<link rel="stylesheet" href="reveal/reveal.css">
<link rel="stylesheet" href="slides.css">
</head>
<body>
<main class="deck"><div class="reveal"><div class="slides">
{sections}
</div></div></main>
<script src="reveal/reveal.js"></script>
<script src="reveal/plugin/notes.js"></script>
<script>
Reveal.initialize({{width: {width}, height: {height}, margin: 0.04, hash: true, center: false,
  slideNumber: "c/t", transition: "none", plugins: [RevealNotes]}});
</script>
</body>
</html>
"""


def write_decks(site: Path) -> list[Path]:
    """Every deck of every edition built in ``site``, with reveal.js beside them; the decks written."""
    written = []
    all_decks = decks()
    for edition in EDITIONS:
        folder = edition_folder(site, edition) / "slides"
        for name in REVEAL_FILES:
            if not (REVEAL / name).is_file():
                raise ToolError("reveal.js is not installed in tools/node: "
                                "`npm ci --prefix tools/node` (make site does it)")
            (folder / "reveal" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REVEAL / name, folder / "reveal" / name)
        shutil.copyfile(STYLE, folder / "slides.css")
        for deck in all_decks:
            path = folder / f"{deck.name}.html"
            write_if_changed(path, deck_html(deck, edition, folder))
            written.append(path)
    return written


def print_handouts(site: Path, decks_written: list[Path]) -> list[tuple[Path, int]]:
    """Each deck printed as reveal.js prints it (``?print-pdf``): one 1280 × 720 px page per slide."""
    import io

    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    from local_browser import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM, served

    if not CHROMIUM.exists():
        raise ToolError(f"the handouts were not printed: {NO_CHROMIUM}")
    printed = []
    with served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        for deck in decks_written:
            page.goto(f"{url}{deck.relative_to(site).as_posix()}?print-pdf", wait_until="load")
            # reveal.js lays out the print pages after it is ready, a frame later: wait for every slide's page.
            page.wait_for_function("() => window.Reveal && Reveal.isReady() && document.querySelectorAll("
                                   "'.reveal .pdf-page').length >= document.querySelectorAll('.slides > section').length")
            page.evaluate("document.fonts.ready.then(() => true)")
            pdf = page.pdf(width=f"{WIDTH}px", height=f"{HEIGHT}px", print_background=True,
                           prefer_css_page_size=True)
            output = deck.with_suffix(".pdf")
            write_if_changed(output, pdf)
            printed.append((output, len(PdfReader(io.BytesIO(pdf)).pages)))
        browser.close()
    return printed


def stale(site: Path) -> list[str]:
    sources = [p for deck in decks() for p in deck.chapters]
    newest = max((p.stat().st_mtime for p in sources), default=0)
    found = []
    for edition in EDITIONS:
        for deck in decks():
            path = edition_folder(site, edition) / "slides" / f"{deck.name}.html"
            if not path.is_file() or path.stat().st_mtime < newest:
                found.append(str(path))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    options = parser(__doc__, PROG)
    options.add_argument("--site", type=Path, default=ROOT / "_build" / "html",
                         help="the built site (default: _build/html)")
    options.add_argument("--handouts", action="store_true", help="print each deck's PDF handout too")
    options.add_argument("--check", action="store_true", help="only report out-of-date decks (exit 1)")
    args = parse(options, argv)
    if isinstance(args, int):
        return args
    if args.check:
        return report_stale(stale(args.site), f"python {PROG}", PROG)
    written = write_decks(args.site)
    for path in written:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    if args.handouts:
        for output, pages in print_handouts(args.site, written):
            print(f"{output}: {pages} pages")
    return 0


if __name__ == "__main__":
    run(main, PROG)
