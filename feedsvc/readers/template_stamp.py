"""The templates a site's pages are written with, besides its configuration: a Jekyll site's
`_includes/` (the Liquid include tag), a Hugo site's shortcode templates, render hooks
(`layouts/_default/_markup/`) and translations (`i18n/`), its themes' too. Their stamp
(paths, sizes, modification times, inodes) is part of the site's fingerprint: a template
edited makes the scan read every page again, as a configuration change does, where only a
restart showed it before. Bounded: the first MAX_FILES files, in name order, inside the
content folder (what the readers would never read is not stat'ed either).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .config_files import files_stamp, folder_files
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
    return files_stamp(((os.path.relpath(path, top),), path) for path in _files(template_folders(site), top))


def _files(folders: list[Path], top: str) -> list[str]:
    """The real paths of the files in folders (and theirs), inside top, at most MAX_FILES."""
    found: list[str] = []
    for folder in folders:
        found += [path for _relative, _name, path in folder_files(folder, MAX_FILES - len(found), inside=top)]
    return found
