"""The built site: a warning-free build, and every internal link and resource resolving to a file."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from book_structure import toc_files


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.targets.append(value)


def internal_targets(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return [t for t in parser.targets if not urlsplit(t).scheme and not t.startswith(("//", "#", "mailto:"))]


def test_site_builds_without_warnings(built_site):
    assert (built_site / "index.html").is_file()


def test_every_toc_page_is_built(built_site):
    missing = [f for f in toc_files() if not (built_site / f"{f}.html").is_file()]
    assert not missing


def test_every_internal_link_and_resource_resolves(built_site):
    broken = []
    pages = sorted(p for p in built_site.rglob("*.html") if "_static" not in p.parts)
    for page in pages:
        for target in internal_targets(page):
            path = unquote(urlsplit(target).path)
            if not path:
                continue
            resolved = (page.parent / path).resolve()
            if resolved.is_dir():
                resolved = resolved / "index.html"
            if not resolved.exists():
                broken.append(f"{page.relative_to(built_site)} -> {target}")
    assert not broken, "\n".join(broken[:50])
    assert len(pages) >= len(toc_files())
