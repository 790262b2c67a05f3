"""What the browser tests share with tools/course_pdf.py (``tools/local_browser.py``): Debian's
Chromium, never a downloaded one, and the built site served on 127.0.0.1."""

from __future__ import annotations

import sys

from book_structure import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from local_browser import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM, served  # noqa: E402

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "NO_CHROMIUM", "served"]
