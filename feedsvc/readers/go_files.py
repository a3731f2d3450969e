"""Hugo's template functions that read the site's own files: readFile (os.ReadFile) and
fileExists (os.FileExists), relative to the site's folder as Hugo 0.111 reads them, path.Base,
and `highlight` of what they read (a shortcode writing a code file of the site, numbered as
the site numbers its code). A file site_files does not read (outside the content folder, which
feedsvc may read, or over its size limit) is Hugo's to read: Unsupported.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import highlight
from .go_functions import Inner, Safe, Unsupported, as_text
from .site import Site
from .site_files import SiteFileError, inside, read_bytes


@dataclass(frozen=True)
class Code:
    """A string `highlight` was given (a file the template read), to write as the site's
    highlighter writes code (highlighted)."""

    text: str
    language: str
    options: str

    def __str__(self) -> str:  # only a shortcode's own output is written as code (site_shortcodes)
        raise Unsupported("highlight's code passed on to a function")


def _highlight(value: Any, language: Any, options: Any = "") -> Inner | Code:
    """highlight of what the shortcode encloses (written by shortcodes.py) or of a string."""
    if isinstance(value, str) and not isinstance(value, Safe):
        return Code(value, as_text(language), as_text(options))
    if not isinstance(value, Inner) or value.mode not in ("html", "text"):
        raise Unsupported("highlight of a value")
    return Inner("code", as_text(language), as_text(options), value.cuts)


def highlighted(code: Code, site: Site) -> str:
    """What `highlight` of a string writes, numbered as the site numbers its code blocks."""
    options = highlight.with_options(site.highlight, highlight.parse_options(code.options))
    # Chroma ends the last line at its line end: a blank line after it is numbered
    return highlight.code_html(code.text.removesuffix("\n"), code.language, options)


def functions(site: Site) -> dict[str, Callable[..., Any]]:
    """readFile and fileExists of the site's files, path.Base, and highlight (the site's)."""
    def read(name: Any) -> str:
        try:
            return read_bytes(site, as_text(name)).decode("utf-8", "replace")
        except SiteFileError as error:
            raise Unsupported(f"readFile: {error}") from None

    def exists(name: Any) -> bool:
        try:
            return os.path.isfile(inside(site, as_text(name)))
        except SiteFileError as error:
            raise Unsupported(f"fileExists: {error}") from None

    return {"readFile": read, "os.ReadFile": read, "fileExists": exists, "os.FileExists": exists,
            "path.Base": _base, "highlight": _highlight}


def _base(path: Any) -> str:
    """Go's path.Base: the last element, trailing slashes aside; "." for an empty path."""
    text = as_text(path).rstrip("/")
    return posixpath.basename(text) if text else "/" if as_text(path) else "."
