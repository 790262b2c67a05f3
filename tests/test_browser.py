"""The built site as readers meet it: every page of _toc.yml opened in a real, headless Chromium.

The site (``_build/html`` from the ``built_site`` fixture) is served on 127.0.0.1 by a thread
running ``http.server``; Playwright drives Debian's Chromium (``/usr/bin/chromium``, or the
program named by ``$CHROMIUM``; never a browser downloaded by Playwright). For every page:

- the page and every resource it loads answer HTTP 200, and nothing is loaded from another host
  (the site must work offline: MathJax, fonts and scripts are served by the site itself);
- every ``<img>`` loaded (``naturalWidth > 0``);
- no JavaScript error (console error or uncaught exception);
- every formula is typeset (at build time, ``_ext/math_prerender.py``): every math element holds
  an ``mjx-container`` whose SVG the browser lays out (not empty) and whose glyphs are all defined
  in the page, with its hidden MathML for screen readers; no MathJax error, no MathJax script, no
  raw ``$$``, ``\\(`` or ``\\[`` left in the text outside code;
- the previous/next links point to the neighbours in _toc.yml order, and the site's address opens
  the first page, whose "next" a click follows (so "next" from the front page walks the whole book);
- the page is no wider than the window (no sideways scrolling);
- on a phone (412 px), no formula is cut off at the edge of a box that clips it: a long one scrolls
  sideways in its own box;
- when a check fails, a full-page screenshot is saved under ``_build/screenshots/`` for a person
  to look at.

The search page is checked for an English word and for a Chinese term of the glossary. The
Chinese edition (``zh/``, tools/translations.py) gets the same page checks, a search for Chinese
words, and its language switch is followed both ways.

On a phone-sized window: the menu and contents buttons open their drawers; a formula off screen is
not drawn until it is scrolled to, and keeps its size and place when it is (a printout draws them
all); a figure holds its place before it loads. Chinese text is set in a Chinese face the site names.
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import quote, urlsplit

import pytest

from book_structure import ROOT, toc_files
from browser_support import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM, served

SCREENSHOTS = ROOT / "_build" / "screenshots"
PAGES = toc_files()
#: The editions: the folder of each in the site.
EDITIONS = ["", "zh/"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)

PHONE = {"width": 412, "height": 823}

#: What the page checks saw, summed over the session and written to _build/screenshots/summary.json.
SEEN = {"pages": 0, "resources": 0, "images": 0, "formulas": 0}


@pytest.fixture(scope="module")
def site_url(built_site):
    """The built site served over HTTP on 127.0.0.1, on a free port, for this module's tests."""
    with served(built_site) as url:
        yield url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "summary.json").write_text(json.dumps(SEEN, indent=1) + "\n")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (requirements.txt)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageVisit:
    """A fresh browser page that records every response, failure, outside request and JS error."""

    def __init__(self, browser, site_url: str):
        self.site = urlsplit(site_url).netloc
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)  # a page on a busy 2-core machine
        self.responses: dict[str, int] = {}
        self.failed: list[str] = []
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.in_flight: set = set()
        self.page.on("request", lambda r: self.in_flight.add(r))
        self.page.on("requestfinished", lambda r: self.in_flight.discard(r))
        self.page.on("requestfailed", lambda r: self.in_flight.discard(r))
        self.page.route("**/*", self._route)
        self.page.on("response", lambda r: self.responses.__setitem__(r.url, r.status))
        self.page.on("requestfailed", self._failed)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))

    def _route(self, route):
        if urlsplit(route.request.url).netloc == self.site:
            route.continue_()
        else:  # the site must not depend on other hosts (no network in CI, nor for offline readers)
            self.outside.append(route.request.url)
            route.abort()

    def _failed(self, request):
        if urlsplit(request.url).netloc == self.site:
            self.failed.append(f"{request.url}: {request.failure}")

    def settle(self, quiet: float = 0.5, timeout: float = 60) -> None:
        """Returns once no request has been in flight for `quiet` seconds. Counted here, from the
        page's own request events, rather than with Playwright's "networkidle" (which once never came
        on a page that had loaded everything); a page that does not settle is named with what it waits for."""
        deadline = time.monotonic() + timeout
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < quiet:
            self.page.wait_for_timeout(100)  # lets Playwright deliver the page's events
            if self.in_flight:
                quiet_since = time.monotonic()
            assert time.monotonic() < deadline, (
                f"{self.page.url}: requests still in flight after {timeout} s: {sorted(r.url for r in self.in_flight)}"
            )

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, site_url):
    visits = []

    def open_page(path: str, settle: bool = False) -> PageVisit:
        """The page once loaded; with `settle`, once the network has also been quiet for 0.5 s (for
        checks of every resource); without, at once (for checks of the page's own behaviour)."""
        v = PageVisit(browser, site_url)
        visits.append(v)
        response = v.page.goto(site_url + path, wait_until="load")
        assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
        if settle:
            v.settle()
        return v

    yield open_page
    for v in visits:
        v.close()


