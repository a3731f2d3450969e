"""HTML made ready for the sanitizer (nh3): tags it would drop together with what they
hold, where a browser shows what they hold, made ones it drops alone.

- <noscript> and <iframe> tags are taken out, so that what they hold is read as the markup
  it is (feed readers run no script and drop iframes; nh3 read it as text, and the escaped
  tags of an iframe's fallback link showed in the entry, `<a href="...">`);
- an element named as a MathML or SVG one (`<int>`, `<set>`, `<vector>`, `<path>`) outside
  <svg>: nh3 drops it and its text, a browser shows its text as it does any unknown
  element's. Such names come from text with raw HTML on (`queue<int> q;` in a post,
  `vector<int>` in a Jekyll paragraph): renamed (`<feedsvc-int>`), nh3 drops the tag alone.
- a formula, <math> and the MathML elements in it, is renamed so too: its text stays in the
  sentence it is part of (`E=mc2`), where nh3 dropped the whole formula. MathML itself cannot
  be kept: the W3C feed validator refuses any element that is not HTML in an entry's HTML.
  Its <annotation> and <annotation-xml> (the formula's TeX source, which a browser does not
  show) keep their names, and nh3 drops them with what they hold (ANNOTATIONS).
  An <svg> is left to nh3, which drops it with its text: a chart's labels out of their
  picture are no sentence.
- <object>, <applet>, <marquee>, <button> and <select> (SCOPES), which nh3 drops with their
  tags alone, are renamed too: an HTML parser takes each for a boundary that a paragraph's
  `</p>` does not cross, and makes that `</p>` an empty paragraph inside it, so that with the
  tag gone the output held a paragraph in a paragraph and a `</p>` too many, which the W3C
  feed validator refuses (`Handle<Object> exports` in a post with raw HTML on, as browsers
  and Hugo keep it).

One pass over the tags, by a regular expression without backtracking.
"""

from __future__ import annotations

import re

from .text import TAG

_NOSCRIPT_TAG = re.compile(r"<(?:/\s*)?(?:noscript|iframe)\b[^<>]*>", re.IGNORECASE)
# A formula's parts a browser does not show; nh3 drops them with what they hold.
ANNOTATIONS = frozenset({"annotation", "annotation-xml"})
# The MathML and SVG element names nh3 0.3 drops with what they hold (each checked).
FOREIGN_NAMES = frozenset("""
    abs and animate annotation annotation-xml apply approx arccos arccosh arccot arccoth arccsc
    arccsch arcsec arcsech arcsin arcsinh arctan arctanh arg bind bvar card cartesianproduct cbytes
    ceiling cerror ci circle cn codomain complexes compose condition conjugate cos cosh cot coth cs
    csc csch csymbol curl declare defs degree desc determinant diff discard divergence divide domain
    domainofapplication ellipse emptyset eq equivalent eulergamma exists exp exponentiale factorial
    factorof false filter floor fn forall g gcd geq grad gt ident imaginary imaginaryi implies in
    infinity int integers intersect interval inverse lambda laplacian lcm leq limit line list ln log
    logbase lowlimit lt maction maligngroup malignmark marker mask matrix matrixrow max mean median
    menclose merror metadata mfenced mfrac mglyph mi min minus mlabeledtr mlongdiv mmultiscripts mn
    mo mode moment momentabout mover mpadded mpath mphantom mprescripts mroot mrow ms mscarries
    mscarry msgroup msline mspace msqrt msrow mstack mstyle msub msubsup msup mtable mtd mtext mtr
    munder munderover naturalnumbers neq none not notanumber notin notprsubset notsubset or
    otherwise outerproduct partialdiff path pattern pi piece piecewise plus polygon polyline power
    primes product prsubset quotient rationals real reals rect reln rem root scalarproduct sdev sec
    sech selector semantics sep set setdiff share sin sinh stop subset sum switch symbol tan tanh
    tendsto text times transpose true tspan union uplimit use variance vector vectorproduct view xor
""".split())
RENAMED = "feedsvc-"
# Elements an HTML parser takes for a scope boundary (see above) that the sanitizer drops.
SCOPES = frozenset({"applet", "button", "marquee", "object", "select"})
# Elements nh3 nests in linear time however deep (300,000 <g> in an <svg>, <mrow> in a <math>,
# or <path> outside them, 0.1-0.2 s each; 10,000 <div> take 0.15 s): the nesting guard leaves
# them out. It counted a chart of 700 `<circle .../>` as nested 700 deep and refused its post,
# where in an <svg> each closes itself.
CHEAP_TO_NEST = FOREIGN_NAMES | {"math", "svg"}


def unframed(html: str) -> str:
    """html without <noscript> and <iframe> tags, what they hold left in their place."""
    return _NOSCRIPT_TAG.sub("", html)


def prepared(html: str) -> str:
    """html without <noscript> and <iframe> tags, with MathML names outside <svg> renamed, and
    <math> and SCOPES too (see above)."""
    html = unframed(html)
    pieces: list[str] = []
    position = in_svg = in_math = 0
    for tag in TAG.finditer(html):
        name = tag.group(2).lower()
        closing = bool(tag.group(1))
        if name == "svg":
            in_svg = max(in_svg - 1, 0) if closing else in_svg + 1
            continue
        if in_svg:
            continue
        if name == "math":
            in_math = max(in_math - 1, 0) if closing else in_math + 1
        elif (name not in FOREIGN_NAMES and name not in SCOPES) or (in_math and name in ANNOTATIONS):
            continue
        pieces += [html[position:tag.start(2)], RENAMED]
        position = tag.start(2)
    return "".join(pieces) + html[position:] if pieces else html
