"""Markdown, rendered as CommonMark by cmark-gfm, with its metadata in one of three conventions.

- YAML front matter between `---` lines (Jekyll, Hugo),
- TOML front matter between `+++` lines (Hugo),
- `Key: value` lines at the top, ended by a blank line (Pelican).
"""

from __future__ import annotations

import ctypes
import html
import re
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from cmarkgfm import _cmark
from cmarkgfm.cmark import Options

from ..dates import file_name_date
from ..errors import ReadError
from ..model import RawArticle
from .site import Site
from ..text import ANY_TAG, MAX_LINKS, check_count, check_tags, count_matches
from . import (cmark_backticks, cmark_tabs, cmark_tildes, front_matter, goldmark, goldmark_attributes,
               goldmark_definitions, goldmark_inline, goldmark_tables, goldmark_urls, highlight, hugo_code_hooks,
               hugo_toc, kramdown, kramdown_autolinks, kramdown_blocks, kramdown_fences, kramdown_html_ends,
               kramdown_numbering, kramdown_quotes, kramdown_tables, kramdown_toc, pelican, pelican_admonitions,
               pelican_escapes, pelican_footnotes, pelican_include_code, pelican_liquid_tags, pelican_markdown,
               pelican_toc, templates)
from .footnote_labels import undefined_footnotes_as_text
from .markdown_code import MAX_TABLE_CELLS, outside_code, table_cells

# Raw HTML is kept (cmark's default drops it): it goes through the allowlist sanitizer
# (normalize.sanitize_html) like every HTML article. Plain CommonMark, no GFM extensions.
RENDER_OPTIONS = Options.CMARK_OPT_UNSAFE
# Safe mode (raw HTML replaced by a comment) with source lines, to find a leading heading.
HEADING_OPTIONS = Options.CMARK_OPT_SOURCEPOS
_LEADING_H1 = re.compile(r'<h1 data-sourcepos="(\d+):\d+-\d+:\d+">(.*?)</h1>', re.DOTALL)
_ATX_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_SETEXT_H1_UNDERLINE = re.compile(r" {0,3}=+[ \t]*")
# cmark builds a node for each block and inline element, and aborts the whole process when it
# cannot allocate: 5 MB of `[` took 1.2 GB. A node starts at a line or at a character that
# is markup somewhere (list items also at `1.` or `1)`), so their count bounds the tree. At
# the limit rendering and cleaning take at most about 60 MB and a second
# (bench/parse_limits.py); a 300 KB essay with thousands of links counts about 30,000.
MAX_MARKUP = 100_000
MARKUP_CHARACTERS = "[]*_`<>!&\\#+=~\n-"
# Quotation marks and apostrophes make no node of plain cmark, but each `"` is written as
# `&quot;`, which the sanitizer reads as a character reference, and with smart punctuation
# (Jekyll, Hugo) each is a node: 5 MB of them took 2.3-2.9 s to render and clean. Prose has
# one in 50 to 1,000 characters (news, blog posts): 5 MB of it, at most about 100,000.
MAX_QUOTES = 300_000
_ORDERED_LIST_MARKER = re.compile(r"\d[.)]")
# cmark returns a buffer from the C allocator that cmarkgfm's own wrapper never frees, and
# a parsed tree it has no binding to free: both are freed here.
_free = ctypes.CDLL(None).free
_free.argtypes = [ctypes.c_void_p]
_free.restype = None
_free_node = ctypes.CDLL(_cmark.__file__).cmark_node_free
_free_node.argtypes = [ctypes.c_void_p]
_free_node.restype = None
FOOTNOTES = Options.CMARK_OPT_FOOTNOTES
FLAVOURS = {  # Goldmark and kramdown strike through ~~two~~ tildes only: 8~10 days stays as written
    "hugo": ((b"table", b"strikethrough", b"tasklist"),  # autolinks: goldmark.linkify
             FOOTNOTES | Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE),
    "jekyll": ((b"table", b"strikethrough", b"tasklist"),
               FOOTNOTES | Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_SMART
               | Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE),
    "pelican": ((b"table",), FOOTNOTES | Options.CMARK_OPT_UNSAFE),
}