# Waits for the fonts and every image, then reports what a reader sees.
INSPECT = """async () => {
  await document.fonts.ready;
  const images = [...document.images];
  images.forEach(img => { if (img.loading === "lazy") img.loading = "eager"; });
  await Promise.all(images.map(img => img.complete ? null :
      new Promise(done => { img.addEventListener("load", done); img.addEventListener("error", done); })));
  const article = document.querySelector("article.bd-article") || document.body;
  const prose = article.cloneNode(true);
  prose.querySelectorAll("pre, code, .highlight, script, style, mjx-container, textarea").forEach(e => e.remove());
  const math = [...article.querySelectorAll(".math")];
  return {
    title: (document.querySelector("h1") || {}).textContent || "",
    images: images.map(img => ({src: img.currentSrc || img.src, width: img.naturalWidth})),
    math: math.length,
    untypeset: math.filter(e => {
      const box = e.querySelector("mjx-container > svg");
      const shown = box && box.getClientRects().length > 0;  // not in a closed dropdown
      const glyphs = box ? [...box.querySelectorAll("use")] : [];
      return !box || !glyphs.length || (shown && !box.getBoundingClientRect().width)
        || glyphs.some(u => !document.getElementById((u.getAttribute("xlink:href") || "").slice(1)))
        || !e.querySelector("mjx-assistive-mml > math");
    }).map(e => e.textContent.slice(0, 80)),
    mathjax: typeof window.MathJax !== "undefined",
    mathErrors: [...document.querySelectorAll('mjx-merror, [data-mml-node="merror"]')]
      .map(e => e.textContent.slice(0, 80)),
    text: prose.textContent,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    prev: (document.querySelector("a.left-prev") || {}).href || null,
    next: (document.querySelector("a.right-next") || {}).href || null,
  };
}"""

RAW_MATH = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\$[^$\n]*\\[A-Za-z]+[^$\n]*\$")


# The formulas that stick out of the box that clips them (the nearest ancestor that does not let
# its content overflow, unless it scrolls): (pixels cut off, the formula's text).
CLIPPED_FORMULAS = """() => [...document.querySelectorAll("mjx-container")].flatMap(formula => {
  const box = formula.getBoundingClientRect();
  if (!box.width) return [];  // in a closed dropdown
  let clip = formula.parentElement;
  while (clip && getComputedStyle(clip).overflowX === "visible") clip = clip.parentElement;
  if (!clip || ["auto", "scroll"].includes(getComputedStyle(clip).overflowX)) return [];
  const edge = clip.getBoundingClientRect();
  const cut = Math.max(box.right - edge.right, edge.left - box.left);
  const text = (formula.querySelector("mjx-assistive-mml") || formula).textContent.slice(0, 60);
  return cut > 1 ? [[Math.round(cut), text]] : [];
})"""


def page_url(site_url: str, name: str) -> str:
    return f"{site_url}{quote(name)}.html"


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("name", PAGES)
def test_page_loads_completely_and_renders_its_math(edition, name, visit, site_url):
    v = visit(f"{edition}{quote(name)}.html", settle=True)
    seen = v.page.evaluate(INSPECT)
    v.page.set_viewport_size(PHONE)
    seen["clipped"] = v.page.evaluate(CLIPPED_FORMULAS)
    try:
        check_page(edition, name, v, seen, site_url)
    except AssertionError:  # what the reader would have seen, for the person who reads the failure
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        v.page.screenshot(path=str(SCREENSHOTS / f"{edition.replace('/', '__')}{name.replace('/', '__')}.png"),
                          full_page=True)
        raise
    SEEN["pages"] += 1
    SEEN["resources"] += len(v.responses) - 1
    SEEN["images"] += len(seen["images"])
    SEEN["formulas"] += seen["math"]


