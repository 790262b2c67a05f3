"""The built site: a warning-free build, every internal link resolving, launch and download buttons.

All checks read the HTML that the ``built_site`` fixture built (``-n -W --keep-going``); the
browser test (tests/test_browser.py) then opens the pages for real.
"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from book_structure import ROOT, toc_files

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
sys.path.insert(0, str(ROOT / "tools"))
import repository  # noqa: E402

# The repository the site links to: the setting, or a fork where GitHub Actions builds one.
SETTING, BUILT_FOR = repository.configured_url(), repository.repository_url()
CHAPTERS = [f for f in toc_files() if f.startswith("chapters/")]


class Page(HTMLParser):
    """The tags of one built page: each as (tag, attributes), and every id it defines."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        for key in ("id", "name"):
            if attributes.get(key):
                self.ids.add(attributes[key])

    def links(self) -> list[str]:
        """Every href, src and srcset URL of the page, as written."""
        found = []
        for _, attributes in self.tags:
            for key in ("href", "src"):
                if attributes.get(key):
                    found.append(attributes[key])
            for candidate in attributes.get("srcset", "").split(","):
                if candidate.strip():
                    found.append(candidate.split()[0])
        return found

    def anchors(self, **wanted: str) -> list[dict[str, str]]:
        """The <a> tags whose attributes contain the given values (class is matched word by word)."""
        found = []
        for tag, attributes in self.tags:
            if tag != "a":
                continue
            if all(value in (attributes.get("class", "").split() if key == "class_" else [attributes.get(key)])
                   for key, value in wanted.items()):
                found.append(attributes)
        return found


def _page(built_site: Path, name: str) -> Page:
    return Page(built_site / f"{name}.html")


def built_pages(built_site: Path) -> list[Path]:
    return sorted(p for p in built_site.rglob("*.html") if not {"_static", "_sources"} & set(p.parts))


def is_internal(url: str) -> bool:
    return not urlsplit(url).scheme and not url.startswith(("//", "mailto:", "javascript:"))


class WarningTraces(HTMLParser):
    """What a build warning leaves in a page: a cross-reference that resolved to nothing (Sphinx keeps
    its text in an element of class ``xref`` outside any link) and docutils' error markers."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.links_open = 0
        self.found: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "a":
            self.links_open += 1
        elif ("xref" in classes and not self.links_open) or classes & {"problematic", "system-message"}:
            self.found.append(f"line {self.getpos()[0]}: <{tag} class=\"{' '.join(sorted(classes))}\">")

    def handle_endtag(self, tag):
        if tag == "a":
            self.links_open -= 1


GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`:]+)(?::[^`]*)?`|```\{glue(?::\w+)?\}\s+(\S+)")


def unglued_keys(notebook: Path) -> list[str]:
    """Keys that the notebook's text reads with {glue...} but none of its committed outputs glues."""
    cells = json.loads(notebook.read_text())["cells"]
    glued = {output.get("metadata", {}).get("scrapbook", {}).get("name")
             for cell in cells for output in cell.get("outputs", [])}
    used = {key for cell in cells if cell["cell_type"] == "markdown"
            for match in GLUE_ROLE.finditer("".join(cell["source"])) for key in match.groups() if key}
    return sorted(key for key in used if "::" not in key and key not in glued)


def test_site_builds_without_warnings(built_site):
    """The fixture fails on any warning in the build's log; this checks what the commonest ones leave
    behind: references that resolve to nothing (nitpicky mode), docutils errors, and glued numbers
    that the committed outputs do not hold (a page shows an empty space where the number belongs).
    The indexes are left out: their group headings are ``xref`` text without a link by design."""
    pages = [p for p in built_pages(built_site) if p.stem not in ("genindex", "py-modindex", "search")]
    traces = {str(path.relative_to(built_site)): WarningTraces(path).found for path in pages}
    traces = {page: found for page, found in traces.items() if found}
    assert not traces, f"unresolved references or errors in the built pages: {traces}"
    unglued = {name: unglued_keys(ROOT / f"{name}.ipynb") for name in CHAPTERS}
    unglued = {name: keys for name, keys in unglued.items() if keys}
    assert not unglued, f"glue keys that no committed output provides: {unglued}"


def test_every_toc_page_is_built(built_site):
    missing = [f for f in toc_files() if not (built_site / f"{f}.html").is_file()]
    assert not missing


