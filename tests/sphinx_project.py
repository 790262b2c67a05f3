"""A small Sphinx project built inside a test: one of the site's extensions on a page or two,
without building the site."""

from __future__ import annotations

import io
from pathlib import Path

from sphinx import locale
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace


def build_html(project: Path, page: str = "index", **config) -> tuple[str, str]:
    """Build ``project`` (its conf.py and sources written) as HTML: (``page``'s HTML, the warnings).

    Each build registers its nodes and roles afresh (``docutils_namespace``); a build in another
    language installs its catalogs process-wide, so Sphinx's translators are put back afterwards.
    """
    warnings = io.StringIO()
    languages = dict(locale.translators)
    try:
        with docutils_namespace():
            app = Sphinx(str(project), str(project), str(project / "_build"), str(project / "_doctrees"),
                         "html", confoverrides=config, status=None, warning=warnings, freshenv=True)
            app.build()
    finally:
        locale.translators.clear()
        locale.translators.update(languages)
    return (project / "_build" / f"{page}.html").read_text(encoding="utf-8"), warnings.getvalue()
