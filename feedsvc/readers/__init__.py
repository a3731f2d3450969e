"""Readers, one module per format, chosen by file extension.

Every reader takes the file's text and its path relative to the content folder and
returns a RawArticle, or raises ReadError with a reason a person can act on.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from charset_normalizer import from_bytes

from ..model import RawArticle, ReadError
from . import markdown, text

Reader = Callable[[str, str], RawArticle]

READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".md": markdown.read,
    ".markdown": markdown.read,
}

# Spec: XML 1.0 §2.2 Char; everything else makes a feed unparseable.
_XML_ILLEGAL = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def reader_for(path: str) -> Reader | None:
    """Return the reader for a file name, or None when the extension is not supported."""
    dot = path.rfind(".")
    return READERS.get(path[dot:].lower()) if dot > path.rfind("/") else None


def strip_illegal_xml(value: str) -> str:
    return _XML_ILLEGAL.sub("", value)


def decode(data: bytes) -> tuple[str, list[str]]:
    """Decode article bytes: UTF-8 (with or without BOM), else the detected encoding."""
    warnings: list[str] = []
    if b"\x00" in data:
        raise ReadError("binary file (contains NUL bytes)")
    try:
        value = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        guess = from_bytes(data).best()
        encoding = guess.encoding if guess is not None else "cp1252"
        value = data.decode(encoding, errors="replace")
        warnings.append(f"not UTF-8; decoded as {encoding}")
    cleaned = strip_illegal_xml(value)
    if cleaned != value:
        warnings.append("removed characters that XML 1.0 does not allow")
    return cleaned.replace("\r\n", "\n").replace("\r", "\n"), warnings


def read_article(path: str, data: bytes) -> RawArticle:
    """Decode and read one file with the reader registered for its extension."""
    reader = reader_for(path)
    if reader is None:
        raise ReadError("unsupported file type")
    value, warnings = decode(data)
    if not value.strip():
        raise ReadError("empty file")
    article = reader(value, path)
    if warnings:
        article = RawArticle(
            article.path, article.title, article.body_html, article.metadata,
            tuple(warnings) + article.warnings,
        )
    return article
