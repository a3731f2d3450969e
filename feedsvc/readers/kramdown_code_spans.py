"""Code spans as kramdown reads them, where cmark reads them otherwise (readers.kramdown applies
these to a text's paragraphs, outside blocks of HTML and indented code): a single backtick
with white space on both sides opens none, a span closes at the first run of at least its
backticks (cmark wants as many exactly), and its code keeps the spaces at both ends (one
of longer runs loses one at each end that has one)."""

from __future__ import annotations

from .kramdown_blocks import is_block, outside_raw_blocks
from .markdown_code import backtick_runs, few_backticks, starts_html_block

# An empty processing instruction, which feeds leave out (readers.kramdown marks with it too);
# no "-->": the line may be in an HTML comment.
NOT_A_BLOCK = "<?_?>"
MAX_LOOKS = 4  # runs looked at per run of a paragraph, on average, to pair them


def closing_runs_split(text: str) -> str:
    """A code span closes at the first run of at least as many backticks as opened it, in
    kramdown (`open()``close()` is two spans; ``a```b`` closes at the first two of the three);
    cmark wants a run of as many exactly, and read one span. Such a longer run is split after
    the backticks that close, by an empty processing instruction: the rest open a span of
    their own, or are text. A paragraph whose runs take more looks than MAX_LOOKS a run on
    average to pair is left as it is."""
    if "``" not in text or not few_backticks(text):
        return text
    return outside_raw_blocks(text, lambda block: block if _kept(block) else _split_in_block(block))


def _kept(block: str) -> bool:
    code = block.lstrip("\n").startswith(("    ", "\t"))
    return "``" not in block or code or starts_html_block(block, is_block)


def _split_in_block(text: str) -> str:
    runs = backtick_runs(text)[0]
    splits: list[int] = []
    index, looks = 0, 0
    while index < len(runs):
        start, end = runs[index]
        if end - start == 1 and text[start - 1:start] in (" ", "\t") and text[end:end + 1] in (" ", "\t"):
            index += 1  # a lone backtick: text (lone_backticks)
            continue
        closing = index + 1
        while closing < len(runs) and runs[closing][1] - runs[closing][0] < end - start:
            closing += 1
        looks += closing - index
        if looks > MAX_LOOKS * len(runs) + 64:
            return text
        if closing == len(runs):
            index += 1  # no run closes it: text
        elif runs[closing][1] - runs[closing][0] > end - start:
            split = runs[closing][0] + end - start
            splits.append(split)
            runs[closing] = (split, runs[closing][1])
            index = closing
        else:
            index = closing + 1
    pieces = [text[before:after] for before, after in zip([0, *splits], [*splits, len(text)])]
    return NOT_A_BLOCK.join(pieces)


def lone_backticks(text: str) -> str:
    """Where kramdown would start a code span at a single backtick with white space on both
    sides, the backtick escaped: there it starts none (one that ends a span is left, as is
    one on a line indented as code). A code span ends with its paragraph."""
    if "`" not in text or not few_backticks(text):
        return text
    return outside_raw_blocks(text, lambda block: _lone_in_block(block) if "`" in block else block)


def _lone_in_block(text: str) -> str:
    runs, following = backtick_runs(text)
    lone: list[int] = []
    index, line_start, previous = 0, 0, 0
    while index < len(runs):
        start, end = runs[index]
        newline = text.rfind("\n", previous, start)  # from the last run looked at: linear
        line_start, previous = (newline + 1 if newline >= 0 else line_start), start
        if end - start == 1 and text[start - 1:start] in (" ", "\t") and text[end:end + 1] in (" ", "\t"):
            if not text.startswith(("    ", "\t"), line_start):
                lone.append(start)
            index += 1
            continue
        closing = following[index]
        index = closing + 1 if closing is not None else index + 1
    pieces = [text[before:after] for before, after in zip([0, *lone], [*lone, len(text)])]
    return "\\".join(pieces)


def spaced_code_spans(text: str) -> str:
    """A code span of single backticks keeps the spaces at both ends of its code in kramdown
    (`x` and `y` holds " and "); cmark takes one off each end when both are spaces, so such
    code is given one more at each end. One of longer runs loses a space at each end that has
    one (``Denial: `` holds "Denial:"), where cmark takes none off unless both ends have one:
    such a lone space is taken off (not when a backtick would then touch the run, nor in a
    span over lines: a fence in an item or a footnote may look like one). Not in
    blocks of HTML (`<pre>` ones too) nor of indented code."""
    if ("` " not in text and " `" not in text) or not few_backticks(text):
        return text
    return outside_raw_blocks(text, _spaced_in_paragraph)


def _spaced_in_paragraph(block: str) -> str:
    code = block.lstrip("\n").startswith(("    ", "\t"))
    kept = "`" not in block or code or starts_html_block(block, is_block)
    return block if kept else _spaced_in_block(block)


def _spaced_in_block(text: str) -> str:
    runs, following = backtick_runs(text)
    out, position, index = [], 0, 0
    while index < len(runs):
        closing = following[index]
        if closing is None:
            index += 1
            continue
        (start, end), closing_start = runs[index], runs[closing][0]
        code = text[end:closing_start]
        if end - start == 1 and code.startswith(" ") and code.endswith(" ") and code.strip():
            out += [text[position:end], " ", code, " "]
            position = closing_start
        elif end - start > 1 and "\n" not in code and code.startswith(" ") != code.endswith(" ") and (
                _untouched(trimmed := code[1:] if code.startswith(" ") else code[:-1])):
            out += [text[position:end], trimmed]
            position = closing_start
        index = closing + 1
    return "".join(out) + text[position:]


def _untouched(code: str) -> bool:
    """Whether code, between its runs, starts and ends with no backtick (it would join the run)."""
    return bool(code.strip()) and not code.startswith("`") and not code.endswith("`")
