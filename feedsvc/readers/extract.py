"""The main article of a saved page, chosen as a reading mode chooses it.

Every element is scored in one pass from its children up (so the whole page costs time in
proportion to its size, however deep it nests): the text of the paragraphs it holds itself,
with half of those its children hold (readability's rule: a story's container holds its
paragraphs, a page of teasers holds none), lowered by the share of its text in links.
A `<div>` holding no block is a paragraph too, as readability reads it, and so is each run of
text a `<div>` holds between its blocks (readability wraps such runs in paragraphs); what scripts,
styles, menus (`<select>`) and buttons hold is not text; class and id words raise or lower
a candidate as readability's hints do (`post-body` up, `sidebar` down).
Candidates are `<article>`, `<main>`, `role=main`,
`itemprop=articleBody` and the containers of paragraphs; the best scoring one wins, and an
element inside it that keeps most of its score wins over it (the story rather than the
story with its comments and teasers). A story split into blocks that each score nearly
as well, or that are wrapped alike (the best block's tag and class) and score a good share
of it, is read from their nearest common ancestor, as readability does; so is a story in
two parts whose class is the same. A page of many
`<article>` teasers and one story gives the story, never simply the first `<article>`.
The chosen element's siblings that score a good share of it, or are paragraphs of prose,
join it in their order (readability's sibling rule): a story written as a run of `<div>`s
under one `<article>`, between headings, is read whole. The story can be looked for as if
some elements held no text (readability's unlikely parts: comments, menus, sidebars).
"""

from __future__ import annotations

import re
from collections import defaultdict
from copy import deepcopy
from typing import Any

from lxml.html.defs import tags as HTML_TAGS

PARAGRAPHS = {"p", "pre", "blockquote", "li", "h2", "h3", "h4", "h5", "h6", "dd", "figcaption"}
# A <div> holding none of these is a paragraph (readability reads it so): some pages
# write a story as one <div> per paragraph.
BLOCKS = {"blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul", "section", "article",
          "figure", "h1", "h2", "h3", "h4", "h5", "h6"}
# What readability counts as phrasing content, and the inline elements of HTML 4 that it leaves
# out (<font>, <u>, <tt>...: old pages write stories in them): runs of it in a <div> beside
# blocks make paragraphs.
PHRASING = {"a", "abbr", "audio", "b", "bdo", "br", "button", "cite", "code", "data", "datalist", "del", "dfn",
            "em", "embed", "i", "img", "input", "ins", "kbd", "label", "mark", "math", "meter", "noscript",
            "object", "output", "progress", "q", "ruby", "samp", "script", "select", "small", "span", "strong",
            "sub", "sup", "textarea", "time", "var", "wbr", "font", "u", "s", "strike", "big", "tt", "nobr"}
# What they hold is not read. An <iframe> shows the page its src names: what it holds (markup
# libxml2 and a browser read as text) is shown nowhere.
NOT_TEXT = {"script", "style", "noscript", "template", "select", "button", "iframe"}
MIN_DIV_PARAGRAPH = 25  # characters not in links
CELLS_AND_DIVS = {"td", "div"}
TABLE_PARTS = {"tr", "tbody", "thead", "tfoot", "table"}
# Inline elements that old pages wrap around a story's paragraphs (`<td><font><p>…`, which
# libxml2 nests as written): no candidate, the paragraphs' text is held past them.
WRAPPERS = {"font", "span", "b", "i", "u", "em", "strong", "small", "big", "center", "tt", "s", "strike"}
CONTAINERS = {"article", "main", "section", "div", "td", "body"}
NAMED = {"article", "main"}
# An element inside the best one is preferred when it keeps this share of its score.
INNER_SHARE = 0.75
# Blocks scoring at least RIVAL_SHARE of the best that make the best's ancestor the story
# when there are MIN_PARTS with it (readability's three top candidates sharing an ancestor);
# at most MAX_RIVALS are looked at.
RIVAL_SHARE = 0.6
# Blocks wrapped alike (the best's tag and class) count from this share of the best's score.
ALIKE_SHARE = 0.3
MIN_PARTS = 3
MAX_RIVALS = 20
# A named candidate (article, main) is preferred to an unnamed one scoring under this factor more.
NAMED_BONUS = 1.25
# Class and id words that readability takes for a story's container, or for anything else.
_POSITIVE = re.compile(r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story",
                       re.IGNORECASE)
_NEGATIVE = re.compile(r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr"
                       r"|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper"
                       r"|sponsor|shopping|tags|widget", re.IGNORECASE)