def _check_size(markdown: str) -> None:
    if len(markdown) > MAX_MARKUP:  # else under the limit: each thing counted is a character
        markup = sum(map(markdown.count, MARKUP_CHARACTERS)) + count_matches(_ORDERED_LIST_MARKER, markdown)
        check_count("Markdown", markup, "lines and markup characters", MAX_MARKUP)
        check_tags("Markdown", markdown)
        # each reference and definition is a link, counted only once rendered and rewritten
        check_count("Markdown", markdown.count("[^"), "footnote marks ([^)", MAX_LINKS)
    if len(markdown) > MAX_QUOTES:
        check_count("Markdown", markdown.count('"') + markdown.count("'"), "quotation marks", MAX_QUOTES)


def _html(buffer: Any) -> str:
    try:
        return _cmark.ffi.string(buffer).decode("utf-8")
    finally:
        _free(int(_cmark.ffi.cast("uintptr_t", buffer)))


def render(markdown: str, options: int = RENDER_OPTIONS) -> str:
    """CommonMark to HTML; refused before cmark sees it when its tree would be too large."""
    _check_size(markdown)
    data = markdown.encode("utf-8")
    return _html(_cmark.lib.cmark_markdown_to_html(data, len(data), options))


def render_as(markdown: str, site: Site) -> str:
    """Markdown as the site's generator renders it: Hugo's Goldmark (tables, strikethrough,
    autolinks, task lists, footnotes, typographic quotes and dashes; raw HTML left out unless
    the site sets markup.goldmark.renderer.unsafe), Jekyll's kramdown (GFM: tables,
    strikethrough, task lists, footnotes, raw HTML kept, typographic quotes and dashes; its
    own markup and math by readers.kramdown) and Pelican's Python-Markdown `extra` (tables,
    footnotes, raw HTML kept; readers.pelican_markdown). Outside a known site: plain CommonMark.
    Hugo's numbered code blocks are found by their source positions (highlight.py)."""
    if not site.kind:
        return render(markdown)
    _check_size(markdown)
    check_count("Markdown", table_cells(markdown), "table cells", MAX_TABLE_CELLS)
    extensions, options = FLAVOURS[site.kind]
    if site.kind == "hugo":
        extensions, options = _hugo_extensions(site, extensions, options)
    code_hooks = _code_hooks(site, markdown)
    numbered = site.kind == "hugo" and (bool(site.highlight.numbers or site.highlight.escape_quotes)
                                        or bool(code_hooks) or "linenos" in markdown.lower())
    if site.kind == "hugo" and site.raw_html_allowed:
        options |= Options.CMARK_OPT_UNSAFE
    if (site.kind == "hugo" and site.typographer) or (site.kind == "pelican" and pelican.smarty(site.data)):
        options |= Options.CMARK_OPT_SMART
    markdown = undefined_footnotes_as_text(markdown, exact_labels=site.kind == "hugo")
    markdown = goldmark.raw_paragraph_colons(markdown)  # before any pass adds a <p>
    quotes = None  # how kramdown's quotes are written, when the site chooses them
    if site.kind == "pelican":
        if "{%" in markdown and (embeds := pelican_liquid_tags.embeds_on(site.data)):
            markdown = pelican_liquid_tags.embeds_as_links(markdown, embeds)
        if pelican_admonitions.turned_on(site.data):
            markdown = pelican_admonitions.as_html(markdown, render)
        markdown = pelican_markdown.as_python_markdown(pelican_toc.raw_headings_marked(markdown, site.data))
        markdown = pelican_footnotes.all_referred(markdown) if "[^" in markdown else markdown
    elif site.kind == "jekyll":
        markdown, quotes = _as_kramdown(markdown, site)
    else:
        markdown = _as_goldmark(markdown, site)
    rendered = _render_with(markdown, extensions, options | (Options.CMARK_OPT_SOURCEPOS if numbered else 0))
    if site.kind == "pelican":
        rendered = pelican_markdown.finish(rendered, pelican.code_line_numbers(site.data))
        if "data-footnote-ref" in rendered:
            rendered = pelican_footnotes.as_python_markdown(rendered, markdown)
        if "&#" in markdown:  # a numeric reference to 128-159 is Windows-1252's character
            rendered = pelican_escapes.windows_1252_references(rendered)
        if pelican.extra_part(site.data, "def_list"):  # its lists are Python-Markdown's too
            rendered = goldmark.definition_lists(rendered, markdown, termless=True)
        rendered = pelican_toc.with_toc(rendered, site.data)
    elif site.kind == "jekyll":
        rendered = _kramdown_finish(rendered, markdown, site, quotes)
    if code_hooks:  # before number_fences, which would number a hooked block
        rendered = hugo_code_hooks.through_hooks(rendered, markdown, code_hooks)
    if numbered:
        rendered = highlight.number_fences(rendered, markdown, site.highlight)
    return goldmark.finish(rendered, markdown, site) if site.kind == "hugo" else rendered


