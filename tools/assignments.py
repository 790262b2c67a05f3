"""Assignments for teachers: per lecture, student notebooks without solutions and an autograder.

Each chapter with exercises becomes one otter-grader assignment, made by ``otter assign`` from a
source notebook that this tool writes in Otter Assign's format from the chapter's reader notebook
(``tools/reader_notebooks.py``): the chapter's text and code as the reader sees them; each exercise
as a question whose solutions are the book's, and whose tests are the exercise's checks from
``book/exercise_checks`` (public ones visible to students, held-out ones hidden); solution prose
dropped. Per lecture (a part of ``_toc.yml``), under ``_build/assignments/``::

    lecture-1/student/          the notebooks to hand out, with tests/ for their public checks
    lecture-1/autograder/       one otter autograder zip per chapter (tools/grade.py, Gradescope)
    lecture-1/otter/<chapter>/  otter assign's own output (source notebook, solutions, tests)

    python tools/assignments.py                                    # every lecture
    python tools/assignments.py chapters/setup.ipynb --output DIR  # some chapters (tests use this)
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from artifacts import ROOT, ToolError, parse, parser, run, write_if_changed
from reader_notebooks import reader_notebook, serialise
from toc import chapter_notebooks, read_toc

from book.exercise_checks import Exercise, chapter_exercises, otter_test_case

PROG = "tools/assignments.py"
OUTPUT = ROOT / "_build" / "assignments"
EXERCISE_HEADING = re.compile(r"^### Exercise (\d+\.\d+)")
ANSWER_PROMPT = "_Type your answer here, replacing this text._"


def lectures() -> dict[str, list[Path]]:
    """The book's parts that hold chapter notebooks, by folder name ("lecture-1"), in order."""
    notebooks = {p.relative_to(ROOT).with_suffix("").as_posix(): p for p in chapter_notebooks()}
    parts = {}
    for part in read_toc().get("parts", []):
        caption = part.get("caption", "")
        match = re.match(r"Lecture (\d+)", caption)
        name = f"lecture-{match[1]}" if match else re.sub(r"[^a-z0-9]+", "-", caption.lower()).strip("-")
        chapters = [notebooks[e["file"]] for e in part.get("chapters", []) if e.get("file") in notebooks]
        if chapters:
            parts[name] = chapters
    return parts


def has_exercises(path: Path) -> bool:
    """Whether a chapter notebook has an ``{exercise}`` (the Q&A pages have none: no assignment)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return any("{exercise}" in "".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def raw(text: str) -> dict:
    return {"cell_type": "raw", "metadata": {}, "source": text}


def markdown(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def code(text: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": text}


def assignment_config(chapter: str) -> str:
    """Otter Assign's configuration cell: tests as files in the exception format, one autograder zip
    whose requirements install ``book`` from the repository (for Gradescope; locally the .venv has it)."""
    config = {
        "name": chapter,
        "init_cell": True,
        "check_all_cell": False,
        "export_cell": False,
        "run_tests": False,  # make test has run every chapter and proved its solutions pass the checks
        "solutions_pdf": False,
        "generate": True,
        "requirements": "requirements.txt",
        "tests": {"files": True, "ok_format": False},
    }
    return "# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False)


def test_cell(function, exercise: Exercise, hidden: bool) -> dict:
    header = f'""" # BEGIN TEST CONFIG\npoints: 1\nhidden: {str(hidden).lower()}\n""" # END TEST CONFIG\n'
    return code(header + otter_test_case(function, exercise))


def question(statement: dict, solution: list[dict], exercise: Exercise | None) -> list[dict]:
    """One exercise in Otter Assign's format: a code question with the book's solution and the
    exercise's checks as tests, or, without checks, the statement and a cell for a written answer."""
    if exercise is None:
        return [statement, markdown(ANSWER_PROMPT)]
    prompt = "\n".join(["# Your answer. Define:", *(f"#   {n}: {w}" for n, w in exercise.answers.items()),
                        *(f"{n} = ..." for n in exercise.answers)])
    solution_code = "\n\n".join(c["source"] for c in solution if c["cell_type"] == "code")
    cells = [raw(f"# BEGIN QUESTION\nname: {exercise.label}\n"), statement,
             raw("# BEGIN SOLUTION"),
             code(f'""" # BEGIN PROMPT\n{prompt}\n""" # END PROMPT\n\n# BEGIN SOLUTION NO PROMPT\n'
                  f"{solution_code}\n# END SOLUTION"),
             raw("# END SOLUTION"), raw("# BEGIN TESTS")]
    cells += [test_cell(f, exercise, hidden=False) for f in exercise.public]
    cells += [test_cell(f, exercise, hidden=True) for f in exercise.hidden]
    return cells + [raw("# END TESTS"), raw("# END QUESTION")]


