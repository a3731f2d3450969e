"""The scratch pads of Hugo's shortcode templates (go_template.py runs them): the shortcode's
own .Scratch, and the page's .Page.Scratch and .Page.Store."""

from __future__ import annotations

from typing import Any

from .go_functions import Inner, Unsupported, as_text

SCRATCH_PADS = (".Scratch.", ".Page.Scratch.", ".Page.Store.")


def scratch(called: str, values: list[Any], store: dict[str, Any]) -> Any:
    """The shortcode's .Scratch (one for each use, as Hugo gives each): Set and Add write
    nothing, Get reads (nil when never set); Add adds numbers, joins strings, appends to lists.
    The page's .Page.Scratch and .Page.Store are for its templates (a mermaid shortcode's
    `.Page.Scratch.Set "mermaid" true` has the page load a script): Set and Add, which write
    nothing, are run; what Get would read other uses and templates may have set."""
    pad, _dot, method = called.rpartition(".")
    page = pad != ".Scratch"
    if method == "Get" and len(values) == 1 and not page:
        return store.get(as_text(values[0]))
    if method not in ("Set", "Add") or len(values) != 2 or any(isinstance(value, Inner) for value in values):
        raise Unsupported(called)
    if page:
        return ""
    key, value = as_text(values[0]), values[1]
    old = store.get(key)
    if method == "Add" and old is not None:
        if isinstance(old, list):
            value = old + (value if isinstance(value, list) else [value])
        elif type(old) is type(value) and isinstance(old, int | float | str) and not isinstance(old, bool):
            value = old + value
        else:
            raise Unsupported(f".Scratch.Add to {old!r}")
    store[key] = value
    return ""
