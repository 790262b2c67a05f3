"""A chapter page's Binder, Colab and .ipynb download buttons open its reader notebook, in the page's language.

The pages are built from ``chapters/NAME.ipynb`` (MyST, hidden checks); a reader who launches or
downloads a page wants ``notebooks/NAME.ipynb``, the plain-Markdown version that
``tools/reader_notebooks.py`` makes from it (Colab renders no MyST), and a reader of the Chinese
edition its Chinese version, ``notebooks/zh/NAME.ipynb`` (the edition's folder, ``tools/editions.py``).
The theme builds the buttons' links from the page's source path; this extension points them at the
reader notebook of the page's edition, copies those notebooks into the site
(``_sources/notebooks/`` or ``_sources/notebooks/zh/``) for the download button, and words the
launch buttons' tooltips through the site's catalog: the theme writes "Launch on" + " Binder",
which no translation can reorder ("在Binder上启动").

The buttons lead to the repository of ``tools/repository.py``: the setting ``repository.url``, or,
where GitHub Actions builds a fork's site, the fork (``GITHUB_REPOSITORY``), so that a fork
publishes launch buttons, issue links and downloadable notebooks that lead to itself without an
edit. (Binder and Colab open the notebooks committed in the fork: a fork that changes ``book`` sets
``repository.url`` and runs ``make notebooks``, so that their Colab cell installs its own ``book``.)
"""

from __future__ import annotations

from pathlib import Path

from sphinx.errors import ConfigError

from built_pages import write_if_changed
from editions import edition
from repository import RepositoryError, configured_url, repository_url, site_url
from site_text import translate as _

CHAPTERS, READERS = "chapters/", "notebooks/"
LAUNCHERS = ("Binder", "Colab", "JupyterHub", "Deepnote")


def _repository_of_the_build(app, config) -> None:
    """The theme's buttons (launch, repository, issues) lead to the repository the site is built for."""
    options = config.html_theme_options
    if "repository_url" in options:
        try:
            options["repository_url"] = repository_url()
        except RepositoryError as error:
            raise ConfigError(str(error)) from None


def _buttons(buttons: list) -> list[dict]:
    """Every button of the header, groups opened."""
    found = []
    for button in buttons:
        found.append(button)
        found.extend(_buttons(button.get("buttons", [])))
    return found


def _readers(app) -> str:
    """Where the reader notebooks of the build's edition are: ``notebooks/`` or ``notebooks/zh/``."""
    return READERS + edition(app.config.language).folder


def _point_at_reader_notebooks(app, pagename, templatename, context, doctree) -> None:
    if not pagename.startswith(CHAPTERS):
        return
    source = f"{pagename}.ipynb"
    reader = _readers(app) + source[len(CHAPTERS):]
    for button in _buttons(context.get("header_buttons", [])):
        url = button.get("url", "")
        if url.endswith(source):
            button["url"] = url[: -len(source)] + reader
        if button.get("text") in LAUNCHERS:
            button["tooltip"] = _("Launch on {service}").format(service=button["text"])


def _copy_reader_notebooks(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    readers = _readers(app)
    target = Path(app.outdir) / "_sources" / readers
    # The committed notebooks lead to the setting's repository; a fork's site hands out its own.
    setting, built_for = configured_url(), repository_url()
    for notebook in sorted((Path(app.srcdir) / readers).glob("*.ipynb")):
        text = notebook.read_text(encoding="utf-8")
        if built_for != setting:
            text = text.replace(site_url(setting), site_url(built_for)).replace(setting, built_for)
        write_if_changed(target / notebook.name, text.encode("utf-8"))


def setup(app):
    app.setup_extension("built_pages")
    app.setup_extension("site_text")
    app.connect("config-inited", _repository_of_the_build)
    # After the theme's own handlers (priority 501), which create the buttons.
    app.connect("html-page-context", _point_at_reader_notebooks, priority=600)
    app.connect("build-finished", _copy_reader_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
