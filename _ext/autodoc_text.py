"""``book``'s docstrings and signatures as the API page (api.md, autodoc) should show them.

1. The docstrings are plain text, which autodoc reads as reStructuredText: there a ``|`` — as in
   ``|ŷ − y|`` — starts a substitution reference, an error in the build. Outside ````literals```` it
   is escaped, so the docstrings show as written.
2. A dataclass field with ``default_factory`` shows in the signature as ``= <factory>`` (Sphinx 7.4),
   which Sphinx cannot parse, so it prints the whole signature as raw text (``~torch.Tensor``). It is
   written as the call that makes the default, ``= list()``.
"""

from __future__ import annotations

import dataclasses


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
    app.setup_extension("sphinx.ext.autodoc")
    app.connect("autodoc-process-docstring", _escape_bars)
    app.connect("autodoc-process-signature", _dataclass_factories)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