CLASS_FACTOR = 1.5
CLASS_WEIGHT = 25  # readability's points for each of class and id
# A sibling of the chosen element joins it when it scores this share of it (readability's
# threshold, at least MIN_SIBLING_SCORE: about two lines of prose), or when it is a <p> of
# prose: over MIN_SIBLING_PROSE characters with under MAX_SIBLING_LINKS of them in links, or
# a shorter sentence without links.
SIBLING_SHARE = 0.2
MIN_SIBLING_SCORE = 100
MIN_SIBLING_PROSE = 80
MAX_SIBLING_LINKS = 0.25
_SENTENCE_END = re.compile(r"\.(?: |$)")
# readability's unlikely candidates: left out before the story is looked for.
_UNLIKELY = re.compile(r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer"
                       r"|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social"
                       r"|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote", re.IGNORECASE)
_MAYBE_STORY = re.compile(r"and|article|body|column|content|main|mathjax|shadow", re.IGNORECASE)
# Of those, what names comments: never the story, even when the story is looked for again
# among all the page ("commentary" is a column, "commented" a post that has comments).
_COMMENTS = re.compile(r"comment(?!ary|ed|able)|disqus|replies", re.IGNORECASE)
UNLIKELY_ROLES = {"menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"}
MIN_STORY = 500  # characters: a story shorter than this is looked for again, as readability does


class _Measure:
    """Each element's score, its text and the share of it in links (one pass, _scores);
    what is inside the ignored elements is no text."""

    def __init__(self, elements: list[Any], ignored: set[Any]) -> None:
        self.text: dict[Any, int] = {}
        self.links: dict[Any, int] = {}
        # what scripts, styles, menus and <noscript> hold is no candidate either
        self.ignored = _inside_any(elements, ignored | {element for element in elements if element.tag in NOT_TEXT})
        self.scores = _scores(elements, self.text, self.links, self.ignored)

    def link_share(self, element: Any) -> float:
        return self.links[element] / self.text[element] if self.text[element] else 0.0


def _elements(root: Any) -> list[Any]:
    return [element for element in root.iter() if isinstance(element.tag, str)]


def _scores(elements: list[Any], text: dict[Any, int], links: dict[Any, int], ignored: set[Any],
            ) -> dict[Any, float]:
    """Each element's score, as readability scores: the text of the paragraphs it holds
    itself, with half of those of its children, times the share of its text not in links
    (text and links are filled with each element's characters of text, and in links)."""
    held: defaultdict[Any, float] = defaultdict(float)  # ancestors above the root count too
    holders: dict[Any, Any] = {}  # each wrapper's nearest ancestor that is none
    for element in reversed(elements):  # children before their parents
        children = [child for child in element if isinstance(child.tag, str)]
        own = len((element.text or "").strip()) + sum(len((child.tail or "").strip()) for child in element)
        no_text = element in ignored  # NOT_TEXT elements and all they hold are among them
        total = 0 if no_text else own + sum(text[child] for child in children)
        text[element] = total
        links[element] = total if element.tag == "a" else sum(links[child] for child in children)
        if no_text:
            continue
        if element.tag in PARAGRAPHS:
            _held_by(element.getparent(), total, held, holders)
        elif element.tag in CELLS_AND_DIVS:
            cell = element.tag == "td"  # its row and table hold no story: what is above them does
            blocks = [child for child in children if child.tag in BLOCKS]
            if blocks:  # the text beside them is paragraphs of the div's own
                _held_by(element, _loose_text(element, text, links), held, holders, past_rows=cell)
            elif total - links[element] >= MIN_DIV_PARAGRAPH:  # a paragraph; a cell of text holds it
                _held_by(element if cell else element.getparent(), total, held, holders, past_rows=cell)
    return {element: held[element] * (1 - links[element] / text[element]) if text[element] else 0.0
            for element in elements}


def _loose_text(div: Any, text: dict[Any, int], links: dict[Any, int]) -> int:
    """The text a <div> holds beside its blocks (its own text and phrasing elements), in the
    runs between other elements that readability wraps in paragraphs of their own: each
    counted when MIN_DIV_PARAGRAPH characters of it or more are not in links (as a <div>
    that is a paragraph; a menu written as links in a row is none)."""
    counted, run, in_links = 0, len((div.text or "").strip()), 0
    for child in div:
        if isinstance(child.tag, str) and child.tag not in PHRASING:
            counted += run if run - in_links >= MIN_DIV_PARAGRAPH else 0
            run, in_links = 0, 0
        elif isinstance(child.tag, str):
            run, in_links = run + text[child], in_links + links[child]
        run += len((child.tail or "").strip())  # a comment's too: it goes on the run
    return counted + (run if run - in_links >= MIN_DIV_PARAGRAPH else 0)


