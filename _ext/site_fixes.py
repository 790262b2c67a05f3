"""Small fixes to the built pages, found by the site and browser tests.

1. sphinx-thebe (loaded by Jupyter Book) registers its inline configuration script
(``const THEBE_JS_URL = ...``) both with the builder and with Sphinx's registry, so Sphinx 7.4 writes
it twice into every page and the browser reports "Identifier 'THEBE_JS_URL' has already been
declared" on every page. This extension drops the second copy of any identical script.

2. ``book``'s docstrings are plain text read as reStructuredText by autodoc (the API page). There
a ``|`` — as in ``|ŷ − y|`` — starts a substitution reference, an error in the build. Outside
````literals```` it is escaped, so the docstrings show as written.

3. A dataclass field with ``default_factory`` shows in the signature as ``= <factory>``, which
Sphinx cannot parse, so it prints the whole signature as raw text (``~torch.Tensor``). It is
written as the call that makes the default, ``= list()``.

4. The menu button did nothing (pydata-sphinx-theme 0.17 with sphinx-book-theme; upstream
pydata/pydata-sphinx-theme#2451): the navigation could not be opened on a phone, nor the sidebar
hidden on a desktop. Since 0.17 the base theme writes its own sidebar buttons into its top bar, which
sphinx-book-theme never shows (``display: none``), and both themes' scripts attach their click
handler to the first ``.primary-toggle`` (and ``.secondary-toggle``) of the page: that hidden button,
not sphinx-book-theme's visible one in the article header. The hidden buttons are removed from the
built pages, so the handlers find the buttons readers press.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

# The base theme's own sidebar buttons in its top bar (sections/header.html), hidden by sphinx-book-theme.
HIDDEN_TOGGLE = re.compile(r'\s*<button class="pst-navbar-icon sidebar-toggle (?:primary|secondary)-toggle"[^>]*>.*?</button>', re.S)


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    kept = []
    for script in scripts:
        key = (
            getattr(script, "filename", script) or "",
            tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items())),
        )
        if key in seen:
            continue
        seen.add(key)
        kept.append(script)
    context["script_files"] = kept


def _escape_bars(app, what, name, obj, options, lines: list[str]) -> None:
    for i, line in enumerate(lines):
        parts = line.split("``")
        parts[::2] = [part.replace("|", "\\|") for part in parts[::2]]  # outside ``literals``
        lines[i] = "``".join(parts)


def _dataclass_factories(app, what, name, obj, options, signature, return_annotation):
    if not (signature and "<factory>" in signature and dataclasses.is_dataclass(obj)):
        return None
    for field in dataclasses.fields(obj):  # fields come in the signature's order
        if field.default_factory is not dataclasses.MISSING:
            factory = getattr(field.default_factory, "__qualname__", "factory")
            signature = signature.replace("= <factory>", f"= {factory}()", 1)
    return signature, return_annotation


def _drop_hidden_sidebar_buttons(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        if "_static" in page.relative_to(outdir).parts:
            continue
        text = page.read_text(encoding="utf-8")
        new = HIDDEN_TOGGLE.sub("", text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def setup(app):
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    app.connect("autodoc-process-docstring", _escape_bars)
    app.connect("autodoc-process-signature", _dataclass_factories)
    app.connect("build-finished", _drop_hidden_sidebar_buttons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
