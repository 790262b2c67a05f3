"""The theme's stylesheets, cut by PurgeCSS (``_ext/theme_assets.py``), style every element as the full ones do.

The cut keeps a rule when the words of its selector occur in the built pages or the site's scripts.
A rule dropped by mistake is one whose selector matches an element of some page in some state. So
each check opens a page in Debian's Chromium, parses the theme's full stylesheets and the cut ones
the page links (the browser's own CSS parser), lists the rules the cut left out, selector by
selector (a list of selectors may lose only some), and asks the page whether any element matches one.
The question is asked more broadly than any single screen would: a rule counts wherever its
``@media`` or ``@supports`` block applies, and a selector is tried without its pseudo-elements and its
states (``::before``, ``:hover``, ``:focus`` …), so that a rule for a phone, for a hovered link or for
a focused button is caught on a desktop page without hovering or focusing anything. Any other at-rule
(``@font-face``, ``@keyframes``) must be kept whole.

Checked: every page of the English edition on a desktop; a chapter, the front page and the search page
of the Chinese edition (its stylesheets are cut against its own pages); a phone screen and dark mode;
and what only a script shows: the phone's navigation drawer, an open download menu, a tooltip, the
search dialog, an opened solution and hidden code cell, search results.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from book_structure import ROOT, toc_files
from browser_support import CHROMIUM, CHROMIUM_ARGS, NO_CHROMIUM, served

sys.path.insert(0, str(ROOT / "_ext"))
import theme_assets  # noqa: E402


def _full_stylesheets() -> dict[str, Path]:
    """The theme's stylesheets as the packages ship them (what Sphinx copies before the cut)."""
    import pydata_sphinx_theme
    import sphinx_design

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    return {
        "styles/pydata-sphinx-theme.css": theme / "styles" / "pydata-sphinx-theme.css",
        "sphinx-design.min.css": Path(sphinx_design.__file__).parent / "static" / "sphinx-design.min.css",
    }


FULL = _full_stylesheets()
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 412, "height": 823}

def _open_drawer(page):
    page.click("button.primary-toggle")
    page.wait_for_selector("#pst-primary-sidebar-modal[open]")


def _open_download_menu(page):
    page.click('button.dropdown-toggle[aria-label="Download this page"]')
    page.wait_for_selector(".dropdown-menu.show")


def _show_tooltip(page):
    page.hover("button.theme-switch-button")
    page.wait_for_selector(".tooltip.show")


def _open_search(page):
    page.click("button.search-button-field:visible")
    page.wait_for_selector("#pst-search-dialog[open]")


def _open_solution_and_code(page):
    page.click(".solution.dropdown .toggle-button")
    page.click("details.hide summary")
    page.wait_for_selector("details.hide[open]")


def _search_results(page):
    page.wait_for_selector("#search-results p.search-summary", timeout=30_000)  # every result is listed
    page.wait_for_function("""() => {  // and every result has its description, or its excerpt fetched from its page
        const results = document.querySelectorAll("#search-results ul.search li");
        return results.length > 0 && [...results].every(li => li.querySelector("span, p.context"));
    }""")


# (name, page, viewport, dark mode, what to do before comparing)
STATES = [
    *[(f"{page} desktop", page, DESKTOP, False, None) for page in toc_files() + ["search"]],
    *[(f"zh/{page} desktop", f"zh/{page}", DESKTOP, False, None) for page in ("intro", "chapters/softmax-regression", "search")],
    ("chapter on a phone", "chapters/softmax-regression", PHONE, False, None),
    ("chapter in dark mode", "chapters/softmax-regression", DESKTOP, True, None),
    ("front page on a phone in dark mode", "intro", PHONE, True, None),
    ("navigation drawer on a phone", "chapters/linear-regression", PHONE, False, _open_drawer),
    ("download menu", "chapters/linear-regression", DESKTOP, False, _open_download_menu),
    ("tooltip", "chapters/linear-regression", DESKTOP, True, _show_tooltip),
    ("search dialog", "chapters/linear-regression", DESKTOP, False, _open_search),
    ("solution and hidden code opened", "chapters/image-classification-dataset", DESKTOP, False, _open_solution_and_code),
    ("search results", "search.html?q=gradient&check_keywords=yes&area=default#", DESKTOP, False, _search_results),
]


