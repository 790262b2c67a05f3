"""Mutation testing of ``book/`` with mutmut: how many injected bugs do the helper tests catch?

    .venv/bin/python benchmarks/mutation.py            # or: make mutation
    .venv/bin/python benchmarks/mutation.py --fresh    # forget earlier results, test every mutant again
    .venv/bin/python benchmarks/mutation.py --report   # print the last run's report, run nothing

mutmut changes ``book/`` one small edit at a time (``+`` into ``-``, ``<`` into ``<=``, a constant
into another, a call's argument into ``None``, …) and runs the helper tests against each changed copy.
A mutant is *killed* when a test fails, *survives* when every test passes. Each survivor is either
a gap in the tests or a change that cannot alter behaviour (an *equivalent* mutant): those are listed,
each with its reason, in ``benchmarks/mutation_equivalents.md``. The report prints the kill rate and
every survivor that the list does not explain; it exits with status 1 when there is one, or when the
rate is below ``--target`` (90 %).

The tests are the helper tests alone: the files of ``tests/`` that import ``book``, but for those that
compare it with the chapters or the site (``NOT_HELPER_TESTS``), run without nbval. mutmut leaves
decorated functions alone, so the copy applies each ``@checked(...)`` after its ``def`` instead
(``name = checked(...)(name)``, the same function): the from-scratch helpers are mutated too. Everything happens in a copy under ``.mutation/`` (git ignores it), so the
work tree is never changed. A full run takes a while (about half an hour on two loaded cores); later
runs re-test only the functions that changed. It runs at low priority (``nice``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".mutation"
EQUIVALENTS = ROOT / "benchmarks" / "mutation_equivalents.md"
MUTMUT = Path(sys.executable).with_name("mutmut")

# Tests of book/ that read the chapters (the ``#@save`` cells): not behaviour tests, and the copy has no chapters.
DESELECT = ["tests/test_softmax.py::test_scratch_chapter_shows_the_helper_in_a_save_cell"]

CONFIG = """\
# Written by benchmarks/mutation.py for each run; edit that script, not this file.
[tool.mutmut]
source_paths = ["book"]
only_mutate = {only_mutate}
pytest_add_cli_args = ["-p", "no:nbval", "-p", "no:cacheprovider", "-q", "-o", "addopts="]
pytest_add_cli_args_test_selection = ["tests/", "--ignore=tests/test_chapters.py"{deselect}]
# test_checked.py reads the #@save cells through test_chapters.py, which reads the chapters.
also_copy = ["chapters", "_toc.yml", "_config.yml"]
# torch is not fork-safe once it has run: fork each mutant's process from a clean server.
process_isolation = "forkserver"
use_git_change_detection = false

