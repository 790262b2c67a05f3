"""A fork publishes links to itself: the repository is one setting (``repository.url``), and where
GitHub Actions builds a fork (``GITHUB_REPOSITORY``), the fork (``tools/repository.py``)."""

from __future__ import annotations

import json
import re
import sys
import textwrap

import pytest
from sphinx.errors import ConfigError

from book_structure import ROOT, code_cells, source, toc_notebooks
from sphinx_project import build_html

sys.path.insert(0, str(ROOT / "tools"))
import reader_notebooks  # noqa: E402
import repository  # noqa: E402
from editions import EDITIONS  # noqa: E402

UPSTREAM = repository.configured_url()
FORK = "https://github.com/a-teacher/linear-neural-networks-2027"
CHAPTER = next(p for p in toc_notebooks() if p.parent.name == "chapters")


def test_the_setting_is_the_repository_unless_github_actions_names_another():
    assert repository.repository_url({}) == UPSTREAM
    assert repository.repository_url({"GITHUB_REPOSITORY": "a-teacher/linear-neural-networks-2027"}) == FORK


@pytest.mark.parametrize("name", ["a-teacher", "a/b/c", "https://github.com/a/b", "a b/c"])
def test_a_github_repository_that_is_not_owner_slash_name_is_a_clear_error(name):
    with pytest.raises(repository.RepositoryError, match="OWNER/NAME"):
        repository.repository_url({"GITHUB_REPOSITORY": name})


def test_a_setting_that_is_not_a_github_repository_is_a_clear_error(tmp_path):
    (tmp_path / "_config.yml").write_text("repository:\n  url: https://gitlab.com/a/b\n")
    with pytest.raises(repository.RepositoryError, match=r"repository.url in _config.yml"):
        repository.configured_url(tmp_path / "_config.yml")


def test_the_site_of_a_repository_is_its_github_pages_address():
    assert repository.site_url(FORK) == "https://a-teacher.github.io/linear-neural-networks-2027/"


@pytest.mark.parametrize("edition", EDITIONS, ids=[e.language for e in EDITIONS])
def test_a_reader_notebook_installs_book_on_colab_from_the_repository_in_its_first_cell(edition):
    first = code_cells(reader_notebooks.reader_notebook(CHAPTER, edition))[0]
    assert f'"git+{UPSTREAM}"' in source(first) and 'if "google.colab" in sys.modules:' in source(first)
    assert first["outputs"] == []


@pytest.mark.parametrize("edition", EDITIONS, ids=[e.language for e in EDITIONS])
def test_a_forks_reader_notebook_leads_to_the_fork_only(edition):
    text = json.dumps(reader_notebooks.reader_notebook(CHAPTER, edition, FORK))
    assert f"git+{FORK}" in text and repository.site_url(FORK) in text
    assert "lnn-course" not in text


def _build(tmp_path, monkeypatch, github_repository: str | None) -> str:
    """A one-chapter book with the theme's launch, repository and issue buttons: the chapter's HTML."""
    if github_repository is None:
        monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    else:
        monkeypatch.setenv("GITHUB_REPOSITORY", github_repository)
    (tmp_path / "conf.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT / "_ext")!r})
        extensions = ["myst_nb", "reader_links"]
        # Its own suffixes: myst-nb registers into Sphinx's shared default, which another test's project changed.
        source_suffix = {{".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}}
        html_theme = "sphinx_book_theme"
        html_theme_options = {{
            "repository_url": {UPSTREAM!r}, "repository_branch": "main", "path_to_docs": "",
            "use_repository_button": True, "use_issues_button": True, "use_download_button": True,
            "launch_buttons": {{"binderhub_url": "https://mybinder.org",
                                "colab_url": "https://colab.research.google.com"}},
        }}
        nb_execution_mode = "off"
        exclude_patterns = ["_build", "notebooks"]
    """))
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "one.ipynb").write_text(json.dumps({
        "cells": [{"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# One\n"},
                  {"cell_type": "code", "id": "b", "execution_count": None, "metadata": {}, "outputs": [],
                   "source": "1 + 1"}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}))
    (tmp_path / "index.md").write_text("# Book\n\n```{toctree}\nchapters/one\n```\n")
    return build_html(tmp_path, "chapters/one")[0]


def test_a_forks_site_launches_and_files_issues_in_the_fork(tmp_path, monkeypatch):
    page = _build(tmp_path, monkeypatch, "a-teacher/linear-neural-networks-2027")
    links = re.findall(r'href="(https://[^"]+)"', page)
    outward = [link for link in links if re.search(r"github\.com|mybinder|colab", link)]
    assert {"Binder", "Colab"} <= {name for name in ("Binder", "Colab") if any(name.lower() in l for l in outward)}
    assert any("/issues/new" in link for link in outward)
    assert all("a-teacher/linear-neural-networks-2027" in link for link in outward), outward
    assert "lnn-course" not in page


def test_a_forks_site_hands_out_notebooks_that_lead_to_the_fork(tmp_path, monkeypatch):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "one.ipynb").write_text(json.dumps(
        {"cells": [{"cell_type": "code", "source": f"pip install git+{UPSTREAM}"},
                   {"cell_type": "markdown", "source": f"[page]({repository.site_url(UPSTREAM)}chapters/one.html)"}]}))
    _build(tmp_path, monkeypatch, "a-teacher/linear-neural-networks-2027")
    handed_out = (tmp_path / "_build" / "_sources" / "notebooks" / "one.ipynb").read_text()
    assert f"git+{FORK}" in handed_out and repository.site_url(FORK) + "chapters/one.html" in handed_out
    assert "lnn-course" not in handed_out


def test_without_github_actions_the_site_links_to_the_setting(tmp_path, monkeypatch):
    page = _build(tmp_path, monkeypatch, None)
    assert "lnn-course/linear-neural-networks" in page and "a-teacher" not in page


def test_a_malformed_github_repository_stops_the_build(tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match="OWNER/NAME"):
        _build(tmp_path, monkeypatch, "not-a-repository")
