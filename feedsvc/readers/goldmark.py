"""What Hugo's Goldmark renders otherwise than cmark-gfm, made so after cmark has rendered.

    linkify             bare URLs become links as Goldmark's linkify finds them: after a space
                        (or `*`, `_`, `~`, `(`) and of ASCII characters only; cmark-gfm's
                        autolinks ran on over non-ASCII text and into the code span after it
    footnotes           each back link is a bare ↩ (cmark-gfm numbers the second and later)
    angle quotes        the typographer's « and » for << and >> (cmark's does quotes and dashes);
                        kramdown's too (readers.markdown)
    dashes              a run of hyphens an em dash per three from the left (`----` is —-), as
                        kramdown's too; cmark shares it out (––)
    heading attributes  `## Title {#id .class}`: the braces are not the heading's text
    definition lists    `Term` then `: definition` lines; `: * item` a definition holding a list
    tables              a short header row, rows indented four spaces more than the table: the
                        source rewritten before cmark (goldmark_tables.py)
    strikethrough       runs of three tildes or more paired as Goldmark pairs them
                        (goldmark_strikethrough.py)
    task boxes          `[ ]`, `[x]`, `[X]` anywhere in a list item's first paragraph are checkboxes
                        (Hugo 0.111's Goldmark does not require them at its start; cmark-gfm does)
    block attributes    `{.class}` lines (markup.goldmark.parser.attribute.block) are not
                        shown: goldmark_attributes.py, a rewrite of the source before cmark

Each is one forward pass over the HTML; nothing here backtracks.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from . import goldmark_attributes, goldmark_definitions, goldmark_strikethrough, hugo_render_hooks
from .hugo_code_hooks import HOOKED
from .goldmark_urls import URL, url_of
from .markdown_code import FENCE, NOT_MARKUP, closes, outside_code
from .site import Site

# cmark's back link holds about 90 characters there: the bound keeps a page of unclosed
# `class="footnote-backref"` attributes from being scanned to the end from each one.
_BACKREF_NUMBER = re.compile(r'(class="footnote-backref"[^<>]{0,300}>↩)<sup class="footnote-ref">\d+</sup>')
_BULLETS = ("* ", "- ", "+ ")
_DASH_RUN = re.compile(r"[–—]{2,}+")
_LIST_DD_END = "</li>\n</ul></dd>"
_UL_TAG = re.compile(r"<(/?)ul>")
# A comment; a processing instruction, to HTML a bogus comment; what a code block hook wrote.
_RAW_HTML = (("<!--", "-->"), ("<?", ">"), HOOKED)
# A tag, its quoted attribute values whole: `alt="a => b"` holds a `>` that ends no tag. A quote
# closed by no other before the next `<` is a character. Possessive, and nothing in it reads
# past a `<`: a try from each `<` ends at the next.
_TAG = re.compile(r"""<(/?)([a-zA-Z0-9]++)(?:[^<>"']++|"[^"<]*+"|'[^'<]*+'|["'])*+>""")
_TASK_BOX = re.compile(r"\[([ xX])\][ \t\n\f\r]*+")  # Goldmark's, and the spaces it takes after it
# An escaped `\[ ]` or line-ending `\{…}` is text to Goldmark (no checkbox, no attributes): marked.
_ESCAPED_BOX = re.compile(r"\\\[(?=\\?[ xX]\\?\])|\\\{(?=[^\n{}]*+\}[ \t]*+$)", re.MULTILINE)
# A line that a paragraph at the left margin does not go on with: a list item, quote, heading,
# fence or HTML block starts there.
_INDENTED_COLON = re.compile(r"^[ \t]++: ", re.MULTILINE)  # what indented_definitions_marked marks
_NOT_CONTINUED = re.compile(r" {0,3}(?:[-*+][ \t]|\d{1,9}[.)][ \t]|[>#<]|```|~~~)")
_ITEM_TEXT = re.compile(r" *+(?:[-*+]|\d{1,9}[.)])[ ]{1,4}(?=[^ \t\n])")  # a list item's marker, to its text
# Tags that end a list item's first paragraph when the list is tight (its text is not in <p>).
_ITEM_BLOCKS = frozenset("ul ol li p blockquote pre table div hr dl h1 h2 h3 h4 h5 h6".split())


def finish(rendered: str, source: str, site: Site) -> str:
    """cmark-gfm's HTML of a Hugo page (from its Markdown source) as Goldmark would have
    written it."""
    rendered = _BACKREF_NUMBER.sub(r"\1", rendered)
    rendered = linkify(rendered, site.linkify_protocol) if site.linkify_protocol else rendered
    rendered = angle_quotes(rendered, "<<" in source, ">>" in source) if site.typographer else rendered
    rendered = greedy_dashes(rendered) if site.typographer and "----" in source else rendered
    if "~~~" in source and site.goldmark_extension("strikethrough") is not False:
        rendered = goldmark_strikethrough.struck_through(rendered)
    if site.heading_attributes:
        rendered = goldmark_attributes.without_heading_attributes(rendered)
    if "[" in source and "<li" in rendered and site.goldmark_extension("tasklist") is not False:
        rendered = task_boxes_anywhere(rendered)
    if site.definition_lists:
        rendered = definition_lists(goldmark_definitions.as_definitions(rendered), source)
    # Last: a link hook's line ends start no line of the source (`[B](…): x` is no definition)
    hooks = hugo_render_hooks.hooks(site)
    rendered = hugo_render_hooks.rewritten(rendered, source, hooks, site.typographer) if hooks else rendered
    for mark in (NOT_MARKUP, *HOOKED):
        rendered = rendered.replace(mark, "") if mark in rendered else rendered
    return rendered


# Bare addresses made links in one text: each link is then checked and rewritten by the
# sanitizer (5 MB of `a@b.c ` took 9.6 s); a long post holds a few hundred.
MAX_LINKIFIED = 10_000


def _link(text: str, protocol: str, budget: list[int]) -> str:
    """Bare URLs and addresses in a piece of HTML text (entities escaped) as links, while
    budget (links left to make) lasts."""
    if "://" not in text and "www." not in text and "@" not in text:
        return text  # nothing the pattern can match: spares trying it at every position
    pieces: list[str] = []
    position = 0
    for match in URL.finditer(text):
        if budget[0] <= 0:
            break
        url = url_of(match.group(0), text[match.end():match.end() + 1])
        if "." not in url.split("://")[-1] or url.endswith("."):
            continue
        href = url if "://" in url else f"mailto:{url}" if "@" in url and "/" not in url else f"{protocol}://{url}"
        pieces += [text[position:match.start()], f'<a href="{href}">{url}</a>']
        position = match.start() + len(url)
        budget[0] -= 1
    pieces.append(text[position:])
    return "".join(pieces)


def _in_text(rendered: str, change: Callable[[str, bool], str]) -> str:
    """The HTML with change applied to its text outside code, given whether it is in a link,
    and outside the raw HTML that holds text of its own (raw_regions)."""
    depth = {"a": 0, "code": 0, "pre": 0}
    if all(opening not in rendered for opening, _ in _RAW_HTML):
        return _text_changed(rendered, change, depth)
    pieces: list[str] = []
    position = 0
    for start, end in raw_regions(rendered):
        pieces += [_text_changed(rendered[position:start], change, depth), rendered[start:end]]
        position = end
    pieces.append(_text_changed(rendered[position:], change, depth))
    return "".join(pieces)


def raw_regions(rendered: str) -> list[tuple[int, int]]:
    """Where the page's comments, processing instructions and code block hooks' HTML are:
    Goldmark writes them as they are (no links, no typographer's quotes in them). An HTML parser reads `<?php …` to its
    first `>`, so a link made in it would end it there; one not closed runs to the end."""
    regions: list[tuple[int, int]] = []
    position = 0
    following = {opening: rendered.find(opening) for opening, _ in _RAW_HTML}
    while True:
        for opening, _ in _RAW_HTML:
            if 0 <= following[opening] < position:  # each searched again only when passed
                following[opening] = rendered.find(opening, position)
        found = [(at, opening, closing) for opening, closing in _RAW_HTML if (at := following[opening]) >= 0]
        if not found:
            return regions
        start, opening, closing = min(found)
        end = rendered.find(closing, start + len(opening))
        position = len(rendered) if end < 0 else end + len(closing)
        regions.append((start, position))


def _text_changed(rendered: str, change: Callable[[str, bool], str], depth: dict[str, int]) -> str:
    pieces: list[str] = []
    position = 0
    for tag in _TAG.finditer(rendered):
        text = rendered[position:tag.start()]
        pieces += [text if depth["code"] or depth["pre"] else change(text, bool(depth["a"])), tag.group(0)]
        position = tag.end()
        name = tag.group(2).lower()
        if name in depth:
            depth[name] = max(0, depth[name] + (-1 if tag.group(1) else 1))
    tail = rendered[position:]
    pieces.append(tail if depth["code"] or depth["pre"] else change(tail, bool(depth["a"])))
    return "".join(pieces)


def linkify(rendered: str, protocol: str) -> str:
    """Bare URLs in text outside links and code, as links (`www.` ones with protocol)."""
    budget = [MAX_LINKIFIED]
    return _in_text(rendered, lambda text, in_link: text if in_link else _link(text, protocol, budget))


def angle_quotes(rendered: str, left: bool, right: bool, spaced: bool = False) -> str:
    """Goldmark's typographer writes `<<` and `>>` in text as « and », but not `&lt;&lt;`
    written as entities, which cmark's HTML no longer tells apart: only a page whose source
    has `<<` (left) or `>>` (right) gets them. spaced: as kramdown writes them, the space
    inside them (`<< a >>`) a no-break space."""
    def change(text: str, _in_link: bool) -> str:
        if spaced:
            text = text.replace("&lt;&lt; ", "«\u00a0") if left else text
            text = text.replace(" &gt;&gt;", "\u00a0»") if right else text
        text = text.replace("&lt;&lt;", "«") if left else text
        return text.replace("&gt;&gt;", "»") if right else text

    return _in_text(rendered, change) if left or right else rendered


def greedy_dashes(rendered: str) -> str:
    """A run of hyphens as Goldmark's typographer and kramdown write it, from the left: an em
    dash for each three, then an en dash for two left or a hyphen for one (`----` is —-);
    cmark's smart punctuation shares a run out evenly (–– for `----`). Found again from
    cmark's dashes (an en dash two hyphens, an em dash three); only for a page whose source
    has a run of four or more hyphens (a run typed as dashes is left as it is there too)."""
    def greedy(run: re.Match[str]) -> str:
        hyphens = sum(2 if dash == "–" else 3 for dash in run.group(0))
        return "—" * (hyphens // 3) + ("", "-", "–")[hyphens % 3]

    return _in_text(rendered, lambda text, _in_link: _DASH_RUN.sub(greedy, text))


# A line ending in an odd run of three or more backslashes (`a \\\` in math, written so for
# MathJax's `\\`). Goldmark takes a backslash before a line end for a hard line break only
# when no backslash is before it: the run is text, its last backslash as written; cmark reads
# the pairs as escaped backslashes and the last as a break. Possessive: a run is read once.
_BACKSLASHES_ENDING_LINE = re.compile(r"(?<!\\)((?:\\\\)++)\\$", re.MULTILINE)


def backslash_runs_as_text(markdown: str) -> str:
    """Such a run's last backslash doubled, so that cmark writes it as text too (outside code)."""
    if "\\\\\\\n" not in markdown:
        return markdown
    return outside_code(markdown, lambda prose: _BACKSLASHES_ENDING_LINE.sub(r"\1\\\\", prose))


def escaped_boxes_marked(markdown: str) -> str:
    """`\\[ ]`, `\\[x]`, `\\{.x}` escaped marked as no checkbox, no attributes (see finish)."""
    return _ESCAPED_BOX.sub(r"\g<0>" + NOT_MARKUP, markdown) if "\\" in markdown else markdown


def task_boxes_anywhere(rendered: str) -> str:
    """Checkboxes for `[ ]`, `[x]` and `[X]` anywhere in the text of a list item's first
    paragraph, outside code, as Hugo 0.111's Goldmark writes them (its task list extension
    does not look for them at the item's start only; the spaces after each are taken)."""
    pieces: list[str] = []
    position, state, code = 0, "", 0  # state: "" outside, "start" right after <li>, "tight"/"loose" in it
    for tag in _TAG.finditer(rendered):
        text = rendered[position:tag.start()]
        if state == "start" and text.strip():
            state = "tight"
        pieces += [_TASK_BOX.sub(_box, text) if state in ("tight", "loose") and not code else text, tag.group(0)]
        position = tag.end()
        closing, name = tag.group(1), tag.group(2).lower()
        if name == "code":
            code = max(0, code + (-1 if closing else 1))
        elif name == "li" and not closing:
            state = "start"
        elif name == "p" and not closing and state == "start":
            state = "loose"
        elif name in _ITEM_BLOCKS and (state != "loose" or name == "p"):
            state = ""
    pieces.append(rendered[position:])
    return "".join(pieces)


_BLOCK_ENDS = ("<hr />", *(f"</{tag}>" for tag in "pre table ul ol blockquote dl h1 h2 h3 h4 h5 h6".split()))


def _box(found: re.Match[str]) -> str:
    checked = ' checked=""' if found.group(1) in "xX" else ""
    return f'<input type="checkbox"{checked} disabled="" /> '


# A line of raw HTML opening a paragraph whose text starts `: ` (HTML exported by a converter)
_RAW_PARAGRAPH_COLON = re.compile(r"^([ \t]{0,3}+<[pP](?:[ \t][^>\n]*+)?>[ \t]*+):(?=[ \t])", re.MULTILINE)
# A line of the source that may be a definition: `: ` after white space or a quote's markers.
_DEFINITION_LINE = re.compile(r"^[ \t>]*+:[ \t]", re.MULTILINE)


def raw_paragraph_colons(markdown: str) -> str:
    """markdown whose raw HTML paragraphs starting `: ` (`<p>: note</p>`) write the colon as a
    character reference, which shows the same: no definition to definition_lists, which reads
    the rendered paragraphs, cmark's and raw ones alike. Not in code."""
    if "<" not in markdown or not _RAW_PARAGRAPH_COLON.search(markdown):
        return markdown
    return outside_code(markdown, lambda prose: _RAW_PARAGRAPH_COLON.sub(r"\1&#58;", prose))


def definition_lists(rendered: str, source: str, termless: bool = False) -> str:
    """Goldmark's definition lists, from cmark's paragraphs: a paragraph whose later lines
    start with `: ` is terms (its lines before those) and definitions (a line that does not
    start so continues the definition before it). A paragraph that starts with `: ` right
    after another (a blank line between) defines that one's lines, loosely (its definitions
    are paragraphs), as do the `: ` paragraphs right after it, or after a definition list
    (its last term gains them). termless (Python-Markdown's):
    one right after another block (a table, a rule, code) is a definition without a term.
    Only when a line of the source starts a definition: a paragraph of raw HTML is as written
    (`<p>: note</p>` under `<p>term</p>` defines nothing)."""
    if "\n: " not in rendered and "<p>: " not in rendered or not _DEFINITION_LINE.search(source):
        return rendered  # no paragraph's line starts a definition
    pieces: list[str | list[str]] = []  # a list: a loose definition list's items, joined at the end
    position = 0
    loose: int | None = None  # the piece a loose definition may join: a paragraph, or such a list
    list_ends = functools.cache(lambda: _list_ends(rendered))  # found once, when first needed
    while (start := rendered.find("<p>", position)) >= 0 and (end := rendered.find("</p>", start)) >= 0:
        lines = rendered[start + 3:end].split("\n")
        first = next((index for index, line in enumerate(lines) if line.startswith(": ")), 0)
        between = rendered[position:start]
        if first:
            items = _items(lines[:first], lines[first:], "")
            end = _list_continued(rendered, end, items, list_ends)
            pieces += [between, items]  # a `: ` paragraph after a blank line defines more
            loose = len(pieces) - 1
        elif lines[0].startswith(": ") and loose is not None and not between.strip():
            joined = pieces[loose]
            if isinstance(joined, str):  # the paragraph before: its lines are the terms
                joined = pieces[loose] = [f"<dt>{term}</dt>" for term in joined[3:-4].split("\n")]
            joined += _items([], lines, "p")
        elif termless and lines[0].startswith(": ") and between.rstrip().endswith(_BLOCK_ENDS):
            pieces, loose = pieces + [between, "<dl>\n" + "\n".join(_items([], lines, "")) + "\n</dl>"], None
        else:
            pieces += [between, rendered[start:end + 4]]
            loose = len(pieces) - 1
        position = end + 4
    pieces.append(rendered[position:])
    return "".join(piece if isinstance(piece, str) else "<dl>\n" + "\n".join(piece) + "\n</dl>"
                   for piece in pieces)


def indented_definitions_marked(markdown: str) -> str:
    """A `: ` line indented in a paragraph of the page's own (or starting a paragraph after
    one) is no definition to Goldmark, which wants the colon at the margin of what holds the
    paragraph, and cmark's HTML no longer shows the spaces: such lines marked so that
    definition_lists leaves them (`    : "=a" (value)` in pasted assembly). So is one going on
    with a list item's first paragraph indented past the item's text (`- Term` then `    : `;
    at the text's margin it is a definition). Another paragraph indented two spaces or more
    may be a list item's, and is left as it is, as are those of quotes."""
    if not _INDENTED_COLON.search(markdown):
        return markdown
    lines, fence = markdown.split("\n"), ""
    margin = after_margin = False  # in a paragraph of the page's own; the block before was one
    item = 0  # in a list item's first paragraph: where its text starts
    for number, line in enumerate(lines):
        stripped = line.lstrip(" \t")
        if fence:
            fence = "" if closes(fence, line) else fence
        elif opened := FENCE.match(line):
            fence, margin, after_margin, item = opened.group(1), False, False, 0
        elif not stripped:
            after_margin, margin, item = margin or after_margin, False, 0
        elif stripped.startswith(": ") and stripped is not line and (
                margin or after_margin or 0 < item < len(line) - len(stripped)):
            lines[number] = line[:len(line) - len(stripped)] + NOT_MARKUP + stripped
            margin = margin or after_margin
        elif found := _ITEM_TEXT.match(line):
            margin, after_margin, item = False, False, found.end()
        elif _NOT_CONTINUED.match(line):
            margin, after_margin, item = False, False, 0
        elif not margin:
            margin, after_margin = line.startswith(stripped) or line.startswith(" " + stripped), False
    return "\n".join(lines)


def _list_continued(rendered: str, end: int, items: list[str],
                    list_ends: Callable[[], dict[int, int]]) -> int:
    """When the last definition is a list (`: * item`) and the paragraph (ending at end) is
    followed by a list, which is the rest of its items to the tools (cmark ended the
    paragraph there), that list's items put in the definition's; where the paragraph, or
    that list, ends (list_ends: each list's end tag by its start tag's place)."""
    if not items[-1].endswith(_LIST_DD_END) or not rendered.startswith("</p>\n<ul>\n", end):
        return end
    opening = end + len("</p>\n")
    closing = list_ends().get(opening)
    if closing is None:
        return end
    items[-1] = items[-1][:-len("</ul></dd>")] + rendered[opening + len("<ul>\n"):closing] + "</ul></dd>"
    return closing + len("</ul>") - len("</p>")


def _list_ends(rendered: str) -> dict[int, int]:
    """Where each list (<ul>) of the HTML ends, by where it starts: one pass, nesting counted."""
    opened: list[int] = []
    ends: dict[int, int] = {}
    for tag in _UL_TAG.finditer(rendered):
        if not tag.group(1):
            opened.append(tag.start())
        elif opened:
            ends[opened.pop()] = tag.start()
    return ends


def _items(terms: list[str], lines: list[str], wrap: str) -> list[str]:
    """<dt> for each term, <dd> for each `: ` line (others continue the one before), its
    text in <wrap> when given; a definition that starts with a bullet (`: * item`) is a
    list, as the tools read what a definition holds as blocks."""
    items: list[list[str]] = [[f"<dt>{term}</dt>"] for term in terms]
    closings: list[str] = ["" for _term in terms]
    for line in lines:  # each item's lines gathered, then joined once (not copied per line)
        if not line.startswith(": "):
            more = line.lstrip()  # an item of the definition's list, where it went on (Python-Markdown)
            items[-1].append(f"</li>\n<li>{more[2:]}" if closings[-1] and more[:2] in _BULLETS else line)
            continue
        text = line[2:].lstrip()
        bullet = text[:2] in _BULLETS and text[2:].strip() != ""
        opening, closing = ("<ul>\n<li>", "</li>\n</ul>") if bullet else (
            (f"<{wrap}>", f"</{wrap}>") if wrap else ("", ""))
        items.append([f"<dd>{opening}{text[2:] if bullet else text}"])
        closings.append(closing)
    return ["\n".join(parts) + (f"{closing}</dd>" if parts[0].startswith("<dd>") or len(parts) > 1 else "")
            for parts, closing in zip(items, closings, strict=True)]
