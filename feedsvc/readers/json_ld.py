"""The metadata of a saved page's article from its JSON-LD (schema.org): headline, dates,
authors, keywords and description of the first article-like object, top-level, in a list
or in an @graph; at most MAX_JSON_LD_CHARS of scripts are read."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

MAX_JSON_LD_CHARS = 256 * 1024
ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                 "opinionnewsarticle", "reviewnewsarticle", "techarticle", "scholarlyarticle", "report",
                 "socialmediaposting", "liveblogposting", "webpage"}


def _objects(data: Any, depth: int = 0) -> Iterable[dict[str, Any]]:
    """Every JSON-LD object: top-level, in lists and in @graph."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data[:100]:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        yield from _objects(data.get("@graph"), depth + 1)


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(name).lower() for name in kinds if name}


def _names(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names = [item.get("name") if isinstance(item, dict) else item for item in values[:50]]
    return [str(name).strip() for name in names if isinstance(name, str) and name.strip()]


def _without_cdata(script: str) -> str:
    """A script's JSON without the <![CDATA[ ... ]]> that pages written as XHTML put round it."""
    text = script.strip()
    return text[len("<![CDATA["):-len("]]>")] if text.startswith("<![CDATA[") and text.endswith("]]>") else text


def json_ld(scripts: Iterable[str]) -> dict[str, Any]:
    """Metadata of the page's article from its JSON-LD: headline, dates, authors, keywords,
    description; the first article-like object wins (else the first object)."""
    found: list[dict[str, Any]] = []
    budget = MAX_JSON_LD_CHARS
    for script in scripts:
        budget -= len(script)
        if budget < 0:
            break
        try:
            found.extend(_objects(json.loads(_without_cdata(script))))
        except (ValueError, RecursionError):
            continue
    article = next((item for item in found if _types(item) & ARTICLE_TYPES), None)
    if article is None:
        return {}
    values = {
        "title": article.get("headline") or article.get("name"),
        "date": article.get("datePublished") or article.get("dateCreated"),
        "modified": article.get("dateModified"),
        "author": _names(article.get("author")) or None,
        "keywords": article.get("keywords"),
        "description": article.get("description"),
    }
    return {key: value for key, value in values.items() if isinstance(value, (str, list)) and value}
