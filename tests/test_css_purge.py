"""The theme's stylesheets, cut by PurgeCSS (``_ext/theme_assets.py``), style every element as the full ones do.

The cut keeps a rule when the words of its selector occur in the built pages or the site's scripts.
A rule dropped by mistake would show as a page that looks different, so each check renders a page in
Debian's Chromium, reads the computed style of every element and of its ``::before``/``::after``,
then puts the theme's full stylesheets in place of the cut ones in the same page (from the installed
packages, as Sphinx copies them) and compares. The properties read are those the full stylesheets
declare (as longhands): only their rules differ between the two, so a difference starts in one of
those properties on some element, even where it spreads through inheritance or a custom property
(whose effect shows in the declared property that uses it). Reading them and not every property
the browser knows (889, of them 410 custom) takes a third of the time. A
state that a script opened (a menu, a tooltip: placed for the stylesheets they met when they opened)
is loaded twice instead, once with each.
Transitions and animations are switched off in both, so that no comparison catches one mid-way.

Checked: every page of the English edition on a desktop; a chapter, the front page and the search page
of the Chinese edition; a phone screen and dark mode; and what only a script shows: the phone's
navigation drawer, an open download menu, a tooltip, the search dialog, an opened solution and hidden
code cell, search results.
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
NO_MOTION = "*,*::before,*::after{transition:none!important;animation:none!important}"

# The computed style of every element: a hash of `props`, or (for `detail`) their values.
# Math glyphs, MathJax's hidden MathML and highlighted code are skipped (MathJax's and Pygments' own
# styles, not cut); their containers are compared.
COMPUTED = """([props, detail]) => {
  const hash = (s) => {
    let h = 2166136261;
    for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
    return h >>> 0;
  };
  const out = [];
  let n = 0;
  for (const el of document.querySelectorAll('body, body *')) {
    if (el.closest('mjx-container svg, mjx-assistive-mml, div.highlight pre')) continue;
    const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/).filter(Boolean) : [];
    const id = el.id && !/[0-9]{3}/.test(el.id) ? '#' + el.id : '';  // not a tooltip's random id
    const name = el.tagName.toLowerCase() + id + classes.map(c => '.' + c).join('') + ' @' + n++;
    for (const pseudo of ['', '::before', '::after']) {
      const style = getComputedStyle(el, pseudo || null);
      if (pseudo && style.content === 'none') continue;
      const key = name + pseudo;
      if (detail) {
        if (detail.includes(key)) out.push([key, Object.fromEntries(props.map(p => [p, style.getPropertyValue(p)]))]);
      } else {
        out.push([key, hash(props.map(p => style.getPropertyValue(p)).join('\\n'))]);
      }
    }
  }
  return out;
}"""


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


# Every property (a longhand) that a rule of the named stylesheets declares, in the open page.
DECLARED = """(names) => {
  const props = new Set();
  const walk = (rules) => { for (const rule of rules) {
    if (rule.style) for (const p of rule.style) if (!p.startsWith('--')) props.add(p);
    if (rule.cssRules) walk(rule.cssRules);
  } };
  const sheets = [...document.styleSheets]
    .filter(sheet => names.some(name => (sheet.href || '').split('?')[0].endsWith('/_static/' + name)));
  sheets.forEach(sheet => walk(sheet.cssRules));
  return [sheets.length, [...props].sort()];
}"""


# Puts the theme's full stylesheets in place of the cut ones in an open page, and waits until they apply.
SWAP_TO_FULL = """async (names) => {
  const links = [...document.querySelectorAll('link[rel=stylesheet]')]
    .filter(link => names.some(name => link.href.split('?')[0].endsWith('/_static/' + name)));
  await Promise.all(links.map(link => new Promise((resolve, reject) => {
    const full = link.cloneNode();
    full.href = link.href.split('?')[0] + '?full';
    full.onload = resolve;
    full.onerror = () => reject(new Error('could not load ' + full.href));
    link.after(full);
  })));
  links.forEach(link => link.remove());
  return links.length;
}"""


@pytest.fixture(scope="module")
def render(built_site):
    """render(state, detail=None): the computed styles of a page in that state, with the cut
    stylesheets as built and with the theme's full ones in their place: one page load, the full
    stylesheets swapped in, or, for a state a script opened, one load with each."""
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (requirements.txt)")
    with served(built_site) as url, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

        def load(state, full: bool):
            _name, page, viewport, dark, action = state
            context = browser.new_context(viewport=viewport)
            if dark:
                context.add_init_script("localStorage.setItem('mode', 'dark')")
            tab = context.new_page()
            tab.set_default_timeout(60_000)  # a page on a busy 2-core machine
            for name, path in FULL.items():
                pattern = f"**/_static/{name}" + ("?full" if not full else "*")
                tab.route(pattern, lambda route, _request, path=path: route.fulfill(
                    path=str(path), content_type="text/css"))
            target = page if "." in page.split("/")[-1] else page + ".html"
            tab.goto(url + target, wait_until="load")
            tab.add_style_tag(content=NO_MOTION)
            if action:
                action(tab)
            return context, tab

        context, tab = load(("", "intro", DESKTOP, False, None), full=True)
        found, props = tab.evaluate(DECLARED, list(FULL))
        context.close()
        assert found == len(FULL) and len(props) > 100, f"the full stylesheets declare only {props}"

        def render(state, detail=None):
            if state[4]:  # what a script opened (a menu, a tooltip) is placed for the stylesheets it met
                styles = []
                for full in (False, True):
                    context, tab = load(state, full)
                    styles.append(tab.evaluate(COMPUTED, [props, detail]))
                    context.close()
                return tuple(styles)
            context, tab = load(state, full=False)
            cut = tab.evaluate(COMPUTED, [props, detail])
            assert tab.evaluate(SWAP_TO_FULL, list(FULL)) == len(FULL), f"{state[1]} links {len(FULL)} stylesheets"
            full = tab.evaluate(COMPUTED, [props, detail])
            context.close()
            return cut, full

        yield render
        browser.close()


def test_the_cut_stylesheets_are_the_themes(built_site):
    """Every stylesheet cut is one the theme ships, and the site's copy is the smaller cut."""
    assert set(FULL) == set(theme_assets.PURGED)
    for edition in (built_site, built_site / "zh"):
        for name, full in FULL.items():
            cut = edition / "_static" / name
            assert cut.stat().st_size < 0.5 * full.stat().st_size, f"{cut} is not cut"


@pytest.mark.parametrize("state", STATES, ids=[s[0] for s in STATES])
def test_page_looks_the_same_as_with_the_full_stylesheets(render, state):
    cut, full = render(state)
    assert [k for k, _ in cut] == [k for k, _ in full], f"{state[0]}: the pages differ in their elements"
    differ = [key for (key, a), (_, b) in zip(cut, full) if a != b]
    if differ:
        report = []
        for (key, a), (_, b) in zip(*render(state, differ[:5])):
            report.append(f"  {key}: " + ", ".join(f"{p} {b[p]!r} → {a[p]!r}" for p in a if a[p] != b[p]))
        pytest.fail(f"{state[0]}: {len(differ)} elements styled differently by the cut stylesheets "
                    f"(full → cut):\n" + "\n".join(report))


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
