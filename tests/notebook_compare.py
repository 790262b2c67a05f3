"""nbval, with the numbers in a chapter's outputs compared as numbers: the rule that holds on any CPU.

A reader's CPU (AVX2, AVX-512, arm64), BLAS library or GPU adds floating-point numbers in another
order, so the last digits of a trained model's results differ from the committed ones. nbval
compares outputs as strings; this plugin runs the chapters with nbval and first reconciles the
numbers in each text output with the committed ones:

- the text around the numbers must match exactly (horizontal spacing aside: tensors pad their
  columns to the widest number);
- an integer must match exactly;
- a number printed with a decimal point or an exponent and at least two significant digits may
  differ by one unit of its last printed digit (``0.4471`` vs ``0.4472``, ``7.2e-07`` vs
  ``7.3e-07``): a rounding that falls the other way. A number with one significant digit
  (``0.1``, ``3e-05``, ``0.0002``) must match exactly: one unit of its last digit would be all of
  it (``η = 0.1`` against ``η = 0.2``);
- a cell may allow more, only with a reason, in its metadata::

      "tolerance": {"abs": 0.003, "rel": 0.0, "why": "10 epochs of float32 SGD ..."}

  a number then passes within ``max(one unit, abs, rel * |committed|)``. A tolerance applies to
  every number of the cell, or, with ``"numbers"``, to one kind only: ``"counts"`` (integers),
  ``"percentages"`` (a number followed by ``%``) or ``"decimals"`` (the rest); a cell whose
  numbers of different kinds vary differently gives a list of tolerances, one per kind::

      "tolerance": [{"abs": 30, "numbers": "counts", "why": "images in a bin ..."},
                    {"abs": 0.01, "numbers": "decimals", "why": "accuracies of a bin ..."}]

Anything else (a changed word, a number beyond its tolerance, a missing output) fails as in nbval,
with nbval's report. Images are not compared (nbval's default); a figure's plain text, which
``book.setup_chapter`` makes a summary of the data it draws (``book/figure_data.py``), is. While a
chapter runs, the kernel sees no GPU (``CUDA_VISIBLE_DEVICES`` is empty): the committed outputs
are the CPU's, so the tests compare CPU results on every machine; a reader's own session still
uses the GPU. The kernel imports ``book`` from the checkout under test (``PYTHONPATH``).
"""

from __future__ import annotations

import math
import os
import re
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode
from nbval.plugin import IPyNbCell, IPyNbFile

# A number as Python, torch, NumPy and pandas print it: optional sign, digits with optional
# thousands separators, optional decimals and exponent. Digits inside a word ("float32", "28x28",
# "cuda:0" stays text because of the colon's neighbour rule below) and dotted versions ("2.14.1")
# are not numbers: they are compared as text.
NUMBER = re.compile(
    r"(?<![\w.])"
    r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?"
    r"(?![\w]|\.\d)"
)
HORIZONTAL_SPACE = re.compile(r"[ \t]+")
TOLERANCE_KEYS = {"abs", "rel", "why", "numbers"}
KINDS = ("counts", "percentages", "decimals")
PERCENT_SIGN = re.compile(r"[ \u00a0]?%")


@dataclass(frozen=True)
class Tolerance:
    """How far a number may move beyond the default rule; ``numbers`` names the kind it is for."""

    abs: float = 0.0
    rel: float = 0.0
    numbers: str | None = None

    @classmethod
    def from_spec(cls, spec) -> Tolerance:
        """One tolerance of a cell's metadata; a clear error when it is malformed."""
        if not isinstance(spec, Mapping) or set(spec) - TOLERANCE_KEYS:
            raise ValueError(
                f'a cell\'s "tolerance" takes only {sorted(TOLERANCE_KEYS)}, got {spec!r}'
            )
        if not str(spec.get("why", "")).strip():
            raise ValueError('a cell\'s "tolerance" needs a "why": say what makes its numbers vary')
        if spec.get("numbers", KINDS[0]) not in KINDS:
            raise ValueError(f'"tolerance" numbers must be one of {list(KINDS)}, got {spec["numbers"]!r}')
        values = {k: spec.get(k, 0.0) for k in ("abs", "rel")}
        for key, value in values.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                raise ValueError(f'"tolerance" {key} must be a number >= 0, got {value!r}')
        if not any(values.values()):
            raise ValueError('a "tolerance" needs "abs" or "rel" above 0')
        return cls(abs=float(values["abs"]), rel=float(values["rel"]), numbers=spec.get("numbers"))

    def applies_to(self, kind: str) -> bool:
        return self.numbers is None or self.numbers == kind


