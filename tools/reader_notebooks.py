"""Reader notebooks: what Binder, Colab, the page's .ipynb download and ``make lab`` open.

A chapter (``chapters/NAME.ipynb``) is written in MyST for the site: glued numbers, glossary
roles, citations, exercise directives, and hidden cells that prove the page right. Colab and a
plain JupyterLab render only Markdown and LaTeX, so each chapter gets a reader's version,
``notebooks/NAME.ipynb``, made from it by this module and never edited by hand:

- glued values are written in as the page shows them (myst-nb's own formatting);
- ``{term}`` becomes its text, ``{doc}`` a link to the published page, ``{cite}`` "(Author, year)";
- the title shows the chapter's number, as on the site ("4. Linear regression from scratch");
- exercises become headed sections numbered per chapter as on the site ("Exercise 4.2",
  ``tools/toc.py``), each solution a collapsed "Solution" heading (JupyterLab opens it with a
  click; Colab shows it as a foldable section);
- a code exercise (one with checks in ``book/exercise_checks``) gets, before its solution, an answer
  cell with the names its checks expect and a check cell, ``grader.check(label)``: otter-grader runs
  the exercise's public checks on the reader's answer and says what passed, what failed, and a hint;
  the ``grader`` is made once, in a cell before the first exercise;
- a quick check becomes its question with lettered options, and its answer with every explanation
  in a ``<details>`` fold;
- an explorable (a figure with a control on the page) is left out: the notebook has the chapter's
  still figure, and its code to rerun;
- cells tagged ``remove-cell`` (glue and asserts) are dropped, and so are glue outputs;
- the code cells and their committed outputs are kept as they are; a first code cell, right after
  the title, installs ``book`` on Colab from the repository (``tools/repository.py``).

The Chinese edition's readers get ``notebooks/zh/NAME.ipynb``: the same cells and outputs, with each
paragraph, heading, list item and table cell of the chapter replaced by its translation from the
page's catalog (``locales/zh_CN/LC_MESSAGES/chapters/NAME.po``, whose entries are the paragraphs as
Sphinx segments them) before the MyST is converted; the words this module writes itself
("Exercise 4.2", "Quick check") come from the site's own catalog (``_ext/locales/…/site_text.po``),
and links lead to the Chinese pages. A paragraph the catalog lacks is an error, not English left in.

    python tools/reader_notebooks.py          # write notebooks/ from every chapter of _toc.yml
    python tools/reader_notebooks.py --check  # exit 1, naming the notebooks that are out of date
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from myst_nb.core.variables import format_plain_text

from artifacts import ROOT, ToolError, parse, parser, report_stale, run, write_if_changed
from babel.messages.pofile import read_po
from editions import CHINESE, EDITIONS, ENGLISH, Edition
from repository import RepositoryError, configured_url, repository_url, site_url
from toc import chapter_notebooks, chapter_numbers

PROG = "tools/reader_notebooks.py"
CHAPTERS = ROOT / "chapters"
OUTPUT = ROOT / "notebooks"

ROLE = re.compile(r"\{(?P<name>[\w:-]+)\}`(?P<content>[^`]*)`")
FENCE_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w-]+)\}\s*(?P<argument>.*)$")
OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
TARGET = re.compile(r"^\([\w.-]+\)=\s*$")
MATH_LABEL = re.compile(r"(\$\$)\s*\([\w.-]+\)")
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
#: What may precede a translatable paragraph on its first line: indentation, list markers, a quote's
#: ">", a heading's "#"s, a directive's opening fence (its argument is a title).
PREFIX = r"(?:[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+|>[ \t]?|#{1,6}[ \t]+|(?:`{3,}|:{3,})\{[\w-]+\}[ \t]+))*"
SITE_TEXT = ROOT / "_ext" / "locales"  # the words of the site's own extensions, and of this module
ADMONITIONS = {"note", "tip", "hint", "important", "warning", "caution", "attention", "danger",
               "error", "seealso", "admonition", "dropdown"}


class ReaderNotebookError(ToolError):
    """A chapter uses MyST that has no reader form yet: extend this module."""


def catalog(page: str, edition: Edition) -> dict[str, str]:
    """A page's translations (English paragraph → translated one) in ``edition``; {} for English."""
    if edition is ENGLISH:
        return {}
    po = ROOT / "locales" / edition.language / "LC_MESSAGES" / f"{page}.po"
    if not po.is_file():
        return {}
    with po.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and m.string and not m.fuzzy}


