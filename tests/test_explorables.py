"""Explorables (``_ext/explorable.py``): figures with a control on the static page, frames computed by
the chapter.

An ``{explorable}`` becomes a native, labelled ``<input type="range">`` whose value and unit are its
``aria-valuetext``, panels drawn as SVG by a small deferred script from the numbers the chapter
glued, a legend, and a sentence in a live region that states the value and what the figure shows.
Every word is the page's own, so it goes through the message catalogs. Without JavaScript and in
print it is hidden and the chapter's still figure, which it follows, is the figure. An author's
mistake stops the build with a message that names the page and what to write. On the built site, in
both editions, the control moves by keyboard and by pointer, and the numbers the page then states
are those the chapter glued.
"""

from __future__ import annotations

import ast
import gzip
import json
import re
import sys
import textwrap

import pytest

from book_structure import ROOT, load
from browser_support import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM, served
from sphinx_project import build_html

sys.path.insert(0, str(ROOT / "tools"))
import reader_notebooks  # noqa: E402

#: The explorables of the book: (page, glue key of its frames).
EXPLORABLES = [("chapters/qa-lecture-1", "qa1_batch_frames"), ("chapters/qa-lecture-2", "qa2_region_frames"),
               ("chapters/softmax-regression", "softmax_temperature_frames"),
               ("chapters/loss-functions", "loss_outlier_frames"),
               ("chapters/basic-optimization", "opt_lr_frames"), ("chapters/linear-regression", "linreg_fit_frames")]
EDITIONS = ["", "zh/"]
#: What each edition's page says around the numbers, as the sentence of the first explorable starts.
STATE_START = {"": "Batch size", "zh/": "批量大小"}

SPEC = {
    "values": [1, 10, 100], "start": 1,
    "panels": [{"x": "grad_w1", "y": "loss", "xlim": [-2, 2], "ylim": [0.001, 10], "ylog": True,
                "series": [{"key": "estimates", "kind": "points", "color": 0},
                           {"key": "full", "kind": "points", "color": 1, "marker": "cross", "data": [0, 1]},
                           {"key": "curve", "kind": "line", "color": 2, "context": "others"}]}],
    "frames": [{"text": {"spread": spread}, "data": {"estimates": [0.5, 1, -0.5, 2], "curve": [[-1, 1, 1, 0.01]]}}
               for spread in ("0.96", "0.30", "0.09")],
}

PAGE = """
::::{explorable} frames
:label: Batch size
:unit: examples
The estimates of the gradient for this batch size, and the loss.

:::{state}
Batch size {value}: the estimates miss by {spread}.
:::

- `grad_w1` gradient with respect to $w_1$
- `loss` average loss
- `estimates` minibatch gradients
- `full` full gradient
- `curve` this batch size
- `others` the other batch sizes
::::
"""


def notebook(markdown: str, glued: dict) -> dict:
    """A chapter as myst-nb reads it: a code cell whose outputs glue each value, then the markdown."""
    outputs = [{"output_type": "display_data", "metadata": {"scrapbook": {
                    "name": key, "mime_prefix": "application/papermill.record/"}},
                "data": {"application/papermill.record/text/plain": repr(value)}} for key, value in glued.items()]
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3", "display_name": "P"},
                                                        "language_info": {"name": "python"}},
            "cells": [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# A page"},
                      {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": 1, "source": "glue()",
                       "outputs": outputs},
                      {"cell_type": "markdown", "id": "c", "metadata": {}, "source": markdown}]}


