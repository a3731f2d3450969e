"""`feedsvc build OUT/`: the whole site as static files, byte for byte what the server sends."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.content import BASE_URL
from helpers.feeds import check_json_feed, parse_feed
from helpers.site import ARTICLES, write_articles

from feedsvc import export
from feedsvc.cli import main
from feedsvc.config import load_settings
from feedsvc.outfolder import TEMP_SUFFIX

STATIC = Path(export.__file__).parent / "static"
FEED_FILES = ["atom.xml", "rss.xml", "feed.json"]


def topic_slugs() -> set[str]:
    return {slug for article in ARTICLES for slug in article.topic_slugs}


def expected_files() -> set[str]:
    """Every file of the site, computed from the corpus and the package's static folder."""
    files = {"index.html", "404.html", "feeds.opml", export.MANIFEST}
    files |= {f"static/{p.relative_to(STATIC).as_posix()}" for p in STATIC.rglob("*") if p.is_file()}
    files |= {f"feeds/{name}" for name in FEED_FILES}
    files |= {f"articles/{article.slug}/index.html" for article in ARTICLES}
    for slug in topic_slugs():
        files |= {f"topics/{slug}/index.html"} | {f"topics/{slug}/{name}" for name in FEED_FILES}
    return files


def feed_self_and_links(data: bytes) -> tuple[str, list[str]]:
    """A feed's self URL and its entries' links, checked by feedparser or the JSON Feed rules."""
    if data.startswith(b"{"):
        document = json.loads(data)
        check_json_feed(document)
        return document["feed_url"], [item["url"] for item in document["items"]]
    feed = parse_feed(data)
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    return self_link, [entry.link for entry in feed.entries]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def run_build(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run `feedsvc build OUT` on the corpus; each database name is a separate catalog."""
    write_articles(content)
    monkeypatch.setenv("FEEDSVC_CONTENT_DIR", str(content))
    monkeypatch.setenv("FEEDSVC_BASE_URL", BASE_URL)
    monkeypatch.setenv("FEEDSVC_TITLE", "Example News")

    def run(out: Path, database: str = "site.db", expect_exit: int = 0):
        monkeypatch.setenv("FEEDSVC_DATABASE", str(tmp_path / database))
        result = CliRunner().invoke(main, ["build", str(out)])
        assert result.exit_code == expect_exit, result.output
        return result

    return run


def test_build_writes_every_feed_page_and_stylesheet(run_build, tmp_path: Path, make_app) -> None:
    out = tmp_path / "site"
    result = run_build(out)
    files = tree(out)
    assert set(files) == expected_files()
    assert f"{out}: {len(files) - 1} files, {len(files) - 1} written, 0 unchanged, 0 removed" in result.output

    client = make_app(database=tmp_path / "site.db").test_client()
    for relative, data in files.items():
        if relative in {export.MANIFEST, "404.html"}:
            continue
        url_path = "/" + relative.removesuffix("index.html")
        url_path = url_path.removesuffix("/") if url_path.startswith("/articles/") else url_path
        with client.get(url_path) as response:
            assert response.status_code == 200, url_path
            assert response.get_data() == data, url_path  # exactly what the server sends
        if relative.endswith(tuple(FEED_FILES)):
            assert feed_self_and_links(data)[0] == BASE_URL + url_path
            assert all(link.startswith(BASE_URL + "/articles/") or link == ARTICLES[2].link
                       for link in feed_self_and_links(data)[1])
    assert b"<h1>Not found</h1>" in files["404.html"]
    outlines = ET.fromstring(files["feeds.opml"]).iter("outline")
    listed = {outline.get("xmlUrl") for outline in outlines if outline.get("xmlUrl")}
    atom_files = {name for name in files if name.endswith("atom.xml")}
    assert listed == {f"{BASE_URL}/{name}" for name in atom_files}
    all_entries = parse_feed(files["feeds/atom.xml"]).entries
    assert len(all_entries) == len(ARTICLES)
    manifest = json.loads(files[export.MANIFEST])
    assert set(manifest["files"]) == expected_files() - {export.MANIFEST}


def test_two_builds_of_the_same_content_are_byte_identical(run_build, tmp_path: Path) -> None:
    run_build(tmp_path / "first", database="first.db")
    run_build(tmp_path / "second", database="second.db")  # a catalog built from scratch
    first, second = tree(tmp_path / "first"), tree(tmp_path / "second")
    assert set(first) == expected_files()
    assert first == second

    mtimes = {p: p.stat().st_mtime_ns for p in (tmp_path / "first").rglob("*")}
    again = run_build(tmp_path / "first", database="first.db")
    assert f"0 written, {len(first) - 1} unchanged, 0 removed" in again.output
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "first").rglob("*")} == mtimes


def test_rebuild_removes_what_is_gone_and_keeps_foreign_files(run_build, content: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "site"
    run_build(out)
    (out / "CNAME").write_text("news.example.org\n")
    gone = ARTICLES[0]
    (content / gone.path).unlink()
    result = run_build(out)
    files = tree(out)
    assert f"removed: articles/{gone.slug}/index.html" in result.output
    assert "kept, not written by feedsvc: CNAME" in result.output
    assert not (out / "articles" / gone.slug).exists()
    assert files["CNAME"] == b"news.example.org\n"
    only_in_gone = gone.topic_slugs - {s for a in ARTICLES[1:] for s in a.topic_slugs}
    for slug in only_in_gone:  # a topic that once existed keeps its (now empty) page and feeds
        assert parse_feed(files[f"topics/{slug}/atom.xml"]).entries == []
    titles = [entry.title for entry in parse_feed(files["feeds/rss.xml"]).entries]
    assert gone.title not in titles and len(titles) == len(ARTICLES) - 1
    assert gone.title.encode() not in files["index.html"]
    assert not [name for name in files if name.endswith(TEMP_SUFFIX)]


def test_refuses_a_folder_it_did_not_write(run_build, tmp_path: Path) -> None:
    out = tmp_path / "photos"
    out.mkdir()
    (out / "holiday.jpg").write_bytes(b"\xff\xd8 not ours")
    result = run_build(out, expect_exit=1)
    assert "is not empty and holds no .feedsvc-build.json" in result.output
    assert tree(out) == {"holiday.jpg": b"\xff\xd8 not ours"}


def test_file_for_maps_every_url_to_a_static_file() -> None:
    assert export.file_for("/") == "index.html"
    assert export.file_for("/topics/night-sky/") == "topics/night-sky/index.html"
    assert export.file_for("/articles/a-b") == "articles/a-b/index.html"
    assert export.file_for("/feeds/atom.xml") == "feeds/atom.xml"
    assert export.file_for("/feeds.opml") == "feeds.opml"


def test_base_url_with_a_path_prefixes_every_link(run_build, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("FEEDSVC_BASE_URL")
    monkeypatch.setenv("FEEDSVC_DATABASE", str(tmp_path / "prefix.db"))
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(out), "--base-url", "https://cdn.example.net/news/"])
    assert result.exit_code == 0, result.output
    assert "FEEDSVC_BASE_URL is not set" not in result.output
    feed = parse_feed((out / "topics" / "science" / "atom.xml").read_bytes())
    assert next(link.href for link in feed.feed.links if link.rel == "self") == (
        "https://cdn.example.net/news/topics/science/atom.xml")
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="/news/static/style.css"' in home
    assert f'href="/news/articles/{ARTICLES[0].slug}"' in home
    assert 'href="/news/topics/science/"' in home
    assert b'href="/news/static/feed.xsl"' in (out / "feeds" / "rss.xml").read_bytes()


def test_build_without_base_url_warns(run_build, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("FEEDSVC_BASE_URL")
    result = run_build(tmp_path / "site")
    assert "warning: FEEDSVC_BASE_URL is not set; every feed and link points at http://127.0.0.1:8000" \
        in result.output


def test_a_tampered_manifest_cannot_reach_outside(run_build, tmp_path: Path) -> None:
    out = tmp_path / "site"
    run_build(out)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    manifest = json.loads((out / export.MANIFEST).read_text())
    manifest["files"]["../victim.txt"] = "0" * 64
    (out / export.MANIFEST).write_text(json.dumps(manifest))
    result = run_build(out, expect_exit=1)
    assert "refusing to touch '../victim.txt', outside" in result.output
    assert victim.read_text() == "keep me"


def test_static_pages_are_paged_and_feeds_carry_no_paging_links(run_build, tmp_path: Path,
                                                                 monkeypatch, make_app) -> None:
    monkeypatch.setenv("FEEDSVC_FEED_LIMIT", "2")
    out = tmp_path / "site"
    run_build(out)
    listings = [out / "index.html", *sorted(out.glob("page/*/index.html"))]
    assert [path.relative_to(out).as_posix() for path in listings] == ["index.html", "page/2/index.html"]
    linked = {href for path in listings
              for href in re.findall(r'<h3><a href="/articles/([a-z0-9-]+)">', path.read_text())}
    assert linked == {article.slug for article in ARTICLES}  # every article reachable by a link
    served = parse_feed(make_app(database=tmp_path / "site.db", feed_limit=2).test_client()
                        .get("/feeds/atom.xml").data)
    assert "next" in {link.rel for link in served.feed.links}  # the server pages with ?page=2
    exported = parse_feed((out / "feeds" / "atom.xml").read_bytes())
    assert {link.rel for link in exported.feed.links} == {"self", "alternate"}
    assert len(exported.entries) == 2
    document = json.loads((out / "feeds" / "feed.json").read_bytes())
    assert "next_url" not in document and len(document["items"]) == 2


def test_a_broken_article_is_reported_and_the_rest_is_written(run_build, content: Path,
                                                               tmp_path: Path) -> None:
    (content / "science" / "broken.md").write_text("---\ntitle: [unclosed\n---\nText.\n")
    out = tmp_path / "site"
    result = run_build(out, expect_exit=1)
    assert "error: science/broken.md: front matter" in result.output
    assert set(tree(out)) == expected_files()


def test_missing_content_folder_writes_nothing(run_build, content: Path, tmp_path: Path,
                                               monkeypatch) -> None:
    monkeypatch.setenv("FEEDSVC_CONTENT_DIR", str(tmp_path / "nowhere"))
    result = run_build(tmp_path / "site", expect_exit=1)
    assert f"content folder {tmp_path / 'nowhere'} does not exist" in result.output
    assert not (tmp_path / "site").exists()


def test_a_scan_during_the_export_does_not_mix_catalogs(content: Path, scan, config) -> None:
    write_articles(content)
    scan()
    files = export.render_site(load_settings(overrides=config))
    first = [next(files) for _ in range(3)]  # the export has started reading
    gone = ARTICLES[0]
    (content / gone.path).unlink()
    assert scan().published == len(ARTICLES) - 1  # committed while the export reads
    rendered = dict(first + list(files))
    assert f"articles/{gone.slug}/index.html" in rendered
    assert gone.title.encode() in rendered["index.html"]
    assert len(parse_feed(rendered["feeds/atom.xml"]).entries) == len(ARTICLES)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the output folder, with a file that must survive every build."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "atom.xml").write_text("not the build's")
    (folder / "2").mkdir()
    (folder / "2" / "index.html").write_text("not the build's either")
    return folder


def test_a_linked_folder_inside_the_output_is_refused_not_followed(run_build, tmp_path: Path,
                                                                   outside: Path) -> None:
    out = tmp_path / "site"
    run_build(out)
    before = tree(outside)
    for path in (out / "feeds").iterdir():
        path.unlink()
    (out / "feeds").rmdir()
    (out / "feeds").symlink_to(outside, target_is_directory=True)
    result = run_build(out, expect_exit=1)
    assert f"Error: {out / 'feeds'} is a symbolic link or not a folder: feedsvc writes only real " \
           f"folders and files under {out}" in result.output
    assert tree(outside) == before and (out / "feeds").is_symlink()


def test_a_link_to_a_file_outside_is_refused_not_written_through(run_build, tmp_path: Path,
                                                                 outside: Path) -> None:
    out = tmp_path / "site"
    run_build(out)
    (out / "feeds.opml").unlink()
    (out / "feeds.opml").symlink_to(outside / "atom.xml")
    result = run_build(out, expect_exit=1)
    assert f"Error: {out / 'feeds.opml'} is a symbolic link" in result.output
    assert (outside / "atom.xml").read_text() == "not the build's"


def test_removal_never_goes_through_a_linked_folder(run_build, content: Path, tmp_path: Path,
                                                   outside: Path, monkeypatch) -> None:
    monkeypatch.setenv("FEEDSVC_FEED_LIMIT", str(len(ARTICLES) - 1))
    out = tmp_path / "site"
    run_build(out)
    assert (out / "page" / "2" / "index.html").is_file()
    next(path for path in content.rglob("*.*") if path.name != "topics.toml").unlink()
    (out / "page" / "2" / "index.html").unlink()
    (out / "page" / "2").rmdir()
    (out / "page").rmdir()
    (out / "page").symlink_to(outside, target_is_directory=True)  # page/2/index.html is outside now
    result = run_build(out, expect_exit=1)  # the rebuild drops page 2: it would delete it
    assert f"Error: {out / 'page'} is a symbolic link or not a folder" in result.output
    assert (outside / "2" / "index.html").read_text() == "not the build's either"


def test_a_link_at_a_temporary_name_is_replaced_not_written_through(run_build, tmp_path: Path,
                                                                    outside: Path) -> None:
    out = tmp_path / "site"
    run_build(out)
    (out / "feeds" / "atom.xml").write_text("changed, so the build writes it again")
    temporary = out / "feeds" / f".atom.xml{TEMP_SUFFIX}"
    temporary.symlink_to(outside / "atom.xml")
    stray = out / f".index.html{TEMP_SUFFIX}"
    stray.symlink_to(outside / "2" / "index.html")
    run_build(out)
    assert parse_feed((out / "feeds" / "atom.xml").read_bytes()).entries
    assert not temporary.is_symlink() and not stray.is_symlink()
    assert (outside / "atom.xml").read_text() == "not the build's"
    assert (outside / "2" / "index.html").read_text() == "not the build's either"