def tolerances(metadata: Mapping) -> tuple[Tolerance, ...]:
    """The ``tolerance`` entry of a cell's metadata (one mapping, or a list of them)."""
    spec = metadata.get("tolerance")
    if spec is None:
        return ()
    specs = spec if isinstance(spec, list) and spec else [spec]
    return tuple(Tolerance.from_spec(each) for each in specs)


def parse_number(token: str) -> tuple[float, float | None]:
    """The value of a printed number and one unit of its last digit (``None`` for an integer)."""
    mantissa, _, exponent = token.replace(",", "").lower().partition("e")
    value = float(token.replace(",", ""))
    if "." not in mantissa and not exponent:
        return value, None
    decimals = len(mantissa.partition(".")[2])
    return value, 10.0 ** (int(exponent or 0) - decimals)


def significant_digits(token: str) -> int:
    """How many significant digits a printed number shows (``0.0020``: 2; ``0.00``: 0)."""
    mantissa = token.replace(",", "").lower().partition("e")[0].lstrip("+-")
    return len(mantissa.replace(".", "").lstrip("0"))


def kind_of(token: str, following: str = "") -> str:
    """``"percentages"`` before a % sign, ``"counts"`` for an integer, else ``"decimals"``."""
    if PERCENT_SIGN.match(following):
        return "percentages"
    return "counts" if parse_number(token)[1] is None else "decimals"


def numbers_agree(committed: str, computed: str, allowed: tuple[Tolerance, ...] = (),
                  kind: str | None = None) -> bool:
    """Whether the number printed now may stand for the committed one under the rule above."""
    expected, unit = parse_number(committed)
    actual, _ = parse_number(computed)
    if math.isnan(expected) or math.isnan(actual):
        return False
    kind = kind or kind_of(committed)
    margin = unit if unit is not None and significant_digits(committed) >= 2 else 0.0
    for tolerance in allowed:
        if tolerance.applies_to(kind):
            margin = max(margin, tolerance.abs, tolerance.rel * abs(expected))
    return abs(actual - expected) <= margin * (1 + 1e-9)


def skeleton(text: str) -> str:
    """The text without its numbers and horizontal spacing: what must match exactly."""
    return HORIZONTAL_SPACE.sub("", NUMBER.sub("#", text))


def reconcile_text(computed: str, committed: str, allowed: tuple[Tolerance, ...] = ()) -> str:
    """``committed`` when ``computed`` agrees with it under the rule, else ``computed`` unchanged.

    On a mismatch the numbers that do agree are given the committed spelling, so that nbval's
    report shows only what really differs.
    """
    if computed == committed or skeleton(computed) != skeleton(committed):
        return computed
    now = NUMBER.findall(computed)
    then = [(m.group(), kind_of(m.group(), committed[m.end():])) for m in NUMBER.finditer(committed)]
    agree = [numbers_agree(c, n, allowed, kind) for n, (c, kind) in zip(now, then)]
    if all(agree):
        return committed
    spelled = iter(c if ok else n for n, (c, _), ok in zip(now, then, agree))
    return NUMBER.sub(lambda _: next(spelled), computed)


def _text_fields(output: Mapping) -> Iterator[tuple[Mapping, str]]:
    """(container, key) of each text field of one output: a stream's text, a display's text types."""
    if output.get("output_type") == "stream":
        yield output, "text"
    for key, value in output.get("data", {}).items():
        if isinstance(value, str) and not key.startswith("image/"):
            yield output["data"], key


