"""A site generator's configuration file read as data: TOML, YAML or JSON (Jekyll's
_config.yml, Hugo's hugo.toml and config folder), and Pelican's pelicanconf.py, whose literal
assignments only are read (it is never run). At most MAX_CONFIG_BYTES a file."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from ..errors import ReadError
from .front_matter import load_yaml

MAX_CONFIG_BYTES = 1024 * 1024
MAX_CONFIG_VALUES = 100_000  # each alias counted as what it stands for


class _ConfigLoader(yaml.SafeLoader):
    """YAML as Hugo (go-yaml) and Jekyll (Psych) read a configuration: anchors and aliases
    (`repo: &repo https://...`, then `*repo`), and the first document of several (a file
    ending in `---`). Front matter refuses aliases; a configuration is the site's own, and
    its aliases are counted as what they stand for (_count_values) so a few lines cannot
    stand for billions of values."""


def parse_config(path: Path) -> dict[str, Any]:
    """A configuration file's values (a table; {} when it holds something else)."""
    data = parse_data(path)
    return data if isinstance(data, dict) else {}


def parse_data(path: Path) -> Any:
    """What a TOML, JSON, YAML (or Python literals) file holds, a list as well as a table."""
    if path.stat().st_size > MAX_CONFIG_BYTES:
        raise ReadError(f"{path.name}: larger than {MAX_CONFIG_BYTES} bytes")
    text = path.read_text(encoding="utf-8-sig")
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        elif path.suffix == ".py":
            data = _python_literals(text)
        else:
            data = _yaml_config(text, path.name)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, SyntaxError, ValueError) as exc:
        raise ReadError(f"{path.name}: {exc}") from None
    return data


class _DictCalls(ast.NodeTransformer):
    """`dict(css_class="highlight")` read as the literal `{"css_class": "highlight"}` (the
    MARKDOWN setting is often written so)."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if (isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args
                and all(keyword.arg for keyword in node.keywords)):
            return ast.Dict(keys=[ast.Constant(keyword.arg) for keyword in node.keywords],
                            values=[keyword.value for keyword in node.keywords])
        return node


class _ScalarNames(ast.NodeTransformer):
    """A name of an earlier setting holding a string, a number or a boolean read as that value
    (`ARTICLE_EXCLUDES = [NOTE_PATHS]`, `MENUITEMS = (("Home", SITEURL),)`); only scalars, so
    that no setting stands for a copy of another's list however they nest, and up to
    MAX_CONFIG_BYTES of them in all (a name written a thousand times stands for its string
    a thousand times to whatever writes the settings out)."""

    def __init__(self, values: dict[str, Any]):
        self.values = values
        self.budget = MAX_CONFIG_BYTES

    def visit_Name(self, node: ast.Name) -> ast.AST:
        value = self.values.get(node.id)
        if isinstance(node.ctx, ast.Load) and isinstance(value, (str, int, float)):  # bool is an int
            self.budget -= len(value) if isinstance(value, str) else 8
            if self.budget >= 0:
                return ast.copy_location(ast.Constant(value), node)
        return node


def _python_literals(text: str) -> dict[str, Any]:
    """Pelican's settings file as data: `NAME = <literal>` lines (dict(...) calls of
    literals read as dicts, names of earlier scalar settings as their values); anything
    computed is skipped."""
    values: dict[str, Any] = {}
    names = _ScalarNames(values)
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                value = names.visit(_DictCalls().visit(node.value))
                values[node.targets[0].id] = ast.literal_eval(value)
            except (ValueError, TypeError, SyntaxError, RecursionError):
                continue
    return values


def _yaml_config(text: str, name: str) -> Any:
    """A YAML configuration read as front matter is (the same values), or, when that refuses
    it, as Hugo and Jekyll read it (_ConfigLoader)."""
    try:
        return load_yaml(text, name)
    except ReadError as refused:
        loader = _ConfigLoader(text)
        try:
            data = loader.get_data() if loader.check_data() else None
        except yaml.YAMLError:
            raise refused from None
        finally:
            loader.dispose()
    _count_values(data, name)
    return data


def _count_values(data: Any, name: str) -> None:
    """Refuse data holding more than MAX_CONFIG_VALUES values, each alias's counted again."""
    pending, counted = [data], 0
    while pending:
        value = pending.pop()
        counted += 1
        if counted > MAX_CONFIG_VALUES:
            raise ReadError(f"{name}: more than {MAX_CONFIG_VALUES:,} values (YAML aliases expanded)")
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)


def fingerprint(data: dict[str, Any]) -> str:
    """A hash of the configuration. Its keys need not be text: YAML reads `404: 404.html` (a
    page's name, in a Jekyll site's _config.yml) as a number, which json cannot sort among
    text keys; such a configuration is hashed with each mapping as its sorted pairs."""
    try:
        text = json.dumps(data, sort_keys=True, default=str)
    except TypeError:
        text = json.dumps(_pairs(data), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _pairs(value: Any) -> Any:
    if isinstance(value, dict):
        return sorted(([str(key), type(key).__name__, _pairs(item)] for key, item in value.items()),
                      key=lambda pair: pair[:2])
    if isinstance(value, list):
        return [_pairs(item) for item in value]
    return value


def folder_files(folder: Path, limit: int, inside: str = "",
                 suffixes: tuple[str, ...] = ()) -> Iterator[tuple[str, str, str]]:
    """(its folder relative to folder, name, real path) of each file under folder, in name
    order, hidden folders passed over, at most limit of them (of those suffixes, when given);
    a file whose real path is outside `inside` (folder itself when not given) is passed over,
    and so is a folder outside it. None when folder is not a folder."""
    root = os.path.realpath(folder)
    top = inside or root
    if not (root == top or root.startswith(top + os.sep)) or not os.path.isdir(root):
        return
    files = 0
    for current, folders, names in os.walk(root):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(names):
            path = os.path.realpath(os.path.join(current, name))
            if suffixes and os.path.splitext(name)[1].lower() not in suffixes or not path.startswith(top + os.sep):
                continue
            if files >= limit:
                return
            files += 1
            yield os.path.relpath(current, root), name, path


def files_stamp(files: Iterable[tuple[tuple[str, ...], str]]) -> str:
    """What changes when one of these files does: a digest of each one's key (how it is named)
    with its size, modification time and inode ("" when there are none; a file gone is left out)."""
    stamps = []
    for key, path in files:
        try:
            stat = os.stat(path)
        except OSError:
            continue
        stamps.append((*key, stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return hashlib.sha256(json.dumps(stamps).encode()).hexdigest()[:16] if stamps else ""
