"""Workarounds for bugs of the theme and of sphinx-thebe, each to delete once fixed upstream.

1. sphinx-thebe 0.3.1 (loaded by Jupyter Book) registers its inline configuration script
   (``const THEBE_JS_URL = ...``) both with the builder and with Sphinx's registry, so Sphinx 7.4 writes
   it twice into every page and the browser reports "Identifier 'THEBE_JS_URL' has already been
   declared" on every page: the second copy of any identical script is dropped from the page's context.
2. The menu button did nothing (pydata-sphinx-theme 0.17.1 with sphinx-book-theme 1.3.0; upstream
   pydata/pydata-sphinx-theme#2451): since 0.17 the base theme writes its own sidebar buttons into its
   top bar, which sphinx-book-theme never shows (``display: none``), and both themes' scripts attach
   their click handler to the first ``.primary-toggle`` (and ``.secondary-toggle``) of the page: that
   hidden button, not sphinx-book-theme's visible one in the article header. The hidden buttons are
   removed from the written pages (``built_pages.py``), so the handlers find the buttons readers press.
3. The same pair of versions shows the base theme's 64 px top bar on wide windows too, where it holds
   only a second search box (the sidebar has the book's title and a search box of its own): it is
   hidden where the sidebar shows (``static/theme-workarounds.css``), and kept on narrower windows.
"""

from __future__ import annotations

import re

from built_pages import Rewrite, rewrite_pages


HIDDEN_SIDEBAR_BUTTONS = Rewrite(
    "hidden_sidebar_buttons",
    # The base theme's own sidebar buttons in its top bar (sections/header.html).
    re.compile(r'\s*<button class="pst-navbar-icon sidebar-toggle (?:primary|secondary)-toggle"[^>]*>.*?</button>',
               re.S),
    "",
    why="pydata-sphinx-theme 0.17.1 writes sidebar buttons that sphinx-book-theme 1.3.0 hides (pydata#2451)",
)


def script_key(script) -> tuple:
    """What makes two of a page's scripts the same: their file and their attributes (an inline one's body)."""
    return (
        getattr(script, "filename", script) or "",
        tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items())),
    )


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if scripts:
        first = {}
        for script in scripts:
            first.setdefault(script_key(script), script)
        context["script_files"] = list(first.values())


def _drop_hidden_sidebar_buttons(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        rewrite_pages(app, [HIDDEN_SIDEBAR_BUTTONS])


def setup(app):
    app.setup_extension("built_pages")
    # After the handlers that add scripts to the context (the themes', 500-501).
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    app.connect("build-finished", _drop_hidden_sidebar_buttons)
    app.setup_extension("site_static")
    app.add_css_file("theme-workarounds.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
