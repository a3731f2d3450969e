"""What Hugo's render hooks for links and images (layouts/_default/_markup/render-link.html
and render-image.html, else a theme's) change in a page's text. Hugo writes each link of a
page's Markdown (autolinks too), and each image, through the hook; feedsvc runs neither,
but follows the three things of theirs that show:

- the white space a link hook writes around its anchor, where a link is not spaced from
  what is next to it: a template with a line end before its <a> (after a line holding a
  `{{/* comment */}}`) and after its </a> makes `([dplyr](…))` read "( dplyr )", and so do
  tags without text between (an icon's <svg>). A hook writing text beside its anchor is
  left alone;
- the link's text a hook writes with `{{ .Text }}` (or `{{ $text }}`, a variable set to it),
  not through safeHTML: Hugo 0.111 hands
  it the text's HTML as a string, which the template escapes, so the page shows that HTML as
  written (`[Tom &amp; Jerry](…)` reads "Tom &amp; Jerry", `[**#241**](…)` "<strong>#241</strong>",
  the typographer's quotes their entities, `&rsquo;`), as Goldmark writes it. An autolink's
  text is its address as written and reads as it is;
- the text a heading hook (render-heading.html) writes beside the heading's own, out of
  tags or in them, as a `#` permalink after it: `{{ .Text | safeHTML }} <a href="#…">#</a>`
  makes "About #" of `## About`. A hook that writes there from an action (`{{ if … }}`, a
  parameter) is left alone, and so is a heading the page writes as HTML;
- the white space an image hook writes around its <img> (its file's last line end after it);
- the caption an image hook writes from the image's description (`.Text` or `.PlainText`)
  or its title (`.Title`), directly or through a variable, in a <figcaption>, as themes such
  as Stack (the description) and Clarity (the title) do: each image with one is given a
  <figure> with it as caption. A hook whose <figcaption> holds anything else (a page
  parameter) is left alone.

A link or image the page also writes as HTML, tag for tag, is left as it is (cmark's tag and
the page's own look the same; Hugo runs only the Markdown one through the hook). The hooks
are read once per site configuration (by its fingerprint), at most MAX_TEMPLATE_BYTES each,
only from inside the content folder.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from . import go_template
from .markdown_code import outside_code
from .site import Site
from .site_shortcodes import first_layout, segments, template_text

LINK_HOOK = "_default/_markup/render-link.html"
IMAGE_HOOK = "_default/_markup/render-image.html"
HEADING_HOOK = "_default/_markup/render-heading.html"
# cmark-gfm's anchor of a Markdown link or autolink (a footnote's has more attributes)
_LINK = re.compile(r'<a href="[^"<>]*+"(?: title="[^"<>]*+")?>')
_IMAGE = re.compile(r'<img src="[^"<>]*+" alt="([^"<>]*+)"(?: title="([^"<>]*+)")? />')
_RAW_TAG = re.compile(r"<(?:a|img)[\s>/]", re.IGNORECASE)
_FIELD = re.compile(r"\.(PlainText|Text|Title)\b")
_BLOCK_ACTION = re.compile(r"\{\{-?\s*(if|with|range|else|end)\b")  # an action opening, dividing, ending a block
_FROM = {"PlainText": "alt", "Text": "alt", "Title": "title"}  # what an image's field is in cmark's <img>
_VARIABLE = re.compile(r"\$\w+")
_BARE_TEXT = re.compile(r"\{\{-?\s*\.Text\s*-?\}\}")  # written as it is: escaped by the template
# A variable set to the text as it is (`{{- $text := .Text -}}`): written bare, it is escaped too
_TEXT_VARIABLE = re.compile(r"\{\{-?\s*(\$\w+)\s*:=\s*\.Text\s*-?\}\}")
# A heading hook's action writing the heading's text, as HTML or plain text
_HEADING_TEXT = re.compile(r"\s*(?:\.Text\s*\|\s*safeHTML|\.PlainText)\s*")
_ANY_TAG = re.compile(r"<[^<>]*+>")
_ACTION_MARK = "\x00"  # where a template's action was, in the text around a heading's
_CMARK_HEADING = re.compile(r"<h([1-6])>")
# The typographer's characters (cmark's smart punctuation) as Goldmark writes them: entities.
_TYPOGRAPHER_ENTITIES = {"‘": "&lsquo;", "’": "&rsquo;", "“": "&ldquo;", "”": "&rdquo;",
                         "–": "&ndash;", "—": "&mdash;", "…": "&hellip;"}
_VOID_END = re.compile(r"<((?:img|br)\b[^<>]*?) />")  # Goldmark writes <br>, <img …>, cmark <br />
_KNOWN: dict[tuple[str, str], Hooks] = {}  # (site root, fingerprint) -> its hooks
MAX_KNOWN = 64


@dataclass(frozen=True)
class Hooks:
    lead: str = ""  # written before each link's anchor
    trail: str = ""  # and after it
    captions: str = ""  # the <img> attribute ("alt", "title") an image hook captions images with
    escaped: bool = False  # whether the link hook writes its text's HTML escaped
    heading_lead: str = ""  # the text a heading hook writes before the heading's own
    heading_trail: str = ""  # and after it
    image_lead: str = ""  # the white space an image hook writes before its <img>
    image_trail: str = ""  # and after it

    def __bool__(self) -> bool:
        return bool(self.lead or self.trail or self.captions or self.escaped or self.heading_lead
                    or self.heading_trail or self.image_lead or self.image_trail)


def hooks(site: Site) -> Hooks:
    """What the site's link and image hooks change."""
    key = (str(site.root), site.fingerprint)
    if key not in _KNOWN:
        if len(_KNOWN) >= MAX_KNOWN:
            _KNOWN.clear()
        link, image = _template(site, LINK_HOOK), _template(site, IMAGE_HOOK)
        escaped = writes_text_escaped(go_template.strip_comments(link))
        _KNOWN[key] = Hooks(*around(link), captions(image), escaped, *beside_heading(_template(site, HEADING_HOOK)),
                            *around(image, "<img", ">"))
    return _KNOWN[key]


