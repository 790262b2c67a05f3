"""The reference pages: the glossary (and its use by the chapters), the bibliography, the API page.

The checks read the source files and the HTML that the ``built_site`` fixture built.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import book
from book_structure import ROOT, code_cells, load, source, toc_files
from test_site import Page

CHAPTERS = [f for f in toc_files() if f.startswith("chapters/")]
CJK = re.compile(r"[\u4e00-\u9fff]")


def glossary_entries() -> list[tuple[str, str]]:
    """(term, definition line) for each entry of glossary.md's ``{glossary}`` block, in file order."""
    text = (ROOT / "glossary.md").read_text(encoding="utf-8")
    block = re.search(r"```\{glossary\}\n(.*?)\n```", text, re.S)
    assert block, "glossary.md has no {glossary} block"
    entries, term = [], None
    for line in block.group(1).splitlines():
        if not line.strip():
            continue
        if not line[0].isspace():
            term = line.strip()
        else:
            assert term is not None, f"definition without a term: {line}"
            entries.append((term, line.strip()))
            term = None
    return entries


def chapter_pages(built_site: Path) -> dict[str, Page]:
    return {name: Page(built_site / f"{name}.html") for name in CHAPTERS}


def targets(page: Page, document: str) -> set[str]:
    """The #fragments of ``document``.html that ``page`` links to."""
    found = set()
    for url in page.links():
        path, _, fragment = url.partition("#")
        if path.rsplit("/", 1)[-1] == f"{document}.html" and fragment:
            found.add(fragment)
    return found


# --- glossary -----------------------------------------------------------------------------------

def test_glossary_has_at_least_30_terms():
    assert len(glossary_entries()) >= 30


def test_every_glossary_entry_gives_chinese_and_a_one_line_definition():
    bad = [term for term, line in glossary_entries()
           if not (CJK.search(line.split(" — ", 1)[0]) and " — " in line and len(line.split(" — ", 1)[1]) > 10)]
    assert not bad, f"write these as `中文 — definition.`: {bad}"


def test_glossary_terms_are_unique_and_in_alphabetical_order():
    terms = [term for term, _ in glossary_entries()]
    assert len(set(t.lower() for t in terms)) == len(terms)
    assert terms == sorted(terms, key=str.lower), "keep glossary.md's terms in alphabetical order"


def glossary_ids(built_site: Path) -> dict[str, str]:
    """The anchor id of each term on the built glossary page, by term."""
    page = Page(built_site / "glossary.html")
    ids = {}
    for tag, attributes in page.tags:
        if tag == "dt" and attributes.get("id", "").startswith("term-"):
            ids[attributes["id"]] = attributes["id"]
    return ids


def test_every_glossary_term_is_on_the_built_page(built_site):
    assert len(glossary_ids(built_site)) == len(glossary_entries())


def unlinked_terms(built_site: Path) -> list[str]:
    linked = set().union(*(targets(page, "glossary") for page in chapter_pages(built_site).values()))
    by_id = {f"term-{re.sub(r'[^A-Za-z0-9]+', '-', term).strip('-')}": term for term, _ in glossary_entries()}
    ids = glossary_ids(built_site)
    assert set(by_id) <= set(ids), f"term anchors not as expected: {sorted(set(by_id) - set(ids))}"
    return [term for anchor, term in by_id.items() if anchor not in linked]


def test_every_glossary_term_is_linked_from_a_chapter(built_site):
    """Each term is linked ({term}`...`) from at least one chapter: where it is introduced."""
    missing = unlinked_terms(built_site)
    assert not missing, (
        f"{len(missing)} glossary terms no chapter links with {{term}}: {missing}. Link each at its "
        "first use in the chapter that introduces it, or drop the term."
    )


# --- bibliography -------------------------------------------------------------------------------

def test_bibliography_lists_the_cited_works(built_site):
    page = Page(built_site / "bibliography.html")
    entries = {a["id"] for tag, a in page.tags if "citation" in a.get("class", "").split() and a.get("id")}
    assert entries, "the bibliography page lists nothing"
    cited = set().union(*(targets(p, "bibliography") for p in chapter_pages(built_site).values()),
                        targets(Page(built_site / f"{toc_files()[0]}.html"), "bibliography"))
    assert entries <= cited, f"listed but cited by no page: {sorted(entries - cited)}"


def test_chapters_cite_their_sources(built_site):
    citing = [name for name, page in chapter_pages(built_site).items() if targets(page, "bibliography")]
    assert citing, "no chapter cites a source with {cite}"


# --- API ----------------------------------------------------------------------------------------

def api_page(built_site: Path) -> Page:
    return Page(built_site / "api.html")


def test_api_page_documents_every_public_helper(built_site):
    """Every name in book.__all__ has an autodoc entry (id ``book.<name>``) on the API page."""
    documented = api_page(built_site).ids
    missing = sorted(name for name in book.__all__ if f"book.{name}" not in documented)
    assert not missing, f"add these to api.md: {missing}"


def test_api_page_documents_nothing_that_book_does_not_export(built_site):
    documented = {i.removeprefix("book.") for i in api_page(built_site).ids if re.fullmatch(r"book\.\w+", i)}
    stale = sorted(documented - set(book.__all__))
    assert not stale, f"api.md documents names that book.__all__ does not export: {stale}"


def introduced_in(source: str) -> dict[str, str | None]:
    """For each helper on the API page, the chapter named on its 'Introduced in' line (or None)."""
    found: dict[str, str | None] = {}
    current = None
    for line in source.splitlines():
        entry = re.match(r"\.\. auto(?:function|class|exception):: book\.(\w+)$", line.strip())
        if entry:
            current = entry.group(1)
            found[current] = None
        chapter = re.search(r"Introduced in :doc:`(chapters/[\w-]+)`", line)
        if chapter and current:
            found[current] = chapter.group(1)
            current = None
    return found


def chapter_code(chapter: str) -> str:
    return "\n".join(source(c) for c in code_cells(load(ROOT / f"{chapter}.ipynb")))


@pytest.mark.parametrize("name", sorted(book.__all__))
def test_api_page_names_the_chapter_that_introduces_the_helper(name):
    """The chapter named uses the helper; a helper said to be used by no chapter is indeed unused."""
    entries = introduced_in((ROOT / "api.md").read_text(encoding="utf-8"))
    assert name in entries, f"api.md has no entry for book.{name}"
    uses = re.compile(rf"\bbook\.{name}\b|^(?:def|class) {name}\b|^from book import .*\b{name}\b", re.M)
    users = [ch for ch in CHAPTERS if uses.search(chapter_code(ch))]
    chapter = entries[name]
    if chapter is None:
        assert not users, f"api.md: book.{name} is used first in {users[0]}: say 'Introduced in :doc:`{users[0]}`.'"
    else:
        assert chapter in users, f"api.md says {chapter} introduces book.{name}, but its code does not use it"
