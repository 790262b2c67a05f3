"""_toc.yml and chapters/ agree: nbval runs every chapter, the site shows every chapter."""

from book_structure import CHAPTERS, ROOT, toc_files


def test_every_chapter_notebook_is_in_the_toc():
    listed = set(toc_files())
    unlisted = [p.name for p in sorted(CHAPTERS.glob("*.ipynb")) if f"chapters/{p.stem}" not in listed]
    assert not unlisted, f"add these to _toc.yml or delete them: {unlisted}"


def test_every_toc_entry_has_a_file():
    missing = [f for f in toc_files() if not any((ROOT / f"{f}{ext}").exists() for ext in (".ipynb", ".md"))]
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"


def test_chapters_are_notebooks():
    stray = [p.name for p in CHAPTERS.iterdir() if p.suffix not in (".ipynb",) and p.name != "__pycache__"]
    assert not stray, f"chapters/ holds only notebooks: {stray}"
