"""book.figure_data: a figure's plain text names what it shows, so that the chapter comparison sees it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import book  # noqa: E402
from book.figure_data import describe_figure, show_figure_data  # noqa: E402
from notebook_compare import reconcile_text  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EPOCHS = [1, 2, 3]
CURVES = {"train loss": [0.79, 0.57, 0.45], "train acc": [0.74, 0.81, 0.85], "test acc": [0.79, 0.8, 0.83]}


def training_figure(curves: dict[str, list[float]]) -> str:
    animator = book.Animator(xlabel="epoch", ylabel="loss / accuracy", legend=list(CURVES), live=False)
    for epoch, values in zip(EPOCHS, zip(*curves.values())):
        animator.add(epoch, values)
    animator.show()
    text = describe_figure(animator.fig)
    plt.close(animator.fig)
    return text


def test_a_figure_is_described_by_its_labels_legend_and_data():
    text = training_figure(CURVES)
    assert "x 'epoch' (linear), y 'loss / accuracy' (linear)" in text
    assert "legend: 'train loss', 'train acc', 'test acc'" in text
    assert "y 3 values first 7.900e-01 last 4.500e-01 smallest 4.500e-01 largest 7.900e-01 mean 6.033e-01" in text


def test_swapped_curves_fail_the_comparison_though_the_legend_is_unchanged():
    swapped = dict(CURVES, **{"train acc": CURVES["test acc"], "test acc": CURVES["train acc"]})
    committed, computed = training_figure(CURVES), training_figure(swapped)
    assert reconcile_text(computed, committed) != committed


def test_another_cpus_rounding_of_a_curve_passes_the_comparison():
    nudged = {name: [v * (1 + 1e-7) for v in values] for name, values in CURVES.items()}
    committed = training_figure(CURVES)
    assert reconcile_text(training_figure(nudged), committed) == committed


def test_on_a_linear_axis_what_is_below_a_thousandth_of_the_largest_value_reads_as_zero():
    figure, ax = plt.subplots()
    ax.plot([-2.0, 1e-17, 2.0], [1.0, 1.9e-3, 3.0])
    text = describe_figure(figure)
    plt.close(figure)
    assert "x 3 values first -2.000e+00 last 2.000e+00 smallest -2.000e+00 largest 2.000e+00 mean 0.000e+00" in text
    assert "y 3 values first 1.000e+00 last 3.000e+00 smallest 0.000e+00 largest 3.000e+00" in text


def test_on_a_log_axis_small_values_are_given_as_they_are():
    figure, ax = plt.subplots()
    ax.semilogy([1.0, 2.0], [1e-79, 3e29])
    text = describe_figure(figure)
    plt.close(figure)
    assert "y 2 values first 1.000e-79 last 3.000e+29" in text


def test_images_texts_named_ticks_and_infinite_values_are_described():
    figure, ax = plt.subplots()
    ax.imshow(np.arange(6.0).reshape(2, 3))
    ax.set_xticks(range(3), labels=["a", "b", "c"])
    ax.text(0, 0, "diverged")
    ax.plot([0.0, 1.0], [np.inf, 1.0], label="run")
    text = describe_figure(figure)
    plt.close(figure)
    assert "image 2x3: 6 values first 0.000e+00 last 5.000e+00" in text
    assert "x ticks: a, b, c" in text and "text: 'diverged'" in text
    assert "line 'run': x 2 values" in text and "first inf" in text


def test_outside_jupyter_showing_figure_data_changes_nothing():
    show_figure_data()  # no IPython shell here: nothing to register, no error
    assert plt.get_backend().lower() == "agg"


def test_in_a_chapter_a_figure_with_swapped_curves_fails_its_cell(tmp_path):
    """End to end: the committed figure text is that of the true curves, the run draws them swapped."""
    plot = ("import book, matplotlib.pyplot as plt\nbook.setup_chapter(seed=0)\n"
            "book.plot([1, 2, 3], [{}, {}], legend=['train acc', 'test acc'])\nplt.show()")
    true, swapped = CURVES["train acc"], CURVES["test acc"]
    committed = _figure_text(tmp_path, plot.format(true, swapped))
    nb = _notebook(plot.format(swapped, true), committed)
    (tmp_path / "conftest.py").write_text((ROOT / "conftest.py").read_text().replace(
        'Path(__file__).resolve().parent / "tests"', repr(str(ROOT / "tests"))))
    (tmp_path / "check.ipynb").write_text(json.dumps(nb))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval-current-env",
         "-c", os.devnull, "--rootdir", str(tmp_path), str(tmp_path / "check.ipynb")],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert result.returncode != 0 and "Cell outputs differ" in result.stdout, result.stdout[-2000:]
    assert "first 7.900e-01" in result.stdout


def _figure_text(tmp_path: Path, code: str) -> dict:
    """The outputs of ``code`` run in a Jupyter kernel, as nbclient records them."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb.cells[0].outputs


def _notebook(code: str, outputs) -> dict:
    return {
        "cells": [{"cell_type": "code", "execution_count": 1, "id": "c1", "metadata": {},
                   "source": code, "outputs": json.loads(json.dumps(outputs))}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_bars_are_described_by_their_widths_and_heights():
    """A horizontal bar's value is its width; a vertical bar's, its height."""
    figure, ax = plt.subplots()
    ax.barh(["a", "b"], [0.25, 0.75])
    text = describe_figure(figure)
    plt.close(figure)
    assert "2 shapes, widths 2 values first 2.500e-01 last 7.500e-01" in text
