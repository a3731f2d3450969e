"""A site generator's configuration file read as data: TOML, YAML or JSON (Jekyll's
_config.yml, Hugo's hugo.toml and config folder), and Pelican's pelicanconf.py, whose literal
assignments only are read (it is never run). At most MAX_CONFIG_BYTES a file."""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path
from typing import Any

from ..errors import ReadError
from .front_matter import load_yaml

MAX_CONFIG_BYTES = 1024 * 1024


def parse_config(path: Path) -> dict[str, Any]:
    """A configuration file's values (a table; {} when it holds something else)."""
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
            data = load_yaml(text, path.name)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, SyntaxError, ValueError) as exc:
        raise ReadError(f"{path.name}: {exc}") from None
    return data if isinstance(data, dict) else {}


def _python_literals(text: str) -> dict[str, Any]:
    """Pelican's settings file as data: `NAME = <literal>` lines; anything computed is skipped."""
    values: dict[str, Any] = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, RecursionError):
                continue
    return values