def build(tmp_path, page: str = PAGE, spec=SPEC, **config) -> tuple[str, str]:
    """A one-notebook project with the extension, built as HTML: (the page's HTML, the warnings)."""
    (tmp_path / "conf.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT / "_ext")!r})
        extensions = ["myst_nb", "explorable"]
        # A dict of this project's own: myst-nb writes its parsers into the one it finds, and Sphinx's
        # default is shared by every build of the process (tests/test_quick_check.py's too).
        source_suffix = {{".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}}
        myst_enable_extensions = ["colon_fence", "dollarmath"]
        nb_execution_mode = "off"
        html_theme = "basic"
    """))
    glued = {} if spec is None else {"frames": spec if isinstance(spec, str) else json.dumps(spec)}
    (tmp_path / "index.ipynb").write_text(json.dumps(notebook(page, glued)))
    return build_html(tmp_path, **config)


def glued_frames(page: str, key: str) -> dict:
    """The frames a chapter glued under ``key``, read from its committed outputs."""
    for cell in load(ROOT / f"{page}.ipynb")["cells"]:
        for output in cell.get("outputs", []):
            if output.get("metadata", {}).get("scrapbook", {}).get("name") == key:
                return json.loads(ast.literal_eval(output["data"]["application/papermill.record/text/plain"]))
    raise AssertionError(f"{page} glues no {key!r}")


# The markup --------------------------------------------------------------------------------------

def test_the_control_is_a_labelled_range_whose_value_is_stated_in_a_live_region(tmp_path):
    html, warnings = build(tmp_path)
    assert not warnings, warnings
    assert re.search(r'<div class="explorable" hidden="hidden" id="frames">', html)
    assert re.search(r'<label for="frames-input">Batch size</label> <input type="range" id="frames-input" '
                     r'min="0" max="2" step="1" value="1" aria-valuetext="10 examples"', html)
    state = re.search(r'<div class="ex-state" id="frames-state" role="status" aria-live="polite">(.*?)</div>', html, re.S)
    assert state and re.sub(r"<[^>]+>", "", state[1]).strip() == "Batch size 10: the estimates miss by 0.30."
    assert '<span class="ex-field" data-field="spread">0.30</span>' in state[1]
    assert '<svg class="ex-plot" id="frames-panel0" viewBox="0 0 320 240" role="img" aria-labelledby="frames-state">' in html


def test_the_words_of_axes_and_legend_are_the_pages_and_the_numbers_the_chapters(tmp_path):
    html, _ = build(tmp_path)
    legend = re.search(r'<ul class="ex-legend">(.*?)</ul>', html, re.S)[1]
    assert [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", legend, re.S)] == [
        "minibatch gradients", "full gradient", "this batch size", "the other batch sizes"]
    assert "`" not in legend and "grad_w1" not in re.sub(r'<script.*?</script>', "", html, flags=re.S)
    assert re.search(r'<div class="ex-axis ex-y">average loss</div>', html)
    data = re.search(r'<script type="application/json" class="ex-data">(.*?)</script>', html, re.S)[1]
    assert json.loads(data) == SPEC


CASES = PAGE.replace(":::{state}\nBatch size {value}: the estimates miss by {spread}.\n:::\n",
                     ":::{state}\n:case: near\nBatch size {value}: close, off by {spread}.\n:::\n"
                     ":::{state}\n:case: far\nBatch size {value}: far, off by {spread}.\n:::\n")
CASES_SPEC = {**SPEC, "frames": [{**frame, "case": case} for frame, case in zip(SPEC["frames"], ("far", "near", "near"))]}


def test_a_sentence_whose_words_change_with_the_frame_is_one_state_per_case(tmp_path):
    html, warnings = build(tmp_path, CASES, CASES_SPEC)
    assert not warnings, warnings
    state = re.search(r'<div class="ex-state" id="frames-state" role="status" aria-live="polite">(.*?)</div>\s*'
                      r'<div class="ex-caption"', html, re.S)[1]
    near = re.search(r'<div class="ex-case" data-case="near">(.*?)</div>', state, re.S)
    far = re.search(r'<div class="ex-case" data-case="far" hidden="hidden">(.*?)</div>', state, re.S)
    assert near and re.sub(r"<[^>]+>", "", near[1]).strip() == "Batch size 10: close, off by 0.30."
    assert far and re.sub(r"<[^>]+>", "", far[1]).strip() == "Batch size 10: far, off by 0.30."


@pytest.mark.parametrize("page, spec, complaint", [
    (CASES.replace(":case: far\n", ""), CASES_SPEC, "gives each its own `:case: key`"),
    (CASES, {**CASES_SPEC, "frames": [{**f, "case": "farther"} for f in CASES_SPEC["frames"]]},
     'the frames show the case farther, which no {state} has: give every frame a "case" of near, far'),
    (CASES, SPEC, "the frames show the case None"),
], ids=["case-missing", "case-unknown", "frame-without-case"])
def test_a_mistake_in_the_cases_is_an_error(tmp_path, page, spec, complaint):
    _html, warnings = build(tmp_path, page, spec)
    assert re.search(r"index\.ipynb:\d+: ERROR: ", warnings) and complaint in warnings, warnings


def test_the_script_and_stylesheet_load_only_on_pages_with_an_explorable(tmp_path):
    html, _ = build(tmp_path)
    assert re.search(r'<script defer="defer" src="_static/explorable.js', html) and "explorable.css" in html
    (tmp_path / "plain").mkdir()
    plain, _ = build(tmp_path / "plain", "Text.\n", spec=None)
    assert "explorable" not in plain


def chinese_catalog(tmp_path, state: str) -> None:
    catalog = tmp_path / "locales" / "zh_CN" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    translated = {
        "Batch size": "批量大小", "examples": "个样本", "Batch size {value}: the estimates miss by {spread}.": state,
        "The estimates of the gradient for this batch size, and the loss.": "这一批量大小的梯度估计，以及损失。",
        "`grad_w1` gradient with respect to $w_1$": "`grad_w1` 关于 $w_1$ 的梯度", "`loss` average loss": "`loss` 平均损失",
        "`estimates` minibatch gradients": "`estimates` 小批量梯度", "`full` full gradient": "`full` 全梯度",
        "`curve` this batch size": "`curve` 这一批量大小", "`others` the other batch sizes": "`others` 其他批量大小",
    }
    (catalog / "index.po").write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n' + "".join(
        f'msgid "{english}"\nmsgstr "{chinese}"\n\n'.replace("\\", "\\\\") for english, chinese in translated.items()))


def test_every_word_of_an_explorable_is_translated_through_the_catalog(tmp_path):
    chinese_catalog(tmp_path, "批量大小为 {value}：估计平均偏离 {spread}。")
    html, warnings = build(tmp_path, language="zh_CN", locale_dirs=["locales"])
    assert not warnings, warnings
    assert '<p class="ex-title">交互式图</p>' in html and '<label for="frames-input">批量大小</label>' in html
    assert 'aria-valuetext="10 个样本"' in html and '<span class="ex-unit">个样本</span>' in html
    state = re.search(r'<div class="ex-state"[^>]*>(.*?)</div>', html, re.S)[1]
    assert re.sub(r"<[^>]+>", "", state).strip() == "批量大小为 10：估计平均偏离 0.30。"
    for chinese in ("这一批量大小的梯度估计", "小批量梯度", "全梯度", "其他批量大小", "平均损失"):
        assert chinese in html
    assert "grad_w1" not in re.sub(r'<script.*?</script>', "", html, flags=re.S)


def test_a_translation_that_loses_a_field_is_a_warning_naming_the_page(tmp_path):
    chinese_catalog(tmp_path, "批量大小为 {value}：估计平均偏离 {偏离}。")
    _html, warnings = build(tmp_path, language="zh_CN", locale_dirs=["locales"])
    assert re.search(r"index\.ipynb:\d+: WARNING: the explorable's \{state\} names \{偏离\}", warnings), warnings


# An author's mistakes ----------------------------------------------------------------------------

BAD_SPEC = {**SPEC, "frames": SPEC["frames"][:2]}


@pytest.mark.parametrize("page, spec, complaint", [
    (PAGE, None, "names the glue key 'frames', which this page does not glue: add `glue(\"frames\", json.dumps(spec), "
                 "display=False)` to a hidden cell"),
    (PAGE.replace("{explorable} frames", "{explorable}"), SPEC, "an explorable needs the glue key of its frames"),
    (PAGE.replace(":label: Batch size\n", ""), SPEC, "an explorable needs a :label: for its control"),
    (PAGE, "not json", "the glue key 'frames' holds no JSON"),
    (PAGE, BAD_SPEC, 'the frames glued as \'frames\': the glued JSON needs two or more "values" and one frame for each'),
    (PAGE.replace(":::{state}\nBatch size {value}: the estimates miss by {spread}.\n:::\n", ""), SPEC,
     "an explorable needs one {state} block"),
    (PAGE.replace("{spread}", "{sprad}"), SPEC, "the {state} names sprad, which the frames do not state: use {spread}, {value}"),
    (PAGE.replace("- `full` full gradient\n", ""), SPEC, "the explorable has no words for full: add a list item"),
    (PAGE.replace("- `full` full gradient\n", "- `full` full gradient\n- `fill` a typo\n"), SPEC,
     "the list of words names fill, which no axis or series uses"),
    (PAGE.replace("The estimates of the gradient for this batch size, and the loss.\n", ""), SPEC,
     "an explorable needs its description"),
    (":::{state}\nAlone {value}.\n:::\n", SPEC, "a {state} belongs inside an {explorable} block"),
], ids=["glue-key-missing", "no-key", "no-label", "not-json", "a-frame-missing", "no-state", "unknown-field",
        "word-missing", "word-unused", "no-description", "stray-state"])
def test_a_mistake_is_an_error_naming_the_page_and_what_to_write(tmp_path, page, spec, complaint):
    _html, warnings = build(tmp_path, page, spec)
    assert re.search(r"index\.ipynb:\d+: ERROR: ", warnings) and complaint in warnings, warnings


def test_a_reader_notebook_leaves_an_explorable_out(tmp_path):
    chapter = reader_notebooks.Chapter(tmp_path / "x.ipynb")
    assert chapter.markdown("Before.\n" + PAGE + "\nAfter.") == [("Before.\n\nAfter.", {}, "markdown")]


# The chapters and the built site -----------------------------------------------------------------

@pytest.mark.parametrize("page, key", EXPLORABLES)
def test_each_explorable_follows_its_still_figure_and_is_light(built_site, page, key):
    """In the page, before the explorable, is the chapter's figure that a reader without JavaScript,
    the PDF and the reader notebook show; the frames add a few kilobytes to the page (gzip)."""
    spec = glued_frames(page, key)
    for edition in EDITIONS:
        html = (built_site / f"{edition}{page}.html").read_text(encoding="utf-8")
        ident = key.replace("_", "-")
        start = html.index(f'<div class="explorable" hidden="hidden" id="{ident}">')
        figures = re.findall(r'<figure[^>]*>\s*<img [^>]*src="[^"]*_images/', html[:start])
        assert figures, f"{edition}{page}: no still figure before the explorable"
        data = re.search(r'class="ex-data">(.*?)</script>', html[start:], re.S)[1]
        assert json.loads(data) == spec
        assert len(gzip.compress(data.encode())) < 12_000
    assert sum(len(gzip.compress((ROOT / "_ext" / "static" / name).read_bytes()))
               for name in ("explorable.js", "explorable.css")) < 5_000


@pytest.fixture(scope="module")
def browser(built_site):
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (requirements.txt)")
    with served(built_site) as url, sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium, url
        chromium.close()


def open_its_dropdown(tab) -> None:
    """An explorable in an exercise's solution is in a closed dropdown: open it, as a reader does."""
    tab.evaluate("""() => document.querySelectorAll(".explorable").forEach(e => {
      const dropdown = e.closest(".dropdown.toggle-hidden");
      if (dropdown) dropdown.querySelector(".toggle-button").click();
    })""")


# The figure as drawn: the frame shown, the vertices of each series' path, the stated sentence.
DRAWN = """explorable => ({
  index: Number(explorable.dataset.index),
  value: explorable.querySelector("input").value,
  valuetext: explorable.querySelector("input").getAttribute("aria-valuetext"),
  state: explorable.querySelector(".ex-state").innerText.replace(/\\s+/g, " ").trim(),
  cases: [...explorable.querySelectorAll(".ex-case")].filter(c => !c.hidden).map(c => c.dataset.case),
  fields: Object.fromEntries([...explorable.querySelectorAll(".ex-state .ex-field")].map(f => [f.dataset.field, f.textContent])),
  paths: Object.fromEntries([...explorable.querySelectorAll("path[data-key]")].map(p => [p.dataset.key, p.getAttribute("d")])),
})"""


def vertices(series: dict, data) -> int:
    """How many points or vertices the script draws for a series' data."""
    return len(data) // 2 if series["kind"] == "points" else sum(len(path) // 2 for path in data)


def assert_shows(drawn: dict, spec: dict, index: int, where: str) -> None:
    frame = spec["frames"][index]
    assert drawn["index"] == index and drawn["value"] == str(index), f"{where}: {drawn}"
    assert drawn["fields"]["value"] == str(spec["values"][index]), where
    for name, text in frame["text"].items():
        assert text in drawn["state"], f"{where}: the page does not say {name} = {text}: {drawn['state']!r}"
    assert drawn["valuetext"].startswith(str(spec["values"][index])), where
    assert drawn["cases"] == ([frame["case"]] if "case" in frame else []), f"{where}: shows {drawn['cases']}"
    for series in (s for panel in spec["panels"] for s in panel["series"]):
        data = series.get("data", frame["data"].get(series["key"]))
        d = drawn["paths"][series["key"]]
        count = len(re.findall(r"[ML]", d)) if series["kind"] != "points" else len(re.findall(r"M", d))
        if series.get("marker") == "cross":
            count //= 2  # a cross is two strokes
        assert count == vertices(series, data), f"{where}: {series['key']} drawn with {count} points"


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("page, key", EXPLORABLES)
def test_the_control_moves_by_keyboard_and_pointer_and_the_page_states_the_chapters_numbers(
        browser, edition, page, key):
    chromium, url = browser
    spec = glued_frames(page, key)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    errors = []
    try:
        tab = context.new_page()
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
        tab.goto(f"{url}{edition}{page}.html", wait_until="load")
        open_its_dropdown(tab)
        explorable = tab.locator(".explorable")
        assert explorable.is_visible()
        drawn = lambda: explorable.evaluate(DRAWN)  # noqa: E731
        start = spec.get("start", 0)
        assert_shows(drawn(), spec, start, f"{edition}{page} at first")
        before = drawn()["paths"]
        slider = explorable.locator("input[type=range]")
        slider.focus()
        tab.keyboard.press("ArrowRight")
        assert_shows(drawn(), spec, start + 1, f"{edition}{page} after ArrowRight")
        assert drawn()["paths"] != before, "the figure did not change"
        tab.keyboard.press("End")
        last = len(spec["values"]) - 1
        assert_shows(drawn(), spec, last, f"{edition}{page} after End")
        tab.keyboard.press("Home")
        assert_shows(drawn(), spec, 0, f"{edition}{page} after Home")
        box = slider.bounding_box()
        slider.click(position={"x": box["width"] - 2, "y": box["height"] / 2})
        assert_shows(drawn(), spec, last, f"{edition}{page} after a click at the right end")
        slider.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
        middle = drawn()["index"]
        assert 0 < middle < last
        assert_shows(drawn(), spec, middle, f"{edition}{page} after a click in the middle")
        if page.endswith("qa-lecture-1"):
            assert drawn()["state"].startswith(STATE_START[edition])
        assert explorable.locator(".ex-state").get_attribute("aria-live") == "polite"
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.parametrize("page, key", EXPLORABLES)
def test_without_javascript_and_in_print_the_still_figure_is_the_figure(browser, page, key):
    chromium, url = browser
    for javascript in (False, True):
        context = chromium.new_context(java_script_enabled=javascript)
        try:
            tab = context.new_page()
            tab.goto(f"{url}{page}.html", wait_until="load")
            if javascript:
                open_its_dropdown(tab)
                tab.emulate_media(media="print")
            explorable = tab.locator(".explorable")
            assert explorable.count() == 1 and not explorable.is_visible()
            still = explorable.locator("xpath=preceding::figure[.//img][1]//img")
            still.scroll_into_view_if_needed()
            # A lazy image starts loading once scrolled to: wait for it (a busy machine takes a while).
            tab.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=still.element_handle(),
                                  timeout=30_000)
            assert still.is_visible()
        finally:
            context.close()