def source_notebook(path: Path) -> dict:
    """The Otter Assign source of one chapter, from its reader notebook."""
    reader = reader_notebook(path)
    exercises = {e.label: e for e in chapter_exercises(path.stem)}
    cells, exercise_cells = [raw(assignment_config(path.stem))], []
    for cell in reader["cells"]:
        if cell["id"] == "exercise-grader":
            continue
        if cell["cell_type"] == "markdown" and EXERCISE_HEADING.match(cell["source"]):
            exercise_cells.append([cell])
        elif exercise_cells:
            exercise_cells[-1].append(cell)
        else:
            cells.append({**cell, "outputs": []} if cell["cell_type"] == "code" else cell)
    for statement, *rest in exercise_cells:
        label = next((c["id"].removesuffix("-answer") for c in rest if c["id"].endswith("-answer")), None)
        start = next((i for i, c in enumerate(rest) if c["source"].startswith("#### Solution")), len(rest))
        cells += question(markdown(statement["source"]), rest[start + 1:], exercises.get(label))
    return {**reader, "cells": [{k: v for k, v in c.items() if k != "id"} for c in cells]}


def requirements() -> str:
    """What an autograder installs besides otter: the course's package, from the repository."""
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    return f"lnn-book @ git+{url}\n"


def assign(path: Path, folder: Path) -> None:
    """``otter assign`` one chapter into ``folder`` (replaced whole)."""
    source_dir = folder / "source"
    shutil.rmtree(folder, ignore_errors=True)
    write_if_changed(source_dir / path.name, serialise(source_notebook(path)))
    write_if_changed(source_dir / "requirements.txt", requirements())
    done = subprocess.run([sys.executable, "-m", "otter", "assign", "--no-pdfs", path.name, str(folder.resolve() / "dist")],
                          cwd=source_dir, capture_output=True, text=True)
    if done.returncode != 0:
        raise ToolError(f"otter assign failed on {path.name}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def build(chapters: Sequence[Path], output: Path) -> list[Path]:
    """Assignments for ``chapters``, grouped by lecture under ``output``; the lecture folders."""
    groups = {name: [p for p in paths if p in chapters] for name, paths in lectures().items()}
    built = []
    for name, paths in groups.items():
        if not paths:
            continue
        lecture = output / name
        staging = output / f".{name}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        for path in paths:
            assign(path, staging / "otter" / path.stem)
            dist = staging / "otter" / path.stem / "dist"
            student = staging / "student"
            shutil.copytree(dist / "student", student, dirs_exist_ok=True)
            if not chapter_exercises(path.stem):
                continue  # no code question: nothing for an autograder to grade
            zips = list((dist / "autograder").glob("*.zip"))
            if len(zips) != 1:
                raise ToolError(f"otter assign made {len(zips)} autograder zips for {path.name}, not one")
            (staging / "autograder").mkdir(exist_ok=True)
            shutil.copy(zips[0], staging / "autograder" / f"{path.stem}.zip")
        shutil.rmtree(lecture, ignore_errors=True)
        staging.rename(lecture)
        built.append(lecture)
    return built


def main(argv: Sequence[str] | None = None) -> int:
    options = parser(__doc__, PROG)
    options.add_argument("chapters", nargs="*", type=Path, help="chapter notebooks (default: every chapter)")
    options.add_argument("--output", type=Path, default=OUTPUT, help="the folder to write (default: %(default)s)")
    args = parse(options, argv)
    if isinstance(args, int):
        return args
    known = chapter_notebooks()
    chapters = [p.resolve() for p in args.chapters] or known
    unknown = [p for p in chapters if p not in known]
    if unknown:
        raise ToolError(f"not a chapter of _toc.yml: {', '.join(str(p) for p in unknown)}")
    chapters = [p for p in chapters if has_exercises(p)]
    for lecture in build(chapters, args.output):
        print(f"{lecture.relative_to(args.output.parent) if lecture.is_relative_to(args.output.parent) else lecture}: "
              f"student/ ({len(list((lecture / 'student').glob('*.ipynb')))} notebooks), "
              f"autograder/ ({len(list((lecture / 'autograder').glob('*.zip')))} zips)")
    return 0


if __name__ == "__main__":
    run(main, PROG)