def words(edition: Edition):
    """What this module writes itself, in ``edition``'s language: ``words(e)("Exercise {number}")``."""
    if edition is ENGLISH:
        return lambda text: text
    po = SITE_TEXT / edition.language / "LC_MESSAGES" / "site_text.po"
    with po.open("rb") as handle:
        table = {m.id: m.string for m in read_po(handle) if m.id and m.string}

    def translate(text: str) -> str:
        if text not in table:
            raise ReaderNotebookError(f"{po.relative_to(ROOT)} has no translation of {text!r}: add it")
        return table[text]
    return translate


def paragraph(msgid: str) -> re.Pattern:
    """Where a catalog entry stands in MyST source: whole lines (after a list marker, a heading's "#"s
    or a directive's fence), or a table cell; Sphinx joined its lines with spaces."""
    body = r"\s+".join(re.escape(word) for word in msgid.split())
    return re.compile(r"(?m)(^" + PREFIX + r"|(?<=\|)[ \t]*)(" + body + r")(?=[ \t]*(?:\||$))")


def translate_source(source: str, translations: dict[str, str]) -> tuple[str, set[str]]:
    """``source`` with every paragraph the catalog holds replaced by its translation (the longest
    first, so that no entry is found inside a longer one); the entries used."""
    found, used = {}, set()
    for msgid in sorted(translations, key=len, reverse=True):
        def put(match: re.Match, msgid: str = msgid, text: str = source) -> str:
            line = text.rfind("\n", 0, match.start()) + 1
            if match.start() != line and not text.startswith("|", line):
                return match[0]  # after a "|" that is no table's (a formula's |x|)
            token = f"\0{len(found)}\0"
            found[token] = translations[msgid]
            used.add(msgid)
            return match[1] + token
        source = paragraph(msgid).sub(put, source)
    for token, text in found.items():
        source = source.replace(token, text)
    return source, used


def page_title(path: Path, edition: Edition = ENGLISH) -> str:
    """The first level-1 heading of a page (.md or .ipynb), as the reader sees it in ``edition``."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = path.read_text()
    match = re.search(r"^# (.+)$", text, re.M)
    if not match:
        raise ReaderNotebookError(f"{path.name} has no title")
    title = match.group(1).strip()
    page = path.relative_to(ROOT).with_suffix("").as_posix()
    return catalog(page, edition).get(title, title)


def citation(keys: str, textual: bool) -> str:
    """``(Author, year)`` for each key of references.bib, as the site's author-year style."""
    from pybtex.database import parse_file

    entries = parse_file(str(ROOT / "references.bib")).entries
    cited = []
    for key in (k.strip() for k in keys.split(",")):
        if key not in entries:
            raise ReaderNotebookError(f"citation {key!r} is not in references.bib")
        entry = entries[key]
        people = entry.persons.get("author", [])
        names = [" ".join(p.last_names) for p in people]
        who = names[0] if len(names) == 1 else (
            f"{names[0]} and {names[1]}" if len(names) == 2 else f"{names[0]} et al.")
        year = entry.fields.get("year", "n.d.")
        cited.append(f"{who} ({year})" if textual else f"{who}, {year}")
    return "; ".join(cited) if textual else f"({'; '.join(cited)})"


