"""What a reading mode takes out of the story it chose before showing it: asides, forms,
share buttons, lists of related links, comment boxes, galleries of teasers. Readability's
rules (its `_prepArticle` and `_cleanConditionally`), so a saved page's entry ends where
the story ends rather than with "Related articles" and "Comments".

Blocks (`div`, `ul`, `table`, `form`, `fieldset`) are judged from the innermost out, each
on what is left in it once the blocks inside it were judged, in one pass over the story
(time in proportion to its size, however deep it nests). A block goes when its class or
id says it is not the story (comments, share, related, sidebar...), or when, with fewer
than ten commas, it is mostly links, holds more images than paragraphs, more form fields
than a third of its paragraphs, or under 25 characters and no single image. What is
inside `<pre>`, `<code>` or a table of data stays. When that leaves under 500 characters
of a story (a site whose every block is classed "widget"), the class hints are not
weighed, then blocks not judged, as readability tries again.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .extract import BLOCKS, CLASS_WEIGHT, MIN_STORY, class_weight

JUDGED = {"div", "ul", "table", "form", "fieldset"}
# Gone whatever they hold (readability's _clean): never the story's text.
ALWAYS = {"aside", "footer", "object", "embed", "link", "input", "textarea", "select", "button"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Where text counts as a block's useful content (readability's DIV_TO_P_ELEMS with spans,
# items and cells).
TEXTISH = {"span", "li", "td", "blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul"}
PROTECTING = {"pre", "code"}  # what is inside them is shown as written
FIELDS = {"input", "textarea", "select"}
TABLE_PARTS = {"caption", "th", "thead", "tfoot", "col", "colgroup"}
MAX_COMMAS = 10  # a block with this many commas is prose, whatever else it holds
MIN_TEXT = 25
MANY_ITEMS = 100  # list items outside a list, beyond the paragraphs
MAX_AD_TEXT = 20  # characters: an advertisement's label alone
MAX_LINK_SHARE = 0.2  # of a block without a story's class
MAX_LINK_SHARE_STORY = 0.5  # of a block whose class says story
MAX_SHARE_BOX = 500  # characters: a share box holds a few words
MAX_TABLE_LINK_SHARE = 0.5  # of a table of data's text; more makes it a table of links
# readability's attempts, (class hints weighed, blocks judged), until one leaves MIN_STORY
# characters of text.
ATTEMPTS = ((True, True), (False, True), (False, False))
KEPT, GONE, JUDGED_OUT = "kept", "gone", "judged out"
FIGURE_DEPTH = 4  # a block within this many levels of a <figure> is a figure's
_SHARE = re.compile(r"(?:\b|_)(?:share|sharedaddy)(?:\b|_)", re.IGNORECASE)
_AD = re.compile(r"^(?:ad(?:vertising|vertisement)?|pub(?:licité)?|werb(?:ung)?|广告|Реклама|Anuncio)$",
                 re.IGNORECASE)
_LOADING = re.compile(r"^(?:loading|正在加载|Загрузка|chargement|cargando)(?:…|\.\.\.)?$", re.IGNORECASE)


class _Counts:
    """What a block holds once the blocks inside it were judged."""

    __slots__ = ("text", "links", "commas", "paragraphs", "images", "items", "fields", "headings", "lists",
                 "textish", "data_tables", "words")

    def __init__(self, text: int = 0, commas: int = 0, words: tuple[str, ...] = ()) -> None:
        self.text, self.commas, self.words = text, commas, words  # words: while short enough to be an ad's
        self.links = self.headings = self.lists = self.paragraphs = self.images = self.items = self.fields = 0
        self.textish = self.data_tables = 0  # text inside paragraphs, items, cells...; tables of data

    def copy(self) -> _Counts:
        return _Counts(self.text, self.commas, self.words)

    def add(self, other: _Counts) -> None:
        self.text += other.text
        self.links += other.links
        self.commas += other.commas
        self.paragraphs += other.paragraphs
        self.images += other.images
        self.items += other.items
        self.fields += other.fields
        self.headings += other.headings
        self.lists += other.lists
        self.data_tables += other.data_tables
        if len(self.words) < 4:
            self.words += other.words[:4]

    def close(self, tag: str) -> _Counts:
        """Count what the element's own tag counts for, once its children are added."""
        self.links = self.text if tag == "a" else self.links
        self.headings = self.text if tag in HEADINGS else self.headings
        self.lists = self.text if tag in {"ul", "ol"} else self.lists
        self.paragraphs += tag == "p"
        self.images += tag == "img"
        self.items += tag == "li"
        self.fields += tag in FIELDS
        return self


