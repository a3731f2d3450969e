"""HTML made ready for the sanitizer (nh3): tags it would drop together with what they
hold, where a browser shows what they hold, made ones it drops alone.

- <noscript> and <iframe> tags are taken out, so that what they hold is read as the markup
  it is (feed readers run no script and drop iframes; nh3 read it as text, and the escaped
  tags of an iframe's fallback link showed in the entry, `<a href="...">`);
- an element named as a MathML or SVG one (`<int>`, `<set>`, `<vector>`, `<path>`) outside
  <math> and <svg>: nh3 drops it and its text, a browser shows its text as it does any
  unknown element's. Such names come from text with raw HTML on (`queue<int> q;` in a post,
  `vector<int>` in a Jekyll paragraph): renamed (`<feedsvc-int>`), nh3 drops the tag alone.
  In <math> or <svg> they are left to nh3 as they are.

One pass over the tags, by a regular expression without backtracking.
"""

from __future__ import annotations

import re

from .text import TAG

_NOSCRIPT_TAG = re.compile(r"<(?:/\s*)?(?:noscript|iframe)\b[^<>]*>", re.IGNORECASE)
_CONTAINERS = ("math", "svg")
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


def unframed(html: str) -> str:
    """html without <noscript> and <iframe> tags, what they hold left in their place."""
    return _NOSCRIPT_TAG.sub("", html)


def prepared(html: str) -> str:
    """html without <noscript> and <iframe> tags, and with MathML and SVG names outside <math> and
    <svg> renamed (see above)."""
    html = unframed(html)
    pieces: list[str] = []
    position = depth = 0
    for tag in TAG.finditer(html):
        name = tag.group(2).lower()
        if name in _CONTAINERS:
            depth = max(depth - 1, 0) if tag.group(1) else depth + 1
        elif depth == 0 and name in FOREIGN_NAMES:
            pieces += [html[position:tag.start(2)], RENAMED]
            position = tag.start(2)
    return "".join(pieces) + html[position:] if pieces else html
