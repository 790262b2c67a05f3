"""The extensions' own reader-visible text, translated like the pages (as sphinx-togglebutton does).

Each text is written through :data:`translate` (``get_translation``) and translated in
``locales/<language>/LC_MESSAGES/site_text.po`` beside this file. The catalogs are compiled into the
build's doctree folder when the extension is set up (``.mo`` files are built, never committed).
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx.locale import get_translation

from built_pages import write_if_changed

CATALOG = "site_text"
LOCALES = Path(__file__).resolve().parent / "locales"
translate = get_translation(CATALOG)


def compile_catalogs(target: Path) -> Path:
    """This extension's catalogs compiled into ``target`` (``<language>/LC_MESSAGES/site_text.mo``)."""
    for po in LOCALES.rglob(f"{CATALOG}.po"):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        write_if_changed(target / po.relative_to(LOCALES).with_suffix(".mo"), compiled.getvalue())
    return target


def setup(app):
    app.add_message_catalog(CATALOG, str(compile_catalogs(Path(app.doctreedir) / "site_text")))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
