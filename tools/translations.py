"""The Chinese edition (中文版): its message catalogs, their checks, and its build.

    python tools/translations.py update    # after an English change: refresh the catalogs
    python tools/translations.py status    # what is untranslated, fuzzy or inconsistent (exit 1)
    python tools/translations.py tidy      # apply the house spacing to every translation
    python tools/translations.py build [jupyter-book options]   # the site in _build/html/zh/
    python tools/translations.py build --check   # exit 1 if a compiled catalog is out of date

Both editions come from the same notebooks. Sphinx's ``gettext`` builder collects every
paragraph, heading, caption and alt text of the English pages into ``.pot`` templates; the
translations live in ``locales/zh_CN/LC_MESSAGES/<page>.po``, one file a page, kept up to date with
``sphinx-intl``; the sidebar's part captions are translated in the front page's catalog
(``intro.po``), where gettext puts them. Code cells and their outputs are
not text to translate, so the two editions show the same code and the same outputs by
construction; display formulas are kept out of the catalogs too (``_ext/translated_pages.py``).

``build`` compiles the catalogs into ``_build/zh/locales`` (never into git), writing each
``{glue:text}`` role with its notebook's path (``/chapters/x.ipynb::key:fmt``) so that a translated
paragraph, parsed without its notebook, still finds the value the notebook glued. It then builds
the book a second time with ``language: zh_CN`` (``locales/zh_CN/_config.yml``, laid over
``_config.yml``) and Chinese part captions, and puts the result in ``_build/html/zh``.
"""

from __future__ import annotations

import collections
import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from artifacts import ROOT, ToolError, parse, parser, report_stale, run, write_if_changed
from editions import CHINESE, config
from slide_cells import slide_messages
from toc import read_toc, toc_captions

PROG = "tools/translations.py"
LANGUAGE = CHINESE.language
LOCALES = ROOT / "locales"
CATALOGS = LOCALES / LANGUAGE / "LC_MESSAGES"
# The Chinese build's own folder (config, compiled catalogs, doctrees). A translator previewing in
# parallel with another build sets ZH_BUILD_DIR; the site then stays in ZH_BUILD_DIR/_build/html.
WORK = Path(os.environ.get("ZH_BUILD_DIR") or ROOT / "_build" / "zh").resolve()
TEMPLATES = ROOT / "_build" / "gettext"  # the .pot templates, from the English pages
SITE = ROOT / "_build" / "html" / CHINESE.folder.rstrip("/")

CREATED = re.compile(r'^"POT-Creation-Date: [^"]*"$', re.M)
GLUE = re.compile(r"\{glue:text\}`([^`]+)`")
#: A glued value's Chinese twin: ``key_zh`` (a class name, a setting, a share written "57%"), which the
#: chapter glues beside ``key`` and a translation uses in its place; numbers are glued once for both.
CHINESE_TWIN = re.compile(r"_zh(?=:|$)")
_MATH = r"(?<![\\$])\$(?!\$)((?:\\.|[^$\\])+?)\$"  # an inline formula $…$, not $$ or \$
INLINE_MATH = re.compile(_MATH)
LINK = re.compile(r"\]\(([^()\s]+)\)|href=\"([^\"]+)\"")  # Markdown links and raw <a href>
ROLE = re.compile(r"\{(term|doc|ref|numref|cite|cite:p|cite:t|eq)\}`([^`]+)`")
CJK = re.compile(r"[\u4e00-\u9fff]+")
# House style, as d2l-zh: no space between a Chinese character and Latin text, a number, a formula,
# code or a role ("用SGD训练", "共{glue:text}`n`张图像"). Inline formulas and code keep their spaces.
LOOSE_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[A-Za-z0-9$`{\\])|(?<=[A-Za-z0-9$`}%)]) +(?=[\u4e00-\u9fff])")
# Read left to right: a role (its text is prose), inline code, an inline formula.
TOKENS = re.compile(r"(\{[^{}`]+\}`[^`]*`)|(`[^`]*`)|(" + _MATH + ")")


