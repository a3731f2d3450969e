"""Emphasis with `*` where Python-Markdown (Pelican's) reads it but cmark does not.

Python-Markdown's `*` runs open emphasis when no space follows them and close it when no
space comes before them. cmark asks more: a run between a letter and punctuation does not
open (`20*-ti*`, `加**-dsaparam**参数`), one between punctuation and a letter does not close
(`*No calls.*x`), nor does one starting a line after a hard line break (unless punctuation
follows it: it opens then in both). Such a run is given a mark on the side of its
punctuation (before it, after a break), a character cmark reads as a letter, taken out of
the HTML afterwards (finish): cmark then opens or closes there too. Link addresses (a
reference's definition's too) and tags are left as they are (Python-Markdown reads them
first), and so is a backslash-escaped `*`. A definition's label is marked as the links to
it are (readers.pelican_markdown), or cmark would not match them.

A `****` run between two characters closes a `**` left open before it and opens another
(`**Lead****text**`, pasted from two bold spans): Python-Markdown lets a run of 3 or more
with no space on either side close whatever is open, where cmark's rule of 3 (2 + 4) keeps
it text. Its halves are set apart by SPLIT, a space to cmark on either side, taken out of
the HTML with the marks. One pass over the text.

A `_` run beside a symbol or a mark (an emoji, `→`, `©`: neither a word character nor
punctuation nor a space) opens or closes emphasis to Python-Markdown, whose rule is that no
word character stands outside the run (`⚠️__Note__:`, `__done__→`); cmark reads such a
character as a letter and leaves the run text. PUNCTUATION, a character cmark reads as
punctuation, is put between the two (with a MARK on its far side, so that only what was put
there is taken out of the HTML afterwards).
"""

from __future__ import annotations

import re
import unicodedata

MARK = "\ue002"
PUNCTUATION = "\u2e31"  # beside a `_` run next to a symbol: cmark then opens or closes there
_BEFORE_RUN, _AFTER_RUN = MARK + PUNCTUATION, PUNCTUATION + MARK
SPLIT = "\u205f" + MARK + "\u205f"  # between a `****` run's halves: cmark closes before it, opens after
# What is skipped: a link's address (a definition's too), a tag (or autolink), a backslash
# and what it escapes.
_SKIPPED = re.compile(r"\]\([^()\n]*\)|\]:[ \t]*\S+|<[A-Za-z/!?][^<>\n]*>|\\.", re.DOTALL)
_STARS = re.compile(r"\*+")
_UNDERSCORES = re.compile(r"_+")
# A `_` with a character beside it that may be a symbol (non-ASCII, neither a word character
# nor a space): _kind tells. Written to start with the `_`, which the search looks for first.
SYMBOL_UNDERSCORES = re.compile(r"_(?:(?<=[^\w\s\x00-\x7f]_)|(?=[^\w\s\x00-\x7f]))")


def _kind(char: str) -> str:
    """How cmark sees a character beside a run: "space" (or the text's edge), "punct", "other"."""
    if not char or char.isspace():
        return "space"
    if char.isascii():
        return "other" if char.isalnum() else "punct"
    return "punct" if unicodedata.category(char).startswith("P") else "other"


def marked(text: str) -> str:
    """text with a mark beside each `*` run that Python-Markdown lets open or close but
    cmark would not, and PUNCTUATION between a `_` run and a symbol beside it."""
    if SYMBOL_UNDERSCORES.search(text):
        text = _underscores_marked(text)
    if "*" not in text:
        return text
    out, position = [], 0
    strong_open = False  # whether a `**` run opened and has not been closed yet
    for piece_start, piece_end in _free_pieces(text):
        for run in _STARS.finditer(text, piece_start, piece_end):
            before = _kind(text[run.start() - 1] if run.start() else "")
            after = _kind(text[run.end()] if run.end() < len(text) else "")
            length = run.end() - run.start()
            if length == 4 and strong_open and "space" not in (before, after):  # closes, then opens
                out += [text[position:run.start() + 2], SPLIT]
                position = run.start() + 2
                continue
            strong_open = _strong_open(length, before, after, strong_open)
            if before == "other" and after == "punct":  # opens in Python-Markdown only
                out += [text[position:run.end()], MARK]
                position = run.end()
            elif (before == "punct" and after == "other") or (
                    after != "punct" and _after_break(text, run.start())):  # closes in Python-Markdown only
                out += [text[position:run.start()], MARK]
                position = run.start()
    return "".join(out) + text[position:]


def _symbol(char: str) -> bool:
    """Whether Python-Markdown reads char as no word character where cmark reads it as one."""
    return _kind(char) == "other" and not char.isascii() and not char.isalnum()


def _underscores_marked(text: str) -> str:
    """text with PUNCTUATION between each `_` run outside addresses and tags and a symbol
    before it (when no space follows the run) or after it (when no space comes before)."""
    out, position = [], 0
    for piece_start, piece_end in _free_pieces(text):
        for run in _UNDERSCORES.finditer(text, piece_start, piece_end):
            before = text[run.start() - 1] if run.start() else ""
            after = text[run.end()] if run.end() < len(text) else ""
            if _symbol(before) and after and not after.isspace():
                out += [text[position:run.start()], _BEFORE_RUN]
                position = run.start()
            if _symbol(after) and before and not before.isspace():
                out += [text[position:run.end()], _AFTER_RUN]
                position = run.end()
    return "".join(out) + text[position:]


def _strong_open(length: int, before: str, after: str, was_open: bool) -> bool:
    """Whether a `**` is left open after a run of length stars with those characters beside it
    (_kind): a `**` closes an open one when no space comes before it, else opens one when no
    space follows it; a single `*` leaves things as they are; a longer run is taken to pair
    with whatever is open."""
    if length == 1:
        return was_open
    if length != 2:
        return False
    if was_open and before != "space":
        return False
    return was_open or after != "space"


def _after_break(text: str, start: int) -> bool:
    """Whether a run at start begins a line after a hard line break (two spaces ending the
    line before): Python-Markdown makes the break first, and a run after it, not after a
    space then, closes emphasis even with a space or a letter after it (`**Step 2  ` then
    `**`), where cmark's, after the line's end, could only open."""
    if not (start >= 3 and text[start - 1] == "\n" and text[start - 3:start - 1] == "  "):
        return False
    end = text.find("\n", start)
    line = text[start:end if end >= 0 else len(text)]
    return not (line.count("*") >= 3 and not line.strip("* \t"))  # `***`: a rule in both


def _free_pieces(text: str) -> list[tuple[int, int]]:
    """The stretches of text outside link addresses, tags and escapes."""
    pieces, position = [], 0
    for skipped in _SKIPPED.finditer(text):
        pieces.append((position, skipped.start()))
        position = skipped.end()
    pieces.append((position, len(text)))
    return pieces


def finish(html: str) -> str:
    if MARK not in html:
        return html
    html = html.replace(_BEFORE_RUN, "").replace(_AFTER_RUN, "") if PUNCTUATION in html else html
    return html.replace(SPLIT, "").replace(MARK, "")