def _held_by(parent: Any, length: float, held: defaultdict[Any, float], holders: dict[Any, Any],
             past_rows: bool = False) -> None:
    """A paragraph's text held by its parent, and half of it by the grandparent, past the
    WRAPPERS between them (holders: each wrapper's holder met so far). A cell's text is held
    past the rows and the table (past_rows): by the cell or block holding the table, as
    readability's scores reach five levels up (a story laid out in cells, its text in one or
    a cell a paragraph, is found; so is one in paragraphs inside <font>)."""
    parent = _past_wrappers(_past_rows(parent) if past_rows else parent, holders)
    if parent is None or not length:
        return
    held[parent] += length
    grandparent = _past_rows(parent.getparent()) if past_rows else parent.getparent()
    if (grandparent := _past_wrappers(grandparent, holders)) is not None:
        held[grandparent] += length / 2


def _past_wrappers(element: Any, holders: dict[Any, Any]) -> Any:
    """The element, or its nearest ancestor that is none of WRAPPERS; each wrapper passed is
    remembered in holders with it, so that no wrapper is passed twice (paragraphs under 250
    nested <font> would each climb all of them)."""
    passed, found = [], element
    while found is not None and found.tag in WRAPPERS:
        if found in holders:
            found = holders[found]
            break
        passed.append(found)
        found = found.getparent()
    for wrapper in passed:
        holders[wrapper] = found
    return found


def _past_rows(element: Any) -> Any:
    """The element, or its nearest ancestor that is no part of a table's structure."""
    while element is not None and element.tag in TABLE_PARTS:
        element = element.getparent()
    return element


def _inside_any(elements: list[Any], roots: set[Any]) -> set[Any]:
    """The roots and every element inside one of them (elements in document order)."""
    inside = set(roots)
    for element in elements:
        if element.getparent() in inside:
            inside.add(element)
    return inside


def unlikely(root: Any) -> set[Any]:
    """What readability leaves out before it looks for the story: elements whose class or
    id says comments, menu, sidebar, social and the like (unless it also says article,
    content, main...), and menus, dialogs and complementary parts by role; never the body,
    a link, or what is in a table or code a few levels up."""
    found = set()
    for element in _elements(root):
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        by_name = _UNLIKELY.search(names) is not None and _MAYBE_STORY.search(names) is None
        if (by_name or (element.get("role") or "").strip().lower() in UNLIKELY_ROLES) \
                and element.tag not in {"body", "a"} and not any(
                    ancestor.tag in {"table", "code"} for _, ancestor in zip(range(3), element.iterancestors())):
            found.add(element)
    return found


def comments(unlikely_parts: set[Any]) -> set[Any]:
    """The unlikely parts whose class or id names comments."""
    return {element for element in unlikely_parts
            if _COMMENTS.search(f"{element.get('class') or ''} {element.get('id') or ''}")}


def _is_candidate(element: Any) -> bool:
    """A container of paragraphs: one of CONTAINERS, one marked as the main part or the
    story's body, or an element HTML does not know (`<story><bodytext><p>…`), which holds
    what it holds as a <div> would."""
    return (element.tag in CONTAINERS or element.tag not in HTML_TAGS or element.get("role") == "main"
            or element.get("itemprop") == "articleBody")


def class_weight(element: Any) -> int:
    """readability's hints: +25 for a class or id that says story, -25 for one that says
    anything else (each of the two counts)."""
    weight = 0
    for name in (element.get("class"), element.get("id")):
        if name:
            weight += (CLASS_WEIGHT if _POSITIVE.search(name) else 0) - (CLASS_WEIGHT if _NEGATIVE.search(name) else 0)
    return weight


def _weight(element: Any, score: float) -> float:
    """The score with the class hints (readability's points to its scores, a share of ours)."""
    named = element.tag in NAMED or element.get("role") == "main" or element.get("itemprop") == "articleBody"
    score *= CLASS_FACTOR ** (class_weight(element) / CLASS_WEIGHT)
    return score * NAMED_BONUS if named else score


def _inside(element: Any, ancestor: Any) -> bool:
    return any(parent is ancestor for parent in element.iterancestors())


