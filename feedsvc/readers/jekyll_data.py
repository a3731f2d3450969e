"""Jekyll's `site.data`: the files of a site's `_data/` folder, each under its name
(`_data/releases.yml` is `site.data.releases`, `_data/team/leads.json` is
`site.data.team.leads`), for the Liquid in its posts. YAML and JSON are read (CSV and TSV
files are not); a file that cannot be read is left out, as are links leading outside the
folder. Bounded: MAX_FILES files of at most MAX_FILE_BYTES each."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..errors import ReadError
from .front_matter import load_yaml

MAX_FILES = 200
MAX_FILE_BYTES = 1024 * 1024
TYPES = (".yml", ".yaml", ".json")


def load_data(folder: Path) -> dict[str, Any]:
    """`site.data` from folder (empty when there is none)."""
    root = os.path.realpath(folder)
    data: dict[str, Any] = {}
    if not os.path.isdir(root):
        return data
    files = 0
    for current, folders, names in os.walk(root):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(names):
            path = os.path.realpath(os.path.join(current, name))
            stem, suffix = os.path.splitext(name)
            if suffix.lower() not in TYPES or not path.startswith(root + os.sep) or files >= MAX_FILES:
                continue
            files += 1
            value = _read(Path(path), suffix.lower())
            if value is not None:
                _place(data, os.path.relpath(current, root), stem, value)
    return data


def _read(path: Path, suffix: str) -> Any:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        text = path.read_text(encoding="utf-8-sig")
        return json.loads(text) if suffix == ".json" else load_yaml(text, path.name)
    except (OSError, UnicodeDecodeError, ValueError, ReadError):
        return None


def _place(data: dict[str, Any], relative: str, stem: str, value: Any) -> None:
    target = data
    for part in [] if relative == "." else relative.split(os.sep):
        target = target.setdefault(part, {}) if isinstance(target.get(part, {}), dict) else {}
    target[stem] = value
