"""Plain-text news articles.

Two header styles: the seed's first line `date YYYY-MM-DD Title`, or a block of
`Key: value` lines ended by a blank line. Then paragraphs separated by blank lines;
a short line with no closing punctuation between two paragraphs is a subheading.
Text is escaped, never interpreted: nothing in it can inject markup.
"""

from __future__ import annotations

import re
from html import escape

from ..errors import ReadError
from ..model import RawArticle
from ..text import check_count, count_matches
from .metadata import split_header_block

SEED_HEADER = re.compile(r"date\s+(\d{4}-\d{2}-\d{2})\s+(\S.*)", re.IGNORECASE)
SUBHEADING_MAX_CHARS = 100
CLOSING_PUNCTUATION = ".!?…:;,"
TRAILING_QUOTES = "\"'”’»)]"
PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v]*\n")
# Each paragraph costs about 0.6 KB to build and clean: 5 MB of one-letter paragraphs took
# 1 GB. At the limit about 30 MB (bench/parse_limits.py); a long essay has a few thousand.
MAX_PARAGRAPH_BREAKS = 50_000
# <, > and & are written as references, each read back by the sanitizer and the summary's
# parser (a Python call each): 5 MB of `<` took 3.4 s. A long essay has a few hundred.
MAX_ESCAPED = 100_000


def _split_header(text: str) -> tuple[dict[str, str], str]:
    """Return the metadata of the header and the remaining body text."""
    first, _, rest = text.partition("\n")
    seed = SEED_HEADER.fullmatch(first.strip())
    if seed:
        return {"date": seed.group(1), "title": seed.group(2).strip()}, rest
    header = split_header_block(text)
    if header is None:
        raise ReadError(
            "no header: the first line must be 'date YYYY-MM-DD Title' "
            "or a block of 'Key: value' lines (Title, Date, ...) ended by a blank line"
        )
    metadata, body, ended = header
    if not ended and body:
        raise ReadError("header block of 'Key: value' lines must end with a blank line")
    return metadata, body


def _paragraphs(body: str) -> list[str]:
    check_count("text", count_matches(PARAGRAPH_BREAK, body), "paragraph breaks", MAX_PARAGRAPH_BREAKS)
    check_count("text", sum(map(body.count, "<>&")), "characters written as references (<, >, &)", MAX_ESCAPED)
    blocks = PARAGRAPH_BREAK.split(body)
    return [block.strip("\n") for block in blocks if block.strip()]


def _is_subheading(paragraph: str) -> bool:
    line = paragraph.strip()
    if "\n" in line or len(line) > SUBHEADING_MAX_CHARS:
        return False
    return not line.rstrip(TRAILING_QUOTES).endswith(tuple(CLOSING_PUNCTUATION))


def paragraphs_to_html(paragraphs: list[str]) -> str:
    parts = []
    last = len(paragraphs) - 1
    for index, paragraph in enumerate(paragraphs):
        tag = "h2" if 0 < index < last and _is_subheading(paragraph) else "p"
        parts.append(f"<{tag}>{escape(paragraph.strip(), quote=False)}</{tag}>")
    return "\n".join(parts)


def read(text: str, path: str) -> RawArticle:
    """Read a plain-text article."""
    metadata, body = _split_header(text.lstrip())
    title = " ".join(metadata.get("title", "").split())
    if not title:
        raise ReadError("no title in the header")
    return RawArticle(path=path, title=title, body_html=paragraphs_to_html(_paragraphs(body)),
                      metadata=metadata)
