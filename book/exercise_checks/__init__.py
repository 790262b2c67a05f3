"""The checks of the code exercises, in one place for every view that runs them.

- the chapter's hidden cell runs them on the book's solution (``check(label, globals())``), so
  ``make test`` proves that the solution passes every check, public and held out;
- a reader notebook's check cell runs the public ones on the reader's answer through otter-grader
  (``grader(chapter).check(label)``), with the test files written from these functions;
- ``tools/assignments.py`` writes the same functions into the autograder of each assignment, the
  held-out ones as otter's hidden tests.

One module per chapter with code exercises, named for the chapter (``linear-regression-scratch`` →
``linear_regression_scratch.py``), holds ``EXERCISES``, a tuple of :class:`Exercise`. A check is a
plain function whose parameters are names of the reader's notebook (the answer, and what the chapter
set up before it). It raises ``AssertionError`` with a hint that says what is wrong and what to
look at, never the answer. It uses only ``math`` and ``torch``, so that its source, copied into a
test file, runs on its own (``tests/test_exercise_checks.py`` checks both).
"""

from __future__ import annotations

import importlib
import inspect
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

# The chapters with code exercises, as their notebooks are named in chapters/.
CHAPTERS = (
    "setup",
    "linear-regression-scratch",
    "linear-regression-concise",
    "softmax-regression",
    "loss-functions",
    "image-classification-dataset",
    "softmax-regression-scratch",
    "softmax-regression-concise",
    "linear-regression",
    "basic-optimization",
)
# What a check's source may use besides builtins: a test file imports them for it.
CHECK_IMPORTS = ("math", "torch")


@dataclass(frozen=True)
class Exercise:
    """A code exercise: its ``{exercise}`` label (otter's question name), the names its answer
    cell defines (name → what it holds, as the answer cell tells the reader), and its checks —
    public ones the reader runs, held-out ones only the autograder."""

    label: str
    answers: dict[str, str]
    public: tuple[Callable[..., None], ...]
    hidden: tuple[Callable[..., None], ...] = ()

    @property
    def checks(self) -> tuple[Callable[..., None], ...]:
        return self.public + self.hidden


def module_name(chapter: str) -> str:
    """The module of a chapter's checks: ``linear-regression-scratch`` → ``linear_regression_scratch``."""
    return f"{__name__}.{chapter.replace('-', '_')}"


def chapter_exercises(chapter: str) -> tuple[Exercise, ...]:
    """The code exercises of one chapter (by its notebook's name), in the chapter's order; () if none."""
    if chapter not in CHAPTERS:
        return ()
    return importlib.import_module(module_name(chapter)).EXERCISES


def find(label: str) -> Exercise:
    """The code exercise with this label, in whichever chapter it is."""
    for chapter in CHAPTERS:
        for exercise in chapter_exercises(chapter):
            if exercise.label == label:
                return exercise
    raise KeyError(f"no code exercise is labelled {label!r}: see book/exercise_checks/")


def unanswered(exercise: Exercise, env: Mapping[str, object]) -> str | None:
    """What the reader still has to do before the checks can run, or None."""
    for name in exercise.answers:
        if env.get(name) is None:
            return f"{name} is not defined: run your answer cell first"
        if env.get(name) is Ellipsis:
            return f"{name} is still `...`: replace it by your code, then run the cell"
    return None


def check(label: str, env: Mapping[str, object], hidden: bool = True) -> None:
    """Run an exercise's checks (the held-out ones too, unless ``hidden=False``) on the names of
    ``env`` (a notebook's ``globals()``); a failed check raises ``AssertionError`` with its hint."""
    exercise = find(label)
    missing = unanswered(exercise, env)
    if missing:
        raise AssertionError(missing)
    for function in exercise.checks if hidden else exercise.public:
        function(**{name: env.get(name) for name in inspect.signature(function).parameters})


def otter_test_case(function: Callable[..., None], exercise: Exercise) -> str:
    """One otter test case: a function of the notebook's names that holds the check's own source,
    so that it runs without ``book`` (and a notebook that changes ``book`` cannot change it)."""
    parameters = list(dict.fromkeys([*exercise.answers, *inspect.signature(function).parameters]))
    body = [f"import {module}" for module in CHECK_IMPORTS]
    body += textwrap.dedent(inspect.getsource(function)).splitlines()
    for name in exercise.answers:
        body += [f"assert {name} is not None, {f'{name} is not defined: run your answer cell first'!r}",
                 f"assert {name} is not Ellipsis, "
                 f"{f'{name} is still `...`: replace it by your code, then run the cell'!r}"]
    body.append(f"{function.__name__}({', '.join(f'{p}={p}' for p in inspect.signature(function).parameters)})")
    return f"def test_{function.__name__}({', '.join(parameters)}):\n" + textwrap.indent("\n".join(body), "    ")


def otter_test_file(exercise: Exercise, hidden: bool = False) -> str:
    """An otter exception-based test file for one exercise: 1 point per check, the held-out checks
    as hidden test cases when ``hidden``."""
    cases = [(f, False) for f in exercise.public] + [(f, True) for f in exercise.hidden if hidden]
    parts = ["from otter.test_files import test_case", "", "OK_FORMAT = False", "",
             f"name = {exercise.label!r}", f"points = {len(cases)}", ""]
    for function, is_hidden in cases:
        parts += [f"@test_case(name={function.__name__!r}, points=1, hidden={is_hidden})",
                  otter_test_case(function, exercise), "", ""]
    return "\n".join(parts)


def write_tests(chapter: str, folder: Path, hidden: bool = False) -> list[Path]:
    """Write one otter test file per code exercise of a chapter into ``folder``; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for exercise in chapter_exercises(chapter):
        path = folder / f"{exercise.label}.py"
        text = otter_test_file(exercise, hidden)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            partial = path.with_name(path.name + ".partial")
            partial.write_text(text, encoding="utf-8")
            partial.replace(path)
        written.append(path)
    return written


def grader(chapter: str):
    """otter-grader's ``Notebook`` for a reader notebook: ``grader.check(label)`` runs the public
    checks of that exercise on the reader's names and says what passed, what failed and a hint.

    The test files are written from this package into a folder of the system's temporary directory
    (on Colab too, where the notebook has no folder of its own)."""
    import tempfile

    import otter

    folder = Path(tempfile.gettempdir()) / "lnn-book-checks" / chapter
    write_tests(chapter, folder)
    return otter.Notebook(tests_dir=str(folder))
