"""Write a feed's lxml element tree as bytes, laid out as lxml's pretty printer lays it out,
except that the text and attribute values of the elements named plain carry "&", "<" and ">"
as hexadecimal character references (&#x26; &#x3C; &#x3E;).

render asks for those references in names and labels (see its module docstring); lxml can
only write them as &amp; &lt; &gt;, and not at all inside an attribute value, hence this writer.
It knows the little a feed's tree holds: elements (each holding text or elements, never both),
attributes, namespace declarations; and processing instructions before the root.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from lxml import etree

XML_NS = "http://www.w3.org/XML/1998/namespace"
DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"
INDENT = "  "
# As libxml2 escapes character data and attribute values; plain: with references instead.
TEXT = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))  # in order: "&" first
PLAIN_TEXT = (("&", "&#x26;"), ("<", "&#x3C;"), (">", "&#x3E;"), ("\r", "&#13;"))
ATTRIBUTE = str.maketrans({**dict(TEXT), '"': "&quot;", "\n": "&#10;", "\t": "&#9;"})
PLAIN_ATTRIBUTE = str.maketrans({**dict(PLAIN_TEXT), '"': "&quot;", "\n": "&#10;", "\t": "&#9;"})


def escape_text(text: str, plain: bool = False) -> str:
    """Text as character data; plain: with markup characters as hexadecimal references."""
    for character, written in PLAIN_TEXT if plain else TEXT:  # str.replace: fast on long text
        text = text.replace(character, written)
    return text


class _Names(dict[str, str]):
    """Element and attribute names with their namespace's prefix, each worked out once."""

    def __init__(self, prefixes: dict[str, str]):
        super().__init__()
        self.prefixes = prefixes

    def __missing__(self, name: str) -> str:
        written = name
        if name.startswith("{"):  # lxml's {namespace}local
            uri, _, local = name[1:].partition("}")
            written = f"{self.prefixes[uri]}:{local}"
        self[name] = written
        return written


def _write(element: etree._Element, depth: int, names: _Names,
           plain: Collection[etree._Element], out: list[str], declarations: str = "") -> None:
    name = names[element.tag]
    is_plain = element in plain
    table = PLAIN_ATTRIBUTE if is_plain else ATTRIBUTE
    out.append(f"<{name}{declarations}")
    out.extend([f' {names[str(key)]}="{str(value).translate(table)}"'  # str: lxml's
                for key, value in element.items()])  # (its stubs allow bytes too)
    text = element.text
    if len(element):
        if text is not None:
            raise ValueError(f"<{name}> holds both text and elements, which this writer does not lay out")
        out.append(">")
        indent = "\n" + INDENT * (depth + 1)
        for child in element:
            out.append(indent)
            _write(child, depth + 1, names, plain, out)
        out.append(f"\n{INDENT * depth}</{name}>")
    elif text is not None:
        out.append(f">{escape_text(text, is_plain)}</{name}>")
    else:
        out.append("/>")


def _has_markup(element: etree._Element) -> bool:
    """True when the text or an attribute value of element holds "&", "<" or ">", which lxml
    would write otherwise than a plain element's."""
    for value in (element.text or "", *element.values()):
        if "&" in value or "<" in value or ">" in value:  # (faster than a regex on short text)
            return True
    return False


def serialize(root: etree._Element, plain: Collection[etree._Element] = (),
              instructions: Sequence[str] = ()) -> bytes:
    """The document of root: the XML declaration, the processing instructions (their text
    between "<?" and "?>"), root indented by two spaces a level; the elements in plain with
    references.

    Namespaces are declared on the root, each with a prefix, as feedgen declares them (its Atom
    namespace is an xmlns attribute of the root)."""
    out = [DECLARATION]
    out.extend(f"<?{instruction}?>\n" for instruction in instructions)
    if not any(map(_has_markup, plain)):  # lxml writes the same, in C: feeds about 4 times faster
        out.append(etree.tostring(root, encoding="unicode", pretty_print=True))
        return "".join(out).encode()
    declarations = "".join(f' xmlns{f":{prefix}" if prefix else ""}="{uri.translate(ATTRIBUTE)}"'
                           for prefix, uri in root.nsmap.items())
    prefixes = {uri: prefix for prefix, uri in root.nsmap.items() if prefix} | {XML_NS: "xml"}
    _write(root, 0, _Names(prefixes), plain, out, declarations)
    out.append("\n")
    return "".join(out).encode()
