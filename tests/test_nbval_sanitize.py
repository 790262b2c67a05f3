"""tests/nbval_sanitize.cfg masks timings and memory addresses, and nothing a chapter could print as prose.

nbval applies every pattern to every output before comparing; read and applied here the way nbval does.
"""

from __future__ import annotations

import json
import re

import pytest
from nbval.plugin import get_sanitize_patterns

from book_structure import CHAPTERS, ROOT, code_cells, load

PATTERNS = get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text())


def sanitize(text: str) -> str:
    for regex, replace in PATTERNS:  # as nbval.plugin.NBValItem.sanitize
        text = re.sub(regex, replace, text)
    return text


def test_every_section_is_read_by_nbval():
    assert [replace for _, replace in PATTERNS] == ["TIME", "THROUGHPUT", "ADDRESS"]


@pytest.mark.parametrize("printed, masked", [
    ("training time: 4.5 s", "training time: TIME"),
    ("x 60,000 images = 8.54 s", "x 60,000 images = TIME"),
    ("one pass 0.873 s\n", "one pass TIME\n"),
    ("0.57 s/epoch", "TIME/epoch"),
    ("took 12.7 s.", "took TIME."),
    ("5.1 ms per batch", "TIME per batch"),
    ("45 ms", "TIME"),
    ("1,234.5 ms", "TIME"),
    ("one image: 142.4 µs", "one image: TIME"),
    ("one image: 142.4 μs", "one image: TIME"),  # Greek mu, not the micro sign
    ("(3.2 ns)", "(TIME)"),
    ("4,995 images/s", "THROUGHPUT"),
    ("at 1.2e+06 examples/s", "at THROUGHPUT"),
    ("12345 batches/s", "THROUGHPUT"),
    ("<book.Timer object at 0x7f3a2c1d9e80>", "<book.Timer object at ADDRESS>"),
])
def test_timings_throughputs_and_addresses_are_masked(printed, masked):
    assert sanitize(printed) == masked


@pytest.mark.parametrize("prose", [
    "a column of 1s",
    "the 1990s",
    "4 us",
    "0.1 min",
    "3 seconds",
    "batch size 4:  15000 batches, one pass",
    "loss 0.2042 sample 3",
    "w = 2.0000 s.t. the loss is 0",  # "s" must stand alone as a unit
    "5 s",  # whole seconds: not a printed timing here, so prose may say it
    "version 1.2.5 s",
    "0.5 seconds per image",
    "7 images/second",
    "65536 = 0x10000",
    "most frequent mistake: shirt predicted as t-shirt, 153 times",
    "loss of w = 0, b = 0: 26,895,470,592.0000 US$²",
    "lr 0.1, 10 epochs, 12 msec",
])
def test_prose_is_left_alone(prose):
    assert sanitize(prose) == prose


def outputs_text(cell) -> str:
    texts = []
    for output in cell.get("outputs", []):
        texts.append("".join(output.get("text", "")))
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/"):
                texts.append("".join(value) if isinstance(value, list) else json.dumps(value))
    return "\n".join(texts)


UNIT_AFTER_A_NUMBER = re.compile(r"\d\s*(?:ms|µs|μs|ns|s|sec|secs|seconds?|min|minutes?)(?![\w$])|/s\b")


def ignored(cell) -> bool:
    source = "".join(cell["source"])
    return "nbval-ignore-output" in cell.get("metadata", {}).get("tags", []) or source.startswith(
        "# NBVAL_IGNORE_OUTPUT")


@pytest.mark.parametrize("path", sorted(CHAPTERS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_every_timing_a_chapter_prints_is_masked_or_in_an_ignored_cell(path):
    """A committed output that looks like a timing is either masked by the patterns or not compared."""
    unmasked = []
    for cell in code_cells(load(path)):
        if ignored(cell):
            continue
        for match in UNIT_AFTER_A_NUMBER.finditer(sanitize(outputs_text(cell))):
            unmasked.append(match.string[max(0, match.start() - 30):match.end()].strip())
    assert not unmasked, f"{path.name}: timings that nbval would compare: {unmasked}"