def _code_hooks(site: Site, markdown: str) -> dict[str, hugo_code_hooks.Hook | None]:
    """The site's code block hooks, when the page may have a fenced block for them."""
    if site.kind != "hugo" or ("```" not in markdown and "~~~" not in markdown):
        return {}
    return hugo_code_hooks.hooked_languages(site)


def _as_goldmark(markdown: str, site: Site) -> str:
    """Markdown rewritten for cmark as Hugo's Goldmark reads it."""
    markdown = cmark_tabs.fence_tabs_as_spaces(markdown)
    markdown = goldmark_tables.indented_table_rows(goldmark_tables.lazy_table_rows(markdown))
    markdown = goldmark_tables.short_header_rows(markdown)
    markdown = goldmark_urls.urls_as_goldmark_reads(markdown, bool(site.linkify_protocol))
    markdown = cmark_backticks.paired_as_commonmark(goldmark.escaped_boxes_marked(markdown))
    markdown = goldmark.backslash_runs_as_text(markdown)
    markdown = cmark_tildes.lone_tildes_as_references(markdown)
    markdown = goldmark_attributes.without_block_attributes(markdown) if site.block_attributes else markdown
    markdown = goldmark_attributes.raw_heading_braces_marked(markdown)  # one `in` test without `}</h`
    if site.definition_lists:
        markdown = goldmark_definitions.tab_colons_spaced(markdown)
        markdown = goldmark_definitions.blocks_marked(goldmark.indented_definitions_marked(markdown))
        markdown = goldmark_definitions.item_definitions_marked(markdown)
    markdown = goldmark_inline.as_goldmark_reads(markdown, site.typographer)
    return goldmark_inline.lazy_tags_marked(markdown)


def _as_kramdown(markdown: str, site: Site) -> tuple[str, dict[int, str] | None]:
    """Markdown rewritten for cmark as kramdown reads it, and how the rendered quotes are to
    be written when the site chooses kramdown's (the author's own set aside meanwhile)."""
    markdown = kramdown_fences.fences_as_kramdown_reads(markdown) if "```" in markdown or "~~~" in markdown else markdown
    markdown = kramdown_fences.indented_headings_as_text(markdown) if " #" in markdown else markdown
    markdown = kramdown_tables.rows_before_fences_as_text(markdown) if "|" in markdown else markdown
    markdown = kramdown_html_ends.refused_block_tags(markdown, kramdown_blocks.is_block) if "<" in markdown else markdown
    regions: list[str] = []
    if "<" in markdown and not kramdown_html_ends.reads_block_html(markdown, site.data):
        markdown, regions = kramdown_html_ends.region_marks(markdown, kramdown_blocks.is_block)
        if regions and ("```" in markdown or "~~~" in markdown):  # some fences' ends are set aside with them
            markdown = kramdown_fences.fences_as_kramdown_reads(markdown)
    markdown = kramdown_autolinks.spaced_autolinks(markdown)
    markdown = kramdown.as_kramdown(markdown, site.data)
    markdown = kramdown_html_ends.regions_back(markdown, regions) if regions else markdown
    quotes = kramdown_quotes.chosen(site.data)
    aside = kramdown_quotes.set_aside(markdown) if quotes else None
    return (markdown, None) if aside is None else (aside, quotes)


