"""The one way to change a written page (``_ext/built_pages.py``): only this build's pages, written
only when changed, and a warning — an error under ``-W`` — when a rewrite stops matching."""

from __future__ import annotations

import io
import textwrap

import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from book_structure import ROOT

FIXES = '''
import re
from built_pages import Rewrite, rewrite_pages

def _rewrite(app, exception):
    rewrites = [Rewrite("heading", re.compile(r'<h1(?! class="fixed")'), '<h1 class="fixed"', why="a test"),
                Rewrite("blink", "<blink>", "<em>", why="a test")]
    if app.config.fixes_stale:
        rewrites.append(Rewrite("marquee", "<marquee>", "", why="a theme long gone, version 0.1"))
    rewrite_pages(app, rewrites)

def setup(app):
    app.setup_extension("built_pages")
    app.add_config_value("fixes_stale", False, "html")
    app.connect("build-finished", _rewrite)
'''


@pytest.fixture
def project(tmp_path):
    """A three-page Sphinx project, inside a folder named _static, whose extension rewrites its pages."""
    source = tmp_path / "_static" / "book"
    source.mkdir(parents=True)
    (source / "conf.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path[:0] = [{str(ROOT / "_ext")!r}, {str(source)!r}]
        extensions = ["fixes"]
        html_theme = "basic"
    """))
    (source / "fixes.py").write_text(FIXES)
    (source / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n   other\n   third\n")
    (source / "other.rst").write_text("Other\n=====\n\nText.\n")
    (source / "third.rst").write_text("Third\n=====\n\n.. raw:: html\n\n   <blink>Old</blink>\n")
    return source


def build(source, strict=False, **config) -> tuple[Sphinx, str]:
    """Build ``source`` as ``sphinx-build`` does (``strict``: ``-W --keep-going``); the app and its warnings."""
    warnings = io.StringIO()
    with docutils_namespace():  # each build registers its nodes and roles afresh
        app = Sphinx(str(source), str(source), str(source / "_build"), str(source / "_build" / ".doctrees"),
                     "html", confoverrides=config, status=None, warning=warnings, warningiserror=strict,
                     keep_going=strict)
        app.build()
    return app, warnings.getvalue()


def test_a_rewrite_changes_every_page_of_the_build(project):
    build(project)
    for page in ("index", "other", "search", "genindex"):
        assert '<h1 class="fixed"' in (project / "_build" / f"{page}.html").read_text(), page


def test_files_that_are_not_pages_of_the_build_are_left_alone(project):
    leftover = project / "_build" / "zh" / "index.html"  # another edition's page in the output folder
    leftover.parent.mkdir(parents=True)
    leftover.write_text("<h1>首页</h1>")
    build(project)
    assert leftover.read_text() == "<h1>首页</h1>"


def test_a_rewrite_that_matches_no_page_is_a_warning_naming_it(project):
    _app, warnings = build(project, fixes_stale=True)
    assert "the rewrite 'marquee' matched no page" in warnings
    assert "a theme long gone, version 0.1" in warnings and "built_pages.marquee" in warnings


def test_a_rewrite_that_matches_no_page_fails_a_strict_build(project):
    app, _warnings = build(project, strict=True, fixes_stale=True)  # -W --keep-going
    assert app.statuscode == 1


def test_a_strict_build_whose_rewrites_all_match_succeeds(project):
    app, warnings = build(project, strict=True)
    assert app.statuscode == 0 and not warnings, warnings


def test_a_rewrite_warning_can_be_suppressed_by_its_name(project):
    app, warnings = build(project, strict=True, fixes_stale=True, suppress_warnings=["built_pages.marquee"])
    assert app.statuscode == 0 and not warnings


def test_an_update_that_writes_some_pages_does_not_warn(project):
    build(project)
    (project / "other.rst").write_text("Other\n=====\n\nNew text.\n")
    app, warnings = build(project, strict=True)  # third.html, the only page with <blink>, is not written again
    assert app.statuscode == 0 and not warnings, warnings
    assert "<em>Old" in (project / "_build" / "third.html").read_text()
    assert '<h1 class="fixed"' in (project / "_build" / "other.html").read_text()
