"""The exercises' checks (book/exercise_checks): one source for the chapters' hidden cells, the reader
notebooks' check cells and the assignments' autograders; and one exercise numbering everywhere."""

from __future__ import annotations

import inspect
import json
import re

import pytest
import torch

from book import exercise_checks, squared_loss
from book.exercise_checks import check, chapter_exercises, find, grader
from book_structure import CHAPTERS, ROOT, code_cells, load, source
from toc import chapter_numbers

EXERCISES = [(chapter, e) for chapter in exercise_checks.CHAPTERS for e in chapter_exercises(chapter)]
IDS = [e.label for _, e in EXERCISES]


def exercise_labels(chapter: str) -> list[str]:
    text = "\n".join(source(c) for c in load(CHAPTERS / f"{chapter}.ipynb")["cells"] if c["cell_type"] == "markdown")
    return re.findall(r"^```\{exercise\}[^\n]*\n:label: (\S+)", text, re.M)


@pytest.mark.parametrize("chapter, exercise", EXERCISES, ids=IDS)
def test_each_checked_exercise_is_an_exercise_of_its_chapter(chapter, exercise):
    assert exercise.label in exercise_labels(chapter)


@pytest.mark.parametrize("chapter, exercise", EXERCISES, ids=IDS)
def test_the_chapter_runs_the_checks_on_its_solution_in_a_hidden_cell(chapter, exercise):
    cells = [c for c in code_cells(load(CHAPTERS / f"{chapter}.ipynb"))
             if f'check("{exercise.label}", globals())' in source(c)]
    assert cells and all("remove-cell" in c["metadata"].get("tags", []) for c in cells)


@pytest.mark.parametrize("chapter, exercise", EXERCISES, ids=IDS)
def test_checks_use_only_math_and_torch_so_their_source_runs_in_a_test_file(chapter, exercise):
    for function in exercise.checks:
        used = set(inspect.getclosurevars(function).globals)
        assert used <= set(exercise_checks.CHECK_IMPORTS), f"{function.__name__} uses {used}"


@pytest.mark.parametrize("chapter, exercise", EXERCISES, ids=IDS)
def test_every_otter_test_file_compiles(chapter, exercise):
    compile(exercise_checks.otter_test_file(exercise, hidden=True), f"{exercise.label}.py", "exec")


def test_the_checks_of_an_unknown_exercise_are_a_clear_error():
    with pytest.raises(KeyError, match="no code exercise is labelled 'scratch-ex-nothing'"):
        find("scratch-ex-nothing")


def test_an_unanswered_exercise_says_to_write_the_answer():
    with pytest.raises(AssertionError, match=r"lr_losses is still `...`: replace it by your code"):
        check("scratch-ex-lr", {"lr_losses": ...})
    with pytest.raises(AssertionError, match="lr_losses is not defined: run your answer cell first"):
        check("scratch-ex-lr", {})


def test_a_wrong_answer_fails_with_a_hint_that_names_the_mistake():
    one_batch = torch.tensor([25] * 10)
    with pytest.raises(AssertionError, match="not to the number of test images: count the labels of test_iter.dataset"):
        check("setup-ex-labels", {"counts": one_batch})
    continued = {0.03: [0.5, 1e-3, 1e-4], 0.001: [1e-4, 1e-4, 1e-4], 1.0: [1e-5] * 3, 2.0: [float("inf")] * 3}
    with pytest.raises(AssertionError, match="each run should start afresh"):
        check("scratch-ex-lr", {"lr_losses": continued})


def test_held_out_checks_run_only_when_asked():
    unbalanced = torch.tensor([999, 1001] + [1000] * 8)
    check("setup-ex-labels", {"counts": unbalanced}, hidden=False)
    with pytest.raises(AssertionError, match="do not all have the same count"):
        check("setup-ex-labels", {"counts": unbalanced})


def test_the_reader_notebook_check_passes_the_reference_and_hints_at_a_wrong_answer():
    checker = grader("linear-regression-scratch")
    reference = {"y_hat": torch.zeros((4, 1)), "y_flat": torch.arange(4.0), "squared_loss": squared_loss}
    assert checker.check("scratch-ex-reshape", reference).grade == 1
    wrong = checker.check("scratch-ex-reshape", {**reference, "y_hat": torch.zeros(4)})
    assert wrong.grade == 0 and "y_hat should have shape (4, 1)" in repr(wrong)


def test_the_reader_notebook_check_shows_no_hidden_check():
    public = exercise_checks.otter_test_file(find("scratch-ex-lr"))
    assert "large_rates" not in public and "small_rate_is_slow" in public


@pytest.mark.parametrize("chapter, exercise", EXERCISES, ids=IDS)
def test_the_reader_notebook_has_an_answer_and_a_check_cell_before_the_solution(chapter, exercise):
    cells = load(ROOT / "notebooks" / f"{chapter}.ipynb")["cells"]
    ids = [c["id"] for c in cells]
    answer, check_cell = ids.index(f"{exercise.label}-answer"), ids.index(f"{exercise.label}-check")
    assert check_cell == answer + 1 and ids.index("exercise-grader") < answer
    assert source(cells[check_cell]) == f'grader.check("{exercise.label}")'
    assert all(f"{name} = ..." in source(cells[answer]) for name in exercise.answers)
    assert source(cells[answer + 2]).startswith("#### Solution to exercise")


def reader_exercise_numbers(chapter: str) -> list[str]:
    cells = load(ROOT / "notebooks" / f"{chapter}.ipynb")["cells"]
    return [m[1] for c in cells if c["cell_type"] == "markdown"
            for m in [re.match(r"### Exercise (\d+\.\d+)", source(c))] if m]


def test_reader_notebooks_number_exercises_per_chapter():
    for chapter, number in chapter_numbers().items():
        count = len(exercise_labels(chapter))
        assert reader_exercise_numbers(chapter) == [f"{number}.{k}" for k in range(1, count + 1)]


@pytest.mark.parametrize("edition", ["", "zh/"])
def test_the_site_numbers_exercises_as_the_reader_notebooks_do(built_site, edition):
    for chapter in chapter_numbers():
        page = (built_site / edition / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
        shown = re.findall(r'class="admonition-title"><span class="caption-number">\S+\s+(\d+\.\d+)', page)
        assert shown == reader_exercise_numbers(chapter), chapter
