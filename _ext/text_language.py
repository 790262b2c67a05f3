"""Words in the other language marked with it, so that a screen reader reads them in the right voice.

The English pages gloss their terms in Chinese, "learning rate (学习率)", and the Chinese pages keep
English names, "softmax", "PyTorch" (WCAG 3.1.2, language of parts). Once a page is written, every
run of Chinese characters in an English page becomes ``<span lang="zh-CN">…</span>``, and every
run of English words (two letters or more, with the digits that end one: float32) in a Chinese page ``<span lang="en">…</span>``: in the
text, the titles, the navigation and the footer alike. Left alone: the ``<head>``, code, formulas
(their MathML is read as math), scripts and styles, and whatever already names its language.
"""

from __future__ import annotations

import re

from built_pages import pages as built_pages, write_if_changed

#: Elements whose text is not prose in the page's language, or is not shown.
SKIPPED = {"head", "script", "style", "pre", "code", "kbd", "samp", "textarea", "svg", "mjx-container", "math"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
#: A comment, a whole script or style (whose text may hold "<"), or a tag.
TAG = re.compile(r"(<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)", re.S | re.I)
RAW_TEXT = re.compile(r"<(script|style)\b", re.I)
TAG_NAME = re.compile(r"</?([A-Za-z][\w-]*)")
HAS_LANG = re.compile(r"\slang=")
ENTITY = r"&#?\w+;"
#: A page's language → (its name in HTML, the other language's, a run of the other language's words).
FOREIGN = {
    "en": ("zh-CN", re.compile(
        ENTITY + r"|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]*"
    )),
    # A word ends with a letter or a digit, so that a name with digits stays whole (AVX2, float32).
    "zh": ("en", re.compile(ENTITY + r"|[A-Za-z][A-Za-z0-9'’-]*[A-Za-z0-9](?:[ .-][A-Za-z0-9][A-Za-z0-9'’-]*)*")),
}


def mark(html: str, language: str) -> str:
    """`html` (a page in `language`, "en" or "zh") with each run of the other language in a span."""
    lang, run = FOREIGN[language]

    def wrap(match: re.Match) -> str:
        text = match.group(0)
        return text if text.startswith("&") else f'<span lang="{lang}">{text}</span>'

    out, open_tags = [], []  # the elements entered since a skipped one began (none: prose)
    for piece in TAG.split(html):
        if piece.startswith("<"):
            name = TAG_NAME.match(piece)
            whole = piece.startswith("<!") or piece.endswith("/>") or RAW_TEXT.match(piece)
            if name and not whole:
                name = name.group(1).lower()
                if piece.startswith("</"):
                    if open_tags and open_tags[-1] == name:
                        open_tags.pop()
                elif name not in VOID and (open_tags or name in SKIPPED or (name != "html" and HAS_LANG.search(piece))):
                    open_tags.append(name)
            out.append(piece)
        else:
            out.append(piece if open_tags else run.sub(wrap, piece))
    return "".join(out)


def _mark_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    language = "zh" if (app.config.language or "en").startswith("zh") else "en"
    for _name, path in built_pages(app):
        write_if_changed(path, mark(path.read_text(encoding="utf-8"), language))


def setup(app):
    app.setup_extension("built_pages")
    # After every other rewrite of the written pages (the formulas, typeset at 400, are skipped whole).
    app.connect("build-finished", _mark_pages, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
