"""Runs of `*` (and a `_` after a digit) kramdown reads otherwise than cmark, rewritten for
cmark (see kramdown.py)."""

from __future__ import annotations

import re

from .kramdown_code_spans import NOT_A_BLOCK
from .markdown_code import BLANK_LINE, is_escaped

# The first half of a run of exactly four `*` between two characters that are neither white
# space nor `*` (`**a****b**`, `**<!--anchor-->****Title:**`).
_JOINED_STRONG = re.compile(r"(?<=[^\s*])\*\*(?=\*\*[^\s*])")


def joined_strongs(text: str) -> str:
    """`**a****b**` is two strong elements to kramdown, the first closed and the next opened
    at once; cmark reads the four stars as one run, which can neither close after
    punctuation nor open before a letter, and shows them. Where a strong is open before the
    run in its line, an empty processing instruction (which feeds leave out) parts its halves."""
    return "".join(_parted(line) if "****" in line else line for line in text.splitlines(keepends=True))


def _parted(line: str) -> str:
    pieces, position, pairs = [], 0, 0  # the `**` before each run counted once: linear in the line
    for found in _JOINED_STRONG.finditer(line):
        pairs += line.count("**", position, found.start())
        pieces += [line[position:found.start()], "**" + NOT_A_BLOCK if pairs % 2 else "**"]
        position = found.end()
        pairs += 1  # the half written
    return "".join(pieces) + line[position:]


# An emphasis inside an emphasis, which kramdown does not make (see readers.kramdown).
#
# kramdown opens no emphasis while one is open: inside `*...*`, a `*` that could open one (white
# space before it, none after) is text, and the next `*` after a character that is not white
# space closes the first (`*[A reading of *[The Book](a)*. More.]*` is an emphasis up to `)*`,
# the `*` before `[The` and the last one shown). cmark nests the two, and pairs the last `*`
# with the first. Such a `*` is escaped, for cmark to read the same.

# A link's or image's destination, where a `*` is part of an address. Possessive.
_DESTINATION = re.compile(r"\]\([^()\s]*+")
MAX_STARS = 2_000  # in a piece of prose looked at: past them, it is left to cmark


def nested_stars_escaped(text: str) -> str:
    """text with each `*` that would open an emphasis inside an open one escaped (see above);
    text holds no code spans or HTML (a piece of prose between them). Its stars are found with
    str.find: a pattern's search for them takes a hundred times as long over a long text."""
    if not 3 <= text.count("*") <= MAX_STARS or (" *" not in text and "\n*" not in text and "\t*" not in text):
        return text
    blocks: list[list[int]] = [[]]  # the lone stars of each block, by where they are
    position, previous = text.find("*"), 0
    while position >= 0:
        end = position + 1
        while end < len(text) and text[end] == "*":
            end += 1
        if end - position == 1 and not is_escaped(text, position):
            if blocks[-1] and BLANK_LINE.search(text, previous, position):
                blocks.append([])
            blocks[-1].append(position)
            previous = position
        position = text.find("*", end)
    hidden = {star for found in _DESTINATION.finditer(text) if "*" in found.group(0)
              for star in range(found.start(), found.end()) if text[star] == "*"} if "](" in text else set()
    escaped = [star for stars in blocks for star in _nested(text, [s for s in stars if s not in hidden])]
    pieces, position = [], 0
    for star in escaped:
        pieces += [text[position:star], "\\"]
        position = star
    return "".join(pieces) + text[position:]


def _nested(text: str, stars: list[int]) -> list[int]:
    """Of a block's lone stars, those that would open an emphasis inside an open one."""
    closers_after, found = [False] * len(stars), False  # whether a later star can close one
    for number in range(len(stars) - 1, -1, -1):
        closers_after[number] = found
        found = found or stars[number] > 0 and not text[stars[number] - 1].isspace()
    nested, open_at = [], -1
    for number, star in enumerate(stars):
        before_space = star == 0 or text[star - 1].isspace()
        after_space = star + 1 == len(text) or text[star + 1].isspace()
        if open_at >= 0:
            if not before_space:
                open_at = -1  # the emphasis closes
            elif not after_space:
                nested.append(star)  # no emphasis in an emphasis: text
        elif not after_space and closers_after[number]:
            open_at = star
    return nested


# A `_` or `__` after a digit, before a character that is not white space (`1604_10.0-1_[a]`):
# kramdown opens an emphasis there (it refuses one only after a letter or a hyphen) when a run
# as long closes it further on in its paragraph (no white space before it, no letter or digit
# after, and for `_` no lone `_` after), and none is open; cmark opens none between a digit
# and a letter or digit. An empty processing instruction (which feeds leave out) before the
# run lets cmark open it. Tags and link destinations are passed over whole. Possessive: one pass.
_DIGIT_UNDERSCORE = re.compile(r"(<[^<>\n]*+>|\]\([^()\s]*+)|(?<=\d)(__?)(?=[^\s_])")
_UNDERSCORE_CLOSERS = {"_": re.compile(r"(?<=\S)_(?![^\W_]|_(?!_))"), "__": re.compile(r"(?<=\S)__(?![^\W_])")}
_DIGIT_THEN_UNDERSCORE = re.compile(r"\d_")
MAX_AFTER = 2_000  # characters after such a run its closer is looked for in
MAX_DIGIT_UNDERSCORES = 1_000  # in a text looked at: past them, they are left to cmark


def has_digit_underscore(text: str) -> bool:
    return "_" in text and _DIGIT_THEN_UNDERSCORE.search(text) is not None


def digit_underscores(text: str) -> str:
    """text with each such run that kramdown opens an emphasis at made to open one for cmark."""
    if not has_digit_underscore(text):  # the pattern's alternation is looked for at each character
        return text
    pieces, position, open_until, looked = [], 0, 0, 0  # open_until: where the last one opened ends
    for found in _DIGIT_UNDERSCORE.finditer(text):
        if looked >= MAX_DIGIT_UNDERSCORES:
            break
        if found.group(1) or found.start() < open_until or is_escaped(text, found.start()):
            continue
        looked += 1
        limit = min(found.end() + MAX_AFTER, len(text))
        paragraph_end = BLANK_LINE.search(text, found.end(), limit)
        run = found.group(2)
        closer = _UNDERSCORE_CLOSERS[run].search(text, found.end() + 1, paragraph_end.start() if paragraph_end else limit)
        if closer is not None:
            pieces += [text[position:found.start()], NOT_A_BLOCK]
            position, open_until = found.start(), closer.end()
    return "".join(pieces) + text[position:] if pieces else text
