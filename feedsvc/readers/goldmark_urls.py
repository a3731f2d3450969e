"""Bare URLs as Goldmark's linkify finds them, and the source's URLs rewritten before cmark
so that cmark reads them as Goldmark does (readers.goldmark makes the links after cmark)."""

from __future__ import annotations

import re

from .markdown_code import inside_quotes, outside_code

# A bare URL or e-mail address as Goldmark's linkify takes it (ASCII only), where a word may start.
URL = re.compile(r"(?<![^\s*_~(])(?:(?:(?:https?|ftp)://|www\.)[A-Za-z0-9][!#-;=?-~]*"
                 r"|[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+)")
# The e-mail part is bounded as addresses are (64 before the @, 63 a label): unbounded, a run of
# `a_a_a_...` was scanned again from each `_` where a word may start.
_TRAILING = "?!.,:*_~'\""  # punctuation after a URL, not in it
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>&]*+&[^\s<>]*+>")  # one holding a `&`
_BRACKET = re.compile(r"[][](?<!\\[][])")  # a link text's bracket, not escaped (tested after: faster)


def url_of(found: str, after: str = "") -> str:
    """A URL as Goldmark 1.5's linkify ends it: a last `.` or character reference (`&quot;`)
    dropped, or, when it ends with `)`, as many characters as it has `)` it does not open;
    then the punctuation at its end. A `)` before other punctuation stays in it (`(https://x/a).`
    links `https://x/a)`). after: the character after it (an ellipsis was three dots)."""
    end, last = len(found), found[-1:]
    entity = found.rfind("&", max(0, end - 10), end) if last == ";" else -1
    if last == "." or after == "…":
        end -= last == "."
    elif last == ")":
        end -= max(0, found.count(")") - found.count("("))
    elif entity >= 0 and found[entity + 1:end - 1].isalpha():
        end = entity
    while end and found[end - 1] in _TRAILING:
        end -= 1
    return found[:end]


def urls_as_goldmark_reads(markdown: str, linkify: bool) -> str:
    """The source's URLs written so that cmark reads them as Goldmark does. Its linkify (on
    with linkify) takes a bare URL whole before it looks for emphasis (`…/__init__.py` is one
    link), where cmark pairs the `__` first and linkify, after cmark, found
    `…/<strong>init</strong>.py`: the URL's underscores are escaped. Goldmark writes a bare
    URL's or an autolink's (`<https://…>`) text as the source has it, a character reference
    too (`?a=1&amp;b=2` reads "&amp;"), where cmark decodes it: each `&` is written `&amp;`
    (not in a link's address, which both decode). Not in code, in lines indented as code, or
    in blocks of HTML (from a line starting `<`)."""
    if ("_" not in markdown and "&" not in markdown) or ("://" not in markdown and "www." not in markdown):
        return markdown
    return outside_code(markdown, lambda prose: _escaped_in_urls(prose, linkify))


def _escaped_in_urls(prose: str, linkify: bool) -> str:
    lines, in_html = prose.split("\n"), False
    for number, line in enumerate(lines):
        stripped, indented = inside_quotes(line)
        in_html = bool(stripped) and (in_html or (stripped[:1] == "<" and not indented))
        if in_html or indented or ("_" not in line and "&" not in line):
            continue
        pieces, position, label = [], 0, _LinkLabels(line)
        for match in URL.finditer(line) if linkify else ():
            if label.open_before(match.start()):
                continue  # linkify takes no URL in a link's text, `[_https://…/_](…)`: `_` pairs there
            address = line[max(0, match.start() - 2):match.start()] == "]("
            url = _address_part(match.group(0)) if address else url_of(match.group(0))
            if ("_" in url or "&" in url) and "\\" not in url and ("://" in url or url.startswith("www.")):
                pieces += [line[position:match.start()], url.replace("_", "\\_") if address
                           else url.replace("_", "\\_").replace("&", "&amp;")]
                position = match.start() + len(url)
        line = "".join(pieces) + line[position:] if pieces else line
        if "&" in line:
            line = _AUTOLINK.sub(lambda link: link.group(0).replace("&", "&amp;"), line)
        lines[number] = line
    return "\n".join(lines)


def _address_part(found: str) -> str:
    """Of a URL found in a link's address (`](https://…)`), the address: up to the `)` that
    closes it, which linkify never reads on past (`](https://x/a)_;` or `…)[^a_b]`, where the
    `_` after it is emphasis or a footnote's label)."""
    depth = 0
    for index, char in enumerate(found):
        if char == ")":
            if not depth:
                return found[:index]
            depth -= 1
        elif char == "(":
            depth += 1
    return found


class _LinkLabels:
    """Whether a position of a line is inside a link's text: after a `[` that no `]` has
    closed yet (Goldmark's linkify stops where its parser says IsInLinkLabel). Positions
    are asked in order, so the line's brackets are read once, by one search."""

    def __init__(self, line: str) -> None:
        self.brackets = _BRACKET.finditer(line) if "[" in line else iter(())
        self.next, self.depth = next(self.brackets, None), 0

    def open_before(self, position: int) -> bool:
        while self.next is not None and self.next.start() < position:
            self.depth = self.depth + 1 if self.next.group(0) == "[" else max(0, self.depth - 1)
            self.next = next(self.brackets, None)
        return self.depth > 0