def writes_text_escaped(template: str) -> bool:
    """Whether a link hook writes the link's text without safeHTML: `{{ .Text }}`, or a
    variable set to it and never set again written as it is (`{{ $text }}`)."""
    if _BARE_TEXT.search(template):
        return True
    for name in set(_TEXT_VARIABLE.findall(template)):
        written = re.search(r"\{\{-?\s*" + re.escape(name) + r"\s*-?\}\}", template)
        if written and not re.search(re.escape(name) + r"\s*=", template):
            return True
    return False


def _template(site: Site, relative: str) -> str:
    found = first_layout(site, relative)
    try:
        return (template_text(found[0]) or "") if found else ""
    except OSError:
        return ""


def around(template: str, opening: str = "<a", closing: str = "</a>") -> tuple[str, str]:
    """The white space a link hook's template writes before its anchor and after it (an image
    hook's around its `<img`…`>`, when it writes no other tag), ("", "") unless what it writes
    (its actions aside) is the element and tags without text: an icon's `<span><svg …></svg></span>` after `</a>` and a
    line end shows no text, the line end a space (a template file's last line end is written too)."""
    parts = segments(template)
    written = "".join(text for kind, text in parts or () if kind == "text")
    found = re.search(re.escape(opening) + r"[\s>/]", written)  # `<a `, not `<abbr`
    start = found.start() if found else -1
    end = written.find(closing, start) if closing == ">" else written.rfind(closing)
    sides = (written[:start], written[end + len(closing):])
    if start < 0 or end < start or closing == ">" and "<" in "".join(sides):  # an image alone
        return ("", "")
    before, after = (_ANY_TAG.sub("", side) for side in sides)
    if before.strip() or after.strip():
        return ("", "")
    return before, after


def beside_heading(template: str) -> tuple[str, str]:
    """The text a heading hook writes before and after the heading's text (tags left out):
    ("", " #") for `<h{{ .Level }} id="…">{{ .Text | safeHTML }} <a href="#…">#</a></h…>`;
    ("", "") when it writes the heading's text other than once, or an action writes there."""
    parts = segments(template) or []
    texts = [index for index, (kind, inner) in enumerate(parts)
             if kind == "action" and _HEADING_TEXT.fullmatch(inner)]
    if len(texts) != 1:
        return ("", "")
    before, after = (_ANY_TAG.sub("", "".join(_written(kind, text) for kind, text in side))
                     for side in (parts[:texts[0]], parts[texts[0] + 1:]))
    if _ACTION_MARK in before + after:
        return ("", "")
    return before.lstrip(), after.rstrip()


def _written(kind: str, text: str) -> str:
    if kind == "text":
        return text
    return "" if text.strip().startswith("/*") else _ACTION_MARK  # a comment writes nothing


def captions(template: str) -> str:
    """What an image hook's <figcaption> writes of the image: "alt" when what its actions
    write there (and the `with`/`if` action it is in) read `.Text` or `.PlainText`, or a
    variable the template sets from one; "title" for `.Title`; "" for anything else."""
    template = go_template.strip_comments(template)
    start = template.find("<figcaption")
    end = template.find("</figcaption>", start)
    if start < 0 or end < 0:
        return ""
    enclosing = _enclosing_condition(template, start)
    if enclosing is None:
        return ""
    region = enclosing + template[start:end]
    fields = set(_FIELD.findall(region))
    for name in set(_VARIABLE.findall(region)):
        fields.update(re.findall(re.escape(name) + r"\s*:?=\s*\.(PlainText|Text|Title)\b", template))
    found = {_FROM[field] for field in fields}
    return found.pop() if len(found) == 1 else ""


def _enclosing_condition(template: str, start: int) -> str | None:
    """The `with`/`if` action whose block holds what starts at start ("" when none; None when
    it is in an `else` branch, whose condition says nothing of the caption): found going back
    over the actions, blocks that end before start skipped (an action writing the <img>'s alt
    is none). Actions looked at are bounded by the template's size (MAX_TEMPLATE_BYTES)."""
    depth = 0
    for action in reversed(list(_BLOCK_ACTION.finditer(template, 0, start))):
        word = action.group(1)
        if word == "end":
            depth += 1
        elif word == "else" and depth == 0:
            return None
        elif word in ("if", "with", "range") and depth:
            depth -= 1
        elif word in ("if", "with"):
            return template[action.start():template.find("}}", action.start()) + 2]
    return ""


