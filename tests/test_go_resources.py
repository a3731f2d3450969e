"""Page bundle resources as Hugo's templates find them (feedsvc/readers/go_resources.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedsvc.readers.go_functions import Unsupported
from feedsvc.readers.go_resources import MAX_PATTERN, Resource, bundle_files, matches, method


def test_globs_match_as_hugo_matches_resources() -> None:
    assert matches("*kiln*", "photos-KILN-door.png")
    assert matches("tile.png", "Tile.PNG")
    assert matches("t?le.*", "tile.jpg")
    assert not matches("*.png", "images/tile.png")  # a star stays within a folder
    assert matches("**.png", "images/tile.png")
    assert matches("images/*", "images/tile.png")
    assert not matches("*kiln", "kiln-door.png")
    assert matches("", "") and not matches("", "a")


def test_a_long_name_is_matched_in_time() -> None:
    assert not matches("*a*a*a*a*a*a*a*a*b" * 10, "a" * 5000)

    with pytest.raises(Unsupported):
        matches("*" * (MAX_PATTERN + 1), "a.png")


def test_a_leaf_bundle_holds_its_subfolders_a_branch_only_its_folder(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    for name in ("index.md", "a.png", "images/b.png"):
        (tmp_path / name).write_text("x")
    assert bundle_files(str(tmp_path), True, "index.md") == ["a.png", "images/b.png"]
    assert bundle_files(str(tmp_path), False, "index.md") == ["a.png"]


def test_processing_an_image_gives_the_image() -> None:
    image = Resource(Name="a.png")
    resize = method("$img.Resize", {"$img": image}, None)
    assert resize is not None and resize("600x webp") is image
    fill = method(".Fill", {}, image)
    assert fill is not None and fill("80x80") is image
    assert method("$img.Resize", {"$img": None}, None) is None
    assert method("$img.Name", {"$img": image}, None) is None