[tool.pytest.ini_options]
testpaths = ["tests"]
filterwarnings = ["ignore::DeprecationWarning"]
"""


# Tests that import book but check the chapters or the site against it, not book's behaviour.
NOT_HELPER_TESTS = {"test_chapters.py", "test_reference.py", "test_notebook_compare.py"}


def helper_tests() -> list[Path]:
    """The test files that import book, but for those that compare it with the chapters or the site."""
    imports_book = re.compile(r"^\s*(from book(\.| import)|import book)", re.MULTILINE)
    return sorted(p for p in (ROOT / "tests").glob("test_*.py")
                  if p.name not in NOT_HELPER_TESTS and imports_book.search(p.read_text()))


# Left out unless named on the command line, with the reason.
OUT_OF_SCOPE = {
    "book/__init__.py": "imports and __all__ only",
    "book/plot.py": "drawing code: about 1,100 mutants, nearly all of a position, size, colour or font of a "
                    "figure, which only a look at the figure can judge (the site's pages and screenshots)",
}


def default_scope() -> list[str]:
    return sorted(f"book/{p.name}" for p in (ROOT / "book").glob("*.py") if f"book/{p.name}" not in OUT_OF_SCOPE)


def sync(files: list[str]) -> None:
    """Mirror book/ and the helper tests into .mutation/, keeping modification times (mutmut reads them)."""
    WORK.mkdir(exist_ok=True)
    for shared in ("chapters", "_toc.yml", "_config.yml"):  # read by book_structure.py, not copied
        if not (WORK / shared).is_symlink():
            (WORK / shared).symlink_to(ROOT / shared)
    support = [p for p in (ROOT / "tests").glob("*.py") if not p.name.startswith("test_")]
    support.append(ROOT / "tests" / "test_chapters.py")  # imported by test_checked.py; not run
    wanted: dict[Path, Path] = {p: WORK / "tests" / p.name for p in support if p.exists()}
    wanted.update({p: WORK / "book" / p.name for p in (ROOT / "book").glob("*.py")})
    wanted.update({p: WORK / "tests" / p.name for p in helper_tests()})
    for folder in ("book", "tests"):
        (WORK / folder).mkdir(exist_ok=True)
        for stale in (WORK / folder).glob("*.py"):
            if stale not in wanted.values():
                stale.unlink()
    for source, target in wanted.items():
        text = source.read_text()
        if source.parent.name == "book":
            text = undecorate(text)
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
            os.utime(target, (source.stat().st_atime, source.stat().st_mtime))
    # mutmut copies tests/ into mutants/ only when missing files; refresh changed test files there too.
    mutants_tests = WORK / "mutants" / "tests"
    if mutants_tests.is_dir():
        for stale in mutants_tests.glob("test_*.py"):
            if not (WORK / "tests" / stale.name).exists():
                stale.unlink()
    deselect = "".join(f', "--deselect", "{d}"' for d in DESELECT)
    (WORK / "pyproject.toml").write_text(CONFIG.format(only_mutate=json.dumps(files), deselect=deselect))


def undecorate(source: str) -> str:
    """``@checked(...)`` above a ``def`` becomes ``name = checked(...)(name)`` below its body.

    mutmut leaves decorated functions alone; applied after the ``def`` the decorator does the same,
    and mutmut mutates the function.
    """
    lines = source.splitlines()
    out: list[str] = []
    pending: list[tuple[int, str]] = []  # (indent, statement) to add when the body ends
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        while pending and stripped and indent <= pending[-1][0] and not stripped.startswith(")"):
            out.append(pending.pop()[1])
        match = re.match(r"@(checked\(.*\))$", stripped)
        if match and i + 1 < len(lines) and lines[i + 1].lstrip().startswith("def "):
            name = re.match(r"def (\w+)", lines[i + 1].lstrip()).group(1)
            out.append(lines[i + 1])
            pending.append((indent, " " * indent + f"{name} = {match.group(1)}({name})"))
            i += 2
            continue
        out.append(line)
        i += 1
    while pending:
        out.append(pending.pop()[1])
    return "\n".join(out) + "\n"


def mutmut(*args: str, capture: bool = False) -> subprocess.CompletedProcess:
    if not MUTMUT.exists():
        raise SystemExit("mutmut is not installed in this environment: run `make mutation`, "
                         "or `.venv/bin/pip install 'mutmut>=3.8,<4'` first")
    command = ["nice", "-n", "15", str(MUTMUT), *args]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1"}
    return subprocess.run(command, cwd=WORK, env=env, text=True, capture_output=capture)


def read_equivalents() -> dict[str, str]:
    """Mutant name -> reason, from the table rows of benchmarks/mutation_equivalents.md."""
    found = {}
    if EQUIVALENTS.exists():
        for line in EQUIVALENTS.read_text().splitlines():
            match = re.match(r"\|\s*`([\w.]+__mutmut_\d+)`\s*\|(.*)\|\s*$", line)
            if match:
                found[match.group(1)] = match.group(2).strip()
    return found


def results() -> dict[str, dict[str, str]]:
    """file -> {mutant name: status}, from mutmut's records."""
    by_file: dict[str, dict[str, str]] = {}
    for meta in sorted((WORK / "mutants" / "book").glob("*.py.meta")):
        data = json.loads(meta.read_text())
        codes = data.get("exit_code_by_key", {})
        by_file[f"book/{meta.name.removesuffix('.meta')}"] = {name: status(code) for name, code in codes.items()}
    return by_file