# The rules of the full stylesheets that the cut ones left out, and the elements of the open page that
# one of them would style: {"removed": n, "matched": [[rule, element], …], "atRules": [at-rule, …]}.
# `extra` is markup added to the page first (for the check's own test).
CUT_RULES_THAT_MATCH = r"""async ([names, extra]) => {
  if (extra) document.body.insertAdjacentHTML('beforeend', extra);
  const links = [...document.querySelectorAll('link[rel=stylesheet]')]
    .filter(link => names.some(name => link.href.split('?')[0].endsWith('/_static/' + name)));
  const parse = async (href) => {
    const response = await fetch(href);
    if (!response.ok) throw new Error('could not load ' + href);
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(await response.text());
    return sheet;
  };
  // A selector list split at its top-level commas (not those inside :is(…) or :not(…)).
  const split = (list) => {
    const parts = []; let depth = 0, start = 0;
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if (c === '(' || c === '[') depth++;
      else if (c === ')' || c === ']') depth--;
      else if (c === ',' && depth === 0) { parts.push(list.slice(start, i).trim()); start = i + 1; }
    }
    parts.push(list.slice(start).trim());
    return parts;
  };
  // Every rule as (where, selector, declarations): one entry per selector of a style rule, its
  // @media/@supports blocks in `where`; an at-rule without style rules inside as itself.
  const entries = (rules, where, out) => {
    for (const rule of rules) {
      if (rule instanceof CSSStyleRule) {
        for (const selector of split(rule.selectorText)) out.push([where, selector, rule.style.cssText]);
      } else if (rule.cssRules && !(rule instanceof CSSKeyframesRule)) {
        entries(rule.cssRules, where + rule.cssText.slice(0, rule.cssText.indexOf('{')).trim() + ' ', out);
      } else if (rule instanceof CSSFontFaceRule) {  // its sources are the icons' subset (theme_assets)
        out.push([where, null, rule.cssText.replace(/src: [^;]*;/, '')]);
      } else {
        out.push([where, null, rule.cssText]);
      }
    }
    return out;
  };
  // The selector without pseudo-elements and states: it matches wherever the rule could apply.
  const STATE = /::?(before|after|marker|placeholder|selection|backdrop|first-line|first-letter|file-selector-button|-webkit-[\w-]+|-moz-[\w-]+|-ms-[\w-]+|hover|focus|focus-visible|focus-within|active|visited|target|checked|indeterminate|disabled|enabled|invalid|valid|required|optional|read-only|read-write|autofill|placeholder-shown|popover-open|modal|open|closed|defined|fullscreen)(?![\w-])(\([^()]*\))?/g;
  // Dropping a pseudo-class or pseudo-element leaves `*` where it stood alone (`> :hover` → `> *`).
  const drop = (s, pattern) => s.replace(pattern, (...args) => {
    const before = args[args.length - 1].slice(0, args[args.length - 2]);
    return /(^|[\s>+~(,])$/.test(before) ? '*' : '';
  });
  const loosened = (selector) => {
    let s = selector, previous;
    do { previous = s; s = drop(s, /:not\([^()]*\)/g); } while (s !== previous);  // :not(…) only narrows
    return drop(s, STATE);
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].map(c => '.' + c).join('');
  const result = {removed: 0, matched: [], atRules: [], sheets: links.length};
  for (const link of links) {
    const href = link.href.split('?')[0];
    const [full, cut] = await Promise.all([parse(href + '?full'), parse(href)]);
    const kept = new Map();
    for (const e of entries(cut.cssRules, '', [])) kept.set(JSON.stringify(e), (kept.get(JSON.stringify(e)) || 0) + 1);
    for (const e of entries(full.cssRules, '', [])) {
      const key = JSON.stringify(e);
      if (kept.get(key)) { kept.set(key, kept.get(key) - 1); continue; }
      result.removed++;
      const [where, selector] = e;
      if (selector === null) { result.atRules.push(where + e[2].slice(0, 120)); continue; }
      let found;
      try { found = document.querySelector(loosened(selector)); }
      catch (error) { found = document.documentElement; }  // a selector this browser cannot read: counted as matching
      if (found) result.matched.push([where + selector, describe(found)]);
    }
  }
  return result;
}"""


@pytest.fixture(scope="module")
def cut_rules_that_match(built_site):
    """cut_rules_that_match(state, extra=None): what CUT_RULES_THAT_MATCH finds in a page in that
    state, loaded with the cut stylesheets as built and the theme's full ones at `?full`."""
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (requirements.txt)")
    with served(built_site) as url, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

        def check(state, extra=None):
            _name, page, viewport, dark, action = state
            context = browser.new_context(viewport=viewport)
            if dark:
                context.add_init_script("localStorage.setItem('mode', 'dark')")
            tab = context.new_page()
            tab.set_default_timeout(60_000)  # a page on a busy 2-core machine
            for name, path in FULL.items():
                tab.route(f"**/_static/{name}?full", lambda route, _request, path=path: route.fulfill(
                    path=str(path), content_type="text/css"))
            target = page if "." in page.split("/")[-1] else page + ".html"
            tab.goto(url + target, wait_until="load")
            if action:
                action(tab)
            try:
                return tab.evaluate(CUT_RULES_THAT_MATCH, [list(FULL), extra])
            finally:
                context.close()

        yield check
        browser.close()


