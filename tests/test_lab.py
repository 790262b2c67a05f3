"""`make lab`: a reader's environment (requirements-lab.txt) that needs only Python, not the site's tools."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from book_structure import ROOT, code_cells, load, source
from test_binder import ROOT_REQS, read_requirements

LAB_REQS = read_requirements(ROOT / "requirements-lab.txt")
# A module the notebooks import, by the distribution that provides it where the names differ.
DISTRIBUTION = {"book": "lnn-book"}


def _lab_dry_run(path: str) -> str:
    """What `make lab` would run for a reader without a .venv-lab yet, with PATH = ``path``."""
    result = subprocess.run(
        ["make", "-n", "lab", "LAB_VENV=/nonexistent/.venv-lab"],
        cwd=ROOT, env={**os.environ, "PATH": path}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _path_without_node(folder) -> str:
    """A PATH of one folder holding only what make needs to plan `make lab` (no node, no npm)."""
    for tool in ("make", "sh", "uname", "python3"):
        found = shutil.which(tool)
        if found is None:
            pytest.skip(f"{tool} is not installed")
        (folder / tool).symlink_to(found)
    return str(folder)


def _imports(notebook: dict) -> set[str]:
    names = set()
    for cell in code_cells(notebook):
        text = "\n".join(line for line in source(cell).splitlines() if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def test_make_lab_without_node_installs_the_reader_environment_and_opens_the_notebooks(tmp_path):
    commands = _lab_dry_run(_path_without_node(tmp_path))
    assert "npm" not in commands and "node_modules" not in commands
    assert "-r requirements-lab.txt" in commands
    assert re.search(r"jupyter lab notebooks$", commands, re.M)


def test_the_reader_environment_pins_the_same_torch_pair_as_the_full_one():
    for name in ("torch", "torchvision"):
        assert [str(r) for r in LAB_REQS["requirements"][name]] == [str(r) for r in ROOT_REQS["requirements"][name]]


def test_the_reader_environment_has_no_site_or_test_tool():
    site_tools = {"jupyter-book", "playwright", "pytest", "nbval", "sphinx-intl", "pypdf", "pypdfium2"}
    assert site_tools.isdisjoint(LAB_REQS["requirements"])


def test_every_module_the_reader_notebooks_import_is_installed_by_the_reader_environment():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert LAB_REQS["editable"] == ["."], "requirements-lab.txt installs `book` with `-e .`"
    wanted = set(LAB_REQS["requirements"]) | {canonicalize_name(project["name"])}
    wanted |= {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    stdlib = set(__import__("sys").stdlib_module_names)
    missing = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for module in _imports(load(path)) - stdlib:
            dist = canonicalize_name(DISTRIBUTION.get(module, module))
            # A package another wanted one depends on is installed with it (e.g. numpy with torch).
            provided = any(dist in {canonicalize_name(Requirement(r).name) for r in
                                    importlib.metadata.requires(w) or []} for w in wanted
                           if _installed(w))
            if dist not in wanted and not provided:
                missing.setdefault(module, []).append(path.name)
    assert not missing, f"requirements-lab.txt lacks what these notebooks import: {missing}"


def _installed(name: str) -> bool:
    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True
