"""Where the course is published from: one setting, ``repository.url`` in ``_config.yml``.

Where GitHub Actions builds the site in another repository (a fork: the Pages workflow runs with
``GITHUB_REPOSITORY`` set to ``owner/name``), that repository wins, so that a fork's launch
buttons, issue links and notebook links lead to the fork without an edit. What is committed
(the reader notebooks in ``notebooks/``) is made from the setting alone: ``configured_url()``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB = re.compile(r"https://github\.com/(?P<owner>[A-Za-z0-9-]+)/(?P<name>[A-Za-z0-9_.-]+)")
REPOSITORY = re.compile(r"(?P<owner>[A-Za-z0-9-]+)/(?P<name>[A-Za-z0-9_.-]+)")


class RepositoryError(ValueError):
    """The repository setting, or GITHUB_REPOSITORY, is not a GitHub repository."""


def configured_url(config: Path = ROOT / "_config.yml") -> str:
    """``repository.url`` of ``_config.yml``, without a trailing slash."""
    url = yaml.safe_load(config.read_text(encoding="utf-8"))["repository"]["url"].rstrip("/")
    if not GITHUB.fullmatch(url):
        raise RepositoryError(f"repository.url in {config.name} is not a GitHub repository "
                              f"(https://github.com/OWNER/NAME): {url}")
    return url


def repository_url(environ: Mapping[str, str] = os.environ, config: Path = ROOT / "_config.yml") -> str:
    """The repository the site is built for: GITHUB_REPOSITORY's, if set, else the setting's."""
    name = environ.get("GITHUB_REPOSITORY", "").strip()
    if not name:
        return configured_url(config)
    if not REPOSITORY.fullmatch(name):
        raise RepositoryError(f"GITHUB_REPOSITORY should be OWNER/NAME, as GitHub Actions sets it, not {name!r}")
    return f"https://github.com/{name}"


def site_url(repository: str) -> str:
    """The GitHub Pages address of a repository's site: ``https://owner.github.io/name/``."""
    match = GITHUB.fullmatch(repository.rstrip("/"))
    if not match:
        raise RepositoryError(f"not a GitHub repository (https://github.com/OWNER/NAME): {repository}")
    return f"https://{match['owner'].lower()}.github.io/{match['name']}/"


if __name__ == "__main__":
    print(repository_url())
