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
"""

from __future__ import annotations

import dataclasses


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


def setup(app):
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    app.connect("autodoc-process-docstring", _escape_bars)
    app.connect("autodoc-process-signature", _dataclass_factories)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
