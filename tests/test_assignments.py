"""`make assignments` and `make grade` (tools/assignments.py, tools/grade.py) on the smallest real
case: the assignment of the chapter "Setting up" (two code exercises), graded for five students."""

from __future__ import annotations

import copy
import csv
import json
import sys
from pathlib import Path

import pytest

from book_structure import CHAPTERS, code_cells, load, source

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import assignments  # noqa: E402
import grade  # noqa: E402
from artifacts import ToolError  # noqa: E402

CHAPTER = CHAPTERS / "setup.ipynb"
TIMEOUT = 60  # s per notebook: the chapter's assignment runs in 10–15 s alone, twice that while the other test worker is busy
ENDLESS_TIMEOUT = 5  # s: the time limit of the run that grades an endless submission


def answered(notebook: dict, name: str, code: str) -> dict:
    """The notebook with the answer cell that defines ``name`` replaced by ``code``."""
    notebook = copy.deepcopy(notebook)
    [cell] = [c for c in notebook["cells"] if c["cell_type"] == "code" and f"{name} = ..." in source(c)]
    cell["source"] = code
    return notebook


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("assignments")
    assert assignments.main([str(CHAPTER), "--output", str(output)]) == 0
    return output / "getting-started"


def graded(submissions: dict[str, dict], folder: Path, built: Path, timeout: float) -> dict[str, dict[str, str]]:
    """The rows of grades.csv, by student, after grading ``submissions`` (name: notebook) in ``folder``."""
    folder.mkdir()
    for name, notebook in submissions.items():
        (folder / f"{name}.ipynb").write_text(json.dumps(notebook))
    table = folder.with_suffix(".csv")
    assert grade.main([str(folder), "--assignments", str(built.parent), "--output", str(table),
                       "--timeout", str(timeout), "--workers", "2"]) == 0
    return {row["student"]: row for row in csv.DictReader(table.open())}


@pytest.fixture(scope="module")
def grades(built, tmp_path_factory) -> dict[str, dict[str, str]]:
    """Reference, blank, partly wrong and tampered submissions, graded in one run."""
    student = load(built / "student" / "setup.ipynb")
    partial = answered(student, "counts", "counts = torch.bincount(test_iter.dataset.labels, minlength=10)")
    partial = answered(partial, "largest_area", "largest_area = houses.features[:, 0].max()\nhighest_price = 1")
    tampered = copy.deepcopy(partial)
    tampered["cells"] = [c for c in tampered["cells"] if "grader.check" not in source(c)]
    tampered["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                              "source": "import book.exercise_checks.setup as checks\n"
                                        "checks.largest_area_and_price = lambda *args: None\n"
                                        "grader.check = lambda *args: None"})
    submissions = {
        "reference": load(built / "otter" / "setup" / "dist" / "autograder" / "setup.ipynb"),
        "blank": student,
        "partial": partial,
        "tampered": tampered,
    }
    return graded(submissions, tmp_path_factory.mktemp("grading") / "submissions", built, TIMEOUT)


def test_the_csv_has_a_column_per_question_and_a_total(grades):
    assert list(grades["reference"]) == ["student", "setup-ex-labels", "setup-ex-houses", "total", "notes"]


def test_the_reference_solutions_score_full_marks(grades):
    assert grades["reference"]["total"] == "3" and not grades["reference"]["notes"]


def test_a_blank_submission_scores_zero(grades):
    assert grades["blank"]["total"] == "0"


def test_a_partly_wrong_submission_scores_partial_marks(grades):
    assert (grades["partial"]["setup-ex-labels"], grades["partial"]["setup-ex-houses"]) == ("2", "0")


def test_deleting_or_replacing_the_checks_changes_nothing(grades):
    assert grades["tampered"]["total"] == grades["partial"]["total"] == "2"


def test_an_endless_submission_is_stopped_by_the_time_limit_and_scores_zero(built, tmp_path):
    # Endless as the grader sees it, without holding a core for the whole time limit (as a busy
    # loop would, beside the other test worker): stopped the same way, by the time limit.
    student = load(built / "student" / "setup.ipynb")
    rows = graded({"endless": answered(student, "counts", "import time\nwhile True:\n    time.sleep(1)")},
                  tmp_path / "submissions", built, ENDLESS_TIMEOUT)
    assert rows["endless"]["total"] == "0"
    assert rows["endless"]["notes"].endswith(f": stopped after {ENDLESS_TIMEOUT} s")


def test_student_files_hold_no_solution_text(built):
    chapter = load(CHAPTER)
    solutions = [line.strip() for cell in code_cells(chapter)
                 for line in source(cell).splitlines()
                 if "largest_area =" in line or "bincount" in line]
    assert solutions
    for path in (built / "student").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not [line for line in solutions if line in text], path


def test_students_get_the_public_checks_and_not_the_hidden_ones(built):
    public = (built / "student" / "tests" / "setup-ex-labels.py").read_text()
    assert "counts_per_class" in public and "counts_are_balanced" not in public


@pytest.mark.parametrize("make, message", [
    (lambda tmp: [], "no submissions: give their folder"),
    (lambda tmp: [str(tmp / "missing")], "is not a folder"),
    (lambda tmp: [str(tmp)], "is empty"),
])
def test_bad_submission_folders_are_clear_errors(tmp_path, built, make, message):
    with pytest.raises(ToolError, match=message):
        grade.main([*make(tmp_path), "--assignments", str(built.parent)])


def test_a_file_that_is_not_a_notebook_is_a_clear_error(tmp_path, built):
    (tmp_path / "alice.zip").write_bytes(b"PK")
    with pytest.raises(ToolError, match="alice.zip; remove them"):
        grade.main([str(tmp_path), "--assignments", str(built.parent)])


def test_a_notebook_of_no_assignment_is_a_clear_error(tmp_path, built):
    (tmp_path / "alice.ipynb").write_text(json.dumps(load(CHAPTER)))
    with pytest.raises(ToolError, match="alice.ipynb is not a notebook of these assignments"):
        grade.main([str(tmp_path), "--assignments", str(built.parent)])


def test_grading_before_make_assignments_says_so(tmp_path):
    with pytest.raises(ToolError, match="run `make assignments` first"):
        grade.main([str(tmp_path), "--assignments", str(tmp_path / "none")])