@dataclass
class Chapter:
    """What converting one chapter needs to know: its glue values, figures and labels."""

    path: Path
    glue: dict[str, str] = field(default_factory=dict)
    figures: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    exercises: int = 0
    number: int = 0  # the chapter's number, which numbers its exercises
    checked: dict[str, dict[str, str]] = field(default_factory=dict)  # code exercise → its answers
    edition: Edition = ENGLISH
    translations: dict[str, str] = field(default_factory=dict)  # the page's catalog, if translated
    repository: str = ""  # the GitHub repository its links and Colab cell lead to

    @classmethod
    def read(cls, path: Path, edition: Edition = ENGLISH, repository: str = "") -> tuple[Chapter, dict]:
        """The chapter, and its notebook with every paragraph in ``edition``'s language."""
        from book.exercise_checks import chapter_exercises  # imports torch: not for --help

        notebook = json.loads(path.read_text())
        page = path.relative_to(ROOT).with_suffix("").as_posix()
        chapter = cls(path, number=chapter_numbers().get(path.stem, 0), edition=edition,
                      translations=catalog(page, edition), repository=repository or configured_url())
        chapter.checked = {e.label: e.answers for e in chapter_exercises(path.stem)}
        if edition is not ENGLISH:
            chapter.translate(notebook)
        for cell in notebook["cells"]:
            if cell["cell_type"] != "code":
                continue
            cell["outputs"] = [figure_in(output, edition) for output in cell.get("outputs", [])]
            for output in cell.get("outputs", []):
                record = output.get("metadata", {}).get("scrapbook")
                if record:
                    prefix = record.get("mime_prefix", "")
                    chapter.glue[record["name"]] = output["data"].get(prefix + "text/plain", "")
            name = cell["metadata"].get("mystnb", {}).get("figure", {}).get("name")
            if name:
                chapter.figures[name] = len(chapter.figures) + 1
        chapter.labels = chapter.find_labels(notebook, chapter.number, words(edition))
        return chapter, notebook

    def translate(self, notebook: dict) -> None:
        """Replace, in place, each paragraph of the notebook's markdown cells by its translation; a
        paragraph of the page's catalog that is not found is an error (English would be left)."""
        used = set()
        for cell in notebook["cells"]:
            if cell["cell_type"] == "markdown":
                text, found = translate_source("".join(cell["source"]), self.translations)
                cell["source"], used = text, used | found
        # The rest are alt texts and captions of figures (cell metadata) and quick checks' units.
        elsewhere = json.dumps([c["metadata"] for c in notebook["cells"]], ensure_ascii=False)
        markdown = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
        lost = [m for m in set(self.translations) - used
                if json.dumps(m, ensure_ascii=False)[1:-1] not in elsewhere and f": {m}\n" not in markdown]
        if lost:
            raise self.fail(f"{len(lost)} paragraphs of its catalog are not found in it, e.g. {sorted(lost)[0]!r}")

    @staticmethod
    def find_labels(notebook: dict, number: int, say=lambda text: text) -> dict[str, str]:
        """What ``{ref}`` shows for each label: "Exercise N", or the heading after ``(label)=``."""
        text = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
        labels, exercises, lines = {}, 0, text.splitlines()
        for i, line in enumerate(lines):
            if re.match(r"^(`{3,}|:{3,})\{exercise\}", line):
                exercises += 1
                for option in lines[i + 1:i + 5]:
                    found = OPTION.match(option)
                    if found and found["key"] == "label":
                        labels[found["value"].strip()] = say("Exercise {number}").format(
                            number=f"{number}.{exercises}")
            elif TARGET.match(line):
                heading = next((l for l in lines[i + 1:] if l.strip()), "")
                labels[line.strip()[1:-2]] = heading.lstrip("#").strip()
        return labels

    def page_url(self, source: Path) -> str:
        """The published page of a source file (.ipynb or .md), in the chapter's edition."""
        return site_url(self.repository) + self.edition.folder + source.relative_to(ROOT).with_suffix(".html").as_posix()

    def say(self, text: str) -> str:
        """What this module writes itself (``text``, in English), in the chapter's language."""
        return words(self.edition)(text)

    def fail(self, message: str) -> ReaderNotebookError:
        return ReaderNotebookError(f"{self.path.name}: {message}; extend tools/reader_notebooks.py")

    # Inline roles -------------------------------------------------------------------------

    def role(self, match: re.Match) -> str:
        name, content = match["name"], match["content"]
        explicit = EXPLICIT.match(content)
        text, target = (explicit["text"], explicit["target"]) if explicit else (None, content)
        if name in ("glue:text", "glue", "glue:"):
            key, _, spec = target.rpartition(":") if ":" in target else (target, "", "")
            if key not in self.glue:
                raise self.fail(f"glue key {key!r} has no value in the notebook")
            return format_plain_text(self.glue[key], spec)
        if name == "term":
            return text or target
        if name == "doc":
            page = (self.path.parent / target).resolve() if not target.startswith("/") else ROOT / target[1:]
            source = next((page.with_suffix(s) for s in (".ipynb", ".md") if page.with_suffix(s).exists()), None)
            if source is None:
                raise self.fail(f"{{doc}} target {target!r} does not exist")
            return f"[{text or page_title(source, self.edition)}]({self.page_url(source)})"
        if name in ("cite", "cite:p", "cite:t"):
            return citation(target, textual=name == "cite:t")
        if name == "numref":
            if target not in self.figures:
                raise self.fail(f"{{numref}} target {target!r} is not a figure of this chapter")
            number = self.say("Figure {number}").format(number=self.figures[target])
            return (text.replace("%s", str(self.figures[target])) if text else number)
        if name == "math":
            return f"${content}$"
        if name == "ref":
            if text:
                return text
            if target not in self.labels:
                raise self.fail(f"{{ref}} target {target!r} is not a label of this chapter")
            return self.labels[target]
        raise self.fail(f"the role {{{name}}}`{content}` has no reader form")

    def inline(self, text: str) -> str:
        return ROLE.sub(self.role, MATH_LABEL.sub(r"\1", text))

    # Block structure ----------------------------------------------------------------------

    def markdown(self, source: str) -> list[tuple[str, dict, str]]:
        """One chapter markdown cell as reader cells: (text, metadata, cell type), split before
        solutions; a code exercise's answer and check cells come between the two."""
        cells: list[tuple[list[str], dict, str]] = [([], {}, "markdown")]
        lines = source.splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            opened = FENCE_OPEN.match(line)
            if TARGET.match(line) or line.startswith("%"):
                i += 1
                continue
            if not opened:
                cells[-1][0].append(line)
                i += 1
                continue
            fence, name, argument = opened["fence"], opened["name"], opened["argument"].strip()
            body, i = [], i + 1
            while i < len(lines) and not (lines[i].startswith(fence[0] * len(fence))
                                          and lines[i].strip(fence[0]) == ""):
                body.append(lines[i])
                i += 1
            i += 1  # the closing fence
            options = {}
            while body and OPTION.match(body[0]):
                found = OPTION.match(body.pop(0))
                options[found["key"]] = found["value"].strip()
            text = "\n".join(body).strip()
            if name == "quick-check":
                cells[-1][0].extend(["", *self.quick_check(body, options), ""])
            elif name == "exercise":
                self.exercises += 1
                heading = self.say("Exercise {number}").format(number=f"{self.number}.{self.exercises}")
                if argument:
                    heading = self.say("{exercise} ({title})").format(exercise=heading, title=argument)
                cells.append(([f"### {heading}", "", text], {}, "markdown"))
                label = options.get("label")
                if label in self.checked:
                    answers = self.checked[label]
                    cells.append((["# Your answer. Define:", *(f"#   {name}: {what}" for name, what in answers.items()),
                                   *(f"{name} = ..." for name in answers)], {"id": f"{label}-answer"}, "code"))
                    cells.append(([f'grader.check("{label}")'], {"id": f"{label}-check"}, "code"))
                    cells.append(([], {}, "markdown"))  # the text that follows
            elif name == "solution-start":
                heading = self.say("Solution to exercise {number}").format(number=f"{self.number}.{self.exercises}")
                cells.append(([f"#### {heading}", ""],
                              {"jp-MarkdownHeadingCollapsed": True}, "markdown"))
            elif name == "solution-end":
                cells.append(([], {}, "markdown"))
            elif name in ADMONITIONS:
                heading = argument or name.capitalize()
                quoted = [f"> **{heading}.**", ">"] + [f"> {l}" if l else ">" for l in text.splitlines()]
                cells[-1][0].extend(quoted)
            elif name == "math":
                cells[-1][0].extend(["$$", text, "$$"])
            elif name == "explorable":
                pass  # a figure with a control on the page; the notebook has the still figure it follows
            else:
                raise self.fail(f"the directive {{{name}}} has no reader form")
        result = []
        for text_lines, metadata, cell_type in cells:
            if cell_type == "code":
                result.append(("\n".join(text_lines), metadata, cell_type))
                continue
            text = self.inline("\n".join(text_lines)).strip()
            text = re.sub(r"\n{3,}", "\n\n", text)
            if text:
                result.append((text, metadata, cell_type))
        return result

    def quick_check(self, body: list[str], options: dict[str, str]) -> list[str]:
        """A ``{quick-check}`` as its question, its options lettered, and the answer with every
        explanation in a ``<details>`` fold (JupyterLab and Colab show it folded)."""
        question, blocks, i = [], [], 0
        while i < len(body):
            opened = FENCE_OPEN.match(body[i])
            if not opened:
                (blocks[-1][2] if blocks else question).append(body[i])
                i += 1
                continue
            fence, flags, lines, i = opened["fence"], set(), [], i + 1
            while i < len(body) and body[i].strip() != fence:
                found = OPTION.match(body[i]) if not lines else None
                if found:
                    flags.add(found["key"])
                else:
                    lines.append(body[i])
                i += 1
            i += 1
            if opened["name"] not in ("choice", "explanation"):
                raise self.fail(f"the directive {{{opened['name']}}} has no reader form inside a quick check")
            blocks.append((opened["name"], flags, lines))
        say = self.say
        lines = [say("**Quick check.** {question}").format(question="\n".join(question).strip()), ""]
        folded = []
        if options.get("kind", "choice") == "number":
            unit = self.translations.get(options.get("unit", ""), options.get("unit", ""))
            lines.append("*" + (say("Answer with a number, in {unit}.").format(unit=unit) if unit
                                else say("Answer with a number.")) + "*")
            answer = say("Answer: {answer} {unit}").format(answer=options["answer"], unit=unit).strip()
            folded.append(f"**{answer}**")
            for _name, _flags, text in blocks:
                folded += ["", "\n".join(text).strip()]
        else:
            choices = [(flags, "\n".join(text).strip().split("\n\n", 1)) for _name, flags, text in blocks]
            letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            for letter, (_flags, (option, *_)) in zip(letters, choices):
                lines.append(f"- **{letter}.** {' '.join(option.split())}")
            right = [letter for letter, (flags, _) in zip(letters, choices) if "correct" in flags]
            folded.append("**" + say("Right: {options}.").format(options=", ".join(right)) + "**")
            for letter, (flags, (_option, *why)) in zip(letters, choices):
                verdict = say("right" if "correct" in flags else "wrong")
                folded += ["", "- " + say("**{letter}** ({verdict}): {why}").format(
                    letter=letter, verdict=verdict, why=" ".join(" ".join(why).split()))]
        return [*lines, "", f"<details><summary>{say('Answer')}</summary>", "", *folded, "", "</details>"]


