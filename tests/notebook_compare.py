"""nbval, with the numbers in a chapter's outputs compared as numbers: the rule that holds on any CPU.

A reader's CPU (AVX2, AVX-512, arm64), BLAS library or GPU adds floating-point numbers in another
order, so the last digits of a trained model's results differ from the committed ones. nbval
compares outputs as strings; this plugin runs the chapters with nbval and first reconciles the
numbers in each text output with the committed ones:

- the text around the numbers must match exactly (horizontal spacing aside: tensors pad their
  columns to the widest number);
- an integer must match exactly;
- a number printed with a decimal point or an exponent may differ by one unit of its last printed
  digit (``0.4471`` vs ``0.4472``, ``7.2e-07`` vs ``7.3e-07``): a rounding that falls the other way;
- a cell may allow more, only with a reason, in its metadata::

      "tolerance": {"abs": 0.003, "rel": 0.0, "why": "10 epochs of float32 SGD ..."}

  a number then passes within ``max(one unit, abs, rel * |committed|)``, integers included.

Anything else (a changed word, a number beyond its tolerance, a missing output) fails as in nbval,
with nbval's report. Images are not compared (nbval's default). While a chapter runs, the kernel
sees no GPU (``CUDA_VISIBLE_DEVICES`` is empty): the committed outputs are the CPU's, so the
tests compare CPU results on every machine; a reader's own session still uses the GPU.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

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
TOLERANCE_KEYS = {"abs", "rel", "why"}


@dataclass(frozen=True)
class Tolerance:
    """How far a number may move beyond one unit of its last printed digit (0 and 0: not at all)."""

    abs: float = 0.0
    rel: float = 0.0

    @classmethod
    def from_metadata(cls, metadata: Mapping) -> Tolerance:
        """The ``tolerance`` entry of a cell's metadata; a clear error when it is malformed."""
        spec = metadata.get("tolerance")
        if spec is None:
            return cls()
        if not isinstance(spec, Mapping) or set(spec) - TOLERANCE_KEYS:
            raise ValueError(
                f'a cell\'s "tolerance" takes only {sorted(TOLERANCE_KEYS)}, got {spec!r}'
            )
        if not str(spec.get("why", "")).strip():
            raise ValueError('a cell\'s "tolerance" needs a "why": say what makes its numbers vary')
        values = {k: spec.get(k, 0.0) for k in ("abs", "rel")}
        for key, value in values.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                raise ValueError(f'"tolerance" {key} must be a number >= 0, got {value!r}')
        if not any(values.values()):
            raise ValueError('a "tolerance" needs "abs" or "rel" above 0')
        return cls(abs=float(values["abs"]), rel=float(values["rel"]))


def parse_number(token: str) -> tuple[float, float | None]:
    """The value of a printed number and one unit of its last digit (``None`` for an integer)."""
    mantissa, _, exponent = token.replace(",", "").lower().partition("e")
    value = float(token.replace(",", ""))
    if "." not in mantissa and not exponent:
        return value, None
    decimals = len(mantissa.partition(".")[2])
    return value, 10.0 ** (int(exponent or 0) - decimals)


def numbers_agree(committed: str, computed: str, tolerance: Tolerance = Tolerance()) -> bool:
    """Whether the number printed now may stand for the committed one under the rule above."""
    expected, unit = parse_number(committed)
    actual, _ = parse_number(computed)
    if math.isnan(expected) or math.isnan(actual):
        return False
    allowed = max(unit or 0.0, tolerance.abs, tolerance.rel * abs(expected))
    return abs(actual - expected) <= allowed * (1 + 1e-9)


def skeleton(text: str) -> str:
    """The text without its numbers and horizontal spacing: what must match exactly."""
    return HORIZONTAL_SPACE.sub("", NUMBER.sub("#", text))


def reconcile_text(computed: str, committed: str, tolerance: Tolerance = Tolerance()) -> str:
    """``committed`` when ``computed`` agrees with it under the rule, else ``computed`` unchanged.

    On a mismatch the numbers that do agree are given the committed spelling, so that nbval's
    report shows only what really differs.
    """
    if computed == committed or skeleton(computed) != skeleton(committed):
        return computed
    now, then = NUMBER.findall(computed), NUMBER.findall(committed)
    agree = [numbers_agree(c, n, tolerance) for n, c in zip(now, then)]
    if all(agree):
        return committed
    spelled = iter(c if ok else n for n, c, ok in zip(now, then, agree))
    return NUMBER.sub(lambda _: next(spelled), computed)


def _text_fields(output: Mapping) -> Iterator[tuple[Mapping, str]]:
    """(container, key) of each text field of one output: a stream's text, a display's text types."""
    if output.get("output_type") == "stream":
        yield output, "text"
    for key, value in output.get("data", {}).items():
        if isinstance(value, str) and not key.startswith("image/"):
            yield output["data"], key


def reconcile_outputs(computed: list, committed: list, tolerance: Tolerance = Tolerance()) -> list:
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
                    container[key] = reconcile_text(container[key], then_fields[key], tolerance)
        result.append(now)
    return result


def _copy(output):
    """A copy of an output deep enough to change its text without touching the original."""
    copied = NotebookNode(output)
    if "data" in copied:
        copied["data"] = NotebookNode(copied["data"])
    return copied


@contextmanager
def gpus_hidden() -> Iterator[None]:
    """Within the block, processes started (a notebook's kernel) see no CUDA device."""
    before = os.environ.get("CUDA_VISIBLE_DEVICES")
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    try:
        yield
    finally:
        if before is None:
            del os.environ["CUDA_VISIBLE_DEVICES"]
        else:
            os.environ["CUDA_VISIBLE_DEVICES"] = before


class NumericCell(IPyNbCell):
    """An nbval cell whose outputs are compared by the rule of this module."""

    def compare_outputs(self, test, ref, skip_compare=None):
        try:
            tolerance = Tolerance.from_metadata(self.cell.metadata)
        except ValueError as error:
            self.comparison_traceback = [f"Cell {self.cell_num}: {error}"]
            return False
        return super().compare_outputs(reconcile_outputs(test, ref, tolerance), ref, skip_compare)


class NumericNotebook(IPyNbFile):
    """An nbval notebook whose cells are NumericCells and whose kernel sees no GPU."""

    def setup(self):
        with gpus_hidden():
            super().setup()

    def collect(self):
        for cell in super().collect():
            yield NumericCell.from_parent(
                self, name=cell.name, cell_num=cell.cell_num, cell=cell.cell, options=cell.options
            )


def pytest_collect_file(file_path, parent):
    """Every notebook pytest is given, unless nbval's own (exact) ``--nbval`` was asked for."""
    option = parent.config.option
    if file_path.suffix == ".ipynb" and not (option.nbval or option.nbval_lax):
        return NumericNotebook.from_parent(parent, path=file_path)
    return None
