"""The headline a saved page shows above its story, for a page whose head names none (no
`<title>`, JSON-LD headline or og:title: pages saved without their head, or written for a
frame).

The headline is a heading (`h1` to `h6`) or an element whose class or id says headline,
title or heading (`storyheadline`, `article_title`, `contentheading`): the first such in the
story before its first paragraph, else the last one before the story, outside the page's
navigation, header and footer. Its text is a headline's: one to MAX_HEADLINE characters; one named
by its class, not all of them in links (`Print version`, `E-mail`).
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from typing import Any

from .page_title import HEADINGS, MAX_HEADLINE, short_text

MAX_HEADLINE_ELEMENTS = 50  # a headline's words are in a few elements, not in a page's
_HEADLINE_NAMES = re.compile(r"headline|title|heading", re.IGNORECASE)
CHROME = {"nav", "header", "footer"}
# The candidates before the story that are looked at, from the nearest: those in the page's
# navigation, header or footer are passed over.
MAX_CANDIDATES = 20


def shown_headline(body: Any, story: Any) -> str:
    """The story's headline as the page shows it above the story, or ""."""
    before: deque[Any] = deque(maxlen=MAX_CANDIDATES)
    in_tree = story.getroottree().getroot() is body.getroottree().getroot()
    last = next(iter(deque(story.iter(), maxlen=1)))  # the story's last element, in document order
    inside = not in_tree
    for element in (body if in_tree else story).iter():
        inside = inside or element is story
        if element is last or (inside and element.tag == "p"):  # the story's text has started
            break
        if isinstance(element.tag, str) and _is_headline(element) and (text := _headline_text(element)) \
                and not _all_links(element, text):
            if inside:
                return text
            before.append((element, text))
    return next((text for element, text in reversed(before) if not _in_chrome(element)), "")


def _is_headline(element: Any) -> bool:
    if element.tag in HEADINGS:
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    return names != " " and _HEADLINE_NAMES.search(names) is not None


def _headline_text(element: Any) -> str:
    """The element's words when they may be a headline's: in at most MAX_HEADLINE_ELEMENTS
    elements, at most MAX_HEADLINE characters (both counted first: a wrapper classed `title`
    may hold the page, and candidates nest); else ""."""
    if len(list(itertools.islice(element.iter(), MAX_HEADLINE_ELEMENTS + 1))) > MAX_HEADLINE_ELEMENTS:
        return ""
    return short_text(element)


def _all_links(element: Any, text: str) -> bool:
    """Whether all the text of a candidate named by its class is a link's ("Print version",
    "E-mail"): such a link leads elsewhere. (A heading's link is often to the story itself.)"""
    if element.tag in HEADINGS:
        return False
    if element.tag == "a":
        return True
    linked = sum(len(_headline_text(link).replace(" ", "")) for link in element.iter("a"))
    return linked > 0 and linked >= len(text.replace(" ", ""))


def _in_chrome(element: Any) -> bool:
    return any(ancestor.tag in CHROME for ancestor in element.iterancestors())
