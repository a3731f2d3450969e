"""Jekyll's collections and data files as its posts' Liquid reads them (site.<name>,
site.data): bounded, and counted in the site's fingerprint."""

from __future__ import annotations

from pathlib import Path

from helpers.content import age

from feedsvc.config import load_settings
from feedsvc.readers import jekyll_collections, jekyll_data
from feedsvc.readers.jekyll_collections import MAX_DOCUMENTS, load_collections
from feedsvc.scan import scan_once
from feedsvc.store import Store


def _published(database: Path) -> str:
    store = Store(database)
    try:
        return " ".join(entry.content_html for entry in store.entries())
    finally:
        store.close()


def test_a_collection_document_edited_makes_its_posts_read_again(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("title: Quay\ncollections:\n  boats:\n    output: false\n")
    (tmp_path / "_boats").mkdir()
    (tmp_path / "_boats" / "heron.md").write_text("---\nname: Heron\nseats: 12\n---\n")
    (tmp_path / "_posts").mkdir()
    post = tmp_path / "_posts" / "2024-02-03-fleet.md"
    post.write_text("---\ntitle: Fleet\n---\n\n{% for boat in site.boats %}{{ boat.name }} seats {{ boat.seats }}."
                    "{% endfor %}\n")
    age(tmp_path / "_config.yml", post, tmp_path / "_posts", tmp_path)
    settings = load_settings(overrides={"content_dir": tmp_path, "database": tmp_path.parent / "c.db"},
                             environ={})
    scan_once(settings)
    assert "Heron seats 12." in _published(settings.database)
    (tmp_path / "_boats" / "heron.md").write_text("---\nname: Heron\nseats: 16\n---\n")
    report = scan_once(settings)
    assert report.read == 1
    assert "Heron seats 16." in _published(settings.database)


def test_collections_are_bounded(tmp_path: Path, monkeypatch) -> None:
    """At most MAX_DOCUMENTS documents in all, a larger file and one without front matter
    left out, a collections_dir outside the site read as none."""
    monkeypatch.setattr(jekyll_collections, "MAX_DOCUMENT_BYTES", 100)
    monkeypatch.setattr(jekyll_collections, "MAX_TOTAL_BYTES", 10_000)
    (tmp_path / "_a").mkdir()
    for number in range(MAX_DOCUMENTS + 5):
        (tmp_path / "_a" / f"{number:05}.md").write_text(f"---\nn: {number}\n---\n")
    (tmp_path / "_b").mkdir()
    (tmp_path / "_b" / "big.md").write_text("---\nn: 1\n---\n" + "x" * 200)
    (tmp_path / "_b" / "plain.md").write_text("no front matter\n")
    loaded = load_collections(tmp_path, ("a", "b"), "")
    assert len(loaded["a"]) == MAX_DOCUMENTS and loaded["b"] == []
    assert loaded["a"][0] == {"n": 0, "relative_path": "_a/00000.md", "path": "_a/00000.md",
                              "collection": "a", "slug": "00000", "content": "", "url": "/a/00000.html"}
    assert load_collections(tmp_path / "_a", ("a",), "..") == {"a": []}
    (tmp_path / "_c").mkdir()
    for number in range(5):
        (tmp_path / "_c" / f"{number}.md").write_text("---\nn: 1\n---\n" + "y" * 80)
    monkeypatch.setattr(jekyll_collections, "MAX_TOTAL_BYTES", 300)  # room for three of these files
    assert len(load_collections(tmp_path, ("c",), "")["c"]) == 3


def test_data_files_are_bounded_in_number_and_together(tmp_path: Path, monkeypatch) -> None:
    """site.data reads at most MAX_FILES files, MAX_TOTAL_BYTES together: a file past the
    total is left out (the data folder of a site's release notes held 392 small files)."""
    (tmp_path / "notes").mkdir()
    for number in range(jekyll_data.MAX_FILES + 3):
        (tmp_path / "notes" / f"{number:05}.yml").write_text(f"n: {number}\n")
    assert len(jekyll_data.load_data(tmp_path)["notes"]) == jekyll_data.MAX_FILES
    monkeypatch.setattr(jekyll_data, "MAX_TOTAL_BYTES", 15)  # room for three of these files
    assert sorted(jekyll_data.load_data(tmp_path)["notes"]) == ["00000", "00001", "00002"]