def test_the_cut_stylesheets_are_the_themes(built_site):
    """Every stylesheet cut is one the theme ships, and the site's copy is the smaller cut."""
    assert set(FULL) == set(theme_assets.PURGED)
    for edition in (built_site, built_site / "zh"):
        for name, full in FULL.items():
            cut = edition / "_static" / name
            assert cut.stat().st_size < 0.5 * full.stat().st_size, f"{cut} is not cut"


@pytest.mark.parametrize("state", STATES, ids=[s[0] for s in STATES])
def test_no_rule_the_cut_left_out_styles_an_element_of_the_page(cut_rules_that_match, state):
    found = cut_rules_that_match(state)
    assert found["sheets"] == len(FULL), f"{state[0]}: the page links {found['sheets']} of the {len(FULL)} cut stylesheets"
    assert not found["atRules"], f"{state[0]}: at-rules the cut must keep whole were left out: {found['atRules']}"
    assert not found["matched"], (f"{state[0]}: {len(found['matched'])} rules left out by the cut would style an "
                                  "element (rule, first element): keep their words in theme_assets_safelist "
                                  "(_config.yml) if a script composes them\n"
                                  + "\n".join(f"  {rule}  →  {element}" for rule, element in found["matched"][:20]))


def test_the_check_sees_an_element_that_a_left_out_rule_would_style(cut_rules_that_match):
    """Tabs of sphinx-design, which no page has (so the cut leaves their rules out), planted in a page:
    their rules are found, those for a hovered or checked tab too."""
    assert not cut_rules_that_match(STATES[0])["matched"]
    planted = '<div class="sd-tab-set"><input type="radio" id="planted"><label for="planted">Tab</label></div>'
    found = [rule for rule, _element in cut_rules_that_match(STATES[0], extra=planted)["matched"]]
    assert ".sd-tab-set > label" in found and ".sd-tab-set > input:not(:checked) + label:hover" in found


def test_purge_keeps_the_rules_pages_and_scripts_use(tmp_path):
    """A rule stays when its words are in a page or a script, or on the safelist; it goes otherwise."""
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (tmp_path / "page.html").write_text('<html data-theme="light"><body><p class="used">x</p></body></html>')
    (static / "menu.js").write_text('el.classList.add("opened-by-script"); html.dataset.theme = "dark";')
    (static / "styles" / "pydata-sphinx-theme.css").write_text(
        ".used{color:red}.unused{color:blue}.opened-by-script{color:green}.bs-tooltip-top{top:0}"
        "html[data-theme=dark] .used{color:white}:root{--pst-unused-variable:1px}"
        "@font-face{font-family:x;src:url(x.woff)}"
    )
    sizes = theme_assets.purge(tmp_path)
    css = (static / "styles" / "pydata-sphinx-theme.css").read_text()
    assert set(sizes) == {"styles/pydata-sphinx-theme.css"}
    assert ".used{" in css and ".opened-by-script" in css and ".bs-tooltip-top" in css
    assert "html[data-theme=dark] .used" in css  # dark mode: "dark" is a word of the theme's script
    assert "--pst-unused-variable" in css and "@font-face" in css
    assert ".unused" not in css
    assert not list(static.rglob("*.partial"))


def test_each_build_cuts_from_the_full_stylesheet(tmp_path):
    """A rebuild that writes a page with a new class restores the full stylesheet, so the rule is back."""
    static = tmp_path / "_static" / "styles"
    static.mkdir(parents=True)
    full = tmp_path / "theme.css"
    full.write_text(".old{color:red}.new{color:blue}")
    (tmp_path / "page.html").write_text('<p class="old">x</p>')
    theme_assets.restore(tmp_path, {"styles/pydata-sphinx-theme.css": full})
    theme_assets.purge(tmp_path)
    assert ".new" not in (static / "pydata-sphinx-theme.css").read_text()
    (tmp_path / "page.html").write_text('<p class="old new">x</p>')
    theme_assets.restore(tmp_path, {"styles/pydata-sphinx-theme.css": full})
    theme_assets.purge(tmp_path)
    assert ".new{color:blue}" in (static / "pydata-sphinx-theme.css").read_text()


def test_purge_without_the_stylesheets_does_nothing(tmp_path):
    (tmp_path / "_static").mkdir()
    assert theme_assets.purge(tmp_path) == {}
