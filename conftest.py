"""pytest, for the whole repository: chapters are re-executed and compared by tests/notebook_compare.py.

That plugin is nbval with numbers compared as numbers (one unit of the last printed digit, or a
tolerance a cell states with its reason), so the chapters pass on any reader's CPU.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))

from notebook_compare import pytest_collect_file  # noqa: E402,F401  (a pytest hook)
