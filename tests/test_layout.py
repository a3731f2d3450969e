"""The package's layout: modules and functions short enough to read at once, imports that
point downward (helpers at the bottom, the entry points at the top, no cycle between packages).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import feedsvc

PACKAGE = Path(feedsvc.__file__).parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# The bottom layer: what every stage uses, depending on no stage.
HELPERS = {"feedsvc.dates", "feedsvc.text", "feedsvc.encodings", "feedsvc.errors", "feedsvc.urls"}
# The top layer: what starts the service, which nothing below may reach up to.
ENTRY_POINTS = {"feedsvc.__main__", "feedsvc.cli", "feedsvc.server", "feedsvc.worker"}


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ("feedsvc", *path.relative_to(PACKAGE).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def package_of(name: str) -> str:
    return name if modules()[name].name == "__init__.py" else name.rpartition(".")[0]


@cache
def imports(name: str) -> frozenset[str]:
    """The package's modules a module imports, at its top or inside a function alike."""
    known = modules()
    found = set()
    for node in ast.walk(ast.parse(known[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package_of(name).split(".")
                base = parts[:len(parts) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            for alias in node.names:  # `from . import web` imports a module, `from .x import f` a name
                found.add(f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module)
    return frozenset(found & known.keys() - {name})


def reachable(name: str) -> set[str]:
    seen, todo = set(), [name]
    while todo:
        for imported in imports(todo.pop()) - seen:
            seen.add(imported)
            todo.append(imported)
    return seen


def test_the_layout_sees_the_package() -> None:
    """The checks below are only worth their passing if they see the modules and the imports."""
    assert {"feedsvc.cli", "feedsvc.web", "feedsvc.readers.markdown"} <= modules().keys()
    assert "feedsvc.errors" in imports("feedsvc.text")
    assert {"feedsvc.cli", "feedsvc.config"} <= reachable("feedsvc.__main__")


def test_no_module_is_over_400_lines() -> None:
    lengths = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()}
    long = {name: lines for name, lines in lengths.items() if lines > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines, to split by concern: {long}"


def test_no_function_is_over_60_lines() -> None:
    long = {}
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1  # from its def to its end
                if lines > MAX_FUNCTION_LINES:
                    long[f"{name}.{node.name} (line {node.lineno})"] = lines
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines, to split into named steps: {long}"


def test_helpers_import_nothing_but_each_other() -> None:
    upward = {name: sorted(imports(name) - HELPERS) for name in HELPERS if imports(name) - HELPERS}
    assert not upward, f"helper modules importing the layers above them: {upward}"


def test_nothing_imports_the_entry_points() -> None:
    upward = {name: sorted(imports(name) & ENTRY_POINTS)
              for name in modules().keys() - ENTRY_POINTS if imports(name) & ENTRY_POINTS}
    assert not upward, f"modules importing the commands or the server that start them: {upward}"


def test_import_cycles_stay_inside_one_package() -> None:
    """A package may pick among its own modules (the store its backend), but no two modules of
    different packages import each other, even through others: each layer sits above the next."""
    crossing = set()
    for name in modules():
        cycle = {other for other in reachable(name) if name in reachable(other)}
        crossing.update(f"{name} -> {other}" for other in imports(name) & cycle
                        if package_of(other) != package_of(name))
    assert not crossing, f"imports in a cycle across packages (one points upward): {sorted(crossing)}"
