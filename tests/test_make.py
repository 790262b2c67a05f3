"""`make check`: a contributor's quick check of one changed chapter and the pages made from it."""

from __future__ import annotations

import subprocess

from book_structure import ROOT


def _dry_run(*arguments: str) -> list[str]:
    """The commands `make ARGUMENTS` would run (make -n), one per line."""
    result = subprocess.run(["make", "-n", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_make_check_re_executes_the_chapter_builds_both_editions_strictly_and_checks_the_catalogs():
    commands = _dry_run("check", "NB=chapters/setup.ipynb")
    pytest_runs = [c for c in commands if " -m pytest " in c]
    assert len(pytest_runs) == 1 and pytest_runs[0].endswith(" chapters/setup.ipynb")
    builds = [c for c in commands if "jupyter-book build" in c or "translations.py build" in c]
    assert len(builds) == 2 and all(" -n -W " in c for c in builds)
    assert any(c.endswith("translations.py status") for c in commands)
    assert any(c.endswith("reader_notebooks.py --check") for c in commands)


def test_make_check_has_no_browser_pdf_or_slides_step():
    commands = " ".join(_dry_run("check", "NB=chapters/setup.ipynb"))
    assert "course_pdf.py" not in commands and "slides.py" not in commands and "tests/" not in commands
