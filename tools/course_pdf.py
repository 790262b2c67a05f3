"""The whole course as one tagged PDF, printed from the built site by Debian's Chromium.

    python tools/course_pdf.py [_build/html]      # the English edition
    python tools/course_pdf.py _build/html/zh     # the Chinese edition (中文版)
    python tools/course_pdf.py --check SITE       # exit 1 if the PDF is missing or older than a page

Every page of _toc.yml is opened in headless Chromium (Playwright, with ``executable_path``: never
a downloaded browser), with its formulas (typeset as SVG when the site was built) and its fonts
loaded, as printing shows it (solutions open). Its printed part (the theme's print header, the
article, the formulas' glyphs) is taken out, its ids given the page's prefix, its links into the
book turned into links inside the PDF; then the title page, a table of contents and every page of
the book, each from a new sheet, are put into one page of the site (the root page, so the site's
stylesheets and print style apply) and printed as one document. So Chromium writes one structure
tree for the whole book (a *tagged* PDF, which screen readers and reflowing readers follow; merging
separately printed PDFs would drop it) and the outline (bookmarks) from its headings: each page of
the book at the top level, its sections below it. The contents' page numbers are counted from
each page printed alone (untagged: quick) and checked against the outline of the tagged print,
which is printed again with the outline's numbers if they differ. The result
is written to ``linear-neural-networks.pdf`` in the edition's folder, which its front page links
to; the title page and contents are in the edition's language (its root page's ``<html lang>``,
``tools/editions.py``), which the PDF declares. Nothing is written unless every page printed.
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
#: A tagged PDF (a structure tree: headings, paragraphs, lists, tables, figures with their alt text)
#: with an outline made from its headings.
PAGE_FORMAT = {"format": "A4", "print_background": True, "tagged": True, "outline": True,
               "margin": {"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}}
#: Each page of the book printed alone, to count its sheets: untagged, which is quicker.
ALONE_FORMAT = {**PAGE_FORMAT, "tagged": False, "outline": False}
FRONT_PAGES = 2  # the title page and the contents
# Code and outputs wrap on paper instead of being cut at the right margin; every page of the book
# and the contents start a sheet; the front matter's layout.
PRINT_CSS = """
pre { white-space: pre-wrap !important; overflow-wrap: anywhere; }
.course-pdf-page, .course-pdf-contents { break-before: page; }
.course-pdf-title { height: 245mm; display: flex; flex-direction: column; justify-content: center; }
.course-pdf-title .course-pdf-book { font-size: 34pt; line-height: 1.2; margin: 0 0 8mm; }
.course-pdf-title p { font-size: 14pt; margin: 2mm 0; }
.course-pdf-contents .course-pdf-heading { font-size: 20pt; margin: 0 0 6mm; }
.course-pdf-contents ol { list-style: none; padding: 0; font-size: 12pt; }
.course-pdf-contents a { display: flex; justify-content: space-between; gap: 4mm; padding: 2.5mm 0;
                         border-bottom: 1px dotted #999; color: inherit; text-decoration: none; }
"""
# The page's fonts loaded (its formulas come typeset from the build: _ext/math_prerender.py).
FONTS_LOADED = "() => document.fonts.ready.then(() => true)"
#: Ids the theme's print style selects (sphinx-book-theme's print header): kept, not prefixed.
THEME_IDS = ["jb-print-docs-body", "print-main-content", "jb-print-toc"]

#: Run in a loaded page of the book: its printed part, self-contained. Every id gets the page's
#: prefix and every reference to one follows (links, <use> of a formula's glyph, labels, ARIA);
#: a link to a page of the book (``book``: its path -> its anchor) leads to that page or its anchor
#: in the PDF, a link to another file of the site (which the PDF does not hold) becomes plain text,
#: and images and other links are absolute. The theme's print header's "Contents" is no heading,
#: so that each page's outline entry holds its sections only.
TAKE_PAGE = """([prefix, book, themeIds]) => {
  window.dispatchEvent(new Event('beforeprint'));  // the theme opens what a printout shows open (solutions)
  const roots = [...document.querySelectorAll('body > svg'),
                 document.querySelector('#jb-print-docs-body'), document.querySelector('article.bd-article')]
                .filter(Boolean);
  const own = new Set();
  for (const root of roots)
    for (const el of [root, ...root.querySelectorAll('[id]')])
      if (el.id && !themeIds.includes(el.id)) own.add(el.id);
  const local = id => own.has(id) ? prefix + id : id;
  const IDREFS = ['for', 'headers', 'list', 'aria-labelledby', 'aria-describedby', 'aria-controls',
                  'aria-owns', 'aria-activedescendant', 'aria-details', 'aria-errormessage', 'aria-flowto'];
  const XLINK = 'http://www.w3.org/1999/xlink';
  for (const root of roots) for (const el of [root, ...root.querySelectorAll('*')]) {
    if (el.id && own.has(el.id)) el.id = prefix + el.id;
    for (const name of IDREFS)
      if (el.hasAttribute(name))
        el.setAttribute(name, el.getAttribute(name).trim().split(/\\s+/).map(local).join(' '));
    for (const attr of [...el.attributes])
      if (attr.value.includes('url(#'))
        attr.value = attr.value.replace(/url\\(#([^)]+)\\)/g, (_, id) => `url(#${local(id)})`);
    for (const [ns, name] of [[null, 'href'], [XLINK, 'href']]) {
      const value = el.getAttributeNS(ns, name);
      if (value === null) continue;
      if (el.localName !== 'a') {
        if (value.startsWith('#')) el.setAttributeNS(ns, name, '#' + local(value.slice(1)));
        continue;
      }
      const url = new URL(value, document.baseURI);
      if (url.origin !== location.origin) el.setAttributeNS(ns, name, url.href);
      else if (url.pathname in book) {
        const anchor = book[url.pathname], id = decodeURIComponent(url.hash.slice(1));
        el.setAttributeNS(ns, name, '#' + (id ? `${anchor}--${id}` : anchor));
      } else el.removeAttributeNS(ns, name);
    }
    if (el.localName === 'img') { el.src = el.src; el.loading = 'eager'; }
  }
  const contents = document.querySelector('#jb-print-toc h2');
  if (contents) contents.setAttribute('role', 'presentation');
  const heading = document.querySelector('#jb-print-docs-body h1, article h1');
  return {
    title: heading ? heading.innerText.replace(/#$/, '').trim() : document.title,
    sheets: [...document.querySelectorAll('link[rel="stylesheet"]')].map(link => link.href),
    styles: [...document.querySelectorAll('head style')].map(style => style.textContent),
    html: roots.map(root => root.outerHTML).join('\\n'),
  };
}"""

#: Run in the root page: its article replaced by the front matter and every page of the book, with
#: every page's stylesheets; once every image and font is loaded, resolves to the text of every
#: heading printed (each an entry of the outline, in the same order).
PUT_BOOK = """async ([front, pages, sheets, styles, title]) => {
  const loads = [];
  const linked = new Set([...document.querySelectorAll('link[rel="stylesheet"]')].map(link => link.href));
  for (const href of sheets) if (!linked.has(href)) {
    const link = Object.assign(document.createElement('link'), {rel: 'stylesheet', href});
    loads.push(new Promise(done => { link.onload = link.onerror = done; }));
    document.head.append(link);
    linked.add(href);
  }
  const inline = new Set([...document.querySelectorAll('head style')].map(style => style.textContent));
  for (const css of styles) if (!inline.has(css)) {
    document.head.append(Object.assign(document.createElement('style'), {textContent: css}));
    inline.add(css);
  }
  document.querySelector('.bd-article-container').innerHTML =
    front + pages.map(page => `<div class="course-pdf-page" id="${page.anchor}">${page.html}</div>`).join('');
  document.title = title;
  await Promise.all(loads);
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  await document.fonts.ready;
  return [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')]
    .filter(h => h.checkVisibility() && !['presentation', 'none'].includes(h.getAttribute('role')))
    .map(h => h.innerText.replace(/\\s+/g, ' ').replace(/ ?#$/, '').trim());
}"""


#: Run in the assembled book: the contents' page numbers written.
NUMBER_CONTENTS = """numbers => document.querySelectorAll('.course-pdf-contents li a > span:last-child')
  .forEach((number, i) => { number.textContent = numbers[i]; })"""


#: The front matter's words in each edition's language (the Chinese edition: tools/translations.py).
FRONT_MATTER = {
    ENGLISH.language: {
        "contents": "Contents", "printed": "Printed from the course site, {date:%B %Y}.",
        "numbers": "Every number and figure comes from the code of the pages, run in PyTorch."},
    CHINESE.language: {
        "contents": "目录", "printed": "打印自课程网站，{date.year} 年 {date.month} 月。",
        "numbers": "书中的每个数字和每幅图都来自页面中的代码，由 PyTorch 运行得出。"},
}


def anchor(name: str) -> str:
    """The id of page ``name`` of the book in the PDF; its own ids get ``anchor(name) + "--"`` in front."""
    return "page-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def front_matter(titles: list[str], anchors: list[str], first_pages: list[int], title: str, author: str,
                 language: Edition = ENGLISH) -> str:
    """The title page and the table of contents (each entry a link to its page), as HTML, in the
    edition ``language``. Neither has a heading: the outline holds the pages of the book only."""
    entries = "\n".join(
        f'<li><a href="#{target}"><span>{html.escape(name)}</span><span>{number}</span></a></li>'
        for name, target, number in zip(titles, anchors, first_pages))
    words = FRONT_MATTER[language.language]
    printed = words["printed"].format(date=datetime.date.today())
    return f"""<section class="course-pdf-title">
        <p class="course-pdf-book">{html.escape(title)}</p>
        <p>{html.escape(author)}</p><p>{printed}</p><p>{words["numbers"]}</p></section>
      <nav class="course-pdf-contents" aria-labelledby="course-pdf-contents">
        <p class="course-pdf-heading" id="course-pdf-contents">{words["contents"]}</p><ol>{entries}</ol></nav>"""


def site_edition(site: Path) -> Edition:
    """The edition in ``site``, read off its root page's ``<html lang>``."""
    found = re.search(r'<html lang="([^"]+)"', (site / f"{toc_files()[0]}.html").read_text(encoding="utf-8"))
    return edition(found.group(1) if found else None)


def missing_pages(site: Path) -> list[str]:
    """The pages of the book that ``site`` lacks."""
    return [p for p in toc_files() if not (site / f"{p}.html").is_file()]


def page_starts(pdf: bytes) -> list[int]:
    """The sheet (from 1) on which each top-level entry of the PDF's outline (a page of the book) starts."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return [reader.get_destination_page_number(item) + 1 for item in reader.outline if not isinstance(item, list)]


def outline_entries(outline) -> list:
    """The entries of a PDF's outline (``/Outlines``) in reading order: each entry, then those below it."""
    entries, item = [], outline.get("/First")
    while item is not None:
        item = item.get_object()
        entries += [item, *outline_entries(item)]
        item = item.get("/Next")
    return entries


def finished(pdf: bytes, headings: list[str], author: str) -> bytes:
    """``pdf`` with its author (Chromium writes the title and language, not the author) and its
    outline's titles as the headings read (``headings``: Chromium joins the lines of a heading that
    wraps without a space, "fromscratch"), appended as an incremental update (PDF 1.7, 7.5.6): the
    objects changed, a cross-reference section for them, a trailer pointing back to Chromium's. What
    Chromium wrote stays byte for byte, the structure tree with it; pypdf's own incremental writer
    takes 20 s to hash the tree's 40,000 objects first."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, NameObject, NumberObject, TextStringObject

    reader = PdfReader(io.BytesIO(pdf))
    entries = outline_entries(reader.trailer["/Root"]["/Outlines"])
    if len(entries) != len(headings):
        raise ToolError(f"the outline has {len(entries)} entries for {len(headings)} headings printed: "
                        "PUT_BOOK must read the headings Chromium makes the outline of")
    for entry, heading in zip(entries, headings):
        entry[NameObject("/Title")] = TextStringObject(heading)
    info = reader.trailer["/Info"]
    info[NameObject("/Author")] = TextStringObject(author)
    out = io.BytesIO()
    out.write(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = {}
    for changed in [info, *entries]:
        reference = changed.indirect_reference
        offsets[reference.idnum] = (out.tell(), reference.generation)
        out.write(f"{reference.idnum} {reference.generation} obj\n".encode())
        changed.write_to_stream(out)
        out.write(b"\nendobj\n")
    table = out.tell()
    out.write(b"xref\n0 1\n0000000000 65535 f\r\n")  # the head of the free list, as in every section
    for idnum, (offset, generation) in sorted(offsets.items()):
        out.write(f"{idnum} 1\n{offset:010d} {generation:05d} n\r\n".encode())
    trailer = DictionaryObject({NameObject(key): reader.trailer.raw_get(key) for key in ("/Size", "/Root", "/Info")})
    trailer[NameObject("/Prev")] = NumberObject(int(re.findall(rb"startxref\s+(\d+)", pdf[-1024:])[-1]))
    out.write(b"trailer\n")
    trailer.write_to_stream(out)
    out.write(f"\nstartxref\n{table}\n%%EOF\n".encode())
    return out.getvalue()


def print_course(site: Path, output: Path) -> int:
    """Print every page of the site into one tagged PDF at ``output``; return its number of sheets."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    missing = missing_pages(site)
    if missing:
        raise ToolError(f"build the site first (make site): {site} has no {', '.join(missing)}")
    language = site_edition(site)
    settings = config(language)  # the Chinese edition's title and author: locales/zh_CN/_config.yml
    pages = toc_files()
    anchors = [anchor(name) for name in pages]

    with served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.emulate_media(media="print")
        book = {f"/{name}.html": target for name, target in zip(pages, anchors)}
        taken, sizes = [], []
        for name, target in zip(pages, anchors):
            page.goto(f"{url}{name}.html", wait_until="load")
            page.wait_for_function(FONTS_LOADED, timeout=60_000)
            page.add_style_tag(content=PRINT_CSS)
            # How many sheets the page takes, for the contents' page numbers.
            sizes.append(len(PdfReader(io.BytesIO(page.pdf(**ALONE_FORMAT))).pages))
            taken.append({**page.evaluate(TAKE_PAGE, [f"{target}--", book, THEME_IDS]), "anchor": target})
        titles = [t["title"] for t in taken]
        sheets = list(dict.fromkeys(href for t in taken for href in t["sheets"]))
        styles = list(dict.fromkeys(css for t in taken for css in t["styles"]))
        numbers = [FRONT_PAGES + 1 + sum(sizes[:i]) for i in range(len(pages))]

        front = front_matter(titles, anchors, numbers, settings["title"], settings["author"], language)
        page.goto(f"{url}{pages[0]}.html", wait_until="load")
        page.add_style_tag(content=PRINT_CSS)
        headings = page.evaluate(PUT_BOOK, [front, taken, sheets, styles, settings["title"]])
        # The book, tagged; printed again (once) if a page of it does not start where the contents say.
        for _attempt in range(2):
            pdf = page.pdf(**PAGE_FORMAT)
            starts = page_starts(pdf)
            if len(starts) != len(pages):
                raise ToolError(f"the outline has {len(starts)} pages of the book, not {len(pages)}: "
                                "each page of the book must have one <h1>, and nothing else be one")
            if starts == numbers:
                break
            said, numbers = numbers, starts
            page.evaluate(NUMBER_CONTENTS, [str(number) for number in numbers])
        else:
            raise ToolError(f"the contents' page numbers do not hold: the pages of the book start on {starts} "
                            f"after the contents said {said}")
        browser.close()
    if starts[0] != FRONT_PAGES + 1:
        raise ToolError(f"the title page and contents took {starts[0] - 1} sheets, not {FRONT_PAGES}")
    pdf = finished(pdf, headings, settings["author"])
    write_if_changed(output, pdf)
    return len(PdfReader(io.BytesIO(pdf)).pages)


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
