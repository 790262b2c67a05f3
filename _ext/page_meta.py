"""What a page's ``<head>`` declares for search engines and browsers (Lighthouse's SEO and
best-practices audits, ``benchmarks/lighthouse.py``).

1. **A description for search engines** (``<meta name="description">``): the page's first paragraph,
   cut at a word to about 155 characters, unless the page sets its own (MyST front matter
   ``html_meta: {description: …}``); a page Sphinx makes (search, index) is described by its title.
2. **No 404 for /favicon.ico.** The site has no icon, so the browser asked for ``/favicon.ico`` and
   logged a 404 as a console error; an empty icon (``data:,``) is declared instead.
"""

from __future__ import annotations

import html

from docutils import nodes

FAVICON = '<link rel="icon" href="data:," />'


def describe(doctree, limit: int = 155) -> str:
    """The page's first paragraph of prose, cut at a word to about `limit` characters."""
    for para in doctree.findall(nodes.paragraph):
        if para.next_node(nodes.Invisible) or any(
            isinstance(p, (nodes.admonition, nodes.sidebar, nodes.topic, nodes.field_list, nodes.table))
            for p in _ancestors(para)
        ):
            continue
        text = " ".join(para.astext().split())
        if len(text) < 40:  # a label, a button line
            continue
        if len(text) > limit:
            text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—-") + "…"
        return text
    return ""


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def head_tags(app, pagename, context, doctree) -> list[str]:
    """The description (unless the page has one) and the icon."""
    tags = [FAVICON]
    if 'name="description"' not in context.get("metatags", ""):
        if doctree is not None:
            description = describe(doctree)
        else:  # a page Sphinx makes (search, index): its title
            title = context.get("title") or pagename.replace("gen", "general ").title()
            description = f"{title} — {context.get('docstitle') or app.config.html_title}"
        if description:
            tags.insert(0, f'<meta name="description" content="{html.escape(description)}" />')
    return tags
