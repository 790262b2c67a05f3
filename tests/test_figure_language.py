"""The figures' words in Chinese (book.figure_language): every chapter's figure has its Chinese
drawing, made from the same figure, with no English word left."""

from __future__ import annotations

import ast
import base64
import json
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402

from book import figure_language  # noqa: E402
from book.figure_language import CHINESE, chinese, chinese_png, english_words  # noqa: E402
from book.plot import heatmap  # noqa: E402
from book_structure import CHAPTERS  # noqa: E402

NOTEBOOKS = sorted(CHAPTERS.glob("*.ipynb"))
CJK = re.compile(r"[\u4e00-\u9fff]")
QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def draw(figure) -> str:
    """A figure's PNG as Jupyter's inline backend returns it (base64)."""
    return print_figure(figure, "png", base64=True, bbox_inches="tight")


def figure_labels(description: str) -> list[str]:
    """Every label of a figure, line by line, from its plain text (book.figure_data.describe_figure)."""
    labels = []
    for line in description.splitlines():
        line = line.strip()
        if line.startswith(("x ticks:", "y ticks:")):
            labels += line.split(":", 1)[1].strip().split(", ")
        else:
            labels += [ast.literal_eval(q) for q in QUOTED.findall(line)]
    return [part for label in labels for part in label.split("\n") if part]


def figure_outputs(path):
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                yield cell.get("id"), output


@pytest.fixture
def figure():
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3))
    left.plot([1, 2, 3], [3, 2, 1], label="train loss")
    left.plot([1, 2, 3], [1, 2, 3], label="batch size 10")
    left.set_xlabel("epoch")
    left.set_ylabel("$w_1$")
    left.legend()
    heatmap([[1, 2], [3, 4]], ["t-shirt", "bag"], ["coat", "sandal"], xlabel="predicted class",
            ylabel="true class", fmt="{:.0f}", ax=right)
    yield fig
    plt.close(fig)


def test_a_label_is_translated_whole_by_line_or_by_pattern():
    assert chinese("train loss") == "训练损失"
    assert chinese("ankle boot\nsneaker") == "短靴\n运动鞋"
    assert chinese("batch size 100") == "批量大小100"
    assert chinese("class 2") == "类别2" and chinese("after epoch 200") == "训练200个迭代周期后"


def test_formulas_numbers_and_unknown_labels_are_kept():
    for label in ("$w_1$", "0.200", "T = 0.1", "L2", "Huber", "no such label"):
        assert chinese(label) == label
    assert english_words("no such label") == ["no", "such", "label"]
    assert english_words("$\\hat y$ L2 Huber 0-1") == []


def test_no_chinese_label_puts_chinese_into_a_formula():
    """mathtext draws no Chinese character: a Chinese label writes its formula in Unicode."""
    assert [value for value in CHINESE.values() if CJK.search(value) and "$" in value] == []


def test_the_chinese_drawing_has_other_words_and_leaves_the_figure_as_it_was(figure):
    english = draw(figure)
    before = [t.get_text() for t in figure.findobj(matplotlib.text.Text)]
    drawn = chinese_png(figure, draw)
    assert drawn is not None and drawn != english
    assert [t.get_text() for t in figure.findobj(matplotlib.text.Text)] == before
    assert [t.get_text() for t in figure.axes[1].get_xticklabels()] == ["coat", "sandal"]
    assert draw(figure) == english


def test_the_chinese_drawing_translates_the_class_names_of_the_ticks_and_stands_short_ones_upright(figure):
    plt.setp(figure.axes[1].get_xticklabels(), rotation=60, ha="right")
    seen = []

    def record(fig):
        fig.canvas.draw()
        seen.extend((t.get_text(), t.get_rotation()) for t in fig.axes[1].get_xticklabels() + fig.axes[1].get_yticklabels())
        return draw(fig)

    chinese_png(figure, record)
    assert seen == [("外套", 0), ("凉鞋", 0), ("T恤", 0), ("包", 0)]
    assert [t.get_rotation() for t in figure.axes[1].get_xticklabels()] == [60, 60]


def test_longer_chinese_class_names_slant_less_than_the_english_ones():
    fig, ax = plt.subplots()
    heatmap([[1, 2], [3, 4]], ["bag", "coat"], ["dress", "sneaker"], fmt="{:.0f}", ax=ax)
    plt.setp(ax.get_xticklabels(), rotation=60, ha="right")
    seen = []

    def record(f):
        f.canvas.draw()
        seen.extend((t.get_text(), t.get_rotation()) for t in ax.get_xticklabels())
        return draw(f)

    chinese_png(fig, record)
    assert seen == [("连衣裙", 30), ("运动鞋", 30)]
    plt.close(fig)


def test_a_figure_without_words_to_translate_has_no_chinese_drawing():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="$w_1$")
    ax.legend()
    assert chinese_png(fig, draw) is None
    plt.close(fig)


def test_a_label_without_chinese_is_a_warning_that_names_it(figure):
    figure.axes[0].set_title("a label nobody translated")
    with pytest.warns(UserWarning, match="'a label nobody translated'.*book.figure_language.CHINESE"):
        chinese_png(figure, draw)


def test_without_a_chinese_font_there_is_no_chinese_drawing(figure, monkeypatch):
    monkeypatch.setattr(figure_language, "chinese_font", lambda: None)
    assert chinese_png(figure, draw) is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_each_figure_with_words_has_its_chinese_drawing_with_none_left_english(path):
    missing, english = [], []
    for cell_id, output in figure_outputs(path):
        labels = figure_labels("".join(output["data"].get("text/plain", "")))
        english += [label for label in labels if english_words(chinese(label))]
        drawing = output.get("metadata", {}).get("image/png", {}).get(figure_language.LANGUAGE)
        if any(chinese(label) != label for label in labels) and not drawing:
            missing.append(cell_id)
        if drawing:
            assert base64.b64decode(drawing).startswith(b"\x89PNG"), cell_id
    assert not english, f"labels without Chinese: {sorted(set(english))}: add them to book.figure_language.CHINESE"
    assert not missing, (f"figures of cells {missing} have no Chinese drawing: run the chapter (make outputs "
                         "NB=...) on a machine with a Chinese font (Debian: fonts-wqy-microhei)")
