"""The pages a build wrote, and the one way to change them once written.

Most of the site's fixes change markup in the writer or the page context. What only the theme's
templates write (its header, sidebars, scripts) can only be changed in the finished page: each such
fix is a :class:`Rewrite`, applied by :func:`rewrite_pages` to the pages of the current build (every
document, the search page and the indices: never other files under the output folder, such as the
other edition in ``zh/``). A page is written only if it changed. A rewrite that matched no page of a
full build means the markup it was written against changed (a new theme version: see
``requirements.txt``): it is a warning of type ``built_pages`` and the rewrite's name as subtype, so
``-W`` fails until the rewrite is mended or deleted.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sphinx.util import logging

# The tools' modules that the site build shares: the one atomic write (artifacts.py), the editions.
sys.path.append(str(Path(__file__).resolve().parents[1] / "tools"))
from artifacts import write_if_changed  # noqa: E402

logger = logging.getLogger(__name__)
WARNING_TYPE = "built_pages"


@dataclass(frozen=True)
class Rewrite:
    """The first ``count`` (0: every) matches of ``pattern`` in a page replaced by ``replacement``:
    a literal string, or a function of the match and the page's name.

    ``name`` is the warning's subtype; ``why`` says what the rewrite works around (the upstream issue
    and version), so it can be deleted once that is fixed. ``where(pagename, html)`` chooses the pages.
    """

    name: str
    pattern: re.Pattern | str
    replacement: str | Callable[[re.Match, str], str]
    why: str
    where: Callable[[str, str], bool] | None = None
    count: int = 0

    def apply(self, pagename: str, html: str) -> tuple[str, int]:
        """The page rewritten, and how many times the pattern matched."""
        if self.where is not None and not self.where(pagename, html):
            return html, 0
        pattern = self.pattern if isinstance(self.pattern, re.Pattern) else re.compile(re.escape(self.pattern))
        replacement = self.replacement
        if isinstance(replacement, str):
            return pattern.subn(lambda _match: replacement, html, count=self.count)
        return pattern.subn(lambda match: replacement(match, pagename), html, count=self.count)


def pages(app) -> list[tuple[str, Path]]:
    """(page name, file) of every HTML page of the current build that exists."""
    builder = app.builder
    names = sorted(app.env.found_docs) + ["genindex", "search"]
    names += [entry[0] for entry in getattr(builder, "domain_indices", [])]
    found = [(name, Path(builder.get_outfilename(name))) for name in names]
    return [(name, path) for name, path in found if path.is_file()]


def wrote_every_page(app) -> bool:
    """Whether this build wrote every document (a full build); an update writes only some."""
    return app.env.found_docs <= getattr(app.env, "built_pages_written", set())


def rewrite_pages(app, rewrites: Iterable[Rewrite]) -> dict[str, int]:
    """Apply ``rewrites``, in order, to every page of the build; {rewrite name: pages it matched}.

    After a full build, a rewrite that matched no page is a warning (``built_pages.<name>``).
    """
    rewrites = list(rewrites)
    matched = dict.fromkeys((r.name for r in rewrites), 0)
    for pagename, path in pages(app):
        html = path.read_text(encoding="utf-8")
        new = html
        for rewrite in rewrites:
            new, count = rewrite.apply(pagename, new)
            matched[rewrite.name] += bool(count)
        if new != html:
            write_if_changed(path, new)
    if wrote_every_page(app):
        for rewrite in rewrites:
            if not matched[rewrite.name]:
                logger.warning(
                    "the rewrite %r matched no page: the markup it changes is no longer written (%s); "
                    "mend or delete it (or add %s.%s to suppress_warnings)",
                    rewrite.name, rewrite.why, WARNING_TYPE, rewrite.name, type=WARNING_TYPE, subtype=rewrite.name,
                )
    return matched


def _start(app, builder) -> None:
    app.env.built_pages_written = set()


def _written(app, doctree, docname) -> None:
    # Emitted in the main process for every document the builder writes, also in a parallel build.
    app.env.built_pages_written.add(docname)


def setup(app):
    app.connect("write-started", _start)
    app.connect("doctree-resolved", _written)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
