"""Jekyll's `site.data`: the files of a site's `_data/` folder, each under its name
(`_data/releases.yml` is `site.data.releases`, `_data/team/leads.json` is
`site.data.team.leads`), for the Liquid in its posts. YAML and JSON are read (CSV and TSV
files are not); a file that cannot be read is left out, as are links leading outside the
folder. Bounded: MAX_FILES files of at most MAX_FILE_BYTES each, MAX_TOTAL_BYTES together
(a site's release notes may keep hundreds of small files there). The files' stamp (names,
sizes, modification times) is part of the site's fingerprint: a data file edited makes the
scan read the posts again, as a configuration change does."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ReadError
from .config_files import files_stamp, folder_files
from .front_matter import load_yaml

MAX_FILES = 1000
MAX_FILE_BYTES = 1024 * 1024
MAX_TOTAL_BYTES = 32 * 1024 * 1024  # past it, the rest of the files are left out
TYPES = (".yml", ".yaml", ".json")


@lru_cache(maxsize=8)
def cached_data(folder: Path, _fingerprint: str) -> dict[str, Any]:
    """load_data once a scan: the site's fingerprint counts the data files (a change makes it new)."""
    return load_data(folder)


def load_data(folder: Path) -> dict[str, Any]:
    """`site.data` from folder (empty when there is none)."""
    data: dict[str, Any] = {}
    left = MAX_TOTAL_BYTES
    for relative, name, path in _data_files(folder):
        stem, suffix = os.path.splitext(name)
        value, size = _read(Path(path), suffix.lower(), left)
        left -= size
        if value is not None:
            _place(data, relative, stem, value)
    return data


def data_stamp(folder: Path) -> str:
    """What changes when a file load_data reads does (names, sizes, modification times and
    inodes; "" when there are none)."""
    return files_stamp(((relative, name), path) for relative, name, path in _data_files(folder))


def _data_files(folder: Path) -> Iterator[tuple[str, str, str]]:
    """(folder relative to folder, name, real path) of the data files, in order, at most
    MAX_FILES; none when folder is not a folder."""
    return folder_files(folder, MAX_FILES, suffixes=TYPES)


def _read(path: Path, suffix: str, left: int) -> tuple[Any, int]:
    """The file's value (None when it cannot be read, or is over the bounds) and its size read."""
    try:
        if path.stat().st_size > min(MAX_FILE_BYTES, left):
            return None, 0
        text = path.read_text(encoding="utf-8-sig")
        return (json.loads(text) if suffix == ".json" else load_yaml(text, path.name)), len(text)
    except (OSError, UnicodeDecodeError, ValueError, ReadError):
        return None, 0


def _place(data: dict[str, Any], relative: str, stem: str, value: Any) -> None:
    target = data
    for part in [] if relative == "." else relative.split(os.sep):
        target = target.setdefault(part, {}) if isinstance(target.get(part, {}), dict) else {}
    target[stem] = value
