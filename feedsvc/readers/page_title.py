"""The title of an HTML page: its <title> without the site's name after the headline, the
JSON-LD headline or og:title, the part of a title of parts that a saved page shows, or the
page's one <h1> where the <title> is no headline (html.py reads the page)."""

from __future__ import annotations

import itertools
import re
from typing import Any

SITE_NAME_SEPARATORS = {"|", "-", "–", "—", ":", "·", "•"}
# One of them, or `»`, `>`, `/`, `::` or `--`, between spaces, or a colon after a word, in a
# title of single spaces.
_TITLE_SEPARATOR = re.compile(r" (?:[|\-–—:·•»>/]|::|--) |: ")
MAX_TITLE_SEPARATORS = 10
MAX_HEADLINE = 300  # characters of a text that may be the headline
# A <title> shorter or longer (characters) is no headline when the page has one <h1> of at
# least MIN_HEADLINE_WORDS words: that is (readability's rule).
MIN_PAGE_TITLE, MAX_PAGE_TITLE = 15, 150
MIN_HEADLINE_WORDS = 5
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def words(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def title(root: Any, metadata: dict[str, Any], container: Any, saved: bool) -> str:
    """<title>, else the JSON-LD headline or og:title, else the first h1. A <title> that is
    the headline plus the site's name (`Headline | Paper`, the headline as JSON-LD or og:title
    give it, or the name as og:site_name does) gives the headline; on a saved page where
    nothing says where the headline ends, the part the page shows does, and a <title> too
    short or too long for a headline gives way to the page's one <h1>. An h1
    repeating the title leaves the content."""
    title_tag = next(root.iter("title"), None)
    page_title = words(title_tag.text_content()) if title_tag is not None else ""
    headline = words(metadata.pop("jsonld:headline", None)) or words(metadata.get("og:title"))
    title = page_title or headline
    after = page_title[len(headline):].lstrip()[:1] if headline and page_title.startswith(headline) else ""
    if after in SITE_NAME_SEPARATORS:
        title = headline
    elif (site_name := words(metadata.get("og:site_name"))) and title.endswith(site_name):
        title = _without_site_name(title, site_name)
    elif saved and title == page_title and not headline:
        title = _shown_headline(title, root)
        if title and title == page_title and not MIN_PAGE_TITLE <= len(title) <= MAX_PAGE_TITLE:
            title = _only_h1(root) or title
    heading = next(container.iter("h1"), None)
    heading_text = words(heading.text_content()) if heading is not None else ""
    if heading is not None and heading_text and heading_text == (title or heading_text):
        heading.drop_tree()
    return title or heading_text


def _shown_headline(title: str, root: Any) -> str:
    """`Headline - Section - Paper`, nothing else saying where the headline ends: the longest
    part between separators (or the title's ends) that the page shows as a text of its own (an
    element's, a heading's) is the headline, two words at least (`Sport: Headline | Paper`
    gives the middle part); else the title as it is."""
    cuts = list(itertools.islice(_TITLE_SEPARATOR.finditer(title), MAX_TITLE_SEPARATORS))
    starts, ends = [0] + [cut.end() for cut in cuts], [cut.start() for cut in cuts] + [len(title)]
    parts = {part for number, start in enumerate(starts) for end in ends[number:]
             if (start, end) != (0, len(title)) and " " in (part := title[start:end].strip())}
    if not parts:
        return title
    body = next(root.iter("body"), root)
    shortest = min(map(len, parts))  # a text as long as a part, at least (spaces only shrink)
    texts = body.xpath(".//text()", smart_strings=False)  # ten times as fast as itertext()
    shown = {words(text) for text in texts if shortest <= len(text) <= MAX_HEADLINE}
    shown.update(map(short_text, body.iter(*HEADINGS)))  # a heading's words in several elements
    # the longest, and of two as long the same one at every run (a set's order is not)
    return max(parts & shown, key=lambda part: (len(part), part), default=title)


def _only_h1(root: Any) -> str:
    """The text of the page's one <h1> when it has one, of more than four words (readability's
    rule for a <title> too short or too long to be the headline: `Star`, the paper's name);
    else ""."""
    headings = list(itertools.islice(next(root.iter("body"), root).iter("h1"), 2))
    text = short_text(headings[0]) if len(headings) == 1 else ""
    return text if len(text.split()) >= MIN_HEADLINE_WORDS else ""


def short_text(element: Any) -> str:
    """The element's text when it is at most MAX_HEADLINE characters, else "" (the pieces
    are counted first: headings nested deep around one long text would each copy it)."""
    pieces, length = [], 0
    for piece in element.itertext():
        length += len(piece)
        if length > MAX_HEADLINE:
            return ""
        pieces.append(piece)
    return words("".join(pieces))


def _without_site_name(title: str, site_name: str) -> str:
    """`Headline - Site` without ` - Site` (any of SITE_NAME_SEPARATORS), the site's name
    as its og:site_name gives it; anything else as it is."""
    before = title[: -len(site_name)].rstrip()
    headline = before[:-1].rstrip()
    return headline if before[-1:] in SITE_NAME_SEPARATORS and headline else title
