"""The templates a site's pages are written with, besides its configuration: a Jekyll site's
`_includes/` (the Liquid include tag), a Hugo site's shortcode templates, render hooks
(`layouts/_default/_markup/`) and translations (`i18n/`), its themes' too. Their stamp
(paths, sizes, modification times, inodes) is part of the site's fingerprint: a template
edited makes the scan read every page again, as a configuration change does, where only a
restart showed it before. Bounded: the first MAX_FILES files, in name order, inside the
content folder (what the readers would never read is not stat'ed either).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .hugo_config import mounted, theme_names

if TYPE_CHECKING:
    from .site import Site

MAX_FILES = 1_000
HUGO_TEMPLATES = ("shortcodes", "_default/_markup")  # within a layouts folder


def template_folders(site: Site) -> list[Path]:
    """The folders whose files the site's pages are written with."""
    if site.kind == "jekyll":
        return [site.root / "_includes"]
    if site.kind != "hugo":
        return []
    themes = [site.root / "themes" / theme for theme in theme_names(site.data)]
    layouts = [site.root / folder for folder in mounted(site.data, "layouts") or ["layouts"]]
    layouts += [theme / "layouts" for theme in themes]
    return ([folder / part for folder in layouts for part in HUGO_TEMPLATES]
            + [site.root / "i18n"] + [theme / "i18n" for theme in themes])


def template_stamp(site: Site) -> str:
    """A digest of the template files' stamps ("" when there are none)."""
    top = os.path.realpath(site.content_dir)
    stamps = []
    for path in _files(template_folders(site), top):
        try:
            stat = os.stat(path)
        except OSError:
            continue
        stamps.append((os.path.relpath(path, top), stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return hashlib.sha256(json.dumps(stamps).encode()).hexdigest()[:16] if stamps else ""


def _files(folders: list[Path], top: str) -> list[str]:
    """The real paths of the files in folders (and theirs), inside top, at most MAX_FILES."""
    found: list[str] = []
    for folder in folders:
        root = os.path.realpath(folder)
        if not root.startswith(top + os.sep) or not os.path.isdir(root):
            continue
        for current, subfolders, names in os.walk(root):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            for name in sorted(names):
                path = os.path.realpath(os.path.join(current, name))
                if name.startswith(".") or not path.startswith(top + os.sep):
                    continue
                if len(found) >= MAX_FILES:
                    return found
                found.append(path)
    return found
