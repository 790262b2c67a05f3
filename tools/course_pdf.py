"""The whole course as one PDF, printed from the built site by Debian's Chromium.

    python tools/course_pdf.py [_build/html]      # the English edition
    python tools/course_pdf.py _build/html/zh     # the Chinese edition (中文版)
    python tools/course_pdf.py --check SITE       # exit 1 if the PDF is missing or older than a page

Every page of _toc.yml is opened in headless Chromium (Playwright, with ``executable_path``: never
a downloaded browser), with its formulas (typeset as SVG when the site was built) and its fonts
loaded, and printed with the theme's print style. A title page and a table of contents with page
numbers come first; the PDF's outline (bookmarks) links every page's first sheet. The result is written to
``linear-neural-networks.pdf`` in the edition's folder, which its front page links to; the title
page and contents are in the edition's language (its root page's ``<html lang>``,
``tools/editions.py``). Nothing is written unless every page printed.
"""

from __future__ import annotations

import datetime
import html
import io
import re
from collections.abc import Sequence
from pathlib import Path

from artifacts import ROOT, ToolError, parse, parser, report_stale, run, write_if_changed
from editions import CHINESE, ENGLISH, Edition, config, edition
from local_browser import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM, served
from toc import toc_files

PROG = "tools/course_pdf.py"
PDF_NAME = "linear-neural-networks.pdf"
PAGE_FORMAT = {"format": "A4", "print_background": True,
               "margin": {"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}}
# Code and outputs wrap on paper instead of being cut at the right margin.
PRINT_CSS = "pre { white-space: pre-wrap !important; overflow-wrap: anywhere; }"
# The page's fonts loaded (its formulas come typeset from the build: _ext/math_prerender.py).
FONTS_LOADED = "() => document.fonts.ready.then(() => true)"


#: The front matter's words in each edition's language (the Chinese edition: tools/translations.py).
FRONT_MATTER = {
    ENGLISH.language: {
        "contents": "Contents", "printed": "Printed from the course site, {date:%B %Y}.",
        "numbers": "Every number and figure comes from the code of the pages, run in PyTorch."},
    CHINESE.language: {
        "contents": "目录", "printed": "打印自课程网站，{date.year} 年 {date.month} 月。",
        "numbers": "书中的每个数字和每幅图都来自页面中的代码，由 PyTorch 运行得出。"},
}


def front_matter(titles: list[str], first_pages: list[int], title: str, author: str,
                 language: Edition = ENGLISH) -> str:
    """The title page and the table of contents, as HTML, in the edition ``language``."""
    entries = "\n".join(
        f'<li><span>{html.escape(name)}</span><span>{number}</span></li>'
        for name, number in zip(titles, first_pages))
    words = FRONT_MATTER[language.language]
    printed = words["printed"].format(date=datetime.date.today())
    return f"""<!doctype html><html lang="{language.html_lang}"><head><meta charset="utf-8"><style>
      body {{ font-family: "DejaVu Sans", "WenQuanYi Micro Hei", sans-serif; color: #222; }}
      .title {{ height: 245mm; display: flex; flex-direction: column; justify-content: center; }}
      .title h1 {{ font-size: 34pt; margin: 0 0 8mm; }} .title p {{ font-size: 14pt; margin: 2mm 0; }}
      .toc {{ page-break-before: always; }} .toc h2 {{ font-size: 20pt; }}
      .toc ol {{ list-style: none; padding: 0; font-size: 12pt; }}
      .toc li {{ display: flex; justify-content: space-between; border-bottom: 1px dotted #999;
                 padding: 2.5mm 0; }}
    </style></head><body>
      <section class="title"><h1>{html.escape(title)}</h1>
        <p>{html.escape(author)}</p><p>{printed}</p>
        <p>{words["numbers"]}</p></section>
      <section class="toc"><h2>{words["contents"]}</h2><ol>{entries}</ol></section>
    </body></html>"""


def site_edition(site: Path) -> Edition:
    """The edition in ``site``, read off its root page's ``<html lang>``."""
    found = re.search(r'<html lang="([^"]+)"', (site / f"{toc_files()[0]}.html").read_text(encoding="utf-8"))
    return edition(found.group(1) if found else None)


def missing_pages(site: Path) -> list[str]:
    """The pages of the book that ``site`` lacks."""
    return [p for p in toc_files() if not (site / f"{p}.html").is_file()]


def print_course(site: Path, output: Path) -> int:
    """Print every page of the site into one PDF at ``output``; return its number of pages."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    missing = missing_pages(site)
    if missing:
        raise ToolError(f"build the site first (make site): {site} has no {', '.join(missing)}")
    language = site_edition(site)
    settings = config(language)  # the Chinese edition's title and author: locales/zh_CN/_config.yml
    pages = toc_files()

    printed, titles = [], []
    with served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.emulate_media(media="print")
        for name in pages:
            page.goto(f"{url}{name}.html", wait_until="load")
            page.wait_for_function(FONTS_LOADED, timeout=60_000)
            page.add_style_tag(content=PRINT_CSS)
            titles.append(page.eval_on_selector("main h1, article h1, h1", "h => h.innerText.replace(/#$/, '').trim()"))
            printed.append(PdfReader(io.BytesIO(page.pdf(**PAGE_FORMAT))))
        counts = [len(r.pages) for r in printed]
        front_pages = 2
        first = [front_pages + 1 + sum(counts[:i]) for i in range(len(counts))]
        page.set_content(front_matter(titles, first, settings["title"], settings["author"], language),
                         wait_until="load")
        front = PdfReader(io.BytesIO(page.pdf(**PAGE_FORMAT)))
        browser.close()
    if len(front.pages) != front_pages:
        raise ToolError(f"the title page and contents took {len(front.pages)} pages, not {front_pages}")

    writer = PdfWriter()
    for reader in [front, *printed]:
        for sheet in reader.pages:
            writer.add_page(sheet)
    for name, start in zip(titles, first):
        writer.add_outline_item(name, start - 1)
    writer.add_metadata({"/Title": settings["title"], "/Author": settings["author"]})
    pdf = io.BytesIO()
    writer.write(pdf)
    write_if_changed(output, pdf.getvalue())
    return len(writer.pages)


def stale(site: Path) -> list[str]:
    """For ``--check``: the PDF of ``site``, if it is missing or older than one of the pages."""
    pdf = site / PDF_NAME
    pages = [site / f"{p}.html" for p in toc_files()]
    newest = max((p.stat().st_mtime for p in pages if p.is_file()), default=0)
    return [str(pdf)] if not pdf.is_file() or pdf.stat().st_mtime < newest else []


def main(argv: Sequence[str] | None = None) -> int:
    options = parser(__doc__, PROG)
    options.add_argument("site", nargs="?", type=Path, default=ROOT / "_build" / "html",
                         help="the built edition to print (default: _build/html)")
    options.add_argument("--check", action="store_true", help="only report whether the PDF is out of date (exit 1)")
    args = parse(options, argv)
    if isinstance(args, int):
        return args
    if not (args.site / f"{toc_files()[0]}.html").is_file():
        raise ToolError(f"{args.site} is no built site: build it first (make site)")
    if args.check:
        return report_stale(stale(args.site), f"python {PROG} {args.site}", PROG)
    if not CHROMIUM.exists():
        raise ToolError(f"the PDF was not made: {NO_CHROMIUM}")
    pages = print_course(args.site, args.site / PDF_NAME)
    print(f"{args.site / PDF_NAME}: {pages} pages")
    return 0


if __name__ == "__main__":
    run(main, PROG)
