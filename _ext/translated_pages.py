"""What the pages of a translated edition need from Sphinx's translation machinery (tools/translations.py).

1. Display formulas are not text to translate: Sphinx would put each ``$$ … $$`` block in the
   message catalogs, and a translated block can come back broken (rendered as ``\\[::\\]``). Each
   one is marked untranslatable before Sphinx's ``Locale`` transform (priority 20) and its
   ``gettext`` builder see it, so the Chinese page shows the English page's formula itself.
2. A figure drawn by a notebook cell gets its image, and so its alt text, from myst-nb after
   Sphinx has translated the page: the alt text is translated here, from the page's catalog
   (tools/translations.py adds these texts to the catalogs).
3. A page that stays English in a translated edition (``translated_pages_english_only`` in its
   ``_config.yml``: the API reference) says so to screen readers and browsers: its article is marked
   ``lang="en"``.
4. A language switch on every page leads to the same page in the other edition: the English site
   is ``_build/html/``, the Chinese one ``_build/html/zh/`` (``tools/editions.py``). It is a link first
   among the header's buttons (``templates/article-header-buttons.html``, the theme's component with
   the switch), marked with the language it leads to (``lang``/``hreflang``), so screen readers read
   it right.
5. Chinese text is set in a Simplified Chinese typeface (``static/chinese-fonts.css``, in both editions:
   the English pages give each term's Chinese name). The theme's fonts (``system-ui, sans-serif``)
   have no Chinese characters, so the browser searched the system's fonts for each one (a third of
   the first layout of a Chinese chapter, ``benchmarks/``), and it could pick a Japanese face.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.i18n import CatalogRepository, docname_to_domain

from built_pages import Rewrite, rewrite_pages
from editions import ENGLISH, edition, other

TEMPLATES = Path(__file__).resolve().parent / "templates"
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
        if edition(language) is ENGLISH or not self.config.locale_dirs:
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


def switch_link(pagename: str, language: str | None) -> str:
    """The header link from ``pagename`` of the edition in ``language`` to the same page of the other.

    ``pagename``: the page's name in the book, such as ``chapters/setup``.
    """
    this = edition(language)
    target = other(this)
    # Up to the site's root (out of the page's folders, then out of this edition's folder), down to the other's.
    up = "../" * (pagename.count("/") + this.folder.count("/"))
    href = f"{up}{target.folder}{pagename}.html"
    return (f'<a class="btn btn-sm language-switch" href="{href}" lang="{target.html_lang}" '
            f'hreflang="{target.html_lang}" title="{target.invitation}">{target.label}</a>')


def _language_switch(app, pagename, templatename, context, doctree) -> None:
    if pagename in app.env.found_docs:
        context["language_switch"] = switch_link(pagename, app.config.language)


def _mark_english_pages(app, exception) -> None:
    """On a page left in English, its article (pydata-sphinx-theme 0.17.1's layout) is marked so."""
    if exception is not None or app.builder.format != "html":
        return
    english = set(app.config.translated_pages_english_only) & app.env.found_docs
    if english and edition(app.config.language) is not ENGLISH:
        rewrite_pages(app, [Rewrite("english_article", ARTICLE, ARTICLE[:-1] + ' lang="en">', count=1,
                                    why="pydata-sphinx-theme 0.17.1's article element",
                                    where=lambda pagename, html: pagename in english)])


def _add_templates(app, config) -> None:
    # First: the header's buttons with the switch, in place of sphinx-book-theme's component.
    config.templates_path.insert(0, str(TEMPLATES))


def setup(app):
    app.setup_extension("built_pages")
    app.add_config_value("translated_pages_english_only", [], "html", types=[list])
    app.connect("config-inited", _add_templates)
    app.setup_extension("site_static")
    app.add_css_file("chinese-fonts.css")
    app.add_transform(KeepDisplayMath)
    app.add_post_transform(TranslateAltText)
    app.connect("html-page-context", _language_switch)
    app.connect("build-finished", _mark_english_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