# --- the catalogs ------------------------------------------------------------------------------

def catalog_files() -> list[Path]:
    """Every translation catalog, in a stable order."""
    return sorted(CATALOGS.rglob("*.po"))


def page_of(po: Path) -> str:
    """The page a catalog translates: ``chapters/setup`` for ``…/LC_MESSAGES/chapters/setup.po``."""
    return po.relative_to(CATALOGS).with_suffix("").as_posix()


def load(po: Path) -> Catalog:
    with po.open("rb") as handle:
        return read_po(handle, locale=LANGUAGE)


def messages(catalog: Catalog):
    """The catalog's entries, without its header."""
    return [m for m in catalog if m.id]


def loose_spaces(text: str) -> list[re.Match]:
    """The spaces between Chinese and Latin text that the house style drops (outside formulas and code)."""
    verbatim = [m.span() for m in TOKENS.finditer(text) if m.group(2) or m.group(3)]
    return [m for m in LOOSE_SPACE.finditer(text) if not any(a < m.start() < b for a, b in verbatim)]


def tighten(text: str) -> str:
    """``text`` in the house style: without the spaces of ``loose_spaces``."""
    for match in reversed(loose_spaces(text)):
        text = text[:match.start()] + text[match.end():]
    return text


def role_targets(text: str) -> collections.Counter:
    """The targets of a paragraph's cross-reference roles; ``{term}`文字 <target>``` counts as target."""
    found = collections.Counter()
    for role, body in ROLE.findall(text):
        target = re.search(r"<([^<>]+)>\s*$", body)
        found[(role, (target.group(1) if target else body).strip())] += 1
    return found


def is_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def unclosed_emphasis(text: str) -> list[str]:
    """The ``**`` or ``*`` pairs that Markdown leaves as literal asterisks in ``text``.

    CommonMark closes emphasis only with a delimiter that follows text, and one that follows
    punctuation only if whitespace or punctuation comes after it: ``**目标。**后文`` stays literal
    (``**目标**。后文`` or ``**目标：** 后文`` are bold). Code spans and formulas are not looked at."""
    plain = re.sub(r"``?[^`]*`|\$[^$]*\$", lambda m: "x" * len(m.group(0)), text)
    found = []
    for match in re.finditer(r"(\*\*?)(?=\S)(.+?)(?<=\S)\1", plain):
        before, after = match.group(2)[-1], plain[match.end():match.end() + 1]
        if is_punctuation(before) and after and not (after.isspace() or is_punctuation(after)):
            found.append(text[match.start():match.end() + 1])
    return found


def problems(po: Path) -> list[str]:
    """What keeps a catalog from being complete: one line per entry, naming the file and the entry."""
    name = po.relative_to(ROOT).as_posix() if po.is_relative_to(ROOT) else str(po)
    found = []
    for message in messages(load(po)):
        source, translation = message.id, message.string
        entry = f"{name}: msgid {source[:70]!r}"
        if not translation:
            found.append(f"{entry}: untranslated")
            continue
        if message.fuzzy:
            found.append(f"{entry}: fuzzy (the English changed; update the translation, "
                         "then delete the '#, fuzzy' line)")
            continue
        for what, pattern in (("glue values", GLUE), ("inline formulas", INLINE_MATH)):
            ours = [CHINESE_TWIN.sub("", t) if pattern is GLUE else t for t in pattern.findall(translation)]
            if collections.Counter(pattern.findall(source)) != collections.Counter(ours):
                found.append(f"{entry}: the {what} differ from the English "
                             f"({sorted(pattern.findall(source))} ≠ {sorted(pattern.findall(translation))})")
        if collections.Counter(LINK.findall(source)) != collections.Counter(LINK.findall(translation)):
            found.append(f"{entry}: the links differ from the English "
                         f"({sorted(LINK.findall(source))} ≠ {sorted(LINK.findall(translation))})")
        if loose_spaces(translation):
            shown = [translation[max(0, m.start() - 3):m.end() + 3] for m in loose_spaces(translation)]
            found.append(f"{entry}: spaces between Chinese and Latin text ({shown[:3]}): the house style, "
                         "as d2l-zh, has none (`python tools/translations.py tidy` drops them)")
        if literal := unclosed_emphasis(translation):
            found.append(f"{entry}: bold or italic that Markdown cannot close ({literal[:2]}): "
                         "put the punctuation outside the asterisks (**词**。) or a space after them")
        if role_targets(source) != role_targets(translation):
            found.append(f"{entry}: the cross-references differ from the English "
                         f"({sorted(role_targets(source))} ≠ {sorted(role_targets(translation))})")
    return found


