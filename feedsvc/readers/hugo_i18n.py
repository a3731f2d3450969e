"""A Hugo site's translations, for `T` and `i18n` in its shortcode templates: the site's
i18n/<language>.toml|yaml|yml|json over its themes' (an id's `other` form, or its text when
it is one; or go-i18n's first form, a list of `id` and `translation`), in the page's language (the site's default language outside a multilingual
site). Files are read only from inside the content folder (the site's root is the content
folder), at most config_files.MAX_CONFIG_BYTES each, once per version of each file.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ReadError
from .config_files import parse_data
from .hugo_config import lowered, theme_names
from .site import Site

I18N_TYPES = ("toml", "yaml", "yml", "json")


def translations(site: Site, path: str) -> dict[str, str]:
    """Each translation id's text for the page at path."""
    language = site.language(path)
    code = (language.code if language else str(lowered(site.data).get("defaultcontentlanguage") or "en")).lower()
    folders = [site.root / "themes" / theme / "i18n" for theme in reversed(theme_names(site.data))] + [site.root / "i18n"]
    top = os.path.realpath(site.content_dir)
    found: dict[str, str] = {}
    for folder in folders:  # the site's own last: its texts win
        for kind in I18N_TYPES:
            real = os.path.realpath(folder / f"{code}.{kind}")
            if real.startswith(top + os.sep) and os.path.isfile(real):
                stat = os.stat(real)
                found.update(_read(real, stat.st_size, stat.st_mtime_ns))
    return found


@lru_cache(maxsize=64)
def _read(path: str, size: int, mtime_ns: int) -> dict[str, str]:
    try:
        data = parse_data(Path(path))
    except (ReadError, OSError, UnicodeDecodeError):
        return {}
    if isinstance(data, list):  # go-i18n's first form: `- id: example` / `  translation: "Example"`
        data = {entry["id"]: entry.get("translation") for entry in data
                if isinstance(entry, dict) and isinstance(entry.get("id"), str)}
    if not isinstance(data, dict):
        return {}
    return {str(key): text for key, value in data.items() if (text := _text(value)) is not None}


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    forms = lowered(value) if isinstance(value, dict) else {}
    text = forms.get("other", forms.get("one"))
    return text if isinstance(text, str) else None