def check_page(edition: str, name: str, v, seen: dict, site_url: str) -> None:
    """The checks of one page, listed atop this file."""
    name = edition + name

    assert not v.outside, f"{name} loads from other hosts (make it local): {sorted(set(v.outside))}"
    bad = {url: status for url, status in v.responses.items() if status != 200}
    assert not bad, f"{name}: resources not answered with HTTP 200: {bad}"
    assert not v.failed, f"{name}: requests that failed: {v.failed}"
    broken_images = [img["src"] for img in seen["images"] if img["width"] == 0]
    assert not broken_images, f"{name}: images that did not load: {broken_images}"
    assert not v.errors, f"{name}: JavaScript errors: {v.errors}"
    assert not seen["untypeset"], f"{name}: formulas not typeset (or without MathML): {seen['untypeset']}"
    assert not seen["mathjax"], f"{name} loads MathJax: its formulas are typeset at build time"
    assert not seen["mathErrors"], f"{name}: MathJax errors: {seen['mathErrors']}"
    raw = sorted({m.group(0) for m in RAW_MATH.finditer(seen["text"])})
    assert not raw, f"{name}: raw TeX left in the text: {raw}"
    assert seen["title"].strip(), f"{name} has no <h1> title"
    assert not seen["clipped"], f"{name}: formulas cut off on a phone (px beyond the edge, formula): {seen['clipped']}"
    assert seen["overflow"] <= 0, f"{name} is {seen['overflow']} px wider than the window: it scrolls sideways"

    i = PAGES.index(name.removeprefix(edition))
    site = site_url + edition
    assert seen["prev"] == (page_url(site, PAGES[i - 1]) if i > 0 else None), f"{name}: wrong 'previous' link"
    assert seen["next"] == (page_url(site, PAGES[i + 1]) if i + 1 < len(PAGES) else None), (
        f"{name}: wrong 'next' link"
    )


def test_the_sites_address_opens_the_first_page_and_next_follows_the_toc(visit, site_url):
    # With every page's "next" leading to its neighbour in _toc.yml (check_page), following "next"
    # from the site's address walks the whole book in order.
    v = visit("index.html")  # the site's front page redirects to the root document
    v.page.wait_for_url(page_url(site_url, PAGES[0]))
    with v.page.expect_navigation(wait_until="domcontentloaded"):
        v.page.locator("a.right-next").first.click()
    assert v.page.url == page_url(site_url, PAGES[1])


def search(v, site_url: str, query: str, edition: str = "") -> list[str]:
    """The pages (names as in _toc.yml) the search page of ``edition`` lists for ``query``."""
    v.page.goto(f"{site_url}{edition}search.html?q={quote(query)}", wait_until="load")
    done = {"": "Search Results", "zh/": "搜索结果"}[edition]
    v.page.wait_for_function("""(done) => {
        const h = document.querySelector("#search-results h2");
        return h && h.textContent.trim() === done;
    }""", arg=done)
    hrefs = v.page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    return sorted({urlsplit(h).path.lstrip("/").removeprefix(edition).removesuffix(".html") for h in hrefs})


def test_search_finds_an_english_word(visit, site_url):
    v = visit("search.html")
    found = search(v, site_url, "softmax")
    assert "glossary" in found and any(p.startswith("chapters/") for p in found), found
    assert not v.errors, v.errors


@pytest.mark.parametrize("term", ["学习率", "交叉熵损失"])
def test_search_finds_a_chinese_glossary_term(term, visit, site_url):
    v = visit("search.html")
    assert "glossary" in search(v, site_url, term)
    assert not v.errors, v.errors


@pytest.mark.parametrize("word, pages", [
    ("学习率", {"glossary", "chapters/basic-optimization"}),
    ("交叉熵损失", {"glossary", "chapters/softmax-regression"}),
    ("小批量随机梯度下降", {"glossary", "chapters/basic-optimization"}),
])
def test_chinese_search_finds_the_pages_that_teach_a_term(word, pages, visit, site_url):
    v = visit("zh/search.html")
    found = search(v, site_url, word, edition="zh/")
    assert pages <= set(found), f"searching the Chinese site for {word} found {found}"
    assert not v.errors, v.errors