COLAB = """\
# On Colab, install the course's helper package `book` when it is missing; elsewhere do nothing.
import sys

if "google.colab" in sys.modules:
    import importlib.util
    import subprocess

    if importlib.util.find_spec("book") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                        "git+{repository}"], check=True)"""

GRADER = """\
# The checks of the exercises (otter-grader): after writing an answer, run the cell below it.
import book.exercise_checks

grader = book.exercise_checks.grader("{chapter}")"""


def code_cell(cell_id: str, source: str) -> dict:
    """A code cell that the chapter does not have: an exercise's answer or check, the grader."""
    return {"cell_type": "code", "id": cell_id, "execution_count": None, "metadata": {},
            "outputs": [], "source": source}


def figure_in(output: dict, edition: Edition) -> dict:
    """The output with its figure in ``edition``'s language: a figure drawn with Chinese words too
    (``book.figure_language``) shows that drawing in the Chinese edition; either way the other
    drawing is left out."""
    drawings = output.get("metadata", {}).get("image/png", {})
    if CHINESE.language not in drawings:
        return output
    rest = {key: value for key, value in drawings.items() if key != CHINESE.language}
    metadata = {key: value for key, value in output["metadata"].items() if key != "image/png"}
    output = {**output, "metadata": {**metadata, **({"image/png": rest} if rest else {})}}
    if edition is CHINESE:
        output["data"] = {**output["data"], "image/png": drawings[CHINESE.language]}
    return output


