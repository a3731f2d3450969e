"""Hugo's term titles: a term's own page, content/<taxonomy>/<term>/_index.md (or
_index.<language>.md), may give the term a title, and Hugo names the term by it wherever
it lists it, its feeds included: tag `shortcodes` shows as "Códigos curtos" on the pages
of a site's Portuguese language when content/tags/shortcodes/_index.pt-br.md says so.

Read when the site is loaded, once a scan: a listing of each taxonomy's folder and the
front matter of its terms' _index files, at most MAX_TERMS of them, each at most
MAX_INDEX_BYTES, none outside the content folder. The titles are part of the site's
fingerprint, so a changed title makes the scan read every page again.
"""

from __future__ import annotations

import os
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..encodings import decode
from ..errors import ReadError
from .front_matter import split
from .hugo_config import Language, language_of
from .metadata import ensure_list

MAX_TERMS = 10_000
MAX_INDEX_BYTES = 64 * 1024
INDEX_TYPES = (".md", ".mdown", ".markdown", ".html", ".htm")
# (language code, taxonomy as the front matter names it, the term's key: term_key) -> its title
TermTitles = dict[tuple[str, str, str], str]


def _folders(content_dir: Path, content_prefix: str, languages: tuple[Language, ...]) -> set[tuple[str, str]]:
    """(content prefix, taxonomy) pairs whose folder may hold term pages."""
    prefixes = {content_prefix} | {language.content_prefix for language in languages if language.content_prefix}
    taxonomies = {key for language in languages for key in language.topic_keys}
    return {(prefix, taxonomy) for prefix in prefixes for taxonomy in taxonomies}


def _entries(folder: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as found:
            return sorted(found, key=lambda entry: entry.name)
    except OSError:
        return []


def index_front_matter(path: str, top: str) -> dict[str, Any]:
    """The front matter of a list page (a term's or a section's _index file), {} when it
    has none or cannot be read, or is outside the folder top or over MAX_INDEX_BYTES."""
    metadata = _front_matter(path, top)
    return {} if metadata is None else metadata


def _front_matter(path: str, top: str) -> dict[str, Any] | None:
    """index_front_matter, None when the file cannot be read (or is not to be)."""
    real = os.path.realpath(path)
    if not real.startswith(top + os.sep):
        return None
    try:
        with open(real, "rb") as handle:
            data = handle.read(MAX_INDEX_BYTES + 1)
        if len(data) > MAX_INDEX_BYTES:
            return None
        text, _warnings = decode(data, path)  # as a page is read: line ends `\r\n` made `\n`
        metadata, _body, _kind = split(text, headers=False, hugo=True)
    except (OSError, ReadError):
        return None
    return metadata


def _title(path: str, top: str) -> str | None:
    """The title a term page's front matter gives: "" when it gives none, as Hugo 0.111
    names such a term (a page of front matter without a title, or of text alone, names
    its term "", which no listing shows); None when the page cannot be read."""
    metadata = _front_matter(path, top)
    if metadata is None:
        return None
    title = metadata.get("title", "")
    return " ".join(title.split()) if isinstance(title, str) else None


def term_titles(content_dir: Path, content_prefix: str, languages: tuple[Language, ...]) -> TermTitles:
    """Every term title the site's term pages give, by language, taxonomy and term slug."""
    titles: TermTitles = {}
    top = os.path.realpath(content_dir)
    read = 0
    for prefix, taxonomy in sorted(_folders(content_dir, content_prefix, languages)):
        for term in _entries(os.path.join(content_dir, prefix, taxonomy)):
            if not term.is_dir(follow_symlinks=False):
                continue
            for page in _entries(term.path):
                if not (page.name.startswith("_index.") and page.name.lower().endswith(INDEX_TYPES)):
                    continue
                read += 1
                if read > MAX_TERMS:
                    return titles
                title = _title(page.path, top)
                language = language_of(f"{prefix}{taxonomy}/{term.name}/{page.name}", languages)
                if title is not None:
                    titles[(language.code, taxonomy, term.name.lower())] = title
    return titles



def term_key(name: str, remove_accents: bool) -> str:
    """The folder name of a term's page as Hugo 0.111 matches it to a term: the term as its
    paths.Sanitize writes it (letters, digits, marks and `._#+~-/\\` kept, a run of spaces
    or a '-' after kept text made one '-', the rest left out), without its accents when the
    site sets removePathAccents, lowercased. A page's folder is only lowercased: `o'brien/`
    names no term (the term "O'Brien" is `obrien`), nor `zoë-brand/` with accents removed."""
    kept: list[str] = []
    hyphen = False
    for char in name:
        if char in "._#+~-/\\" or unicodedata.category(char)[0] in "LM" or unicodedata.category(char) == "Nd":
            kept.append("-" if hyphen else "")
            kept.append(char)
            hyphen = False
        elif kept and (char == "-" or char.isspace()):
            hyphen = True
    key = "".join(kept)
    if remove_accents:
        key = unicodedata.normalize("NFC", "".join(
            char for char in unicodedata.normalize("NFD", key) if unicodedata.category(char) != "Mn"))
    return key.lower()


def as_listed(value: Any) -> list[str]:
    """A page's terms (one taxonomy's front matter value) as Hugo 0.111 lists them: a YAML
    number as Go writes it (`2.0` is "2", `2.5` "2.5"), a term whose name ends in a dot
    (`named arguments.`) left out, and a text one term, commas and all (`categories:
    "Windows, Tools"` is the term "Windows, Tools"). A list or mapping in the list names no
    term (`- - Go`, written for another tool: Hugo's cast makes it "", which it lists nowhere)."""
    if value is None or isinstance(value, bool):
        return []
    written = [_go_number(item) for item in (value if isinstance(value, list) else [value])
               if not isinstance(item, (list, dict))]
    return [term for term in ensure_list(written) if not term.endswith(".")]


def _go_number(value: Any) -> Any:
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return format(Decimal(repr(value)).normalize(), "f")
    return value
