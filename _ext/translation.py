"""What the Chinese edition needs from Sphinx's translation machinery (tools/translations.py).

1. Display formulas are not text to translate: Sphinx would put each ``$$ … $$`` block in the
   message catalogs, and a translated block can come back broken (rendered as ``\\[::\\]``). Each
   one is marked untranslatable before Sphinx's ``Locale`` transform (priority 20) and its
   ``gettext`` builder see it, so the Chinese page shows the English page's formula itself.
2. A figure drawn by a notebook cell gets its image, and so its alt text, from myst-nb after
   Sphinx has translated the page: the alt text is translated here, from the page's catalog
   (tools/translations.py adds these texts to the catalogs).
3. A page of the Chinese edition that has no catalog (the API reference stays English) says so
   to screen readers and browsers: its article is marked ``lang="en"``.
4. A language switch on every page leads to the same page in the other edition: the English site
   is ``_build/html/``, the Chinese one ``_build/html/zh/``. It is a link in the page header,
   marked with the language it leads to (``lang``/``hreflang``), so screen readers read it right.
5. Chinese text is set in a Simplified Chinese typeface (``static/chinese-fonts.css``, in both editions:
   the English pages give each term's Chinese name). The theme's fonts (``system-ui, sans-serif``)
   have no Chinese characters, so the browser searched the system's fonts for each one: on the
   Chinese softmax-regression page that search was a third of the first layout (measured with
   Chromium's layout time, 4x slower CPU: about 0.8 s → 0.5 s), and it could pick a Japanese face.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.i18n import CatalogRepository, docname_to_domain

STATIC = Path(__file__).resolve().parent / "static"

#: The editions: (language of the pages, folder of the edition in the site, label of its link).
ENGLISH = ("en", "", "English")
CHINESE = ("zh-CN", "zh/", "中文")
HEADER_BUTTONS = '<div class="article-header-buttons">'
ARTICLE = '<article class="bd-article">'


class KeepDisplayMath(SphinxTransform):
    """Mark every display formula (math_block) as not translatable."""

    default_priority = 10

    def apply(self, **kwargs) -> None:
        for node in self.document.findall(nodes.math_block):
            node["translatable"] = False


class TranslateAltText(SphinxPostTransform):
    """Put each image's translated alt text in place, after myst-nb has chosen the output images."""

    default_priority = 50  # after myst-nb's SelectMimeType (4)

    def apply(self, **kwargs) -> None:
        language = self.config.language
        if not language or language == "en" or not self.config.locale_dirs:
            return
        dirs = CatalogRepository(self.env.srcdir, self.config.locale_dirs, language,
                                 self.config.source_encoding).locale_dirs
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        catalog, found = init_locale(dirs, language, domain)
        if not found:
            return
        for image in self.document.findall(nodes.image):
            if image.get("alt"):
                image["alt"] = catalog.gettext(image["alt"])


def is_chinese(language: str | None) -> bool:
    return (language or "").lower().replace("-", "_").startswith("zh")


def switch_link(pagename: str, language: str | None) -> str:
    """The header link from ``pagename`` of the edition in ``language`` to the same page of the other.

    ``pagename``: the page's name in the book, such as ``chapters/setup``.
    """
    depth = pagename.count("/")
    up = "../" * depth
    if is_chinese(language):
        lang, folder, label = ENGLISH
        href = f"{up}../{pagename}.html"
        title = "Read this page in English"
    else:
        lang, folder, label = CHINESE
        href = f"{up}{folder}{pagename}.html"
        title = "阅读本页的中文版"
    return (f'<a class="btn btn-sm language-switch" href="{href}" lang="{lang}" hreflang="{lang}" '
            f'title="{title}">{label}</a>')


def untranslated_pages(app) -> set[str]:
    """The pages of a translated edition that have no catalog: they are shown in English."""
    if not is_chinese(app.config.language):
        return set()
    repo = CatalogRepository(app.srcdir, app.config.locale_dirs, app.config.language,
                             app.config.source_encoding)
    domains = {catalog.domain for catalog in repo.catalogs}
    return {doc for doc in app.env.found_docs
            if docname_to_domain(doc, app.config.gettext_compact) not in domains}


def _write_switches(app, exception) -> None:
    """Put the switch first among the header's buttons of every written page."""
    if exception is not None or app.builder.format != "html":
        return
    english = untranslated_pages(app)
    for pagename in sorted(app.env.found_docs):
        page = Path(app.outdir) / f"{pagename}.html"
        if not page.exists():
            continue
        html = page.read_text(encoding="utf-8")
        if "language-switch" in html or HEADER_BUTTONS not in html:
            continue
        switch = switch_link(pagename, app.config.language)
        html = html.replace(HEADER_BUTTONS, HEADER_BUTTONS + "\n" + switch, 1)
        if pagename in english:
            html = html.replace(ARTICLE, ARTICLE[:-1] + ' lang="en">', 1)
        page.write_text(html, encoding="utf-8")


def _add_static(app) -> None:
    if str(STATIC) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC))


def setup(app):
    app.connect("builder-inited", _add_static)
    app.add_css_file("chinese-fonts.css")
    app.add_transform(KeepDisplayMath)
    app.add_post_transform(TranslateAltText)
    app.connect("build-finished", _write_switches)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
