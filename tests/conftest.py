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
    """Build both editions of the site once, from scratch, with nitpicky warnings as errors, and
    their PDFs; return _build/html (the English edition; the Chinese one is its folder zh/)."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--all", "-n", "-W", "--keep-going"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )
    _fail_on_problems(result, "the site build failed or warned", "jupyter-book build . -n -W --keep-going")
    # The Chinese edition, from the same notebooks and the catalogs in locales/ (_build/html/zh).
    chinese = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "translations.py"), "build", "--all", "-n", "-W", "--keep-going"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )
    _fail_on_problems(chinese, "the Chinese edition's build failed or warned",
                      "python tools/translations.py build -n -W --keep-going")
    # The whole course as one PDF per edition, printed from the pages by Chromium (tools/course_pdf.py).
    site = ROOT / "_build" / "html"
    for edition in (site, site / "zh"):
        printed = subprocess.run([sys.executable, str(ROOT / "tools" / "course_pdf.py"), str(edition)],
                                 cwd=ROOT, capture_output=True, text=True)
        if printed.returncode != 0:
            pytest.fail(f"the PDF of {edition} was not made:\n{printed.stderr[-3000:]}", pytrace=False)
    return site


def _fail_on_problems(result: subprocess.CompletedProcess, what: str, command: str) -> None:
    """Fail the session with every warning or error line of a build that did not succeed cleanly."""
    if result.returncode == 0:
        return
    output = ANSI.sub("", result.stdout + "\n" + result.stderr)
    problems = list(dict.fromkeys(
        line.replace(f"{ROOT}/", "") for line in output.splitlines()
        if re.search(r"\b(WARNING|ERROR|CRITICAL|Traceback)\b|Error:", line)
    ))
    pytest.fail(
        f"{what} ({len(problems)} problems; `{command}` shows them too):\n" + "\n".join(problems[:60])
        + (f"\n…\n{output[-3000:]}" if not problems else ""),
        pytrace=False,
    )
