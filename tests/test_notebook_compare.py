"""The rule by which chapters are compared: any CPU's rounding passes, a real change fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
import torch
from nbformat import NotebookNode

import book
from notebook_compare import (
    Tolerance,
    kernel_environment,
    numbers_agree,
    parse_number,
    reconcile_outputs,
    reconcile_text,
    significant_digits,
    tolerances,
)

ROOT = Path(__file__).resolve().parents[1]


def agrees(computed: str, committed: str, allowed: tuple[Tolerance, ...] = ()) -> bool:
    return reconcile_text(computed, committed, allowed) == committed


def test_a_number_may_differ_by_one_unit_of_its_last_printed_digit():
    assert agrees("train loss 0.4472", "train loss 0.4471")
    assert agrees("train loss 0.4470", "train loss 0.4471")


def test_a_number_two_units_away_fails():
    assert not agrees("train loss 0.4473", "train loss 0.4471")


def test_the_unit_follows_the_printed_precision():
    assert agrees("0.85", "0.84")
    assert not agrees("0.8455", "0.8452")


def test_scientific_notation_allows_one_unit_of_the_mantissa():
    assert agrees("7.3e-07", "7.2e-07")
    assert not agrees("7.5e-07", "7.2e-07")
    assert parse_number("7.2e-07") == (7.2e-07, pytest.approx(1e-08))


@pytest.mark.parametrize("computed, committed", [
    ("η = 0.2", "η = 0.1"),
    ("error 0.0003", "error 0.0002"),
    ("3e-05", "2e-05"),
    ("-0.01", "0.00"),
])
def test_a_number_with_one_significant_digit_must_match_exactly(computed, committed):
    assert not agrees(computed, committed)


def test_a_zero_with_a_sign_is_still_zero():
    assert agrees("-0.0000", "0.0000")


@pytest.mark.parametrize("token, digits", [
    ("0.1", 1), ("0.0020", 2), ("0.00", 0), ("1.0e-03", 2), ("-12.50", 4), ("1,234.5", 5),
])
def test_significant_digits_are_counted_from_the_first_nonzero_digit(token, digits):
    assert significant_digits(token) == digits


def test_integers_must_match_exactly():
    assert not agrees("8456 of 10,000 correct", "8455 of 10,000 correct")
    assert not agrees("26 epochs", "21 epochs")
    assert not agrees("61 % of mistakes", "57 % of mistakes")
    assert agrees("1,382 houses", "1,382 houses")
    assert parse_number("1,382") == (1382.0, None)


def test_changed_text_fails_even_when_every_number_agrees():
    assert not agrees("test accuracy 0.8455", "train accuracy 0.8455")


def test_a_missing_or_extra_number_fails():
    assert not agrees("w: [0.1234]", "w: [0.1234, 0.5678]")


def test_tensor_column_padding_is_not_a_difference():
    assert agrees("tensor([ 0.0001, -0.0000])", "tensor([0.0001, 0.0000])")


def test_digits_inside_words_and_versions_are_compared_as_text():
    assert not agrees("float64", "float32")
    assert not agrees("torch 2.14.2", "torch 2.14.1")
    assert not agrees("28x29 pixels", "28x28 pixels")


def test_nan_never_agrees_with_a_number():
    assert not numbers_agree("0.5", "nan")


def test_on_a_mismatch_only_the_numbers_that_differ_keep_their_new_spelling():
    result = reconcile_text("a 0.1001, b 0.9000", "a 0.1000, b 0.5000")
    assert result == "a 0.1000, b 0.9000"


def test_a_cell_tolerance_widens_the_margin():
    allowed = tolerances({"tolerance": {"abs": 0.005, "why": "trained model"}})
    assert agrees("test accuracy 0.8455", "test accuracy 0.8452", allowed)
    assert not agrees("test accuracy 0.8555", "test accuracy 0.8452", allowed)


def test_a_relative_tolerance_scales_with_the_number_and_covers_integers():
    allowed = tolerances({"tolerance": {"rel": 0.001, "why": "trained model"}})
    assert agrees("8,460 correct", "8,455 correct", allowed)
    assert not agrees("8,470 correct", "8,455 correct", allowed)


def test_a_tolerance_for_counts_leaves_decimals_and_percentages_to_the_default_rule():
    allowed = tolerances({"tolerance": {"abs": 30, "numbers": "counts", "why": "images in a bin"}})
    assert agrees("990 images, accuracy 0.4483", "977 images, accuracy 0.4483", allowed)
    assert not agrees("977 images, accuracy 0.9483", "977 images, accuracy 0.4483", allowed)
    assert not agrees("61 % of 1,656 mistakes", "57 % of 1,656 mistakes", allowed)


def test_a_tolerance_for_percentages_covers_only_numbers_before_a_percent_sign():
    allowed = tolerances({"tolerance": {"abs": 1, "numbers": "percentages", "why": "shares"}})
    assert agrees("58 % of 1,656 mistakes", "57 % of 1,656 mistakes", allowed)
    assert agrees("58% of 1,656 mistakes", "57% of 1,656 mistakes", allowed)
    assert not agrees("57 % of 1,657 mistakes", "57 % of 1,656 mistakes", allowed)


def test_a_list_gives_each_kind_of_number_its_own_tolerance():
    allowed = tolerances({"tolerance": [
        {"abs": 30, "numbers": "counts", "why": "images in a bin"},
        {"abs": 0.01, "numbers": "decimals", "why": "accuracy of a bin"},
    ]})
    assert agrees("990 images, accuracy 0.4533", "977 images, accuracy 0.4483", allowed)
    assert not agrees("990 images, accuracy 0.4683", "977 images, accuracy 0.4483", allowed)


@pytest.mark.parametrize("spec, message", [
    ({"abs": 0.01}, "needs a \"why\""),
    ({"abs": 0.01, "why": " "}, "needs a \"why\""),
    ({"abs": 0.01, "why": "x", "digits": 3}, "takes only"),
    ({"abs": -1, "why": "x"}, "must be a number >= 0"),
    ({"rel": "1%", "why": "x"}, "must be a number >= 0"),
    ({"why": "x"}, "needs \"abs\" or \"rel\""),
    ({"abs": 1, "why": "x", "numbers": "integers"}, "numbers must be one of"),
    (0.01, "takes only"),
    ([], "takes only"),
    ([{"abs": 1, "why": "x"}, {"abs": 1}], "needs a \"why\""),
])
def test_a_malformed_tolerance_is_a_clear_error(spec, message):
    with pytest.raises(ValueError, match=message):
        tolerances({"tolerance": spec})


def test_no_tolerance_in_the_metadata_means_the_default_rule():
    assert tolerances({}) == ()


def stream(text: str) -> NotebookNode:
    return NotebookNode(output_type="stream", name="stdout", text=text)


def display(text: str) -> NotebookNode:
    return NotebookNode(output_type="display_data", data=NotebookNode({"text/plain": text}), metadata={})


def test_outputs_are_reconciled_pairwise_without_changing_the_computed_ones():
    computed = [stream("loss 0.4472\n"), display("0.8456")]
    committed = [stream("loss 0.4471\n"), display("0.8455")]
    result = reconcile_outputs(computed, committed)
    assert result == committed
    assert computed[0]["text"] == "loss 0.4472\n" and computed[1]["data"]["text/plain"] == "0.8456"


def test_outputs_of_another_kind_or_count_are_left_for_nbval_to_report():
    assert reconcile_outputs([display("0.4472")], [stream("0.4471")]) == [display("0.4472")]
    assert reconcile_outputs([stream("1.0"), stream("2.0")], [stream("1.0")]) == [stream("1.0"), stream("2.0")]


def test_images_are_left_alone():
    image = NotebookNode(output_type="display_data", data=NotebookNode({"image/png": "iVBOR1"}), metadata={})
    assert reconcile_outputs([image], [image]) == [image]


def test_kernels_started_in_the_kernel_environment_see_no_gpu():
    with kernel_environment():
        seen = subprocess.run(
            [sys.executable, "-c", "import os; print(repr(os.environ['CUDA_VISIBLE_DEVICES']))"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    assert seen == "''"


def test_kernels_import_book_from_the_checkout_under_test(tmp_path, monkeypatch):
    """Another copy of ``book`` on the path (another clone's editable install) does not win."""
    other_clone = tmp_path / "other-clone"
    (other_clone / "book").mkdir(parents=True)
    (other_clone / "book" / "__init__.py").write_text("raise ImportError('the other clone')")
    monkeypatch.setenv("PYTHONPATH", str(other_clone))
    with kernel_environment():
        found = subprocess.run([sys.executable, "-c", "import book; print(book.__file__)"],
                               cwd=tmp_path, capture_output=True, text=True, check=True).stdout.strip()
    assert found == str(ROOT / "book" / "__init__.py")


def test_the_kernel_environment_is_restored_afterwards(monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1")
    monkeypatch.delenv("PYTHONPATH", raising=False)
    with kernel_environment():
        assert os.environ["CUDA_VISIBLE_DEVICES"] == ""
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "1" and "PYTHONPATH" not in os.environ
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES")
    with kernel_environment():
        pass
    assert "CUDA_VISIBLE_DEVICES" not in os.environ


def test_a_reader_with_a_gpu_computes_on_it_outside_the_tests(monkeypatch, capsys):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    device = book.setup_chapter(seed=0, num_threads=None)
    assert device == torch.device("cuda:0")
    assert "device: cuda" in capsys.readouterr().out


# End to end: tiny notebooks, their committed outputs edited, run by pytest with this plugin, all in one
# pytest run (each run starts a Python and a kernel: several seconds apiece).

def notebook(code: str, output: str, metadata: dict | None = None) -> dict:
    return {
        "cells": [{
            "cell_type": "code", "execution_count": 1, "id": "c1", "metadata": metadata or {},
            "source": code, "outputs": [{"output_type": "stream", "name": "stdout", "text": output}],
        }],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }


CODE = "import os\nprint(f'{2/3:.4f} of the GPUs: {os.environ[\"CUDA_VISIBLE_DEVICES\"]!r}')"
UPDATED_DISPLAY = ("from IPython.display import display\n"
                   "handle = display('epoch 1', display_id=True)\n"
                   "print('training')\n"
                   "handle.update('epoch 2')")


def updated_display(shown: str) -> dict:
    """As Jupyter saves it (train_ch3 redraws its figure every epoch): the last drawing, where it was first shown."""
    nb = notebook(UPDATED_DISPLAY, "training\n")
    nb["cells"][0]["outputs"] = [
        {"output_type": "display_data", "metadata": {}, "data": {"text/plain": f"'{shown}'"}},
        {"output_type": "stream", "name": "stdout", "text": "training\n"},
    ]
    return nb


COMMITTED = {  # committed output: passes?
    "0.6667 of the GPUs: ''\n": True,     # as computed
    "0.6666 of the GPUs: ''\n": True,     # another CPU's rounding
    "0.6672 of the GPUs: ''\n": False,    # a changed number
    "0.6667 of the CPUs: ''\n": False,    # changed text
}
NOTEBOOKS = {
    **{f"agree-{i}": notebook(CODE, committed) for i, committed in enumerate(COMMITTED)},
    "widened": notebook(CODE, "0.6700 of the GPUs: ''\n",
                        {"tolerance": {"abs": 0.01, "why": "a trained model's accuracy"}}),
    "malformed": notebook(CODE, "0.6667 of the GPUs: ''\n", {"tolerance": {"abs": 0.01}}),
    "display-epoch 2": updated_display("epoch 2"),
    "display-epoch 1": updated_display("epoch 1"),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, tuple[bool, str]]:
    """Each notebook of NOTEBOOKS run by nbval with this plugin: (passed, what pytest said of it)."""
    folder = tmp_path_factory.mktemp("compare")
    (folder / "conftest.py").write_text((ROOT / "conftest.py").read_text().replace(
        'Path(__file__).resolve().parent / "tests"', repr(str(ROOT / "tests"))))
    for name, nb in NOTEBOOKS.items():
        (folder / f"{name}.ipynb").write_text(json.dumps(nb))
    report = folder / "report.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval-current-env",
         "-c", os.devnull, "--rootdir", str(folder), f"--junitxml={report}", str(folder)],
        cwd=folder, capture_output=True, text=True,
    )
    found: dict[str, tuple[bool, str]] = {}
    for case in ElementTree.parse(report).iter("testcase"):
        name = Path(case.get("file") or case.get("classname")).stem
        problems = [p.get("message", "") + "\n" + (p.text or "") for p in case if p.tag in ("failure", "error")]
        passed, said = found.get(name, (True, ""))
        found[name] = (passed and not problems, said + "\n".join(problems))
    for name in NOTEBOOKS:
        found.setdefault(name, (False, "pytest reported nothing for this notebook"))
    return found


@pytest.mark.parametrize("index, passes", list(enumerate(COMMITTED.values())), ids=list(COMMITTED))
def test_a_notebook_passes_only_when_its_outputs_agree(outcomes, index, passes):
    passed, said = outcomes[f"agree-{index}"]
    assert passed == passes, said[-2000:]
    if not passes:
        assert "Cell outputs differ" in said


def test_a_notebook_cell_may_widen_its_tolerance_with_a_reason(outcomes):
    passed, said = outcomes["widened"]
    assert passed, said[-2000:]


def test_a_notebook_cell_with_a_malformed_tolerance_fails_and_says_why(outcomes):
    passed, said = outcomes["malformed"]
    assert not passed
    assert 'needs a "why"' in said


@pytest.mark.parametrize("shown, passes", [("epoch 2", True), ("epoch 1", False)])
def test_a_display_updated_in_place_is_compared_in_its_final_form(outcomes, shown, passes):
    passed, said = outcomes[f"display-{shown}"]
    assert passed == passes, said[-2000:]
