"""The extensions' own reader-visible text, translated like the pages (as sphinx-togglebutton does),
and the few words of Sphinx and the theme that their own catalogs leave in English.

Each text is written through :data:`translate` (``get_translation``) and translated in
``locales/<language>/LC_MESSAGES/site_text.po`` beside this file. The catalogs are compiled into the
build's doctree folder when the extension is set up (``.mo`` files are built, never committed).

Beside it, a catalog named for another package's message domain (``sphinx.po``: Sphinx and the
pydata theme; ``booktheme.po``: sphinx-book-theme) holds only what that package's own Chinese
catalog lacks or words otherwise (Sphinx 7.4 has no Chinese for "Link to this heading"; the book
theme's zh_CN says 列印成 PDF, which is Taiwan's usage). Its entries are laid over the package's
own catalog, which still translates everything else.

A few words the theme's templates and myst-nb write in English without gettext (the sidebar
buttons' tooltips, landmark names) are translated in the written pages (:func:`theme_words`).
"""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx import locale
from sphinx.locale import get_translation

from built_pages import Rewrite, rewrite_pages, write_if_changed

CATALOG = "site_text"
LOCALES = Path(__file__).resolve().parent / "locales"
translate = get_translation(CATALOG)
#: Words that sphinx-book-theme 1.3.0's templates and myst-nb 1.x write into the page untranslated
#: (tooltips and screen readers' names), translated once the page is written, as the site's own text.
UNTRANSLATED = re.compile(r'\b(title|aria-label)="(Toggle primary sidebar|Toggle secondary sidebar|Main|Page|'
                          r'Toggle hidden content)"')


def compile_catalogs(target: Path) -> Path:
    """The catalogs beside this file compiled into ``target`` (``<language>/LC_MESSAGES/<domain>.mo``)."""
    for po in LOCALES.rglob("*.po"):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        write_if_changed(target / po.relative_to(LOCALES).with_suffix(".mo"), compiled.getvalue())
    return target


def _corrections_first(app) -> None:
    """Lay this folder's catalog of each other domain over that domain's own translations.

    The entries are merged into the domain's translator object itself (its ``_catalog``), not put in
    front of it: Sphinx's templates hold that object (``app.translator``), not the registry's entry.
    """
    folder = Path(app.doctreedir) / "site_text"
    for domain in sorted({po.stem for po in LOCALES.rglob("*.po")} - {CATALOG}):
        try:
            ours = gettext.translation(domain, str(folder), languages=[app.config.language or "en"])
        except OSError:  # no correction for this language
            continue
        corrections = {key: text for key, text in ours._catalog.items() if key != ""}  # not the header
        theirs = locale.translators.get(("general", domain))
        if isinstance(theirs, gettext.GNUTranslations):
            theirs._catalog = {**theirs._catalog, **corrections}
        else:
            locale.translators[("general", domain)] = ours


def theme_words() -> Rewrite:
    """The words of :data:`UNTRANSLATED` in the edition's language."""
    return Rewrite("theme_words", UNTRANSLATED, lambda match, _page: f'{match[1]}="{translate(match[2])}"',
                   why="sphinx-book-theme 1.3.0 and myst-nb write these words without gettext")


def _translate_theme_words(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        rewrite_pages(app, [theme_words()])


def setup(app):
    app.setup_extension("built_pages")
    app.add_message_catalog(CATALOG, str(compile_catalogs(Path(app.doctreedir) / "site_text")))
    # The theme registers its catalog when the builder loads it, before this event.
    app.connect("builder-inited", _corrections_first)
    app.connect("build-finished", _translate_theme_words)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
