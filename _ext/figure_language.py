"""On the Chinese pages, each figure a chapter drew shows its drawing with Chinese words.

A figure's PNG output carries that drawing in the output's metadata, under ``image/png`` →
``zh_CN`` (``book.figure_language``, when the chapter ran). myst-nb writes an output's PNG to a
file named by the SHA-256 of its bytes and points the page's image to it (``/<path from the
source folder>``). In a build whose ``language`` is Chinese, this extension writes each Chinese
drawing beside its English one (``<hash>-zh_CN.png``) and points the image there, before Sphinx
collects the page's images. The English build is left as it is.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

LANGUAGE = "zh_CN"  # book.figure_language.LANGUAGE: the key of the Chinese drawing
logger = logging.getLogger(__name__)


def drawings(notebook: dict) -> dict[str, bytes]:
    """{SHA-256 of a figure's English PNG: its Chinese PNG} for every output of ``notebook`` that has both."""
    found = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            chinese = output.get("metadata", {}).get("image/png", {}).get(LANGUAGE)
            english = output.get("data", {}).get("image/png")
            if chinese and english:
                english = "".join(english) if isinstance(english, list) else english
                found[hashlib.sha256(base64.b64decode(english)).hexdigest()] = base64.b64decode(chinese)
    return found


def show_chinese_drawings(app, doctree) -> None:
    if not (app.config.language or "").startswith("zh"):
        return
    source = Path(app.env.doc2path(app.env.docname))
    if source.suffix != ".ipynb":
        return
    found = drawings(json.loads(source.read_text(encoding="utf-8")))
    for image in doctree.findall(nodes.image):
        uri = image["uri"]
        english = Path(app.srcdir, uri.lstrip("/")) if uri.startswith("/") else None
        if english is None or english.stem not in found:
            continue
        chinese = english.with_name(f"{english.stem}-{LANGUAGE}{english.suffix}")
        if not chinese.is_file() or chinese.read_bytes() != found[english.stem]:
            chinese.write_bytes(found[english.stem])
        image["uri"] = uri[: -len(english.name)] + chinese.name
        image["candidates"] = {"*": image["uri"]}


def setup(app):
    # before Sphinx's image collector (priority 500) reads the images of the page
    app.connect("doctree-read", show_chinese_drawings, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
