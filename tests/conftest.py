"""Shared fixtures: a temporary content folder, a catalog on disk, the real app.

Shared functions and classes are in helpers/."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.content import BASE_URL, SEEDS

from feedsvc.config import load_settings
from feedsvc.scheduler import scan_once
from feedsvc.web import create_app


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No FEEDSVC_* setting or feedsvc.toml of the machine leaks into a test."""
    for key in list(os.environ):
        if key.startswith("FEEDSVC_") or key == "PORT":
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    return folder


@pytest.fixture
def config(tmp_path: Path, content: Path) -> dict[str, object]:
    return {
        "content_dir": content,
        "database": tmp_path / "instance" / "feedsvc.db",
        "base_url": BASE_URL,
        "title": "Example News",
    }


@pytest.fixture
def make_app(config: dict[str, object]) -> Callable[..., object]:
    def factory(**overrides: object):
        return create_app({**config, **overrides})

    return factory


@pytest.fixture
def scan(config: dict[str, object]) -> Callable[..., object]:
    def run(**overrides: object):
        return scan_once(load_settings(overrides={**config, **overrides}))

    return run


@pytest.fixture
def seeds() -> list[Path]:
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.skip(f"no seed articles at {SEEDS} (a user's clone has no ../shared)")
    return files
