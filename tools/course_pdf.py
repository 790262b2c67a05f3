"""The whole course as one PDF, printed from the built site by Debian's Chromium.

    python tools/course_pdf.py [_build/html]      # the English edition
    python tools/course_pdf.py _build/html/zh     # the Chinese edition (中文版)

Every page of _toc.yml is opened in headless Chromium (Playwright, with ``executable_path``: never
a downloaded browser), with its formulas (typeset as SVG when the site was built) and its fonts
loaded, and printed with the theme's print style. A title page and a table of contents with page
numbers come first; the PDF's outline (bookmarks) links every page's first sheet. The result is written to
``linear-neural-networks.pdf`` in the edition's folder, which its front page links to; the title
page and contents are in the edition's language (its root page's ``<html lang>``). Nothing is
written unless every page printed.
"""

from __future__ import annotations

import datetime
import html
import io
import re
import sys
from pathlib import Path

import yaml

from local_browser import CHROMIUM, CHROMIUM_ARGS, served

ROOT = Path(__file__).resolve().parents[1]
PDF_NAME = "linear-neural-networks.pdf"
PAGE_FORMAT = {"format": "A4", "print_background": True,
               "margin": {"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}}
# Code and outputs wrap on paper instead of being cut at the right margin.
PRINT_CSS = "pre { white-space: pre-wrap !important; overflow-wrap: anywhere; }"
# The page's fonts loaded (its formulas come typeset from the build: _ext/math_prerender.py).
FONTS_LOADED = "() => document.fonts.ready.then(() => true)"


def toc_pages() -> list[str]:
    """The site's pages (without extension) in reading order: the root, then every ``file:``."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [toc["root"]] + re.findall(r"file:\s*(\S+)", (ROOT / "_toc.yml").read_text())


#: The front matter's words in each edition's language (the Chinese edition: tools/translations.py).
FRONT_MATTER = {
    "en": {"contents": "Contents", "printed": "Printed from the course site, {date:%B %Y}.",
           "numbers": "Every number and figure comes from the code of the pages, run in PyTorch."},
    "zh-CN": {"contents": "目录", "printed": "打印自课程网站，{date.year} 年 {date.month} 月。",
              "numbers": "书中的每个数字和每幅图都来自页面中的代码，由 PyTorch 运行得出。"},
}


def front_matter(titles: list[str], first_pages: list[int], title: str, author: str,
                 language: str = "en") -> str:
    """The title page and the table of contents, as HTML."""
    entries = "\n".join(
        f'<li><span>{html.escape(name)}</span><span>{number}</span></li>'
        for name, number in zip(titles, first_pages))
    words = FRONT_MATTER[language]
    printed = words["printed"].format(date=datetime.date.today())
    return f"""<!doctype html><html lang="{language}"><head><meta charset="utf-8"><style>
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


def edition_language(site: Path) -> str:
    """The language of the edition in ``site``, read off its root page's ``<html lang>``."""
    root = yaml.safe_load((ROOT / "_toc.yml").read_text())["root"]
    found = re.search(r'<html lang="([^"]+)"', (site / f"{root}.html").read_text(encoding="utf-8"))
    return found.group(1) if found and found.group(1) in FRONT_MATTER else "en"


def print_course(site: Path, output: Path) -> int:
    """Print every page of the site into one PDF at ``output``; return its number of pages."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    language = edition_language(site)
    if language != "en":  # the Chinese edition's title and author (tools/translations.py)
        config.update(yaml.safe_load((ROOT / "locales" / "zh_CN" / "_config.yml").read_text()))
    pages = toc_pages()
    missing = [p for p in pages if not (site / f"{p}.html").exists()]
    if missing:
        raise SystemExit(f"build the site first (make site): missing {', '.join(missing)} in {site}")

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
        page.set_content(front_matter(titles, first, config["title"], config["author"], language),
                         wait_until="load")
        front = PdfReader(io.BytesIO(page.pdf(**PAGE_FORMAT)))
        browser.close()
    if len(front.pages) != front_pages:
        raise SystemExit(f"the title page and contents took {len(front.pages)} pages, not {front_pages}")

    writer = PdfWriter()
    for reader in [front, *printed]:
        for sheet in reader.pages:
            writer.add_page(sheet)
    for name, start in zip(titles, first):
        writer.add_outline_item(name, start - 1)
    writer.add_metadata({"/Title": config["title"], "/Author": config["author"]})
    partial = output.with_suffix(".pdf.partial")
    with partial.open("wb") as stream:
        writer.write(stream)
    partial.replace(output)
    return len(writer.pages)


def main(argv: list[str]) -> None:
    site = Path(argv[0]) if argv else ROOT / "_build" / "html"
    if not CHROMIUM.exists():
        print(f"The PDF was not made: no Chromium at {CHROMIUM} (sudo apt-get install chromium, "
              "or point $CHROMIUM at one).")
        return
    pages = print_course(site, site / PDF_NAME)
    print(f"{site / PDF_NAME}: {pages} pages")


if __name__ == "__main__":
    main(sys.argv[1:])