@pytest.mark.parametrize("name", ["intro", "chapters/softmax-regression-scratch"])
def test_the_language_switch_leads_to_the_same_page_and_back(name, visit, site_url):
    v = visit(f"{quote(name)}.html")
    with v.page.expect_navigation(wait_until="load"):
        v.page.click("a.language-switch")
    assert v.page.url == page_url(site_url + "zh/", name)
    assert v.page.locator("html").get_attribute("lang") == "zh-CN"
    with v.page.expect_navigation(wait_until="load"):
        v.page.click("a.language-switch")
    assert v.page.url == page_url(site_url, name)
    assert not v.errors, v.errors


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_menu_button_opens_the_navigation_on_a_phone(edition, visit):
    v = visit(f"{edition}chapters/linear-regression.html")
    v.page.set_viewport_size(PHONE)
    drawer = v.page.locator("#pst-primary-sidebar-modal")
    assert drawer.get_attribute("open") is None
    v.page.click("button.primary-toggle")
    assert drawer.get_attribute("open") is not None, "the menu button opened no navigation"
    assert drawer.locator("a[href$='basic-optimization.html']").is_visible()
    v.page.keyboard.press("Escape")
    assert drawer.get_attribute("open") is None
    assert not v.errors, v.errors


def test_a_window_of_any_width_shows_one_search_button_and_no_top_bar(visit):
    v = visit("chapters/linear-regression.html")
    for size in ({"width": 1280, "height": 900}, {"width": 960, "height": 900}, PHONE):
        v.page.set_viewport_size(size)
        shown = "button.search-button-field:visible, button.search-button:visible"
        v.page.wait_for_function("() => document.querySelector('header.bd-header').offsetHeight === 0")
        assert v.page.locator(shown).count() == 1, f"{size['width']} px: not one search button"


def test_the_contents_button_opens_the_pages_sections_on_a_phone(visit):
    v = visit("chapters/linear-regression.html")
    v.page.set_viewport_size(PHONE)
    v.page.click("button.secondary-toggle")
    drawer = v.page.locator("#pst-secondary-sidebar-modal")
    assert drawer.get_attribute("open") is not None, "the contents button opened nothing"
    assert drawer.locator("nav a[href^='#']").first.is_visible()
    assert not v.errors, v.errors


def test_the_menu_button_hides_and_shows_the_sidebar_on_a_desktop(visit):
    v = visit("chapters/linear-regression.html")
    shown = "() => document.querySelector('#pst-primary-sidebar').checkVisibility({visibilityProperty: true})"
    assert v.page.evaluate(shown)
    v.page.click("button.primary-toggle")
    v.page.wait_for_function(f"() => !({shown})()")
    v.page.click("button.primary-toggle")
    v.page.wait_for_function(shown)
    assert v.page.locator("#pst-primary-sidebar-modal").get_attribute("open") is None
    assert not v.errors, v.errors


BOXES = """() => [...document.querySelectorAll("mjx-container > svg")].map(svg => {
  const r = svg.getBoundingClientRect();
  return [r.x, r.y + scrollY, r.width, r.height];
})"""


#: The page's last formula a reader can see (not one in a closed dropdown), and whether its glyphs are drawn.
LAST_FORMULA = "() => [...document.querySelectorAll('mjx-container > svg')].filter(svg => svg.checkVisibility()).pop()"
DRAWN = f"() => ({LAST_FORMULA})().firstElementChild.checkVisibility({{contentVisibilityAuto: true}})"


def test_formulas_off_screen_are_not_drawn_until_scrolled_to(visit):
    v = visit("zh/chapters/softmax-regression.html")
    v.page.set_viewport_size(PHONE)
    assert not v.page.evaluate(DRAWN), "the page's last formula is drawn before the reader scrolls to it"
    v.page.evaluate(f"() => ({LAST_FORMULA})().scrollIntoView()")
    v.page.wait_for_function(DRAWN)
    assert not v.errors, v.errors


def test_a_printout_draws_every_formula(visit):
    v = visit("zh/chapters/softmax-regression.html")
    v.page.emulate_media(media="print")
    formulas = v.page.locator("mjx-container > svg")
    shown = formulas.evaluate_all("svgs => svgs.map(svg => getComputedStyle(svg).contentVisibility)")
    assert set(shown) == {"visible"}


def test_a_formula_keeps_its_size_and_place_when_it_is_drawn(visit):
    v = visit("zh/chapters/softmax-regression.html")
    v.page.set_viewport_size(PHONE)
    skipped = v.page.evaluate(BOXES)
    v.page.add_style_tag(content="mjx-container > svg { content-visibility: visible !important }")
    assert v.page.evaluate(BOXES) == skipped
    assert not v.errors, v.errors


CHINESE_FACES = ["PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
                 "WenQuanYi Micro Hei"]  # fmt: skip


CHINESE_PARAGRAPH = "[...document.querySelectorAll('article p')].find(p => /[\\u4e00-\\u9fff]/.test(p.textContent))"


