"""Quick checks (``_ext/quick_check.py``): questions with instant feedback on the static page.

A ``{quick-check}`` becomes native, labelled form controls in a fieldset, a feedback region that
screen readers announce, and the answer with every explanation in a fold that works without
JavaScript and prints. Every sentence goes through the message catalogs. An author's mistake stops
the build with a message that names the page and what to write. In a real browser, by keyboard
only, both editions answer a choice and a number, and say so when the number is not one.
"""

from __future__ import annotations

import re
import sys
import textwrap

import pytest

from book_structure import ROOT
from sphinx_project import build_html

sys.path.insert(0, str(ROOT / "tests"))

CHOICE = """
::::{quick-check}
:label: qc-half
What does the $\\frac{1}{2}$ in the squared loss do?
:::{choice}
:correct:
It makes the derivative $\\hat y - y$.

The 2 of the square cancels it; the minimum stays where it is.
:::
:::{choice}
It halves the learning rate.

The loss is scaled, not the step rule.
:::
::::
"""

NUMBER = """
::::{quick-check}
:label: qc-bound
:kind: number
:answer: 0.5
:tolerance: 0.01
:unit: epochs
What is the bound?
:::{explanation}
Two over the largest eigenvalue.
:::
::::
"""

MULTIPLE = CHOICE.replace(":::{choice}\nIt halves", ":::{choice}\n:correct:\nIt halves").replace("qc-half", "qc-many")


