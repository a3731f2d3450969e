"""What Jekyll's kramdown makes of Markdown, where cmark reads it otherwise; the source is
rewritten (outside code) so that cmark renders what kramdown does:

- kramdown's own markup is not text: attribute lists and extensions (readers.kramdown_extensions;
  none in a block of HTML);
- an HTML block (a line that starts with a tag that is not a span element) is HTML up to
  its end tag, blank lines and indented lines included (cmark ends it at a blank line,
  and reads an indented line after one as code); with `markdown="1"` what it encloses is
  Markdown, as what block elements hold is when the site (`kramdown: parse_block_html`)
  or the post (`{::options parse_block_html="true" /}`) asks;
- a link's address may hold spaces and go on on the next line: `[text](a b)`;
- a list item whose line opens with `[label]:` is a link definition, the item left empty;
- a reference's text is matched to definitions with its escapes read (readers.kramdown_references);
- a block element's start or end tag after text in a paragraph's line is text, shown as
  written, and so is an end tag in a block of HTML that does not end the element last
  opened there (readers.kramdown_raw);
- an end tag with no start tag of its name before it is text, shown as written (kramdown
  escapes it; cmark passes it on, and the reader hides it), unless its line is indented as
  code could be;
- a line of a single span element's tag (`<img src="a.png"/>`, `<span>`) starts no block of
  HTML: the paragraph it starts is Markdown (cmark reads such a line as the start of raw
  HTML up to a blank line; an empty processing instruction after the tag, which feeds
  leave out, keeps it from doing so);
- a single backtick with white space on both sides is text: "a ` b`" holds no code;
- `Term` then `: definition` lines are a definition list (goldmark.definition_lists, on the HTML);
- a line of a `^` alone ends a block (kramdown's end-of-block marker), a list too: to cmark,
  a block of its own, of an empty processing instruction;
- quotes, dashes and dots are typographic ones (kramdown's smart quotes and typographic
  symbols; cmark's smart punctuation, set in readers.markdown);
- a line that starts `2)` is text, not a list's item (kramdown numbers items `1.` only);
- `<<` and `>>` are « and », a space inside them a no-break one (readers.markdown);
- `~~` strikes through between a letter and punctuation too (readers.kramdown_strikethrough);
- an ordered list's item interrupts a paragraph whatever its number (cmark lets only `1.`):
  a line `2007. The next...` in a wrapped paragraph starts a list;
- a run of four or more `_` or `*` standing alone in a line ("I can has _______"), or of `*`
  before a word with no `*` after it in its paragraph ("hit the ****download button", an empty
  bold left by a converter), pairs its own delimiters: every six are a strong element holding
  two, four left an emphasis holding two, the rest text (cmark leaves the run text);
- a backslash before `^`, `/`, `&`, `@`, `?`, `%`, `,` or `;` is text (kramdown escapes
  fewer characters than cmark, which shows any punctuation escaped without its backslash);
- `_` after a letter and a hyphen opens no emphasis ("how-_not_-to");
- a run of `*` between punctuation and a letter opens or closes emphasis (kramdown asks
  only for no white space on the inner side; cmark's flanking rules refuse `**Note.**Then`);
- `$$...$$` is math, written for MathJax as Jekyll's kramdown writes it: `\\[...\\]` when it
  is a paragraph of its own, else `\\(...\\)`; its content is not Markdown; it ends with its
  paragraph, and is not read in a block of HTML;
- what a span element of raw content holds (`<notextile>`, `<kbd>`, `<u>`, unknown ones) is
  text (readers.kramdown_raw); a line of hashes alone is no heading;
- a fence of more than a language, or one no line closes, is text (readers.kramdown_fences); a block
  of HTML may end past code (readers.kramdown_html_ends); both applied first, by readers.markdown;
- indented code is left as written; tables, link definitions, code spans' spaces and the
  table of contents are readers.kramdown_blocks' and readers.kramdown_tables'.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .kramdown_blocks import (SPAN_ELEMENTS, PieceContext, comments_before_text, has_lone_marks, indented_code, is_block,
                              lazy_code_lines_joined, lone_marks_escaped, literal_backslashes_in_destinations, mail_autolinks, ordered_items,
                              parenthesis_items_as_text, without_abbreviations, without_heading_ids)
from .kramdown_code_spans import NOT_A_BLOCK, closing_runs_split, lone_backticks, spaced_code_spans
from .kramdown_entities import unknown_entities_escaped
from .kramdown_extensions import outside_html, without_extensions
from .kramdown_html_ends import reads_block_html
from .kramdown_links import MAX_LINKS, emphasis_across_links
from .kramdown_math import MATH, blocks_joined, math
from .kramdown_raw import (TAG, angle_quotes_before_names, as_text, block_tags_as_text, namespaced_tags, outside_regions,
                           raw_line_elements, raw_regions, raw_span_contents, unmatched_end_tags)
from .kramdown_references import (definition_labels, escaped_references, has_item_definitions, item_definitions,
                                  reference_destinations, spaced_references)
from .kramdown_stars import digit_underscores, has_digit_underscore, joined_strongs, nested_stars_escaped
from .kramdown_strikethrough import flanked_tildes
from .kramdown_tables import tables
from .markdown_code import BLANK_LINE, is_escaped, outside_code, spaced_link_destinations
from .markdown_html import html_blocks

# Elements whose content kramdown reads as Markdown blocks under parse_block_html.
BLOCK_CONTENT = frozenset("""address applet article aside blockquote body dd details div dl fieldset
    figure figcaption footer form header hgroup iframe li main map menu nav noscript object section
    summary td""".split())
_TAG_LINE = re.compile(r"[ ]{0,3}</?([A-Za-z][A-Za-z0-9]{0,63})\b[^<>]*>[ \t]*")
_END_OF_BLOCK = re.compile(r"^\^[ \t]*$", re.MULTILINE)
# A line that starts an ordered list's item to cmark (`2.`, `2)`, in a quote or item too). Possessive.
_ORDERED_LINE = re.compile(r"^(?:[ ]{0,3}(?:>|[*+-](?=[ \t]))[ \t]?)*+[ ]{0,3}\d{1,9}[.)](?:[ \t]|$)", re.MULTILINE)
# A run of delimiters after a space, quote, parenthesis or `,.:;=` and before a space, punctuation or the
# end. Possessive: a long run followed by a letter is given up at once, not shortened each way.
_DELIMITER_RUN = re.compile(r"""(?<=[ \t"'(“‘,.:;=])(?:_{4,}+|\*{4,}+)(?=[\s.,;:!?"')”’]|$)"""
                            r"""|(?<=[ \t])(?P<before_word>\*{4,}+)(?=[^\s*])""")  # or `*` before a word
_INDENT = re.compile(r"[ \t]*")
VOID_ELEMENTS = frozenset("area base br col embed hr img input link meta param source track wbr".split())


# A run of up to three `*` after punctuation and before a letter or digit; and after a
# letter or digit, before punctuation (not `*`, whose runs are whole) or a piece's end (a code
# span follows: "**`a`**"). Zero-width joiners and marks are no punctuation to cmark either.
_STAR_BEFORE_WORD = re.compile(r"(?<=[^\s\w*\u200b-\u200f\u2060\ufeff]|_)\*{1,3}+(?=[^\W_])")
_STAR_AFTER_WORD = re.compile(r"(?<=[^\W_])\*{1,3}+(?=[^\s\w*\u200b-\u200f\u2060\ufeff]|_|\Z)")
_STAR_RUN = re.compile(r"\*+")
MAX_STAR_RUNS_TRIED = 64  # in a line, one at a time (see _rewrites_a_run)
_ADDRESS_MARKS = ("](", "]:", "://", "<", "@")
MAX_STARRED_ADDRESSES = 32  # in a line: more, and it is left as it is (each costs a rewrite)
# Where those marks start an address: a link's destination, a reference's, a tag (up to its
# end, or the next "<"), a URL or e-mail address up to white space. Possessive, and each
# starts where the last ended or at a word's start: one pass over the line.
_ADDRESS = re.compile(r"\]\([^\s)]*+|\]:[ \t]*+\S*+|<[^<>]*+>?|(?<![\w.+-])[\w.+-]++(?:://|@)\S*+")
# A backslash and what it escapes, read in pairs from the left (`\\\\^` is an escaped backslash).
_ESCAPE = re.compile(r"\\(.)")
# ASCII punctuation cmark-gfm escapes and kramdown (GFM input) does not: its backslash stays.
NOT_ESCAPED = frozenset("^/&@?%,;")
# An escaped `_` or `*` (after pairs of backslashes, from a run's start), the same character
# after it, a word without it, and a run of exactly two (possessive: one pass).
_ESCAPED_THEN_RUN = re.compile(r"(?<!\\)((?:\\\\)*+)\\([_*])\2(?=[^\s_*]++\2\2(?![_*]))")


# `_` or `__` after a letter and a hyphen, before a letter or digit ("how-_not_-to", in an
# address kramdown does not link): kramdown opens no emphasis there (none after letters, a
# hyphen between them or not); cmark does, `-` being punctuation. Tags and link destinations
# are passed over whole. Possessive: one pass.
_HYPHEN_UNDERSCORE = re.compile(r"(<[^<>\n]*+>|\]\([^()\s]*+)|(?<=[^\W\d_]-)(__?)(?=[^\W_])")


# A lone `*` before white space inside `**...**` on one line ("**How to be* a compiler**"): no
# emphasis to kramdown (a `*` before a space opens none, and it cannot end the strong one),
# where cmark ends an emphasis there and the strong one is lost. Possessive: one pass.
_LONE_STAR_IN_STRONG = re.compile(r"(?<!\*)(\*\*(?=[^\s*])[^*\n]*+)\*(?=[ \t])([^*\n]*+(?<=[^\s*])\*\*(?!\*))")


def _lone_stars_escaped(text: str) -> str:
    return _LONE_STAR_IN_STRONG.sub(r"\1\\*\2", text)


def _flanked_stars(text: str) -> str:
    """A run of `*` between punctuation and a letter or digit made able to open and close,
    as kramdown's are (`**Note.**Then`): an empty processing instruction (which feeds leave
    out) goes on its letter's side, so that cmark sees punctuation on both sides. Not in an
    address (a link's, a tag's, a URL or e-mail address written out): its stars are text."""
    return "".join(_outside_addresses(_STAR_BEFORE_WORD, r"\g<0>" + NOT_A_BLOCK,
                                      _outside_addresses(_STAR_AFTER_WORD, NOT_A_BLOCK + r"\g<0>", line))
                   for line in text.splitlines(keepends=True))


def _outside_addresses(pattern: re.Pattern[str], replacement: str, line: str) -> str:
    """pattern replaced in line but in its addresses that hold a `*`; each stretch between
    two is rewritten with a character either side of it, as context (a run of `*` neither
    starts at the first nor takes in the last: both belong to an address, or are absent).
    A line of more such addresses than a post's line holds is left as it is."""
    if not _rewrites_a_run(pattern, line):
        return line
    if not any(mark in line for mark in _ADDRESS_MARKS):
        return pattern.sub(replacement, line)
    starred = [address.span() for address in _ADDRESS.finditer(line) if "*" in address.group(0)]
    if len(starred) > MAX_STARRED_ADDRESSES:
        return line
    pieces, position = [], 0
    for start, end in starred:
        if start > position:
            before = max(position - 1, 0)
            pieces.append(pattern.sub(replacement, line[before:start + 1])[position - before:-1])
        pieces.append(line[start:end])
        position = end
    before = max(position - 1, 0)
    return "".join(pieces) + pattern.sub(replacement, line[before:])[position - before:]


def _rewrites_a_run(pattern: re.Pattern[str], line: str) -> bool:
    """Whether pattern matches a run of `*` in line. It can only start a match at a run's start:
    each run is tried there, which is far quicker than the pattern's search (or the addresses')
    over a long line of prose, where it mostly finds nothing. A line of more runs than a line
    of prose holds is taken to have one (and rewritten as before)."""
    position = line.find("*")
    for _run in range(MAX_STAR_RUNS_TRIED):
        if position < 0:
            return False
        if pattern.match(line, position):
            return True
        run = _STAR_RUN.match(line, position)
        position = line.find("*", run.end() if run else position + 1)
    return position >= 0


def _backslashes(text: str) -> str:
    """A backslash before a character kramdown does not escape (`\\^`, `\\/`) kept as text,
    outside math and lines indented as code could be (cmark escapes any punctuation)."""
    return _outside_math(_backslashes_in, text)


def _outside_math(rewrite: Callable[[str], str], text: str) -> str:
    """rewrite applied to text but its math (`$$...$$`, no Markdown to kramdown)."""
    if "$$" not in text:
        return rewrite(text)
    pieces, position = [], 0
    for found in MATH.finditer(text):
        pieces += [rewrite(text[position:found.start()]), found.group(0)]
        position = found.end()
    return "".join(pieces) + rewrite(text[position:])


def _backslashes_in(text: str) -> str:
    """Not in a block of HTML (html_blocks made each a block of its own) nor in what cmark
    keeps raw (a `<pre>`, a highlight tag's code), which both show as written."""
    return outside_html(_backslash_lines, text)


def _backslash_lines(text: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(line if line.startswith(("    ", "\t")) else _line_break(
        _ESCAPE.sub(_kept_backslash, _escaped_run(line)), lines[number + 1] if number + 1 < len(lines) else "")
        for number, line in enumerate(lines))


def _line_break(line: str, following: str) -> str:
    """`\\\\` ending a line that its paragraph goes on after is kramdown's line break: written as
    cmark's, one backslash before the line's end (cmark read an escaped backslash)."""
    if not line.endswith("\\\\\n") or not following.strip():
        return line
    run = len(line) - 1 - len(line[:-1].rstrip("\\"))
    return line[:-2] + "\n" if run % 2 == 0 else line


def _escaped_run(line: str) -> str:
    """`\\__FILE__`: the `_` after the escaped one escaped too, as a word closed by a run of
    two is all text to kramdown (an emphasis it opens cannot end at a run of two); cmark
    ends it there, one `_` left over (`_<em>FILE</em>_`). The same for `*`."""
    return _ESCAPED_THEN_RUN.sub(r"\1\\\2\\\2", line) if "\\__" in line or "\\**" in line else line


def _kept_backslash(escape: re.Match[str]) -> str:
    return "\\" + escape.group(0) if escape.group(1) in NOT_ESCAPED else escape.group(0)


def _stray_end_tags(text: str, opened: dict[str, int]) -> str:
    """End tags with no start tag of their name left open before them (opened: how many of
    each name are, counted over the whole text) written as text; a tag may span lines."""
    out, position, line_start, previous = [], 0, 0, 0
    for tag in TAG.finditer(text):
        newline = text.rfind("\n", previous, tag.start())  # from the last tag's start on: linear
        line_start, previous = (newline + 1 if newline >= 0 else line_start), tag.start()
        code_like = _indented_as_code(text, line_start)
        escaped = tag.start() and text[tag.start() - 1] == "\\" and is_escaped(text, tag.start())
        out += [text[position:tag.start()], tag.group(0) if escaped else _counted(tag, opened, code_like)]
        position = tag.end()
    return "".join(out) + text[position:]


def _indented_as_code(text: str, line_start: int) -> bool:
    """Whether the line is indented four columns, a tab reaching the next multiple of four
    ('  \t</servers>' too), as cmark reads a line of code."""
    for char in text[line_start:line_start + 4]:
        if char != " ":
            return char == "\t"
    return text.startswith("    ", line_start)


def _counted(tag: re.Match[str], opened: dict[str, int], code_like: bool) -> str:
    name = tag.group(2).lower()
    if name in VOID_ELEMENTS or tag.group(0).endswith("/>"):
        return tag.group(0)
    if not tag.group(1):
        opened[name] = opened.get(name, 0) + 1
    elif opened.get(name):
        opened[name] -= 1
    elif not code_like:
        return as_text(tag.group(0))
    return tag.group(0)


def _span_tag_lines(text: str) -> str:
    lines = text.split("\n")
    for number, line in enumerate(lines):
        tag = _TAG_LINE.fullmatch(line) if line[:4].lstrip(" ").startswith("<") else None
        if tag and tag.group(1).lower() in SPAN_ELEMENTS:
            lines[number] = line.rstrip() + NOT_A_BLOCK
    return "\n".join(lines)


def _prose(text: str, opened: dict[str, int], labels: frozenset[str], context: PieceContext, links: list[int]) -> str:
    """text rewritten as above, but its indented code blocks and what cmark keeps raw (a `<pre>`
    whose lines indented as code cut it apart: what follows them is the element's still), kept
    as written; text is a piece of a stretch, going on where the last one left off (see PieceContext)."""
    pieces, position, raw = [], 0, None  # found when code first cuts the text
    mid_line = context.mid_line  # the text goes on a line a code span cut: its first line is no line's start

    def rewritten(start: int, end: int) -> str:
        going_on = mid_line and start == 0
        return outside_regions(text, start, end, raw, lambda part: _rewritten(part, opened, labels, links, going_on)) \
            if raw else _rewritten(text[start:end], opened, labels, links, going_on)

    for start, end in indented_code(text, context=context):
        raw = raw_regions(text) if raw is None else raw
        pieces += [rewritten(position, start), text[start:end]]
        position = end
    return "".join(pieces) + rewritten(position, len(text))


def _rewritten(text: str, opened: dict[str, int], labels: frozenset[str], links: list[int], going_on: bool = False) -> str:
    if not text:
        return text
    if "<" in text:
        text = _span_tag_lines(_stray_end_tags(text, opened))  # before anything adds tags
    if "](" in text:  # not in a `<pre>`: code
        text = outside_html(lambda run: spaced_link_destinations(run, across_lines=True, titles_apart=True), text)
    text = literal_backslashes_in_destinations(text) if "](" in text and ("\\)" in text or "\\(" in text) else text
    text = emphasis_across_links(text, links) if "](" in text else text
    text = outside_html(mail_autolinks, text) if "<mailto:" in text else text
    text = reference_destinations(text) if "]:" in text else text
    text = spaced_references(text, labels) if labels and ("] " in text or "]\t" in text or "]\n" in text) else text
    if labels and "\\" in text:
        text = outside_html(lambda run: escaped_references(run, labels), text)
    text = joined_strongs(_delimiter_runs(text)) if "____" in text or "****" in text else text
    text = _backslashes(text) if "\\" in text else text
    text = digit_underscores(_hyphen_underscores(text) if "-_" in text else text)
    text = outside_html(_lone_stars_escaped, text) if "* " in text and "**" in text else text
    text = _outside_math(lambda run: _flanked_stars(outside_html(nested_stars_escaped, run)), text) if "*" in text else text
    text = _outside_math(lambda run: outside_html(flanked_tildes, run), text) if "~~" in text else text
    text = _END_OF_BLOCK.sub("\n" + NOT_A_BLOCK + "\n", text) if "^" in text else text  # ends a list too
    text = without_abbreviations(text) if "*[" in text else text
    if has_lone_marks(text):  # not on a first line going on after a code span (``*`BST`*``)
        head, cut, rest = text.partition("\n") if going_on else ("", "", text)
        text = head + cut + outside_html(lone_marks_escaped, rest)
    text = unknown_entities_escaped(without_extensions(text) if "{:" in text else text)
    return math(text)


def _hyphen_underscores(text: str) -> str:
    """Such `_` escaped (see _HYPHEN_UNDERSCORE); not in a block of HTML or a `<pre>`, shown raw."""
    return outside_html(lambda run: _HYPHEN_UNDERSCORE.sub(_escaped_underscores, run), text)


def _escaped_underscores(match: re.Match[str]) -> str:
    return match.group(1) or "\\_" * len(match.group(2))


def as_kramdown(markdown: str, site_data: dict[str, Any]) -> str:
    """Markdown rewritten so that cmark renders it as kramdown does (see above)."""
    marks = ("{:", "{#", "$$", "](", "]:", "|", "<", "` ", "``", "\n\t", "\n    ", "\t`", "`\t", "\n^", "____", "****", "\\", "*", "-_", "~~", "&")
    if not any(mark in markdown for mark in marks) and not (
            _ORDERED_LINE.search(markdown) or has_lone_marks(markdown) or has_digit_underscore(markdown)):
        return markdown
    inside = reads_block_html(markdown, site_data)
    opened: dict[str, int] = {}  # start tags not yet ended, by name, over the pieces outside code
    links = [MAX_LINKS]  # links looked at for emphasis across them, over the pieces too
    labels = definition_labels(markdown) if "]:" in markdown else frozenset()
    if "$$" in markdown and "\n\n" in markdown:
        markdown = outside_code(markdown, lambda prose: prose, blocks_joined)
    blocks, context = _html_blocks_reading_markdown if inside else _html_blocks, PieceContext()
    if has_item_definitions(markdown):
        markdown = outside_code(markdown, lambda prose: prose, item_definitions)
    return outside_code(markdown, lambda prose: _prose(prose, opened, labels, context, links),
                        lambda stretch: blocks(context.reset(stretch)))  # a stretch starts a line


def _delimiter_runs(text: str) -> str:
    """Runs of `_` or `*` standing alone in a line written as kramdown pairs them (see
    above), their characters escaped for cmark; not in a block of HTML (which html_blocks
    made a paragraph of its own) or what cmark keeps raw (a highlight tag's code), at a line's start (a rule, a list's marker) nor in a line
    indented as code."""
    return outside_html(lambda run: "".join(map(_runs_in_block, BLANK_LINE.split(run))), text)


def _runs_in_block(text: str) -> str:
    out, position, line_start, indent_end, previous = [], 0, 0, 0, 0
    last_star = text.rfind("*")
    for run in _DELIMITER_RUN.finditer(text):
        if run.group("before_word") and last_star >= run.end():
            continue  # a `*` after it may close what it opens
        newline = text.rfind("\n", previous, run.start())  # from the last run on: linear
        if newline >= 0 or previous == 0:
            line_start = newline + 1 if newline >= 0 else 0
            indent_end = _INDENT.match(text, line_start).end()  # type: ignore[union-attr]
        previous = run.start()
        indent = text[line_start:indent_end]
        if indent_end >= run.start() or "\t" in indent or len(indent) >= 4:
            continue
        character = "\\" + run.group(0)[0]
        strong, rest = divmod(len(run.group(0)), 6)
        written = f"<strong>{character * 2}</strong>" * strong
        written += f"<em>{character * 2}</em>" if rest == 4 else character * rest
        out += [text[position:run.start()], written]
        position = run.end()
    return "".join(out) + text[position:]


def _html_blocks(text: str) -> str:
    text = block_tags_as_text(namespaced_tags(comments_before_text(lazy_code_lines_joined(angle_quotes_before_names(text)))))
    text = without_heading_ids(text) if "{#" in text else text
    blocks = unmatched_end_tags(raw_line_elements(raw_span_contents(html_blocks(text, is_block, marked_within=True))))
    return spaced_code_spans(lone_backticks(closing_runs_split(ordered_items(parenthesis_items_as_text(tables(blocks))))))


def _html_blocks_reading_markdown(text: str) -> str:
    """With parse_block_html, what elements made for blocks hold is Markdown."""
    text = block_tags_as_text(namespaced_tags(comments_before_text(lazy_code_lines_joined(angle_quotes_before_names(text)))))
    text = without_heading_ids(text) if "{#" in text else text
    blocks = raw_span_contents(html_blocks(text, is_block, BLOCK_CONTENT.__contains__, marked_within=True))
    return spaced_code_spans(lone_backticks(closing_runs_split(ordered_items(parenthesis_items_as_text(tables(blocks))))))


