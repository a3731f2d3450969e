"""Jekyll's slugs and the addresses of its collections' documents, as Liquid reads them
(`{{ site.topics[0].url }}`, `{% for doc in site.recipes %}[{{ doc.title }}]: {{ doc.url }}`).

A document's address is its permalink (its front matter's, else the most specific front
matter default's whose scope holds its path and type), else its collection's `permalink`,
else `/:collection/:path` with the ending the site's permalink style gives (`:output_ext`,
or `/` when pretty); placeholders are replaced as Jekyll's URL does: `:collection`, `:path`
(within the collection's folder, without extension), `:name`, `:title` (the document's slug
or file name, slugified keeping case), `:slug`, `:output_ext` (`.html`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Jekyll's slugify: what each mode replaces by `-` (default: all but letters, marks, digits).
_SLUG_RUNS = {
    "raw": re.compile(r"\s+"),
    "default": re.compile(r"(?:[^\w\u0300-\u036f]|_)+"),
    "pretty": re.compile(r"(?:[^\w\u0300-\u036f._~!$&'()+,;=@])+"),
    "ascii": re.compile(r"[^A-Za-z0-9]+"),
    "latin": re.compile(r"[^A-Za-z0-9]+"),
}
_PLACEHOLDER = re.compile(r":(collection|output_ext|path|name|title|slug)")
_SLASHES = re.compile(r"//++")
MAX_DEFAULTS = 100
# (scope path, scope type, permalink) of the front matter defaults that set one, and
# (collection, permalink) of the collections that name theirs: hashable, for a cache key.
Permalinks = tuple[tuple[tuple[str, str, str], ...], tuple[tuple[str, str], ...], str]
NO_PERMALINKS: Permalinks = ((), (), "date")


def jekyll_slugify(value: Any, mode: Any = "default", cased: bool = False) -> str:
    text = str(value if value is not None else "")
    runs = _SLUG_RUNS.get(str(mode or "default"))
    if runs is None:  # "none", or a mode Jekyll does not know: only lowercased
        return text if cased else text.lower()
    if mode == "latin":  # accents dropped, as Jekyll's transliteration does for Latin letters
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = runs.sub("-", text).strip("-")
    return slug if cased else slug.lower()


def site_permalinks(config: dict[str, Any]) -> Permalinks:
    """What the site's configuration says of its documents' addresses (see above)."""
    defaults = []
    entries = config.get("defaults")
    for entry in (entries if isinstance(entries, list) else [])[:MAX_DEFAULTS]:
        scope, values = (entry.get("scope"), entry.get("values")) if isinstance(entry, dict) else (None, None)
        if isinstance(scope, dict) and isinstance(values, dict) and isinstance(values.get("permalink"), str):
            defaults.append((str(scope.get("path") or "").strip("/"), str(scope.get("type") or ""),
                             values["permalink"]))
    found = config.get("collections")
    named = [(str(name), meta["permalink"]) for name, meta in (found.items() if isinstance(found, dict) else [])
             if isinstance(meta, dict) and isinstance(meta.get("permalink"), str)]
    return tuple(defaults), tuple(named), str(config.get("permalink") or "date")


def document_url(document: dict[str, Any], folder: str, permalinks: Permalinks) -> str:
    """The address of a collection's document (its front matter with `relative_path` and
    `collection`; folder: the collection's, relative to the site)."""
    defaults, named, style = permalinks
    relative, collection = document["relative_path"], document["collection"]
    template = document.get("permalink")
    if not isinstance(template, str):
        template = _default_permalink(defaults, relative, collection)
    if template is None:
        template = dict(named).get(collection) or "/:collection/:path" + (
            "/" if style == "pretty" or style.endswith("/") and style != "/" else ":output_ext")
    stem = relative[len(folder):].lstrip("/").rsplit(".", 1)[0]
    base = stem.rsplit("/", 1)[-1]
    slug = document.get("slug") if isinstance(document.get("slug"), str) else base
    values = {"collection": collection, "path": stem, "name": jekyll_slugify(base),
              "title": jekyll_slugify(slug, "pretty", cased=True), "slug": jekyll_slugify(slug),
              "output_ext": ".html"}
    url = "/" + _PLACEHOLDER.sub(lambda found: values[found.group(1)], template)
    return _SLASHES.sub("/", url.replace("..", "/").replace("./", ""))  # as Jekyll's sanitize_url


def _default_permalink(defaults: tuple[tuple[str, str, str], ...], relative: str, collection: str) -> str | None:
    """The permalink of the most specific default whose scope holds the document: the longest
    path, one naming the type over one that does not, the later of two alike."""
    matching = [(len(path), bool(kind), index, permalink)
                for index, (path, kind, permalink) in enumerate(defaults)
                if (not path or relative == path or relative.startswith(path + "/")) and kind in ("", collection)]
    return max(matching)[3] if matching else None