def story_parts(root: Any, ignored: set[Any]) -> tuple[list[Any], list[Any], int]:
    """The element holding the page's main article, or its parts in their order (none when
    no element holds text), looked for as if the ignored elements held no text; the
    ignored elements inside them, and the characters of text outside those."""
    elements = _elements(root)
    measure = _Measure(elements, ignored)
    parts = _story_parts(elements, measure)
    in_story = _inside_any(elements, set(parts)) if ignored else set()
    return parts, [element for element in ignored if element in in_story], sum(measure.text[part] for part in parts)


def _story_parts(elements: list[Any], measure: _Measure) -> list[Any]:
    """The element holding the story, or its parts in their order (the best scoring element
    and the siblings that join it); none when no element holds text."""
    scores = measure.scores
    candidates = sorted(((_weight(element, scores[element]), index, element)
                         for index, element in enumerate(elements)
                         if _is_candidate(element) and element not in measure.ignored),
                        key=lambda item: (-item[0], item[1]))
    if not candidates or candidates[0][0] <= 0:
        return []
    best_weight, _index, best = candidates[0]
    for weight, _index, element in candidates[1:]:
        if weight < best_weight * INNER_SHARE:
            break
        if _inside(element, best):  # the strongest inner element that keeps most of the score
            best, best_weight = element, weight
    rivals: list[Any] = []  # nearly as strong as the best, elsewhere: more parts of one story?
    for weight, _index, element in candidates:
        if weight < best_weight * ALIKE_SHARE or len(rivals) == MAX_RIVALS:
            break
        alike = element.tag == best.tag and element.get("class") == best.get("class")
        if (weight >= best_weight * RIVAL_SHARE or alike) and element is not best \
                and not _inside(element, best) and not _inside(best, element):
            rivals.append(element)
    if len(rivals) >= MIN_PARTS - 1:
        return [_common_ancestor(best, rivals, MIN_PARTS - 1)]
    if named_alike := [rival for rival in rivals if _named_alike(rival, best)]:
        return [_common_ancestor(best, named_alike, 1)]  # a story in two parts
    return _with_siblings(best, best_weight, measure)


def _named_alike(element: Any, best: Any) -> bool:
    """Whether element is wrapped as best is, by tag and a class of its own."""
    return bool(best.get("class")) and element.get("class") == best.get("class") and element.tag == best.tag


def _joins(sibling: Any, best: Any, best_weight: float, measure: _Measure) -> bool:
    """Whether a sibling of the chosen element is more of the story (readability's rule; a
    sibling whose class or id says sidebar, comments or the like, which readability's hint
    sinks below its threshold, stays out)."""
    if any(name and _NEGATIVE.search(name) for name in (sibling.get("class"), sibling.get("id"))):
        return False
    alike = best.get("class") and sibling.get("class") == best.get("class")
    bonus = best_weight * SIBLING_SHARE if alike else 0
    threshold = max(MIN_SIBLING_SCORE, best_weight * SIBLING_SHARE)
    if _is_candidate(sibling) and _weight(sibling, measure.scores[sibling]) + bonus >= threshold:
        return True
    if sibling.tag != "p":
        return False
    length, links = measure.text[sibling], measure.link_share(sibling)
    if length > MIN_SIBLING_PROSE:
        return links < MAX_SIBLING_LINKS
    return length > 0 and links == 0 and _SENTENCE_END.search(sibling.text_content()) is not None


def _with_siblings(best: Any, best_weight: float, measure: _Measure) -> list[Any]:
    """The chosen element and the siblings that join it, in their order."""
    parent = best.getparent()
    if parent is None:
        return [best]
    return [child for child in parent if isinstance(child.tag, str) and child not in measure.ignored
            and (child is best or _joins(child, best, best_weight, measure))]


def joined(parts: list[Any]) -> Any:
    """A <div> holding copies of the parts (without the text between them: navigation,
    separators)."""
    from lxml.html import Element

    story = Element("div")
    for part in parts:
        copied = deepcopy(part)
        copied.tail = None
        story.append(copied)
    return story


def _common_ancestor(best: Any, rivals: list[Any], parts: int) -> Any:
    """A story split into blocks (one per few paragraphs, each wrapped alike) is read
    whole, as readability reads it: the nearest ancestor of the best block holding at least
    `parts` of the blocks scoring nearly as well."""
    holding: defaultdict[Any, int] = defaultdict(int)  # how many rivals each element holds
    for rival in rivals:
        for ancestor in rival.iterancestors():
            holding[ancestor] += 1
    return next((ancestor for ancestor in best.iterancestors() if holding[ancestor] >= parts), best)