def status() -> int:
    """Print, per catalog, its entries and what is left to do; 1 if anything is."""
    left = 0
    for po in catalog_files():
        found = problems(po)
        total = len(messages(load(po)))
        print(f"{po.relative_to(ROOT).as_posix()}: {total - len(found)}/{total} entries done")
        for line in found:
            print(f"  {line}")
        left += len(found)
    print("all catalogs complete" if not left else f"{left} entries need a translator")
    return 1 if left else 0


# --- update: the English text → the catalogs ---------------------------------------------------

def jupyter_book() -> str:
    return str(Path(sys.executable).with_name("jupyter-book"))


def alt_texts(notebook: Path) -> list[str]:
    """The alt text of every figure a notebook's cells draw (``mystnb.image.alt`` of the cell)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [alt for cell in cells
            if (alt := cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt"))]


def add_alt_texts(pot: Path, notebook: Path) -> None:
    """Add the notebook's figure alt texts and its slides' text to its page's template.

    myst-nb makes a figure's image from the cell's output after Sphinx has collected the page's
    text, so gettext never sees its alt text; _ext/translated_pages.py puts the translation in place.
    The slide cells (``tools/slides.py``) are not on the page at all; the Chinese deck is made from
    the same cells with the catalog's translations in place.
    """
    if not notebook.exists():
        return
    with pot.open("rb") as handle:
        template = read_po(handle)
    cells = json.loads(notebook.read_text(encoding="utf-8"))
    for text in alt_texts(notebook) + slide_messages(cells):
        if text not in template:
            template.add(text)
    with pot.open("wb") as handle:
        write_po(handle, template)


def english_only() -> set[str]:
    """The pages that stay English in the Chinese edition: ``translated_pages_english_only`` of its config."""
    return set(config(CHINESE)["sphinx"]["config"].get("translated_pages_english_only", []))


def write_templates(folder: Path) -> Path:
    """The .pot templates of the English pages as they are now, in ``folder``; returns their folder."""
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([jupyter_book(), "build", str(ROOT), "--all", "--path-output", str(folder),
                    "--builder", "custom", "--custom-builder", "gettext"],
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    pots = folder / "_build" / "gettext"
    for page in english_only():
        (pots / f"{page}.pot").unlink(missing_ok=True)
    for pot in pots.rglob("*.pot"):
        add_alt_texts(pot, ROOT / pot.relative_to(pots).with_suffix(".ipynb"))
    return pots


def update() -> int:
    """Collect the English text (gettext builder) and merge it into the catalogs (sphinx-intl)."""
    from sphinx_intl.basic import update as merge

    before = {po: CREATED.search(po.read_text(encoding="utf-8")) for po in catalog_files()}
    merge(str(LOCALES), str(write_templates(TEMPLATES)), (LANGUAGE,))
    # sphinx-intl stamps a merged catalog with the time: keep the old stamp, so that a changed
    # paragraph is the whole diff of its catalog.
    for po, created in before.items():
        text = po.read_text(encoding="utf-8")
        if created and CREATED.search(text) and CREATED.search(text).group(0) != created.group(0):
            po.write_text(CREATED.sub(lambda _m: created.group(0), text, count=1), encoding="utf-8")
    return status()


# --- build: the catalogs → _build/html/zh ------------------------------------------------------

def source_of(page: str) -> str:
    """The document a page is built from, as myst-nb's glue roles name it: ``/chapters/x.ipynb``."""
    for suffix in (".ipynb", ".md"):
        if (ROOT / f"{page}{suffix}").exists():
            return f"/{page}{suffix}"
    raise ToolError(f"{page}: no {page}.ipynb or {page}.md for its catalog: the page was removed or "
                     f"renamed; delete or rename {(CATALOGS / page).relative_to(ROOT)}.po to match")


