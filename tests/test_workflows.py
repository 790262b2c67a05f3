"""The GitHub Actions workflows: valid for GitHub, and doing what the README says they do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
CHECK = Path(sys.executable).with_name("check-jsonschema")


def validate(*paths: Path) -> subprocess.CompletedProcess:
    """GitHub's workflow schema (shipped with check-jsonschema: no network)."""
    return subprocess.run([str(CHECK), "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
                          capture_output=True, text=True)


def load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as True
    return workflow


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def test_every_workflow_matches_githubs_schema():
    result = validate(*sorted(WORKFLOWS.glob("*.yml")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_job_without_a_runner(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  test:\n    steps:\n      - run: echo hi\n")
    assert validate(broken).returncode != 0


def test_pull_requests_run_the_projects_ci_script():
    workflow = load("ci.yml")
    assert "pull_request" in workflow["on"]
    runs = [s.get("run", "") for job in workflow["jobs"].values() for s in steps(job)]
    assert "bash .ci/run" in runs


@pytest.mark.parametrize("name", ["ci.yml", "pages.yml"])
def test_ci_runs_on_debian_like_the_projects_own_ci(name):
    jobs = load(name)["jobs"]
    ci_jobs = [job for job in jobs.values() if any("bash .ci/run" in s.get("run", "") for s in steps(job))]
    assert ci_jobs, f"no job of {name} runs .ci/run"
    assert all(str(job.get("container", "")).startswith("debian:") for job in ci_jobs)


def test_a_push_to_main_tests_then_publishes_the_checked_site():
    workflow = load("pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses = [s.get("uses", "") for s in steps(build)]
    runs = [s.get("run", "") for s in steps(build)]
    ci_step = runs.index("bash .ci/run")
    upload = next(i for i, u in enumerate(uses) if u.startswith("actions/upload-pages-artifact@"))
    assert ci_step < upload, "the site is uploaded only after the tests passed"
    assert steps(build)[upload]["with"]["path"] == "_build/html"
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in steps(deploy))
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


@pytest.mark.parametrize("ci, fails", [("true", True), ("", False)])
def test_under_ci_a_missing_chromium_fails_the_browser_tests_instead_of_skipping_them(ci, fails):
    env = {**os.environ, "CI": ci, "CHROMIUM": "/nonexistent/chromium"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q", "-x",
         str(ROOT / "tests" / "test_browser.py")],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert (result.returncode != 0) == fails, result.stdout[-2000:]
    if fails:
        assert "under CI every test must run" in result.stdout and "no Chromium at /nonexistent" in result.stdout


@pytest.mark.parametrize("name", ["ci.yml", "pages.yml"])
def test_pip_and_npm_downloads_are_cached_before_ci_runs_keyed_on_what_they_install(name):
    job_steps = [s for job in load(name)["jobs"].values() for s in steps(job)]
    caches = [i for i, s in enumerate(job_steps) if s.get("uses", "").startswith("actions/cache@")]
    ci_step = next(i for i, s in enumerate(job_steps) if s.get("run") == "bash .ci/run")
    assert caches and caches[0] < ci_step
    cache = job_steps[caches[0]]["with"]
    assert {"~/.cache/pip", "~/.npm"} <= set(cache["path"].split())
    assert all(f in cache["key"] for f in ("requirements.txt", "tools/node/package-lock.json"))
