"""The site's editions, one table: what every tool, extension and test knows about each language.

The English edition is the site's root (``_build/html/``); the Chinese one, built by
``tools/translations.py`` from the catalogs in ``locales/zh_CN/``, is its folder ``zh/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Edition:
    """One edition of the site."""

    language: str  # Sphinx's ``language`` (and the catalogs' folder under locales/)
    html_lang: str  # its pages' ``<html lang>``, and the ``lang``/``hreflang`` of links to them
    folder: str  # where it is in the site: "" or "zh/"
    label: str  # its name in its own language, on the link that leads to it
    invitation: str  # that link's title, in its own language

    @property
    def overlay(self) -> Path | None:
        """Its settings laid over ``_config.yml`` (``locales/<language>/_config.yml``), if any."""
        path = ROOT / "locales" / self.language / "_config.yml"
        return path if path.is_file() else None


ENGLISH = Edition("en", "en", "", "English", "Read this page in English")
CHINESE = Edition("zh_CN", "zh-CN", "zh/", "中文", "阅读本页的中文版")
EDITIONS = (ENGLISH, CHINESE)


def edition(language: str | None) -> Edition:
    """The edition of a language however it is spelled (``zh``, ``zh_CN``, ``zh-CN``); English if none."""
    key = (language or "en").lower().replace("-", "_")
    for candidate in EDITIONS:
        if key.split("_")[0] == candidate.language.lower().split("_")[0]:
            return candidate
    return ENGLISH


def other(this: Edition) -> Edition:
    """The edition a page's language switch leads to."""
    return CHINESE if this is ENGLISH else ENGLISH


def deep_merge(base: dict, over: dict) -> dict:
    """``base`` with ``over`` laid on it: nested mappings merged, other values replaced."""
    merged = dict(base)
    for key, value in over.items():
        merged[key] = (deep_merge(merged[key], value)
                       if isinstance(value, dict) and isinstance(merged.get(key), dict) else value)
    return merged


def config(this: Edition) -> dict:
    """The book's ``_config.yml`` as the edition builds it: with its overlay merged in deeply."""
    base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    if this.overlay is None:
        return base
    return deep_merge(base, yaml.safe_load(this.overlay.read_text(encoding="utf-8")))