def qualify_glue(text: str, document: str) -> str:
    """``{glue:text}`key:fmt``` → ``{glue:text}`/doc.ipynb::key:fmt```: found from any parse."""
    def qualified(match: re.Match) -> str:
        body = match.group(1)
        if "::" in body:
            return match.group(0)
        key, _, fmt = body.partition(":")
        return f"{{glue:text}}`{document}::{key}:{fmt or 's'}`"
    return GLUE.sub(qualified, text)


def compiled_catalogs(target: Path) -> dict[Path, bytes]:
    """The .mo files Sphinx reads, as they belong in ``target``, each with its .po beside it; fuzzy
    entries are left out. The .po beside its .mo: Sphinx then knows the page depends on it and
    re-reads the page when the translation changes (a build without --all)."""
    files = {}
    for po in catalog_files():
        page = page_of(po)
        catalog = load(po)
        document = source_of(page)
        for message in messages(catalog):
            if message.string:
                message.string = qualify_glue(message.string, document)
        mo = target / LANGUAGE / "LC_MESSAGES" / f"{page}.mo"
        compiled, source = io.BytesIO(), io.BytesIO()
        write_mo(compiled, catalog)
        write_po(source, catalog)
        files[mo], files[mo.with_suffix(".po")] = compiled.getvalue(), source.getvalue()
    return files


def compile_catalogs(target: Path) -> int:
    """Write the compiled catalogs into ``target``; how many files were new or changed. A catalog that
    did not change is not written again, so that Sphinx re-reads only the pages whose translation changed."""
    return sum(write_if_changed(path, data) for path, data in compiled_catalogs(target).items())


def translated_captions() -> dict[str, str]:
    """The part captions of _toc.yml in Chinese, from the catalog of the book's root page.

    Jupyter Book adds the captions to the sidebar after Sphinx has translated the page, so they
    are looked up here and written into the Chinese edition's own _toc.yml.
    """
    toc = read_toc()
    po = CATALOGS / f"{toc['root']}.po"
    if not po.exists():
        return {}
    captions = set(toc_captions())
    return {m.id: m.string for m in messages(load(po)) if m.id in captions and m.string and not m.fuzzy}


def glossary_words() -> list[str]:
    """The glossary's Chinese terms, so that the search index keeps each one whole (jieba)."""
    text = (ROOT / "glossary.md").read_text(encoding="utf-8")
    words = []
    for line in text.splitlines():
        if line.startswith("  ") and " — " in line:
            words += CJK.findall(line.split(" — ", 1)[0])
    return list(dict.fromkeys(words))