@pytest.mark.parametrize("path", ["zh/chapters/linear-regression.html", "glossary.html"], ids=["Chinese", "English"])
def test_chinese_text_is_set_in_a_chinese_face_the_site_names(path, visit):
    v = visit(path)
    family = v.page.evaluate(f"() => getComputedStyle({CHINESE_PARAGRAPH}).fontFamily")
    named = [f.strip().strip('"') for f in family.split(",")]
    assert named[0] == "system-ui", family  # the Latin text keeps the system's face
    assert set(CHINESE_FACES) <= set(named), family
    assert named.index("sans-serif") > max(named.index(f) for f in CHINESE_FACES), family
    cdp = v.context.new_cdp_session(v.page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    cdp.send("DOM.getDocument")
    paragraph = cdp.send("Runtime.evaluate", {"expression": CHINESE_PARAGRAPH})["result"]["objectId"]
    node = cdp.send("DOM.requestNode", {"objectId": paragraph})["nodeId"]
    drawn_with = {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
    assert drawn_with & set(CHINESE_FACES), (
        f"the Chinese text is drawn with {sorted(drawn_with)}, none of the faces the site names: "
        "install one (sudo apt-get install fonts-wqy-microhei)"
    )


def test_the_text_does_not_move_when_a_figure_arrives(visit):
    v = visit("chapters/linear-regression.html")
    v.page.set_viewport_size(PHONE)
    last = v.page.locator("article img[loading=lazy]:visible").last  # not one in a closed dropdown
    assert not last.evaluate("img => img.complete"), "the page's last figure loaded before it was scrolled to"
    reserved = last.bounding_box()
    last.scroll_into_view_if_needed()
    v.page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=last.element_handle())
    loaded = last.bounding_box()
    assert (loaded["width"], loaded["height"]) == (reserved["width"], reserved["height"])
    assert loaded["width"] / loaded["height"] == pytest.approx(
        last.evaluate("img => img.naturalWidth / img.naturalHeight"), rel=0.01
    )


#: What a quick check says (_ext/quick_check.py, _ext/locales/), in each edition.
QUICK_CHECK_WORDS = {"": ("Correct.", "Not quite.", "Type a number, such as 0.25."),
                     "zh/": ("正确。", "不对。", "请输入一个数，例如 0.25。")}


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_quick_check_is_answered_by_keyboard_and_its_feedback_announced(edition, visit):
    """A choice and a number answered with the keys alone (arrows, Space, Tab, Enter), from the
    first control of each check, as a reader who tabbed there; the feedback is in a live region."""
    correct, wrong, not_a_number = QUICK_CHECK_WORDS[edition]
    v = visit(f"{edition}chapters/basic-optimization.html")
    keys = v.page.keyboard
    choice = v.page.locator("#opt-qc-diverge")
    feedback = choice.locator(".qc-feedback")
    assert feedback.get_attribute("aria-live") == "polite"
    right = int(choice.locator('.qc-answer .qc-explanation[data-correct="true"]').get_attribute("data-index"))
    misconception = (right + 1) % choice.locator("input[type=radio]").count()
    choice.locator("input[type=radio]").first.focus()
    for _ in range(right):
        keys.press("ArrowDown")                           # arrows move within the group and select
    keys.press("Space")                                   # the right option
    keys.press("Tab")                                     # the group is one tab stop: next is Check
    assert v.page.evaluate("document.activeElement.className") == "qc-check"
    keys.press("Enter")
    assert feedback.locator(".qc-verdict").first.inner_text() == correct
    keys.press("Shift+Tab")
    keys.press("ArrowDown")                               # the next option (wrapping round), a misconception
    keys.press("Tab")
    keys.press("Enter")
    assert feedback.locator(".qc-verdict").first.inner_text() == wrong
    assert feedback.locator(".qc-explanation").inner_text().endswith(
        choice.locator(f'.qc-answer .qc-explanation[data-index="{misconception}"] p:not(.qc-verdict)').inner_text())

    number = v.page.locator("#opt-qc-step-length")
    number.locator("input").focus()
    keys.type("about 1.4 m" if not edition else "大约一点四")
    keys.press("Enter")
    assert number.locator(".qc-feedback").inner_text() == not_a_number
    keys.press("ControlOrMeta+a")
    keys.type(number.get_attribute("data-answer"))
    keys.press("Tab")
    keys.press("Enter")
    assert number.locator(".qc-feedback .qc-verdict").inner_text() == correct
    assert not v.errors, v.errors