def _is_glue_output(output: dict) -> bool:
    return "scrapbook" in output.get("metadata", {})


def colab_cell(repository: str) -> dict:
    """The reader notebook's first code cell: on Colab, install ``book`` from ``repository`` (in
    English in both editions, like every code cell)."""
    cell = code_cell("colab-install", COLAB.format(repository=repository))
    cell["execution_count"] = 1  # where the chapters' own first cell was before it moved here
    return cell


def reader_notebook(path: Path, edition: Edition = ENGLISH, repository: str = "") -> dict:
    """The reader's version of one chapter notebook in ``edition``'s language, as a notebook dict;
    its links and Colab cell lead to ``repository`` (default: the setting, ``repository.url``)."""
    chapter, notebook = Chapter.read(path, edition, repository)
    cells = []
    page = chapter.page_url(path)
    for cell in notebook["cells"]:
        tags = cell["metadata"].get("tags", [])
        if "remove-cell" in tags or "remove_cell" in tags:
            continue
        if cells and not any(c.get("id") == "colab-install" for c in cells):
            cells.append(colab_cell(chapter.repository))  # right after the title
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            for index, (text, metadata, cell_type) in enumerate(chapter.markdown(source)):
                if cell_type == "code":
                    if not any(c.get("id") == "exercise-grader" for c in cells):
                        cells.append(code_cell("exercise-grader", GRADER.format(chapter=path.stem)))
                    cells.append(code_cell(metadata["id"], text))
                    continue
                if not cells and index == 0 and text.startswith("# "):
                    title, _, rest = text.partition("\n")
                    number = f"{chapter.number}. " if chapter.number else ""  # as the site numbers it
                    intro = chapter.say("The notebook of the course page {page}: run its cells from the top.")
                    text = f"# {number}{title[2:]}\n\n*{intro.format(page=f'[{title[2:]}]({page})')}*\n{rest}"
                cells.append({"cell_type": "markdown", "id": f"{cell.get('id', 'md')}-{index}",
                              "metadata": metadata, "source": text})
        else:
            cells.append({
                "cell_type": "code", "id": cell.get("id"), "execution_count": cell.get("execution_count"),
                "metadata": {"tags": tags} if tags else {},
                "outputs": [o for o in cell.get("outputs", []) if not _is_glue_output(o)],
                "source": source,
            })
    return {
        "cells": cells,
        "metadata": {key: notebook["metadata"][key] for key in ("kernelspec", "language_info")
                     if key in notebook["metadata"]},
        "nbformat": 4,
        "nbformat_minor": max(5, notebook.get("nbformat_minor", 5)),
    }


