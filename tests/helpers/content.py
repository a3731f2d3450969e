"""Content folders for tests: write articles, age them, copy the shared seed articles."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
BASE_URL = "https://news.example.org"


def write(folder: Path, relative: str, text: str) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def age(*paths: Path, seconds: int = 86_400) -> None:
    """Move modification times into the past, as for files written long before a scan.

    A file modified within a second or two of a scan is read again by the next one.
    """
    past = time.time() - seconds
    for path in paths:
        os.utime(path, (past, past))


def copy_seeds(seeds: list[Path], target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(seed, target / seed.name)) for seed in seeds]