def status(code: int | None) -> str:
    """mutmut's meaning of a test run's exit code."""
    from mutmut.stats import status_by_exit_code

    return status_by_exit_code[code]


def report(files: list[str], target: float) -> int:
    by_file = results()
    equivalents = read_equivalents()
    print(f"{'file':<24}{'mutants':>8}{'tested':>8}{'killed':>8}{'equiv.':>8}{'other':>8}{'killed %':>10}")
    total = tested = killed = equivalent = 0
    unexplained: list[tuple[str, str]] = []
    for path in files:
        statuses = by_file.get(path, {})
        t = sum(s != "not checked" for s in statuses.values())
        k = sum(s in ("killed", "timeout") for s in statuses.values())
        e = sum(s == "survived" and n in equivalents for n, s in statuses.items())
        other = [(n, s) for n, s in statuses.items()
                 if s not in ("killed", "timeout", "not checked") and n not in equivalents]
        unexplained += other
        total, tested, killed, equivalent = total + len(statuses), tested + t, killed + k, equivalent + e
        rate = f"{100 * k / t:.1f}" if t else "-"
        print(f"{path:<24}{len(statuses):>8}{t:>8}{k:>8}{e:>8}{len(other):>8}{rate:>10}")
    if not tested:
        print("no results: run without --report first")
        return 1
    rate = killed / tested
    print(f"{'all':<24}{total:>8}{tested:>8}{killed:>8}{equivalent:>8}{len(unexplained):>8}{100 * rate:>10.1f}")
    print(f"\nkilled by the helper tests: {killed} of {tested} mutants tested ({100 * rate:.1f} %); "
          f"{equivalent} survivors listed as equivalent in {EQUIVALENTS.name}; {len(unexplained)} unexplained"
          + (f"; {total - tested} not tested yet" if total > tested else ""))
    for name, state in unexplained:
        print(f"\n## {name}: {state}")
        shown = mutmut("show", name, capture=True).stdout.strip().splitlines()
        print("\n".join(line for line in shown[1:] if line.startswith(("+", "-")) and line[:3] not in ("+++", "---")))
    stale = sorted(set(equivalents) - {n for s in by_file.values() for n in s})
    if stale:
        print(f"\nlisted as equivalent but no longer a mutant (renumbered? remove or update): {', '.join(stale)}")
    return 0 if rate >= target and not unexplained and tested == total else 1


def forget_survivors() -> None:
    """Mark every mutant that no test killed as untested, so that this run tests it again."""
    for meta in (WORK / "mutants" / "book").glob("*.py.meta"):
        data = json.loads(meta.read_text())
        codes = data["exit_code_by_key"]
        for name, code in codes.items():
            if status(code) not in ("killed", "timeout"):
                codes[name] = None
        meta.write_text(json.dumps(data, indent=4))


def main() -> int:
    global ROOT, WORK
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", help="modules to mutate (default: every module of book/)")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results")
    parser.add_argument("--report", action="store_true", help="only print the last run's report")
    parser.add_argument("--again", action="store_true",
                        help="test the survivors again (after new tests; killed mutants stay killed)")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the checkout whose book/ and tests/ to use (default: this one)")
    parser.add_argument("--target", type=float, default=0.90, help="the kill rate to reach (default 0.90)")
    args = parser.parse_args()
    ROOT, WORK = args.root.resolve(), args.root.resolve() / ".mutation"
    files = args.files or default_scope()
    if not args.report:
        if args.fresh and WORK.exists():
            shutil.rmtree(WORK)
        sync(files)
        if args.again:
            forget_survivors()
        print(f"mutating {', '.join(files)}\ntests: {', '.join(p.name for p in helper_tests())}", flush=True)
        for path, why in OUT_OF_SCOPE.items():
            if path not in files:
                print(f"not mutated: {path} ({why})")
        run = mutmut("run", "--max-children", str(args.max_children))
        if run.returncode:
            print(f"mutmut run failed (exit status {run.returncode})")
            return run.returncode
    return report(files, args.target)


if __name__ == "__main__":
    sys.exit(main())