class _Story:
    """What the attempts share, by position in document order: each element's tag, its
    parent's position, own text and class hints, and how it may go."""

    def __init__(self, story: Any, gone: set[Any] | frozenset[Any]) -> None:
        self.elements = [element for element in story.iter() if isinstance(element.tag, str)]
        position = {element: index for index, element in enumerate(self.elements)}
        self.parents = [position.get(element.getparent(), -1) for element in self.elements]
        self.tags = [element.tag for element in self.elements]
        self.own = [_own_text(element) for element in self.elements]
        self.weights = [class_weight(element) for element in self.elements]
        self.share = [_SHARE.search(f"{element.get('class') or ''} {element.get('id') or ''}") is not None
                      for element in self.elements]
        self.data_tables = _data_tables(self.tags, self.parents, self.elements)
        self.gone = {position[element] for element in gone if element in position}
        self.open, self.in_figure, self.holds_block = self._placed()

    def _placed(self) -> tuple[list[bool], list[bool], list[bool]]:
        """Whether each element may go (not the story, nor inside <pre>, <code> or a table of
        data), is within FIGURE_DEPTH levels of a <figure>, and holds a block."""
        count = len(self.tags)
        open_, figure_levels, holds_block = [False] * count, [0] * count, [False] * count
        protected = [index in self.data_tables for index in range(count)]
        for index in range(1, count):  # parents before their children
            parent = self.parents[index]
            protected[index] = protected[index] or protected[parent] or self.tags[parent] in PROTECTING
            open_[index] = not protected[index]
            figure_levels[index] = FIGURE_DEPTH if self.tags[parent] == "figure" else max(figure_levels[parent] - 1, 0)
            holds_block[parent] = holds_block[parent] or self.tags[index] in BLOCKS
        return open_, [levels > 0 for levels in figure_levels], holds_block


def removable(story: Any, gone: set[Any] | frozenset[Any] = frozenset()) -> tuple[list[Any], int]:
    """The elements inside story that a reading mode removes, each with all it holds (gone:
    elements removed whatever the rules say), and the characters of text it leaves:
    readability's attempts in turn (all its rules, then without the class hints, then
    without judging blocks), the first that leaves MIN_STORY characters, else the one
    that leaves most."""
    shared = _Story(story, gone)
    fallback: tuple[list[Any], int] = ([], -1)
    for weigh, judge in ATTEMPTS:
        removed, left, judged = _cleaned(shared, weigh, judge)
        if left >= MIN_STORY or not judged:  # (nothing judged: the next attempts do the same)
            return removed, left
        fallback = max(fallback, (removed, left), key=lambda attempt: attempt[1])
    return fallback


def _cleaned(story: _Story, weigh: bool, judge: bool) -> tuple[list[Any], int, bool]:
    """What one attempt removes, the characters of text it leaves, and whether a class hint
    or a block's judgement removed any of it."""
    totals: list[_Counts | None] = [None] * len(story.elements)
    removed: list[Any] = []
    judged = False
    for index in range(len(story.elements) - 1, -1, -1):  # children before their parents
        tag = story.tags[index]
        mine = (totals[index] or story.own[index].copy()).close(tag)
        mine.data_tables += index in story.data_tables
        goes = _goes(story, index, mine, weigh, judge) if story.open[index] else KEPT
        if goes is not KEPT:
            judged = judged or goes is JUDGED_OUT
            removed.append(story.elements[index])
            if tag not in FIELDS:
                continue
            mine = _Counts()  # still a form's field to the blocks around it
            mine.fields = 1
        if (parent := story.parents[index]) >= 0:
            if totals[parent] is None:
                totals[parent] = story.own[parent].copy()
            totals[parent].add(mine)  # type: ignore[union-attr]
            totals[parent].textish += mine.text if tag in TEXTISH else mine.textish  # type: ignore[union-attr]
    return removed, (totals[0] or story.own[0]).text, judged


def _own_text(element: Any) -> _Counts:
    """The element's own text and its children's tails."""
    own = [element.text or ""] + [child.tail or "" for child in element]
    pieces = [piece.strip() for piece in own if piece.strip()]
    return _Counts(sum(map(len, pieces)), sum(piece.count(",") for piece in pieces), tuple(pieces[:4]))


