"""Bytes to text, and text XML can carry: decoding article files, stripping what XML 1.0 forbids.

Imports nothing of the pipeline: readers, normalize and the web layer all use it.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from charset_normalizer import from_bytes

from .errors import ReadError
from .text import extension

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

# In ASCII text only the C0 controls but tab, line feed and carriage return, and DEL, are
# illegal: bytes.translate finds them seven times faster than the regex.
_ASCII_ILLEGAL = bytes(code for code in range(32) if code not in (9, 10, 13)) + b"\x7f"
# Each of them as a space: translating with a table alone (deleting nothing) takes half as
# long, and changes nothing in the usual text, which has none of them.
_ILLEGAL_AS_SPACE = bytes(32 if code in _ASCII_ILLEGAL else code for code in range(256))
# Those that separate words (vertical tab, form feed, the information separators U+001C to
# U+001F and NEL, white space to Python as to the tools' output read as text) become a space:
# removed, they glued the words on either side together ("word\x0bword"). The others go.
SEPARATORS = "\x0b\x0c\x1c\x1d\x1e\x1f\x85"
_ASCII_SEPARATORS_AS_SPACE = bytes(32 if chr(code) in SEPARATORS else code for code in range(256))
_ASCII_ILLEGAL_BUT_SEPARATORS = bytes(code for code in _ASCII_ILLEGAL if chr(code) not in SEPARATORS)


def _replacement(illegal: re.Match[str]) -> str:
    return " " if illegal.group() in SEPARATORS else ""


def strip_illegal_xml(value: str) -> str:
    """The value without the characters XML 1.0 forbids (and those it discourages), those
    that separate words as spaces."""
    if value.isascii():
        if value.isprintable():  # the usual metadata value: nothing to remove, no copy made
            return value
        data = value.encode("ascii")
        if data.translate(_ILLEGAL_AS_SPACE) == data:
            return value
        return data.translate(_ASCII_SEPARATORS_AS_SPACE, _ASCII_ILLEGAL_BUT_SEPARATORS).decode("ascii")
    return _XML_ILLEGAL.sub(_replacement, value)


def xml_safe(value: Any) -> Any:
    """Strip characters XML 1.0 forbids from every string of parsed metadata."""
    if isinstance(value, str):
        return strip_illegal_xml(value)
    if isinstance(value, (list, tuple)):
        return [xml_safe(item) for item in value]
    if isinstance(value, dict):
        return {key: xml_safe(item) for key, item in value.items()}
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


# A character of U+00A0 to U+00FF encoded as UTF-8 twice (its two bytes read as Latin-1 and
# encoded again): "Ã©" for "é", "Â´" for "´", as pages a CMS re-encoded hold (the W3C feed
# validator flags them). No text means "Â" or "Ã" before such a sign; "ß»", a German word
# and its quote, would look like a longer sequence and is not touched.
_TWICE_ENCODED = re.compile("\u00c2[\u00a0-\u00bf]|\u00c3[\u0080-\u00bf]")


def repair_twice_encoded(text: str) -> tuple[str, int]:
    """The text with each character encoded twice as UTF-8 decoded once more; how many."""
    if "\u00c2" not in text and "\u00c3" not in text:
        return text, 0
    repaired, count = _TWICE_ENCODED.subn(lambda match: match.group().encode("latin-1").decode("utf-8"), text)
    return repaired, count


# A saved page may hold a few stray NUL bytes (a real one: 22 after an image tag). A browser
# shows it as if they were not there (HTML's tree construction ignores a U+0000 in the body),
# so they are removed; more than one in BYTES_PER_STRAY_NUL bytes marks a binary file.
BYTES_PER_STRAY_NUL = 1_000


def _stray_nuls_in_page(data: bytes, path: str) -> bool:
    return extension(path) in {".html", ".htm"} and data.count(0) * BYTES_PER_STRAY_NUL <= len(data)


def decode(data: bytes, path: str = "") -> tuple[str, list[str]]:
    """Decode article bytes: UTF-8 (with or without BOM), else a detected encoding, reported."""
    warnings: list[str] = []
    if data.startswith(_UTF16_BOMS):
        try:
            value = data.decode("utf-16")
            warnings.append("not UTF-8; decoded as utf-16")
        except UnicodeDecodeError:
            raise ReadError("broken UTF-16: the file starts with a byte order mark") from None
    elif b"\x00" in data and not _stray_nuls_in_page(data, path):
        raise ReadError("binary file (contains NUL bytes)")
    else:
        if b"\x00" in data:
            warnings.append(f"removed {data.count(0):,} NUL bytes (an HTML parser ignores them)")
            data = data.replace(b"\x00", b"")
        try:
            # What "utf-8-sig" does, without its codec's Python wrapper: a leading BOM dropped.
            value = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            declared = _declared_charset(data) if extension(path) in {".html", ".htm"} else None
            value, encoding = _decode_legacy(data, declared)
            warnings.append(f"not UTF-8; decoded as {encoding}")
    value, repaired = repair_twice_encoded(value)
    if repaired:
        warnings.append(f"repaired {repaired} characters encoded twice (UTF-8 read as Latin-1: 'Ã©' for 'é')")
    cleaned = strip_illegal_xml(value)
    if cleaned != value:
        warnings.append("removed characters that XML 1.0 does not allow")
    if "\r" in cleaned:
        cleaned = cleaned.replace("\r\n", "\n").replace("\r", "\n")
    return cleaned, warnings
