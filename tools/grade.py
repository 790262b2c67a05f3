"""Grade a folder of submitted notebooks into one CSV: a row per student, a column per question, a total.

Each notebook is graded by ``otter run`` (otter-grader, no Docker) against the autograder of its
assignment, which ``tools/assignments.py`` built (``make assignments``); the notebook says which
(otter's ``assignment_name`` in its metadata). Submissions run in parallel, each in its own process
with a time limit: one that loops forever is stopped and scores 0, the others are graded as usual.
The autograder uses its own tests (the checks, public and hidden), whatever a student did to the
check cells. A student is a notebook at the top of the folder (``alice.ipynb``) or a folder of
notebooks (``alice/setup.ipynb``, ``alice/linear-regression.ipynb``), one row either way.

    python tools/grade.py SUBMISSIONS                        # → _build/grades.csv
    python tools/grade.py SUBMISSIONS --output grades.csv --timeout 600 --workers 2
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from artifacts import ROOT, ToolError, parse, parser, run, write_if_changed
from toc import chapter_notebooks

PROG = "tools/grade.py"
ASSIGNMENTS = ROOT / "_build" / "assignments"
OUTPUT = ROOT / "_build" / "grades.csv"


@dataclass
class Submission:
    """One submitted notebook: whose it is, its assignment, and once graded its scores or a note."""

    path: Path
    student: str
    assignment: str
    scores: dict[str, float] = field(default_factory=dict)
    note: str = ""


def autograders(folder: Path) -> dict[str, Path]:
    """Every autograder zip under ``folder`` (``make assignments``' output), by assignment name."""
    found = {p.stem: p for p in sorted(folder.glob("*/autograder/*.zip"))}
    if not found:
        raise ToolError(f"no autograder in {folder}: run `make assignments` first")
    return found


def questions(zip_path: Path) -> list[str]:
    """The questions of an autograder, in the order of its notebook (its tests' names)."""
    import zipfile

    with zipfile.ZipFile(zip_path) as archive:
        names = [Path(n).stem for n in archive.namelist() if n.startswith("tests/") and n.endswith(".py")]
    order = _question_order(zip_path.stem)
    return sorted(names, key=lambda n: order.index(n) if n in order else len(order))


def _question_order(chapter: str) -> list[str]:
    from book.exercise_checks import chapter_exercises

    return [e.label for e in chapter_exercises(chapter)]


def find_submissions(folder: Path, known: dict[str, Path], written_only: set[str] = frozenset()) -> list[Submission]:
    """The notebooks of ``folder``, each with its student and assignment; a clear error for anything else."""
    if not folder.is_dir():
        raise ToolError(f"{folder} is not a folder: give the folder of submitted notebooks (SUBMISSIONS=dir)")
    files = sorted(p for p in folder.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts)
    if not files:
        raise ToolError(f"{folder} is empty: put the students' notebooks in it (alice.ipynb, or alice/setup.ipynb)")
    others = [p.relative_to(folder).as_posix() for p in files if p.suffix != ".ipynb"]
    if others:
        raise ToolError(f"{folder} holds files that are not notebooks: {', '.join(others)}; "
                        "remove them (or unpack an archive first): only .ipynb files are graded")
    submissions = []
    for path in files:
        relative = path.relative_to(folder)
        student = relative.parts[0] if len(relative.parts) > 1 else path.stem
        try:
            metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ToolError(f"{relative} is not a readable notebook ({error}): ask its author for it again") from None
        assignment = metadata.get("otter", {}).get("assignment_name")
        if assignment in written_only:
            submissions.append(Submission(path, student, assignment, note=f"{assignment}: no code questions"))
            continue
        if assignment not in known:
            raise ToolError(f"{relative} is not a notebook of these assignments (assignment "
                            f"{assignment!r}; known: {', '.join(known)}): was it made by `make assignments`?")
        submissions.append(Submission(path, student, assignment))
    return submissions


def grade(submission: Submission, autograder: Path, timeout: float) -> Submission:
    """Run ``otter run`` on one submission in its own process group, stopped after ``timeout`` s."""
    with tempfile.TemporaryDirectory(prefix="lnn-grade-") as work:
        command = [sys.executable, "-m", "otter", "run", "--no-logo", "-a", str(autograder.resolve()),
                   "-o", work, str(submission.path.resolve())]
        process = subprocess.Popen(command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, start_new_session=True)
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # otter and the notebook's kernel with it
            process.communicate()
            submission.note = f"{submission.assignment}: stopped after {timeout:g} s"
            return submission
        results = Path(work) / "results.json"
        if not results.is_file():
            submission.note = f"{submission.assignment}: not graded ({output.strip().splitlines()[-1:]})"
            return submission
        for test in json.loads(results.read_text())["tests"]:
            if "score" in test and test.get("name") != "Public Tests":
                submission.scores[test["name"]] = float(test["score"])
    return submission


def table(graded: Sequence[Submission], columns: Sequence[str]) -> str:
    """The CSV: student, one column per question (points), total, notes."""
    students: dict[str, list[Submission]] = {}
    for submission in graded:
        students.setdefault(submission.student, []).append(submission)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", *columns, "total", "notes"])
    for student in sorted(students):
        scores = {q: s for sub in students[student] for q, s in sub.scores.items()}
        notes = "; ".join(sub.note for sub in students[student] if sub.note)
        writer.writerow([student, *(f"{scores.get(q, 0):g}" for q in columns),
                         f"{sum(scores.values()):g}", notes])
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    options = parser(__doc__, PROG)
    options.add_argument("submissions", type=Path, nargs="?", help="the folder of submitted notebooks")
    options.add_argument("--assignments", type=Path, default=ASSIGNMENTS,
                         help="what `make assignments` wrote (default: %(default)s)")
    options.add_argument("--output", type=Path, default=OUTPUT, help="the CSV to write (default: %(default)s)")
    options.add_argument("--timeout", type=float, default=900, help="seconds per notebook (default: %(default)s)")
    options.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1),
                         help="notebooks graded at once (default: one per core, at most 4)")
    args = parse(options, argv)
    if isinstance(args, int):
        return args
    if args.submissions is None:
        raise ToolError("no submissions: give their folder, e.g. `make grade SUBMISSIONS=path/to/folder`")
    known = autograders(args.assignments)
    handed_out = {p.stem for p in args.assignments.glob("*/student/*.ipynb")}
    submissions = find_submissions(args.submissions, known, handed_out - set(known))
    order = [p.stem for p in chapter_notebooks()]
    assignments = sorted({s.assignment for s in submissions}, key=lambda a: order.index(a) if a in order else len(order))
    columns = [q for a in assignments if a in known for q in questions(known[a])]
    with ThreadPoolExecutor(max_workers=max(1, args.workers)) as pool:
        graded = list(pool.map(lambda s: grade(s, known[s.assignment], args.timeout) if s.assignment in known
                               else s, submissions))
    write_if_changed(args.output, table(graded, columns))
    print(f"{args.output}: {len({s.student for s in graded})} students, {len(graded)} notebooks")
    return 0


if __name__ == "__main__":
    run(main, PROG)
