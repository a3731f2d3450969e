"""Files a site's content names by path (Hugo's readFile, Pelican's `{% include_code %}`),
read only when they are inside feedsvc's content folder and at most MAX_FILE_BYTES long: a
path such as `../../etc/passwd`, `/etc/passwd` or a link leading out is refused.
"""

from __future__ import annotations

import os
from pathlib import Path

from .site import Site

MAX_FILE_BYTES = 256 * 1024


class SiteFileError(ValueError):
    """A named file that is not read: outside the content folder, missing or too long."""


def inside(site: Site, relative: str, under: Path | None = None) -> str:
    """The real path of a file named relative to `under` (the site's root by default), when it
    is inside the content folder."""
    if not relative or "\x00" in relative:
        raise SiteFileError(f"file {relative!r}")
    top = os.path.realpath(site.content_dir)
    real = os.path.realpath(os.path.join(under or site.root, relative.lstrip("/")))
    if not real.startswith(top + os.sep):
        raise SiteFileError(f"file outside the content folder {relative!r}")
    return real


def read_bytes(site: Site, relative: str, under: Path | None = None) -> bytes:
    """The file's bytes (see inside)."""
    try:
        with open(inside(site, relative, under), "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        raise SiteFileError(f"file {relative!r} cannot be read") from None
    if len(data) > MAX_FILE_BYTES:
        raise SiteFileError(f"file {relative!r} is over {MAX_FILE_BYTES:,} bytes")
    return data