def reconcile_outputs(computed: list, committed: list, allowed: tuple[Tolerance, ...] = ()) -> list:
    """The computed outputs, with every text that agrees with its committed twin spelt as committed.

    Outputs are paired in order; a pair of a different kind (or a different number of outputs) is
    left as it is, for nbval to report.
    """
    if len(computed) != len(committed):
        return computed
    result = []
    for now, then in zip(computed, committed):
        now = _copy(now)
        if now.get("output_type") == then.get("output_type") and now.get("name") == then.get("name"):
            then_fields = dict((key, container[key]) for container, key in _text_fields(then))
            for container, key in list(_text_fields(now)):
                if key in then_fields and isinstance(container[key], str):
                    container[key] = reconcile_text(container[key], then_fields[key], allowed)
        result.append(now)
    return result


def _copy(output):
    """A copy of an output deep enough to change its text without touching the original."""
    copied = NotebookNode(output)
    if "data" in copied:
        copied["data"] = NotebookNode(copied["data"])
    return copied


ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def kernel_environment() -> Iterator[None]:
    """Within the block, processes started (a notebook's kernel) see no CUDA device and import
    ``book`` from this checkout, whichever checkout the environment's editable install points to."""
    before = {key: os.environ.get(key) for key in ("CUDA_VISIBLE_DEVICES", "PYTHONPATH")}
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), before["PYTHONPATH"]]))
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                del os.environ[key]
            else:
                os.environ[key] = value


class NumericCell(IPyNbCell):
    """An nbval cell whose outputs are compared by the rule of this module."""

    def compare_outputs(self, test, ref, skip_compare=None):
        try:
            allowed = tolerances(self.cell.metadata)
        except ValueError as error:
            self.comparison_traceback = [f"Cell {self.cell_num}: {error}"]
            return False
        return super().compare_outputs(reconcile_outputs(test, ref, allowed), ref, skip_compare)


class NumericNotebook(IPyNbFile):
    """An nbval notebook whose cells are NumericCells and whose kernel runs in ``kernel_environment``."""

    def setup(self):
        self._held: deque = deque()
        with kernel_environment():
            super().setup()

    def get_kernel_message(self, timeout=None, stream="iopub"):
        """The kernel's next message, with a display that a cell updates in place (``train_ch3``'s
        figure, redrawn every epoch) given in its final form, as Jupyter saves it: nbval itself
        ignores ``update_display_data`` and would compare the first drawing with the saved last one.
        """
        if stream != "iopub":
            return super().get_kernel_message(timeout=timeout, stream=stream)
        if self._held:
            return self._held.popleft()
        message = super().get_kernel_message(timeout=timeout, stream=stream)
        if message["msg_type"] != "display_data" or _display_id(message) is None:
            return message
        # Keep the rest of this cell's messages until it is idle, applying each update to its display.
        held, displays = [message], {_display_id(message): message}
        while not _is_idle(held[-1], message["parent_header"].get("msg_id")):
            later = super().get_kernel_message(timeout=timeout, stream=stream)
            shown = displays.get(_display_id(later))
            if later["msg_type"] == "update_display_data" and shown is not None:
                shown["content"].update(data=later["content"]["data"], metadata=later["content"]["metadata"])
                continue
            if later["msg_type"] == "display_data" and _display_id(later) is not None:
                displays[_display_id(later)] = later
            held.append(later)
        self._held.extend(held[1:])
        return held[0]

    def collect(self):
        for cell in super().collect():
            yield NumericCell.from_parent(
                self, name=cell.name, cell_num=cell.cell_num, cell=cell.cell, options=cell.options
            )


def _display_id(message) -> str | None:
    """The id of a display that may be updated, for a display_data or update_display_data message."""
    if message["msg_type"] not in ("display_data", "update_display_data"):
        return None
    return message["content"].get("transient", {}).get("display_id")


def _is_idle(message, msg_id) -> bool:
    return (message["msg_type"] == "status" and message["content"].get("execution_state") == "idle"
            and message["parent_header"].get("msg_id") == msg_id)


def pytest_collect_file(file_path, parent):
    """Every notebook pytest is given, unless nbval's own (exact) ``--nbval`` was asked for."""
    option = parent.config.option
    if file_path.suffix == ".ipynb" and not (option.nbval or option.nbval_lax):
        return NumericNotebook.from_parent(parent, path=file_path)
    return None