def write_config() -> tuple[Path, Path]:
    """The Chinese edition's _config.yml and _toc.yml, in ``WORK``."""
    settings_file = config(CHINESE)  # _config.yml with locales/zh_CN/_config.yml laid over it
    sphinx = settings_file.setdefault("sphinx", {})
    # Paths in a config file are read relative to its folder: these are made absolute.
    sphinx["local_extensions"] = {name: str((ROOT / path).resolve())
                                  for name, path in sphinx.get("local_extensions", {}).items()}
    settings_file["bibtex_bibfiles"] = [str(ROOT / path) for path in settings_file.get("bibtex_bibfiles", [])]
    words = WORK / "search-words.txt"
    write_if_changed(words, "".join(f"{word} 100000 n\n" for word in glossary_words()))
    settings = sphinx.setdefault("config", {})
    settings["locale_dirs"] = [str(WORK / "locales")]
    settings["html_search_options"] = {"dict": str(words)}
    toc = read_toc()
    captions = translated_captions()
    for part in toc.get("parts", []):
        if "caption" in part:
            part["caption"] = captions.get(part["caption"], part["caption"])
    config_file, toc_file = WORK / "_config.yml", WORK / "_toc.yml"
    write_if_changed(config_file, yaml.safe_dump(settings_file, allow_unicode=True, sort_keys=False))
    write_if_changed(toc_file, yaml.safe_dump(toc, allow_unicode=True, sort_keys=False))
    return config_file, toc_file


def build(options: list[str]) -> int:
    """Build the Chinese edition into ``_build/html/zh``; the English site is left as it is."""
    WORK.mkdir(parents=True, exist_ok=True)
    compile_catalogs(WORK / "locales")
    config_file, toc_file = write_config()
    result = subprocess.run([jupyter_book(), "build", str(ROOT), "--config", str(config_file),
                             "--toc", str(toc_file), "--path-output", str(WORK), *options])
    if result.returncode != 0:
        return result.returncode
    if os.environ.get("ZH_BUILD_DIR"):
        print(f"The Chinese site is in {WORK / '_build' / 'html'}")
        return 0
    partial = SITE.with_name(SITE.name + ".partial")  # the old edition stays until the new one is whole
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(WORK / "_build" / "html", partial)
    shutil.rmtree(SITE, ignore_errors=True)
    partial.rename(SITE)
    print(f"The Chinese site is in {SITE.relative_to(ROOT)}: open {SITE / 'index.html'}")
    return 0


def tidy() -> int:
    """Apply the house spacing to every translation, in place."""
    from sphinx_intl.catalog import dump_po

    for po in catalog_files():
        catalog = load(po)
        changed = False
        for message in messages(catalog):
            if message.string and tighten(message.string) != message.string:
                message.string, changed = tighten(message.string), True
        if changed:
            dump_po(str(po), catalog, width=76)
    return status()


def check() -> int:
    """For ``build --check``: 1, naming them, if compiled catalogs in ``WORK`` differ from the catalogs."""
    stale = [path.relative_to(WORK).as_posix() for path, data in compiled_catalogs(WORK / "locales").items()
             if not path.is_file() or path.read_bytes() != data]
    return report_stale(stale, "python tools/translations.py build", PROG)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a wrong command, or an option a command does not take, prints the usage (2)."""
    usage = "\n".join(line.strip() for line in __doc__.split("\n\n")[1].splitlines())
    options = parser(__doc__, PROG)
    options.usage = usage.replace("\n", "\n       ")
    options.epilog = "\n\n".join(__doc__.split("\n\n")[2:])
    commands = options.add_subparsers(dest="command", required=True)
    for name, summary in (("update", "refresh the catalogs after an English change"),
                          ("status", "what is untranslated, fuzzy or inconsistent (exit 1)"),
                          ("tidy", "apply the house spacing to every translation")):
        # No options: anything after the command is a mistake, shown with the usage.
        commands.add_parser(name, add_help=False, help=summary)
    build_command = commands.add_parser("build", prog=f"{PROG} build", allow_abbrev=False,
                                        help="build the Chinese site into _build/html/zh",
                                        epilog="Other options are passed to jupyter-book build.")
    build_command.add_argument("--check", action="store_true", help="only report out-of-date compiled catalogs")
    args = parse(options, argv, known=True)
    if isinstance(args, int):
        return args
    if args.command != "build":
        if args.extra:
            return parse(options, argv)  # argparse's own message about the extra arguments (2)
        return {"update": update, "status": status, "tidy": tidy}[args.command]()
    return check() if args.check else build(args.extra)


if __name__ == "__main__":
    run(main, PROG)
