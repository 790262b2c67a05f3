"""What the browser tests share with tools/course_pdf.py (``tools/local_browser.py``): Debian's
Chromium, never a downloaded one, and the built site served on 127.0.0.1."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from book_structure import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from local_browser import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM, served  # noqa: E402

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "NO_CHROMIUM", "axe_browser", "axe_options", "served"]


@contextlib.contextmanager
def axe_browser(site: Path, width: int, height: int) -> Iterator[tuple]:
    """(page, axe, url): a page of Debian's Chromium in a width × height window, axe-core to run on
    it, and ``site`` served on 127.0.0.1. Skips the test without Chromium or axe."""
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="pip install axe-playwright-python (requirements.txt)")
    from playwright.sync_api import sync_playwright

    with served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser.new_page(viewport={"width": width, "height": height}), axe_module.Axe(), url
        browser.close()


def axe_options(path: str) -> dict:
    """axe-core's options for the page at ``path`` in the site: only violations reported back.

    Colour contrast, axe's slowest rule (over half of its time on a chapter), is checked on the
    English edition only: contrast is set by the stylesheets and the page's elements, and a page of
    the Chinese edition (``zh/``) has its English twin's stylesheets and elements, the same cells,
    outputs and figures with other words in them (tests/test_chinese_edition.py), and no rule for
    a language of its own. Every other rule runs on both editions."""
    options = {"resultTypes": ["violations"]}
    if path.startswith("zh/"):
        options["rules"] = {"color-contrast": {"enabled": False}}
    return options
