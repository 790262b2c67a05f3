"""What the artifact tools share (``tools/artifacts.py``, ``tools/toc.py``, ``tools/editions.py``):
one error printed as ``prog: message``, ``--help`` and ``--check`` on every tool, atomic outputs,
one reader of ``_toc.yml`` and one table of the editions."""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest

from book_structure import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import artifacts  # noqa: E402
import course_pdf  # noqa: E402
import editions  # noqa: E402
import reader_notebooks  # noqa: E402
import toc  # noqa: E402
import translations  # noqa: E402

TOOLS = ["course_pdf.py", "reader_notebooks.py", "translations.py", "toc.py"]


def test_write_if_changed_writes_a_new_file_whole(tmp_path):
    target = tmp_path / "out" / "notes.txt"
    assert artifacts.write_if_changed(target, "text") is True
    assert target.read_text() == "text" and [p.name for p in target.parent.iterdir()] == ["notes.txt"]


def test_write_if_changed_leaves_an_unchanged_file_as_it_was(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_bytes(b"text")
    os.utime(target, ns=(0, 0))
    assert artifacts.write_if_changed(target, b"text") is False
    assert target.stat().st_mtime_ns == 0


def test_a_tool_error_is_one_line_naming_the_tool(capsys):
    def main(argv):
        raise artifacts.ToolError("build the site first (make site)")

    with pytest.raises(SystemExit) as stop:
        artifacts.run(main, "tools/x.py")
    assert stop.value.code == 1
    assert capsys.readouterr().err == "tools/x.py: build the site first (make site)\n"


def test_a_chapter_without_a_reader_form_is_one_line_for_its_author(monkeypatch, tmp_path, capsys):
    (tmp_path / "_config.yml").write_text("repository:\n  url: https://github.com/lnn-course/linear-neural-networks\n")
    chapter = tmp_path / "chapters" / "x.ipynb"
    chapter.parent.mkdir()
    chapter.write_text('{"cells": [{"cell_type": "markdown", "metadata": {}, "source": "```{margin}\\nA note.\\n```"}],'
                       ' "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    monkeypatch.setattr(reader_notebooks, "ROOT", tmp_path)  # a checkout holding the one chapter
    monkeypatch.setattr(reader_notebooks, "chapter_notebooks", lambda: [chapter])
    monkeypatch.setattr(reader_notebooks, "OUTPUT", tmp_path / "notebooks")
    monkeypatch.setattr(sys, "argv", ["reader_notebooks.py"])
    with pytest.raises(SystemExit) as stop:
        artifacts.run(reader_notebooks.main, reader_notebooks.PROG)
    assert stop.value.code == 1
    assert capsys.readouterr().err == ("tools/reader_notebooks.py: x.ipynb: the directive {margin} has no reader "
                                       "form; extend tools/reader_notebooks.py\n")
    assert not (tmp_path / "notebooks").exists()  # nothing half-written


@pytest.mark.parametrize("tool", TOOLS)
def test_every_tool_has_help(tool):
    result = subprocess.run([sys.executable, str(ROOT / "tools" / tool), "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("usage: ") and f"tools/{tool}" in result.stdout


def test_check_names_the_stale_files_and_exits_1(capsys):
    assert artifacts.report_stale(["notebooks/a.ipynb", "notebooks/b.ipynb"], "make notebooks", "tools/x.py") == 1
    assert capsys.readouterr().err == ("tools/x.py: out of date (run `make notebooks`): "
                                       "notebooks/a.ipynb, notebooks/b.ipynb\n")


def test_check_of_current_files_exits_0(capsys):
    assert artifacts.report_stale([], "make notebooks", "tools/x.py") == 0
    assert capsys.readouterr().err == ""


def test_the_pdf_of_a_folder_that_is_no_site_says_to_build_it(tmp_path):
    with pytest.raises(artifacts.ToolError, match=r"is no built site: build it first \(make site\)"):
        course_pdf.main([str(tmp_path)])


def test_the_pdf_without_chromium_says_what_to_install(monkeypatch, tmp_path):
    (tmp_path / f"{toc.toc_files()[0]}.html").write_text('<html lang="en">')
    monkeypatch.setattr(course_pdf, "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(artifacts.ToolError, match="apt-get install chromium"):
        course_pdf.main([str(tmp_path)])


def test_a_catalog_of_a_removed_page_is_a_tool_error():
    with pytest.raises(artifacts.ToolError, match="no chapters/gone.ipynb or chapters/gone.md"):
        translations.source_of("chapters/gone")


def test_toc_files_walks_parts_chapters_and_sections_and_skips_comments(tmp_path):
    path = tmp_path / "_toc.yml"
    path.write_text("format: jb-book\nroot: intro\nparts:\n  - caption: One\n    chapters:\n"
                    "      - file: a\n        sections:\n          - file: a1\n"
                    "      # - file: old\n      - file: b\n")
    assert toc.toc_files(path) == ["intro", "a", "a1", "b"]
    assert toc.toc_captions(path) == ["One"]


def test_the_chapters_are_the_notebooks_of_the_toc_in_reading_order():
    chapters = toc.chapter_notebooks()
    assert [p.relative_to(ROOT).with_suffix("").as_posix() for p in chapters] == [
        f for f in toc.toc_files() if f.startswith("chapters/")]


@pytest.mark.parametrize("spelling", ["zh", "zh_CN", "zh-CN", "ZH-cn"])
def test_an_edition_is_found_however_its_language_is_spelled(spelling):
    assert editions.edition(spelling) is editions.CHINESE


@pytest.mark.parametrize("spelling", [None, "", "en", "en_US"])
def test_english_is_the_edition_of_no_or_an_english_language(spelling):
    assert editions.edition(spelling) is editions.ENGLISH


def test_an_editions_config_lays_its_overlay_over_the_books_deeply():
    english, chinese = editions.config(editions.ENGLISH), editions.config(editions.CHINESE)
    assert chinese["title"] == "线性神经网络" and english["title"] == "Linear Neural Networks"
    assert chinese["sphinx"]["config"]["language"] == "zh_CN"
    assert chinese["sphinx"]["local_extensions"] == english["sphinx"]["local_extensions"]  # kept, not replaced


def _printing_notebook(path, code):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def test_chapter_outputs_saves_one_output_per_stream_and_no_timestamps(tmp_path):
    import chapter_outputs

    path = tmp_path / "x.ipynb"
    _printing_notebook(path, "import sys, time\nprint('a', flush=True)\ntime.sleep(0.2)\nprint('b')")
    assert chapter_outputs.main([str(path)]) == 0
    cell = nbformat.read(path, as_version=4).cells[0]
    assert [o.text for o in cell.outputs] == ["a\nb\n"] and "execution" not in cell.metadata


def test_chapter_outputs_leaves_a_notebook_whose_cell_fails_as_it_was(tmp_path):
    import chapter_outputs

    path = tmp_path / "x.ipynb"
    _printing_notebook(path, "raise ValueError('broken')")
    before = path.read_text()
    with pytest.raises(chapter_outputs.ToolError, match="a cell failed, so the notebook was left as it was"):
        chapter_outputs.main([str(path)])
    assert path.read_text() == before
