"""Shared fixtures (the site, built once per run) and the rule that CI runs every test."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import CHROMIUM
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI (the environment variable ``CI`` set, as GitHub Actions and .ci/run have it), a
    skipped test fails: a machine without Chromium must not pass by skipping every browser test."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped, but under CI every test must run: {reason}"


@pytest.fixture(scope="session")
def built_site() -> Path:
    """Both editions of the site, built once per test run from scratch with nitpicky warnings as
    errors, their lecture slides, and their PDFs; returns _build/html (the English edition; the
    Chinese one is its zh/).

    With several pytest-xdist workers, the first to ask builds while the others wait on a file
    lock; a stamp named for the run says it is done (or why it failed) to all of them.
    """
    build = ROOT / "_build"
    build.mkdir(exist_ok=True)
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid{os.getpid()}"
    stamp = build / f".site-built-{run}"
    with FileLock(build / ".site.lock"):
        if not stamp.exists():
            for old in build.glob(".site-built-*"):
                old.unlink()
            stamp.write_text(_build_site(), encoding="utf-8")
        problems = stamp.read_text(encoding="utf-8")
    if problems:
        pytest.fail(problems, pytrace=False)
    return build / "html"


def _build_site() -> str:
    """Build the editions side by side, then make the slides and print both PDFs: '' or what went
    wrong. The English PDF is printed as soon as the English edition is built, on the core the
    shorter build leaves free while the Chinese one goes on."""
    env = {**os.environ, "NO_COLOR": "1"}
    # The Chinese edition is built in its own folder (ZH_BUILD_DIR) and moved into _build/html/zh
    # once the English build, which post-processes every page under _build/html, has finished.
    zh_work = ROOT / "_build" / "zh"
    english = _start("site-en", [Path(sys.executable).with_name("jupyter-book"), "build", ROOT, "--all", "-n", "-W",
                      "--keep-going"], env)
    chinese = _start("site-zh", [sys.executable, ROOT / "tools" / "translations.py", "build", "--all", "-n", "-W",
                      "--keep-going"], {**env, "ZH_BUILD_DIR": str(zh_work)})
    site = ROOT / "_build" / "html"
    # The lecture slides of both editions, which the front pages link, with their handouts
    # (tools/slides.py), beside the whole course as one PDF per edition, printed from the pages by
    # Chromium (tools/course_pdf.py); without Chromium there are only the decks, and the PDF tests
    # say so (or fail, under CI).
    printers = {}
    problems = [_problems(english, "the site build failed or warned", "jupyter-book build . -n -W --keep-going")]
    if not problems[0] and CHROMIUM.exists():
        printers["the PDF of the English edition"] = _start("pdf-html", [sys.executable, ROOT / "tools" / "course_pdf.py",
                                                                         site], env)
    problems.append(_problems(chinese, "the Chinese edition's build failed or warned",
                              "python tools/translations.py build -n -W --keep-going"))
    if any(problems):
        for printer in printers.values():
            _output(printer)
        return "\n\n".join(filter(None, problems))
    shutil.rmtree(site / "zh", ignore_errors=True)
    shutil.copytree(zh_work / "_build" / "html", site / "zh")
    if not CHROMIUM.exists():
        returncode, output = _output(_start("slides", [sys.executable, ROOT / "tools" / "slides.py"], env))
        return f"the slides were not made (python tools/slides.py):\n{output[-3000:]}" if returncode else ""
    printers["the PDF of the Chinese edition"] = _start("pdf-zh", [sys.executable, ROOT / "tools" / "course_pdf.py",
                                                                   site / "zh"], env)
    printers["the slides and their PDF handouts"] = _start("slides", [sys.executable, ROOT / "tools" / "slides.py",
                                                                 "--handouts"], env)
    for what, printer in printers.items():
        returncode, output = _output(printer)
        if returncode != 0:
            problems.append(f"{what} was not made:\n{output[-3000:]}")
    return "\n\n".join(filter(None, problems))


def _start(name: str, command: list, env: dict) -> tuple[subprocess.Popen, Path]:
    """A build step started in the background, its output going to _build/logs/NAME.log."""
    log = ROOT / "_build" / "logs" / f"{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen([str(part) for part in command], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    return process, log


def _output(step: tuple[subprocess.Popen, Path]) -> tuple[int, str]:
    """Wait for a step started by ``_start``: its exit code and what it printed."""
    process, log = step
    return process.wait(), log.read_text(encoding="utf-8", errors="replace")


def _problems(build: tuple[subprocess.Popen, Path], what: str, command: str) -> str:
    """'' for a build that succeeded cleanly, else every warning or error line it printed."""
    returncode, output = _output(build)
    if returncode == 0:
        return ""
    output = ANSI.sub("", output)
    problems = list(dict.fromkeys(
        line.replace(f"{ROOT}/", "") for line in output.splitlines()
        if re.search(r"\b(WARNING|ERROR|CRITICAL|Traceback)\b|Error:", line)
    ))
    return (f"{what} ({len(problems)} problems; `{command}` shows them too):\n" + "\n".join(problems[:60])
            + (f"\n…\n{output[-3000:]}" if not problems else ""))