def _kramdown_finish(rendered: str, markdown: str, site: Site, quotes: dict[int, str] | None) -> str:
    rendered = kramdown_fences.without_marks(rendered) if kramdown_fences.TEXT_MARK in markdown else rendered
    rendered = kramdown_html_ends.without_wrappers(rendered) if kramdown_html_ends.OPENING in markdown else rendered
    rendered = goldmark.definition_lists(rendered, markdown)  # kramdown's too, and its angle quotes:
    rendered = goldmark.angle_quotes(rendered, _in_prose("<<", markdown), _in_prose(">>", markdown), spaced=True)
    rendered = goldmark.greedy_dashes(rendered) if "----" in markdown else rendered
    if kramdown_numbering.numbered(site.data, "block"):
        rendered = kramdown_numbering.numbered_code_blocks(rendered)
    if kramdown_numbering.numbered(site.data, "span"):
        rendered = kramdown_numbering.numbered_code_spans(rendered)
    if kramdown_toc.TOC_MARK in rendered or kramdown_toc.NO_TOC_MARK in rendered:
        rendered = kramdown_toc.table_of_contents(rendered, site.data)
    return kramdown_quotes.as_chosen(rendered, quotes) if quotes else rendered


def _in_prose(mark: str, markdown: str) -> bool:
    """Whether mark (`<<`) is in the text outside code and not escaped (`\\<\\<` is no quote to
    kramdown): only then are the rendered text's `&lt;&lt;` its angle quotes."""
    if mark not in markdown:
        return False
    found: list[bool] = []

    def look(prose: str) -> str:
        found.append(mark in prose.replace("\\" + mark[0], ""))
        return prose

    outside_code(markdown, look)
    return any(found)


def _hugo_extensions(site: Site, extensions: tuple[bytes, ...], options: int) -> tuple[tuple[bytes, ...], int]:
    """Goldmark's extensions less those the site turns off (markup.goldmark.extensions.table,
    strikethrough, taskList or footnote set to false)."""
    kept = tuple(name for name in extensions if site.goldmark_extension(name.decode()) is not False)
    return kept, options & ~FOOTNOTES if site.goldmark_extension("footnote") is False else options


def _render_with(markdown: str, extensions: tuple[bytes, ...], options: int) -> str:
    lib, data = _cmark.lib, markdown.encode("utf-8")
    lib.cmark_gfm_core_extensions_ensure_registered()
    parser = lib.cmark_parser_new(options)
    try:
        for name in extensions:
            lib.cmark_parser_attach_syntax_extension(parser, lib.cmark_find_syntax_extension(name))
        lib.cmark_parser_feed(parser, data, len(data))
        root = lib.cmark_parser_finish(parser)
        try:
            return _html(lib.cmark_render_html(root, options, lib.cmark_parser_get_syntax_extensions(parser)))
        finally:
            _free_node(int(_cmark.ffi.cast("uintptr_t", root)))
    finally:
        lib.cmark_parser_free(parser)


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    kind = templates.site().kind
    if kind == "pelican":
        return pelican.split_meta(text)
    metadata, body, _kind = front_matter.split(text, jekyll=kind == "jekyll", hugo=kind == "hugo")
    return metadata, body