def rewritten(rendered: str, source: str, found: Hooks, typographer: bool = False) -> str:
    """cmark's HTML of a page as the site's hooks write its links and images (typographer:
    whether its smart punctuation is Goldmark's typographer's)."""
    if (found.heading_lead or found.heading_trail) and "<h" in rendered:
        rendered = _beside_headings(rendered, source, found.heading_lead, found.heading_trail)
    if "<a" not in rendered and "<img" not in rendered:
        return rendered
    own = _own_tags(source)
    if found.escaped and "<a" in rendered:
        rendered = _escaped_texts(rendered, source, own, typographer)
    if found.captions and "<img" in rendered:
        group = 1 if found.captions == "alt" else 2
        rendered = _IMAGE.sub(lambda image: _captioned(image.group(), image.group(group), own), rendered)
    if (found.image_lead or found.image_trail) and "<img" in rendered:
        rendered = _IMAGE.sub(lambda image: image.group() if image.group() in own
                              else found.image_lead + image.group() + found.image_trail, rendered)
    return _spaced(rendered, own, found.lead, found.trail) if found.lead or found.trail else rendered


def _beside_headings(rendered: str, source: str, lead: str, trail: str) -> str:
    """Each Markdown heading (cmark's bare `<hN>`) with a hook's text before and after its
    own; a page's own `<hN>` in HTML looks the same, so none is touched then."""
    lead, trail, kept, position = html.escape(lead), html.escape(trail), [], 0
    own = _headings_written_as_html(source)
    for found in _CMARK_HEADING.finditer(rendered):
        closing = f"</h{found.group(1)}>"
        if found.start() < position or found.group() in own:
            continue
        if (end := rendered.find(closing, found.end())) < 0:
            break
        kept += [rendered[position:found.end()], lead, rendered[found.end():end], trail]
        position = end
    return "".join(kept) + rendered[position:]


def _headings_written_as_html(source: str) -> set[str]:
    """The heading tags (`<h2>`) the page writes itself, outside code: a listing's are none."""
    if "<h" not in source:
        return set()
    prose: list[str] = []

    def kept(stretch: str) -> str:
        prose.append(stretch)
        return stretch

    outside_code(source, kept)
    return {f"<h{level}>" for level in range(1, 7) if f"<h{level}>" in "".join(prose)}


def _captioned(image: str, caption: str | None, own: set[str]) -> str:
    if not caption or image in own:
        return image
    return f"<figure>{image}<figcaption>{caption}</figcaption></figure>"


def _escaped_texts(rendered: str, source: str, own: set[str], typographer: bool) -> str:
    """Each Markdown link's text, but an autolink's, as the HTML Goldmark writes of it, escaped."""
    entities = {char: entity for char, entity in _TYPOGRAPHER_ENTITIES.items()
                if typographer and char not in source}  # one typed as it is stays so
    kept, position = [], 0
    for found, end in _hook_links(rendered, own):
        text = rendered[found.end():end]
        if not _autolink(html.unescape(found.group().split('"')[1]), html.unescape(text), source):
            text = _VOID_END.sub(r"<\1>", text) if "/>" in text else text
            text = html.escape("".join(entities.get(char, char) for char in text) if entities else text)
        kept += [rendered[position:found.end()], text]
        position = end
    return "".join(kept) + rendered[position:]


def _autolink(address: str, text: str, source: str) -> bool:
    """Whether a link is an autolink (`<…>` or a bare address Goldmark's linkify found): its
    text is its address (or the address but its scheme), and no `[text]` in the source."""
    bare = address.partition(":")[2].removeprefix("//")
    return text in (address, bare) and f"[{text}]" not in source and f"[{html.escape(text)}]" not in source


def _hook_links(rendered: str, own: set[str]) -> Iterator[tuple[re.Match[str], int]]:
    """Each link a render hook writes, as the match of its opening tag and where its </a>
    is; the page's own anchors (own) are not the hook's."""
    position = 0
    for found in _LINK.finditer(rendered):
        if found.start() < position or found.group() in own:
            continue
        if (end := rendered.find("</a>", found.end())) < 0:
            return
        yield found, end
        position = end


def _spaced(rendered: str, own: set[str], lead: str, trail: str) -> str:
    kept, position = [], 0
    for found, end in _hook_links(rendered, own):
        kept += [rendered[position:found.start()], lead, rendered[found.start():end + 4], trail]
        position = end + 4
    return "".join(kept) + rendered[position:]


def _own_tags(source: str) -> set[str]:
    """The opening tags of the anchors and images a page's source writes as HTML (downlit's
    `<a href='…'>` in code listings never looks like cmark's)."""
    tags, position = set(), 0
    while (start := _RAW_TAG.search(source, position)) is not None:
        end = source.find(">", start.start())
        if end < 0:
            break
        tags.add(source[start.start():end + 1])
        position = end + 1
    return tags
