"""Debian's Chromium, never a downloaded browser, and a folder served on 127.0.0.1.

What ``tools/course_pdf.py`` and the browser tests (``tests/browser_support.py``) share.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip
NO_CHROMIUM = (
    f"no Chromium at {CHROMIUM}: install it with `sudo apt-get install chromium chromium-driver` "
    "(or point $CHROMIUM at a Chromium binary)"
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` served over HTTP on a free port of 127.0.0.1; yields its URL (ending in /)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
