"""Readers, one module per format, chosen by file extension.

Every reader takes the file's text and its path relative to the content folder and
returns a RawArticle with raw metadata, or raises ReadError with a reason a person can
act on. read_article decodes the bytes first and normalizes the metadata afterwards.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from charset_normalizer import from_bytes

from ..model import NotAnArticle, RawArticle, ReadError
from ..site_config import Site
from . import html, markdown, rst, templates, text
from .metadata import FIELDS, process_metadata

Reader = Callable[[str, str], RawArticle]

READERS: dict[str, Reader] = {
    ".txt": text.read,
    # Markdown under every name Pelican and Jekyll read it by.
    ".md": markdown.read,
    ".markdown": markdown.read,
    ".mkd": markdown.read,
    ".mkdn": markdown.read,
    ".mdown": markdown.read,
    ".mkdown": markdown.read,
    ".html": html.read,
    ".htm": html.read,
    ".rst": rst.read,  # Pelican's default format
}

# Spec: XML 1.0 §2.2 Char; everything else makes a feed unparseable. DEL, the C1 controls
# and the Unicode noncharacters are allowed there but "discouraged", and the W3C validator
# warns about them (noncharacters make its HTML parser fail); so it does about U+FFFD, the
# mark a decoder leaves for a character it lost, which carries no text of its own.
# One negated class, each astral plane without its last two (noncharacters): an alternation
# of two classes made this regex, run over every text and value read, 25 times slower.
_ASTRAL_PLANES = "".join(f"{chr(plane)}-{chr(plane + 0xFFFD)}" for plane in range(0x10000, 0x110000, 0x10000))
_XML_ILLEGAL = re.compile("[^\u0009\u000a\u000d\u0020-\u007e\u00a0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffc"
                          f"{_ASTRAL_PLANES}]")
_DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Text decoded as cp1252 with more non-ASCII letters than this is not Western European
# (Cyrillic or Greek bytes, say): then trust the detector instead.
MAX_NON_ASCII_LETTERS = 0.3
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """Decode error handler: bytes that are not UTF-8 are read as cp1252."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("feedsvc.cp1252", _cp1252_bytes)


def extension(path: str) -> str:
    dot = path.rfind(".")
    return path[dot:].lower() if dot > path.rfind("/") + 1 else ""


# Jekyll keeps its articles in `_posts`: a folder read, though its name starts with '_'.
ARTICLE_FOLDERS = {"_posts"}


def is_hidden_name(name: str) -> bool:
    """Files and folders named `.x` or `_x` are not published (`_posts` is read)."""
    return name.startswith((".", "_")) and name not in ARTICLE_FOLDERS


def reader_for(path: str) -> Reader | None:
    """Return the reader for a file name, or None when the extension is not supported."""
    return READERS.get(extension(path))


def supported_reader(path: str) -> Reader:
    """Return the reader for a file name; an unsupported extension is NotAnArticle."""
    reader = reader_for(path)
    if reader is None:
        raise NotAnArticle(f"unsupported file type {extension(path) or '(no extension)'}")
    return reader


# In ASCII text only the C0 controls but tab, line feed and carriage return, and DEL, are
# illegal: bytes.translate finds them seven times faster than the regex.
_ASCII_ILLEGAL = bytes(code for code in range(32) if code not in (9, 10, 13)) + b"\x7f"


def strip_illegal_xml(value: str) -> str:
    if value.isascii():
        data = value.encode("ascii")
        kept = data.translate(None, _ASCII_ILLEGAL)
        return value if len(kept) == len(data) else kept.decode("ascii")
    return _XML_ILLEGAL.sub("", value)


def _xml_safe(value: Any) -> Any:
    """Strip characters XML 1.0 forbids from every string of parsed metadata."""
    if isinstance(value, str):
        return strip_illegal_xml(value)
    if isinstance(value, (list, tuple)):
        return [_xml_safe(item) for item in value]
    if isinstance(value, dict):
        return {key: _xml_safe(item) for key, item in value.items()}
    return value