_LINE = re.compile(r"line (\d{1,9})")


def _lines_before(body: str, text: str) -> int:
    """The file's lines before its body (what follows the front matter, when it is a part of
    text as written)."""
    return text[:len(text) - len(body)].count("\n") if body and text.endswith(body) else 0


def _file_lines(warnings: list[str], offset: int) -> tuple[str, ...]:
    """Warnings naming a line of the body ("line 3: ...") made to name the file's line."""
    def moved(found: re.Match[str]) -> str:
        return f"line {int(found.group(1)) + offset}"

    return tuple(_LINE.sub(moved, warning, count=1) if warning.startswith("line ") else warning
                 for warning in warnings)


def title_from_file_name(path: str) -> str:
    """Jekyll's rule: the file name without date prefix, words capitalized."""
    dated = file_name_date(path)
    stem = dated[1] if dated else PurePosixPath(path).stem
    return " ".join(word.capitalize() for word in re.split(r"[-_\s]+", stem) if word)


def _derived_title(body: str, path: str, kind: str) -> tuple[str, str, str]:
    """Title, body and warning of an article without a title. A leading `# Title` is its
    title and leaves the body, unless the article is a generator's: Jekyll titles a post from
    its file name and Hugo leaves the title empty (an empty title is not valid in a feed),
    and both publish the heading in the body."""
    heading = None if kind == "jekyll" else _leading_h1(body)
    if not heading:
        return title_from_file_name(path), body, "no title: using the file name"
    return heading[0], (body if kind == "hugo" else heading[1]), ""


def _leading_h1(body: str) -> tuple[str, str] | None:
    """A first block that is a level-one heading (`# Title` or underlined with `===`):
    its text, and the body without it."""
    match = _LEADING_H1.match(render(body, HEADING_OPTIONS))
    if not match:
        return None
    lines = body.split("\n")
    start = int(match.group(1)) - 1
    end = start + 1  # cmark's end position of an underlined heading is not reliable
    if not _ATX_HEADING.match(lines[start]):
        while end < len(lines) and not _SETEXT_H1_UNDERLINE.fullmatch(lines[end]):
            end += 1
        end += 1
    # Safe mode wrote raw HTML as a comment, so the heading holds only cmark's own tags.
    title = html.unescape(ANY_TAG.sub("", match.group(2)))
    return " ".join(title.split()), "\n".join(lines[end:])


def read(text: str, path: str) -> RawArticle:
    """Read a Markdown article."""
    metadata, body = _front_matter(text)
    expanded = templates.expand(body, path, metadata)
    title = " ".join(str(metadata.get("title") or "").split())
    offset = _lines_before(body, text)
    warnings, body = _file_lines(expanded.warnings, offset), expanded.text
    site = templates.site()
    if site.kind == "pelican":
        title = pelican.feed_title(title or pelican.site_title(path, site))
        if not title:
            raise pelican.no_title()
    if not title:
        title, body, warning = _derived_title(body, path, site.kind)
        warnings += (warning,) if warning else ()
        if not title:
            raise ReadError("no title: add 'title:' to the front matter or start with '# Title'")
    if site.kind == "pelican" and "{%" in body and (tags := pelican_liquid_tags.tags_on(site.data)):
        body, removed = pelican_liquid_tags.unrendered_removed(body, tags)
        if "include_code" in tags:  # last: the code included is no tag's text
            body, refused, figures = pelican_include_code.included(body, site)
            removed, expanded = removed + refused, replace(expanded, fills=figures)  # Pelican's fills none else
        warnings += _file_lines(removed, offset)
    rendered = render_as(body, site)
    body_html = expanded.fill(rendered, lambda inner: render_as(inner, site))
    body_html = hugo_toc.filled(body_html, rendered, site.data)
    body_html = templates.published(body_html)
    return RawArticle(path=path, title=title, body_html=body_html, metadata=metadata,
                      warnings=warnings)
