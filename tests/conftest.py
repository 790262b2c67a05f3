"""Shared fixtures: the site, built once per session."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="session")
def built_site() -> Path:
    """Build the whole site once, from scratch, with nitpicky warnings as errors; return _build/html."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--all", "-n", "-W", "--keep-going"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )
    if result.returncode != 0:
        output = ANSI.sub("", result.stdout + "\n" + result.stderr)
        problems = list(dict.fromkeys(
            line.replace(f"{ROOT}/", "") for line in output.splitlines()
            if re.search(r"\b(WARNING|ERROR|CRITICAL|Traceback)\b|Error:", line)
        ))
        pytest.fail(
            f"the site build failed or warned ({len(problems)} problems; `jupyter-book build . -n -W "
            f"--keep-going` shows them too):\n" + "\n".join(problems[:60])
            + (f"\n…\n{output[-3000:]}" if not problems else ""),
            pytrace=False,
        )
    # The whole course as one PDF, printed from the pages by Chromium (tools/course_pdf.py).
    printed = subprocess.run([sys.executable, str(ROOT / "tools" / "course_pdf.py")],
                             cwd=ROOT, capture_output=True, text=True)
    if printed.returncode != 0:
        pytest.fail(f"the PDF of the site was not made:\n{printed.stderr[-3000:]}", pytrace=False)
    return ROOT / "_build" / "html"
