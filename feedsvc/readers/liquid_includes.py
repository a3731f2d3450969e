"""Jekyll's include parameters as python-liquid reads them: an include's `include` is a
mapping of its parameters, given its value where the include is put in the post's template
(liquid._include), under a variable of that include's own; Ruby's Liquid lookups python-liquid
does not read (`x.[y]`) written as it reads them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from liquid.undefined import is_undefined

from .liquid_syntax import outside_raw, tags

# key="text" (\" inside), key='text' (\' inside) or key=variable, as Jekyll's VALID_SYNTAX.
PARAMETER = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"\\]*+(?:\\.[^"\\]*+)*+)"|"""
                       r"""'([^'\\]*+(?:\\.[^'\\]*+)*+)'|(\S+))""")
# In a tag or output: a quoted string (kept as it is), the variable `include`, or the `.` of `x.[y]`.
_REFERENCE = re.compile(r"""("[^"]*+"|'[^']*+')|(?<![\w.-])(include)(?![\w-])|(?<=[\w\]])\.\[""")
_VARIABLE = re.compile(r"[\w.\-\[\]'\"]+")  # a name (page.image.file, list[0]) or literal (true, 3)


def gathered(_: Any, *keys_and_values: Any) -> dict[str, Any]:
    """The feedsvc_parameters filter: a mapping of its arguments, key then value (undefined: nil)."""
    pairs = zip(keys_and_values[::2], keys_and_values[1::2], strict=False)
    return {str(key): None if is_undefined(value) else value for key, value in pairs}


def assigned_mapping(variable: str, parameters: list[re.Match[str]]) -> str:
    """Liquid giving an include's variable its mapping of parameters, in the order written (a
    name written twice keeps its first place and its last value, as a Ruby Hash): each value
    assigned first to a variable of its own, then gathered by the feedsvc_parameters filter."""
    pieces, keys_and_values = [], []
    for number, parameter in enumerate(parameters):
        value = f"{variable}_{number}"
        assigned = _assigned(value, parameter)
        if assigned:
            pieces.append(assigned)
            keys_and_values += [json.dumps(parameter.group(1)), value]
    arguments = f": {', '.join(keys_and_values)}" if keys_and_values else ""
    return "".join(pieces) + f"{{% assign {variable} = nil | feedsvc_parameters{arguments} %}}"


def _assigned(variable: str, parameter: re.Match[str]) -> str:
    """Liquid giving an include's parameter its value: text as written (its escaped quotes
    unescaped), or the variable or literal named."""
    double, single, named = parameter.group(2), parameter.group(3), parameter.group(4)
    if named is not None:
        return f"{{% assign {variable} = {named} %}}" if _VARIABLE.fullmatch(named) else ""
    text = double.replace('\\"', '"') if double is not None else single.replace("\\'", "'")
    return f"{{% capture {variable} %}}{{% raw %}}{text}{{% endraw %}}{{% endcapture %}}"


def readable_lookups(source: str, variable: str) -> str:
    """An include's source (or a post's) with `include` in its tags (after the tag's name) and
    outputs named variable, and `x.[y]` written `x[y]` (Ruby's Liquid reads both, python-liquid
    the second); raw blocks as they are."""
    def renamed(written: str) -> str:
        return _REFERENCE.sub(lambda found: found.group(1) or (variable if found.group(2) else "["), written)

    def in_markup(source: str) -> str:
        for opening, closing in (("{%", "%}"), ("{{", "}}")):
            pieces, position = [], 0
            for tag in tags(source, opening, closing):
                written = source[tag.start:tag.end]
                head = written.index(tag.name) + len(tag.name) if opening == "{%" else 0
                pieces += [source[position:tag.start], written[:head], renamed(written[head:])]
                position = tag.end
            source = "".join(pieces) + source[position:]
        return source

    return outside_raw(source, in_markup)
