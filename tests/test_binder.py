"""binder/: what Binder (repo2docker) installs is what requirements.txt lists, with CPU-only torch."""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from book_structure import ROOT

BINDER = ROOT / "binder"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def read_requirements(path: Path, seen: tuple[Path, ...] = ()) -> dict:
    """What pip would install from ``path``: requirements by name, editables, index options.

    Follows ``-r`` lines relative to the file, as pip does; ``-e`` paths are relative to the
    working directory, which is the repository's root both for ``make`` and for repo2docker.
    """
    path = path.resolve()
    assert path not in seen, f"recursive -r: {path}"
    found: dict = {"requirements": {}, "editable": [], "extra_index_urls": []}
    for raw in path.read_text().splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        option, value = "", ""
        if line.startswith("-"):
            option, value = re.fullmatch(r"(-{1,2}[\w-]+)(?:\s*=\s*|\s+)?(.*)", line).groups()
        if option in ("-r", "--requirement"):
            nested = read_requirements(path.parent / value.strip(), seen + (path,))
            for name, requirements in nested["requirements"].items():
                found["requirements"].setdefault(name, []).extend(requirements)
            found["editable"] += nested["editable"]
            found["extra_index_urls"] += nested["extra_index_urls"]
        elif option in ("-e", "--editable"):
            found["editable"].append(value.strip())
        elif option == "--extra-index-url":
            found["extra_index_urls"].append(value.strip())
        elif option:
            raise AssertionError(f"{path.name}: option the test does not know: {line}")
        else:
            requirement = Requirement(line)
            found["requirements"].setdefault(canonicalize_name(requirement.name), []).append(requirement)
    return found


ROOT_REQS = read_requirements(ROOT / "requirements.txt")
BINDER_REQS = read_requirements(BINDER / "requirements.txt")


def combined(requirements: list[Requirement]) -> SpecifierSet:
    spec = SpecifierSet()
    for requirement in requirements:
        spec &= requirement.specifier
    return spec


def test_binder_installs_every_package_of_requirements_txt():
    missing = sorted(set(ROOT_REQS["requirements"]) - set(BINDER_REQS["requirements"]))
    assert not missing, f"binder/ does not install: {missing}"
    assert ROOT_REQS["editable"] == ["."] and "." in BINDER_REQS["editable"], "binder/ must install the book package"


def test_binder_adds_no_package_that_requirements_txt_lacks():
    extra = sorted(set(BINDER_REQS["requirements"]) - set(ROOT_REQS["requirements"]))
    assert not extra, f"add these to requirements.txt too, or drop them from binder/: {extra}"


def test_binder_pins_satisfy_the_root_ranges():
    """Where binder/ pins an exact version, the root file's specifiers accept it."""
    for name, requirements in BINDER_REQS["requirements"].items():
        for requirement in requirements:
            for spec in requirement.specifier:
                if spec.operator == "==":
                    assert combined(ROOT_REQS["requirements"][name]).contains(spec.version, prereleases=True), (
                        f"binder/ pins {name}=={spec.version}, which requirements.txt does not allow"
                    )


def test_binder_takes_torch_from_the_cpu_wheel_index():
    assert CPU_INDEX in BINDER_REQS["extra_index_urls"]
    for name in ("torch", "torchvision"):
        root_pin = [s.version for s in combined(ROOT_REQS["requirements"][name]) if s.operator == "=="]
        binder_pins = [s.version for s in combined(BINDER_REQS["requirements"][name]) if s.operator == "=="]
        assert f"{root_pin[0]}+cpu" in binder_pins, f"{name}: binder/ should pin {root_pin[0]}+cpu"
        assert all(Version(v).public == root_pin[0] for v in binder_pins)


def test_binder_python_is_one_the_package_supports():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), runtime
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert SpecifierSet(requires).contains(runtime.removeprefix("python-") + ".0")


def test_binder_post_build_prepares_the_data_and_is_valid_bash():
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK), "binder/postBuild must be executable"
    assert subprocess.run(["bash", "-n", str(post_build)], capture_output=True).returncode == 0
    assert "python -m book" in post_build.read_text()