def serialise(notebook: dict) -> str:
    """As Jupyter writes notebooks: indented JSON, non-ASCII kept, each cell's source split into its
    lines (so that a changed word is a one-line change in the diff), a final newline."""
    cells = [{**cell, "source": cell["source"].splitlines(keepends=True)}
             if isinstance(cell["source"], str) else cell for cell in notebook["cells"]]
    return json.dumps({**notebook, "cells": cells}, indent=1, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    options = parser(__doc__, PROG)
    options.add_argument("--check", action="store_true", help="only report out-of-date notebooks (exit 1)")
    args = parse(options, argv)
    if isinstance(args, int):
        return args
    chapters = chapter_notebooks()
    try:
        repository = repository_url()  # a fork's, where GitHub Actions builds one (GITHUB_REPOSITORY)
    except RepositoryError as error:
        raise ReaderNotebookError(str(error)) from None
    made = {OUTPUT / edition.folder / path.name: serialise(reader_notebook(path, edition, repository))
            for edition in EDITIONS for path in chapters}
    stale = [target for target, text in made.items()
             if not target.is_file() or target.read_text(encoding="utf-8") != text]
    extra = sorted({old for edition in EDITIONS for old in (OUTPUT / edition.folder).glob("*.ipynb")}
                   - set(made)) if OUTPUT.exists() else []
    if args.check:
        return report_stale([p.relative_to(ROOT).as_posix() for p in stale]
                            + [p.relative_to(ROOT).as_posix() + " (no such chapter)" for p in extra],
                            "make notebooks", PROG)
    for target in stale:
        write_if_changed(target, made[target])
    for path in extra:
        path.unlink()
    written = len(stale) + len(extra)
    print(f"notebooks/: {written} written" if written else "notebooks/: up to date")
    return 0


if __name__ == "__main__":
    run(main, PROG)
