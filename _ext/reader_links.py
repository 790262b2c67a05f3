"""A chapter page's Binder, Colab and .ipynb download buttons open its reader notebook.

The pages are built from ``chapters/NAME.ipynb`` (MyST, hidden checks); a reader who launches or
downloads a page wants ``notebooks/NAME.ipynb``, the plain-Markdown version that
``tools/reader_notebooks.py`` makes from it (Colab renders no MyST). The theme builds the
buttons' links from the page's source path; this extension points them at the reader notebook,
and copies the reader notebooks into the site (``_sources/notebooks/``) for the download button.
"""

from __future__ import annotations

from pathlib import Path

from built_pages import write_if_changed

CHAPTERS, READERS = "chapters/", "notebooks/"


def _buttons(buttons: list) -> list[dict]:
    """Every button of the header, groups opened."""
    found = []
    for button in buttons:
        found.append(button)
        found.extend(_buttons(button.get("buttons", [])))
    return found


def _point_at_reader_notebooks(app, pagename, templatename, context, doctree) -> None:
    if not pagename.startswith(CHAPTERS):
        return
    source = f"{pagename}.ipynb"
    reader = READERS + source[len(CHAPTERS):]
    for button in _buttons(context.get("header_buttons", [])):
        url = button.get("url", "")
        if url.endswith(source):
            button["url"] = url[: -len(source)] + reader


def _copy_reader_notebooks(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_sources" / READERS
    for notebook in sorted((Path(app.srcdir) / READERS).glob("*.ipynb")):
        write_if_changed(target / notebook.name, notebook.read_bytes())


def setup(app):
    app.setup_extension("built_pages")
    # After the theme's own handlers (priority 501), which create the buttons.
    app.connect("html-page-context", _point_at_reader_notebooks, priority=600)
    app.connect("build-finished", _copy_reader_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