def _looks_western(value: str) -> bool:
    letters = [char for char in value if char.isalpha()]
    foreign = sum(1 for char in letters if not char.isascii())
    return foreign <= MAX_NON_ASCII_LETTERS * len(letters)


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    # Spec: WHATWG Encoding §4.2: pages labelled Latin-1 or ASCII are windows-1252.
    return "cp1252" if name in {"iso8859-1", "ascii"} else name


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 text with a few stray cp1252 bytes pasted in (a common archive accident)."""
    utf8 = sum(len(sequence) for sequence in _UTF8_SEQUENCE.findall(data))
    return utf8 > 0 and utf8 * 2 >= len(_HIGH_BYTE.findall(data))


def _decode_legacy(data: bytes, declared: str | None) -> tuple[str, str]:
    """Decode bytes that are not UTF-8: declared charset, mixed, cp1252, detector, latin-1."""
    if declared:
        try:
            return data.decode(declared), f"{declared} (declared in the file)"
        except UnicodeDecodeError:
            pass
    if _mostly_utf8(data):
        return data.decode("utf-8-sig", errors="feedsvc.cp1252"), "utf-8 with stray cp1252 bytes"
    # Short news texts fool detectors; Western text that decodes cleanly as cp1252 is cp1252
    # (a superset of latin-1's printable characters).
    try:
        value = data.decode("cp1252")
        if _looks_western(value):
            return value, "cp1252"
    except UnicodeDecodeError:
        pass
    guess = from_bytes(data).best()
    if guess is not None:
        return str(guess), guess.encoding
    return data.decode("latin-1"), "latin-1"


def decode(data: bytes, path: str = "") -> tuple[str, list[str]]:
    """Decode article bytes: UTF-8 (with or without BOM), else a detected encoding, reported."""
    warnings: list[str] = []
    if data.startswith(_UTF16_BOMS):
        try:
            value = data.decode("utf-16")
            warnings.append("not UTF-8; decoded as utf-16")
        except UnicodeDecodeError:
            raise ReadError("broken UTF-16: the file starts with a byte order mark") from None
    elif b"\x00" in data:
        raise ReadError("binary file (contains NUL bytes)")
    else:
        try:
            value = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            declared = _declared_charset(data) if extension(path) in {".html", ".htm"} else None
            value, encoding = _decode_legacy(data, declared)
            warnings.append(f"not UTF-8; decoded as {encoding}")
    cleaned = strip_illegal_xml(value)
    if cleaned != value:
        warnings.append("removed characters that XML 1.0 does not allow")
    return cleaned.replace("\r\n", "\n").replace("\r", "\n"), warnings


def _site_topics(raw: dict[str, Any], path: str, site: Site) -> dict[str, Any]:
    """In a site generator's site, topics are what that generator makes of the front matter."""
    if not site.kind:
        return raw
    topics = site.topics({str(key).lower(): value for key, value in raw.items()}, path)
    kept = {key: value for key, value in raw.items() if str(key).lower() not in FIELDS["topics"].sources}
    return {**kept, "topics": topics}


def read_article(path: str, data: bytes, site: Site | None = None) -> RawArticle:
    """Decode and read one file with the reader registered for its extension; site: the
    site generator's configuration, when the content folder is a site."""
    site = site or Site()
    reader = supported_reader(path)
    if not data.strip():
        raise NotAnArticle("empty file")
    value, warnings = decode(data, path)
    if not value.strip():
        raise NotAnArticle("empty file")
    token = templates.current_site.set(site)
    try:
        article = reader(value, path)
    finally:
        templates.current_site.reset(token)
    # Parsed values (YAML escapes, character references) can bring back what decode removed.
    title = " ".join(strip_illegal_xml(article.title).split())
    if not title:
        raise ReadError("no title: the title has no character that XML allows")
    if site.kind == "hugo" and article.metadata.get("headless") is True:
        raise NotAnArticle("not an article: a Hugo headless bundle (headless: true)")
    raw = _site_topics(article.metadata, path, site)
    metadata, metadata_warnings = process_metadata(_xml_safe(raw))
    return replace(
        article,
        title=title,
        metadata=metadata,
        warnings=tuple(warnings) + article.warnings + tuple(metadata_warnings),
    )