def _data_tables(tags: list[str], parents: list[int], elements: list[Any]) -> set[int]:
    """The positions of tables holding data (readability's test): a caption, headers or many
    cells; a table laid out with role=presentation or holding tables is layout, and so is
    one of many cells but no headers whose text is mostly links (headlines in rows)."""
    if "table" not in tags:
        return set()
    inner: dict[int, tuple[bool, int, int, int]] = {}  # headers, tables, rows, cells inside
    data = set()
    for index in range(len(tags) - 1, -1, -1):  # children before their parents
        tag = tags[index]
        headers, tables, rows, cells = inner.pop(index, (False, 0, 0, 0))
        headers, rows, cells = headers or tag in TABLE_PARTS, rows + (tag == "tr"), cells + (tag == "td")
        if tag == "table":
            element = elements[index]
            layout = (element.get("role") or "") == "presentation" or element.get("datatable") == "0"
            many = not tables and (rows >= 10 or cells > 10) and not _mostly_links(element)
            if not layout and (headers or element.get("summary") or many):
                data.add(index)
            tables += 1
        if (parent := parents[index]) >= 0 and (headers or tables or rows or cells):
            above = inner.get(parent, (False, 0, 0, 0))
            inner[parent] = (above[0] or headers, above[1] + tables, above[2] + rows, above[3] + cells)
    return data


def _mostly_links(table: Any) -> bool:
    """Whether over MAX_TABLE_LINK_SHARE of a table's text is in links: rows of headlines laid
    out in a table ("Latest stories"), no data. (Asked of tables holding none: their texts are
    read once.)"""
    text = sum(len(piece.strip()) for piece in table.itertext())
    linked = sum(len(piece.strip()) for link in table.iter("a") for piece in link.itertext())
    return text > 0 and linked > text * MAX_TABLE_LINK_SHARE


def _goes(story: _Story, index: int, counts: _Counts, weigh: bool, judge: bool) -> str:
    """KEPT, GONE (whatever the attempt) or JUDGED_OUT (by a class hint or a block's judgement)."""
    tag = story.tags[index]
    if tag in ALWAYS or index in story.gone or (story.share[index] and counts.text < MAX_SHARE_BOX):
        return GONE
    weight = story.weights[index] if weigh else 0
    if tag in {"h1", "h2"}:
        return JUDGED_OUT if weight < 0 else KEPT
    # a <div> holding no block was read as a paragraph when the story was chosen
    if judge and tag in JUDGED and (tag != "div" or story.holds_block[index]):
        return JUDGED_OUT if _judged_out(tag, counts, weight, story.in_figure[index]) else KEPT
    return KEPT


def _judged_out(tag: str, counts: _Counts, weight: int, in_figure: bool) -> bool:
    """readability's conditional cleaning of one block (weight: its class hints' points)."""
    if weight < 0:
        return True
    if counts.commas >= MAX_COMMAS or counts.data_tables:
        return False
    text = " ".join(counts.words) if counts.text <= MAX_AD_TEXT else ""
    if _AD.match(text) or _LOADING.match(text):
        return True
    is_list = tag == "ul" or (counts.text > 0 and counts.lists / counts.text > 0.9)
    if is_list and counts.images and counts.images == counts.items:  # a list of pictures stays
        return False
    return _suspect(counts, weight, is_list, in_figure)


def _suspect(counts: _Counts, weight: int, is_list: bool, in_figure: bool) -> bool:
    """readability's signs of a block that is no part of the story."""
    link_share = counts.links / counts.text if counts.text else 0.0
    heading_share = counts.headings / counts.text if counts.text else 0.0
    images, paragraphs = counts.images, counts.paragraphs
    return ((images > 1 and paragraphs / images < 0.5 and not in_figure)
            or (not is_list and counts.items - MANY_ITEMS > paragraphs)
            or counts.fields > math.floor(paragraphs / 3)
            or (not is_list and not in_figure and heading_share < 0.9 and counts.text < MIN_TEXT
                and (images == 0 or images > 2) and link_share > 0)
            or (not is_list and weight < CLASS_WEIGHT and link_share > MAX_LINK_SHARE)
            or (weight >= CLASS_WEIGHT and link_share > MAX_LINK_SHARE_STORY)
            or (images == 0 and counts.textish == 0))