def test_every_internal_link_and_resource_resolves(built_site):
    """Every href/src/srcset that points inside the site names a file, and its #fragment an id there."""
    pages = built_pages(built_site)
    parsed: dict[Path, Page] = {}

    def page_at(path: Path) -> Page:
        if path not in parsed:
            parsed[path] = Page(path)
        return parsed[path]

    broken, checked = [], 0
    for path in pages:
        for url in page_at(path).links():
            if not is_internal(url):
                continue
            checked += 1
            parts = urlsplit(url)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{path.relative_to(built_site)} -> {url}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in page_at(target).ids:
                broken.append(f"{path.relative_to(built_site)} -> {url} (no such anchor)")
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:50])
    assert len(pages) >= len(toc_files())
    assert checked >= len(pages)


def _reader(name: str) -> str:
    """The reader notebook of a chapter page (tools/reader_notebooks.py): what readers launch."""
    return "notebooks/" + name.removeprefix("chapters/") + ".ipynb"


def _repo() -> tuple[str, str]:
    return BUILT_FOR.removeprefix("https://github.com/"), CONFIG["repository"].get("branch", "main")


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_has_a_binder_launch_button(name, built_site):
    repo, branch = _repo()
    binder = CONFIG["launch_buttons"]["binderhub_url"].rstrip("/")
    expected = f"{binder}/v2/gh/{repo}/{branch}?urlpath=tree/{_reader(name)}"
    hrefs = [a["href"] for a in _page(built_site, name).anchors(title="Launch on Binder")]
    assert hrefs == [expected]


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_has_a_colab_launch_button(name, built_site):
    repo, branch = _repo()
    colab = CONFIG["launch_buttons"]["colab_url"].rstrip("/")
    expected = f"{colab}/github/{repo}/blob/{branch}/{_reader(name)}"
    hrefs = [a["href"] for a in _page(built_site, name).anchors(title="Launch on Colab")]
    assert hrefs == [expected]


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_has_a_download_button_for_its_reader_notebook(name, built_site):
    page = built_site / f"{name}.html"
    downloads = [a["href"] for a in Page(page).anchors(class_="btn-download-source-button")]
    notebooks = [h for h in downloads if h.endswith(".ipynb")]
    assert len(notebooks) == 1, f"{name}: download buttons {downloads}"
    served = (page.parent / notebooks[0]).resolve()
    assert served.as_posix().endswith("_sources/" + _reader(name))
    committed = (ROOT / _reader(name)).read_text()
    if BUILT_FOR != SETTING:  # a fork's site hands out notebooks that lead to the fork
        committed = committed.replace(repository.site_url(SETTING), repository.site_url(BUILT_FOR))
        committed = committed.replace(SETTING, BUILT_FOR)
    assert json.loads(served.read_text()) == json.loads(committed), (
        f"{name}: the downloadable notebook is not the committed reader notebook"
    )


def test_repository_button_points_to_the_repository(built_site):
    hrefs = {a["href"] for a in _page(built_site, toc_files()[0]).anchors()}
    assert BUILT_FOR in hrefs


@pytest.mark.parametrize("edition", ["", "zh/"])
def test_every_page_names_the_licences_of_text_and_code(built_site, edition):
    for name in toc_files():
        footer = _page(built_site, edition + name).anchors(rel="license")
        licences = {a["href"].split("/deed")[0].rstrip("/") for a in footer}
        assert licences == {"https://creativecommons.org/licenses/by-sa/4.0", "https://opensource.org/license/mit"}, (
            f"{edition}{name}: the footer does not link both licences")


def test_the_licence_files_are_the_ones_the_readme_names():
    assert "Attribution-ShareAlike 4.0 International" in (ROOT / "LICENSE-TEXT").read_text()
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "[CC BY-SA 4.0](LICENSE-TEXT)" in readme and "[MIT](LICENSE)" in readme


@pytest.mark.parametrize("edition", ["", "zh/"])
def test_every_page_has_a_button_to_open_an_issue_about_it(built_site, edition):
    issues = BUILT_FOR + "/issues/new?"
    for name in toc_files():
        hrefs = [a["href"] for a in _page(built_site, edition + name).anchors() if a.get("href", "").startswith(issues)]
        assert hrefs and f"{name}.html" in hrefs[0], f"{edition}{name}: no button to open an issue about the page"