def build(tmp_path, page: str, **config) -> tuple[str, str]:
    """A one-page MyST project with the extension, built as HTML: (the page's HTML, the warnings)."""
    (tmp_path / "conf.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT / "_ext")!r})
        extensions = ["myst_parser", "quick_check"]
        myst_enable_extensions = ["colon_fence", "dollarmath"]
        html_theme = "basic"
    """))
    (tmp_path / "index.md").write_text("# A page\n" + page)
    return build_html(tmp_path, **config)


# The markup --------------------------------------------------------------------------------------

def test_one_right_choice_is_radio_buttons_with_labels_in_a_fieldset(tmp_path):
    html, warnings = build(tmp_path, CHOICE)
    assert not warnings
    assert re.search(r'<fieldset aria-describedby="qc-half-question"><legend>Quick check</legend>', html)
    assert len(re.findall(r'<input type="radio" name="qc-half" value="\d" id="(qc-half-\d)"><label for="\1">', html)) == 2
    assert '<div class="qc-feedback" role="status" aria-live="polite"></div>' in html
    assert '<button type="button" class="qc-check" hidden>Check</button>' in html


def test_several_right_choices_are_checkboxes(tmp_path):
    html, _ = build(tmp_path, MULTIPLE)
    assert html.count('type="checkbox"') == 2 and 'type="radio"' not in html
    assert "Right: A, B." in html


def test_the_answer_and_every_explanation_are_in_a_fold_after_the_form(tmp_path):
    html, _ = build(tmp_path, CHOICE)
    fold = re.search(r'</fieldset>\s*<details class="qc-answer"><summary>Answer</summary>(.*?)</details>', html, re.S)
    assert fold, "no fold after the form"
    assert "Right: A." in fold[1]
    assert 'data-index="0" data-correct="true"' in fold[1] and "The 2 of the square cancels it" in fold[1]
    assert 'data-index="1" data-correct="false"' in fold[1] and "The loss is scaled" in fold[1]
    form = html[:html.index("</fieldset>")]
    assert "The loss is scaled" not in form, "an explanation shows before the reader has answered"


def test_a_number_has_a_labelled_text_input_with_its_unit_and_answer(tmp_path):
    html, _ = build(tmp_path, NUMBER)
    assert '<label for="qc-bound-input">Your answer</label>' in html
    assert re.search(r'<input type="text" inputmode="decimal"[^>]* id="qc-bound-input"', html)
    assert '<span class="qc-unit">epochs</span>' in html
    assert re.search(r'<div class="quick-check" data-answer="0.5" data-kind="number" data-messages="[^"]*" '
                     r'data-relative="false" data-tolerance="0.01" id="qc-bound">', html)
    assert "Answer: 0.5 epochs (within 0.01)." in html


def test_the_script_and_stylesheet_load_only_on_pages_with_a_quick_check(tmp_path):
    html, _ = build(tmp_path, CHOICE)
    assert re.search(r'<script defer="defer" src="_static/quick-check.js', html) and "quick-check.css" in html
    (tmp_path / "plain").mkdir()
    plain, _ = build(tmp_path / "plain", "Text.\n")
    assert "quick-check" not in plain


def test_the_words_of_the_form_are_in_the_editions_language(tmp_path):
    html, _ = build(tmp_path, NUMBER, language="zh_CN")
    assert "<legend>小测验</legend>" in html and ">检查</button>" in html and "<summary>答案</summary>" in html
    assert "请输入一个数，例如 0.25。" in html


def test_every_sentence_of_a_quick_check_is_translated_through_the_catalog(tmp_path):
    catalog = tmp_path / "locales" / "zh_CN" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    translated = {
        "What is the bound?": "界是多少？", "epochs": "轮", "Two over the largest eigenvalue.": "2 除以最大特征值。",
        "What does the $\\frac{1}{2}$ in the squared loss do?": "平方损失中的 $\\frac{1}{2}$ 起什么作用？",
        "It halves the learning rate.": "它把学习率减半。", "The loss is scaled, not the step rule.": "缩放的是损失。",
    }
    (catalog / "index.po").write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n' + "".join(
        f'msgid "{english}"\nmsgstr "{chinese}"\n\n'.replace("\\", "\\\\") for english, chinese in translated.items()))
    html, warnings = build(tmp_path, CHOICE + NUMBER, language="zh_CN", locale_dirs=["locales"])
    assert not warnings
    for chinese in ("界是多少？", '<span class="qc-unit">轮</span>', "2 除以最大特征值。", "平方损失中的", "它把学习率减半。",
                    "缩放的是损失。"):
        assert chinese in html


# An author's mistakes ----------------------------------------------------------------------------

@pytest.mark.parametrize("page, complaint", [
    (CHOICE.replace(":correct:\n", ""), "no choice is marked correct: add `:correct:`"),
    (NUMBER.replace(":answer: 0.5\n", ""), "needs its :answer:"),
    (NUMBER.replace(":tolerance: 0.01\n", ""), "needs a :tolerance:"),
    (NUMBER.replace(":kind: number", ":kind: essay"), "unknown quick-check kind 'essay': write `:kind: choice`"),
    (NUMBER.replace(":answer: 0.5", ":answer: about a half"), "the :answer: 'about a half' is not a number"),
    (NUMBER.replace(":answer: 0.5", ":answer: {glue}`bound`"), "names the glue key 'bound', which this page does not glue"),
    (CHOICE.replace("\nThe loss is scaled, not the step rule.\n", ""), "choice B has no explanation"),
    (CHOICE.replace(":label: qc-half\n", ""), "needs a :label:"),
    (":::{choice}\nAlone.\n\nWhy.\n:::\n", "a {choice} belongs inside a {quick-check} block"),
], ids=["no-correct-choice", "number-without-answer", "number-without-tolerance", "unknown-kind",
        "answer-not-a-number", "answer-glue-key-missing", "choice-without-explanation", "no-label", "stray-choice"])
def test_a_mistake_is_an_error_naming_the_page_and_what_to_write(tmp_path, page, complaint):
    _html, warnings = build(tmp_path, page)
    assert re.search(r"index\.md:\d+: ERROR: ", warnings) and complaint in warnings, warnings


def test_the_right_answers_of_the_book_are_not_always_in_the_same_place():
    """A reader who always picks the first option must not score well: over the book's choice
    questions (not "which line is wrong", whose options follow the code), no position holds more
    than a third of the right answers."""
    from collections import Counter

    from book_structure import load, toc_notebooks

    block = re.compile(r":::\{choice\}\n(.*?)\n:::(?!:)", re.S)
    places = Counter()
    for path in toc_notebooks():
        for cell in load(path)["cells"]:
            text = "".join(cell["source"])
            if cell["cell_type"] != "markdown" or "{quick-check}" not in text:
                continue
            options = block.findall(text)
            if all(re.match(r"(:correct:\n)?`[^`]+`\s*(\n|$)", o) for o in options):
                continue
            places.update(i for i, o in enumerate(options) if o.startswith(":correct:"))
    assert sum(places.values()) >= 20
    assert max(places.values()) <= sum(places.values()) / 3, f"right answers by position: {dict(places)}"
