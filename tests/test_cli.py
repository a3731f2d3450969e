"""The `feedsvc` command: scan reports, check, and serve as a real process over real HTTP."""

from __future__ import annotations

import json
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from helpers.content import copy_seeds, write
from helpers.feeds import parse_feed
from helpers.server import LiveServer, fetch

from feedsvc.cli import main
from feedsvc.config import load_settings


def test_scan_reports_every_problem_file(content: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FEEDSVC_CONTENT_DIR", str(content))
    monkeypatch.setenv("FEEDSVC_DATABASE", str(tmp_path / "db.sqlite"))
    write(content, "ok.txt", "date 2020-05-05 Fine\n\nText.\n")
    write(content, "topic/broken.md", "---\ntitle: [\n---\n")
    write(content, "notes.txt", "no header at all\n")
    write(content, "notes.docx", "not an article")
    write(content, "topic/empty.md", "")
    write(content, "topic/_partial.md", "---\ntitle: hidden\n---\n")
    write(content, "_posts/2020-01-02-jekyll.md", "---\ntitle: Jekyll keeps posts here\n---\nText.\n")
    write(content, "draft.txt", "Title: Later\nStatus: draft\n\nSoon.\n")
    write(content, "undated.txt", "Title: Some day\n\nText.\n")
    write(content, "big.txt", "date 2020-05-05 Big\n\n" + "word " * 100)
    (content / "blob.txt").write_bytes(b"\x00\x01binary")
    monkeypatch.setenv("FEEDSVC_MAX_FILE_SIZE", "400")
    result = CliRunner().invoke(main, ["scan"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("published 3, drafts 1, skipped 3, errors 4, warnings 2 (2 date-fallback) in ")
    assert lines[1:] == [
        "error: big.txt: file is 521 bytes, over the limit of 400",
        "error: blob.txt: binary file (contains NUL bytes)",
        "error: notes.txt: no header: the first line must be 'date YYYY-MM-DD Title' "
        "or a block of 'Key: value' lines (Title, Date, ...) ended by a blank line",
        "error: topic/broken.md: front matter: invalid YAML: while parsing a flow node",
        "skipped: *.docx: not an article: 1 file of type .docx",
        "skipped: topic/_partial.md: hidden (name starts with '.' or '_')",
        "skipped: topic/empty.md: empty file",
        "warning: draft.txt: no date: using the time the file was first seen",
        "warning: undated.txt: no date: using the time the file was first seen",
    ]


def test_scan_succeeds_on_clean_content(content: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FEEDSVC_CONTENT_DIR", "content")  # relative to the working directory
    monkeypatch.setenv("FEEDSVC_DATABASE", "data/feeds.db")
    write(content, "ok.txt", "date 2020-05-05 Fine\n\nText.\n")
    result = CliRunner().invoke(main, ["scan"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "feeds.db").is_file()


def _check_folder(content: Path) -> None:
    write(content, "world/almaty.txt", " date 2022-01-06 Almaty: trams stop\n\n“Trams” stopped in Almaty.\n")
    write(content, "draft.md", "---\ntitle: Later\ndate: 2023-01-01\ndraft: true\n---\nSoon.\n")
    write(content, "broken.md", "---\ntitle: x\n")
    write(content, "empty.txt", "")
    write(content, "photo.jpg", "JFIF")
    write(content, "notes.docx", "PK")
    write(content, "topics.toml", '[topics.kazakhstan]\nlabel = "Kazakhstan"\nmatch = ["Almaty"]\n')


def test_check_shows_how_a_file_normalizes(content: Path, monkeypatch) -> None:
    monkeypatch.setenv("FEEDSVC_BASE_URL", "https://news.example.org")
    _check_folder(content)
    result = CliRunner().invoke(main, ["check", "content/world/almaty.txt", "content/draft.md"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "content/world/almaty.txt: published",
        "  id:        tag:news.example.org,2022-01-06:/world/almaty",
        "  title:     Almaty: trams stop",
        "  published: 2022-01-06T00:00:00+00:00",
        "  updated:   2022-01-06T00:00:00+00:00",
        "  topics:    kazakhstan (Kazakhstan), world",
        "  summary:   “Trams” stopped in Almaty.",
        "content/draft.md: draft",
        "  id:        tag:news.example.org,2023-01-01:/draft",
        "  title:     Later",
        "  published: 2023-01-01T00:00:00+00:00",
        "  updated:   2023-01-01T00:00:00+00:00",
        "  summary:   Soon.",
        "2 files: 1 published, 1 drafts, 0 skipped, 0 errors",
    ]


def test_check_json_of_a_folder_and_exit_status(content: Path) -> None:
    _check_folder(content)
    result = CliRunner().invoke(main, ["check", "--json", "content"])
    assert result.exit_code == 1  # broken.md
    results = {Path(item["path"]).name: item for item in json.loads(result.output)}
    assert set(results) == {"almaty.txt", "draft.md", "broken.md", "empty.txt", "photo.jpg", "*.docx"}
    assert results["almaty.txt"]["status"] == "published"
    assert results["almaty.txt"]["topics"] == [
        {"slug": "kazakhstan", "label": "Kazakhstan"}, {"slug": "world", "label": "world"}]
    assert results["almaty.txt"]["warnings"] == []
    assert results["draft.md"]["status"] == "draft"
    assert results["broken.md"] == {
        "path": "content/broken.md", "status": "error",
        "reason": "front matter: opening '---' has no closing '---' line"}
    assert results["empty.txt"]["reason"] == "empty file"
    assert results["photo.jpg"] == {
        "path": "content/photo.jpg", "status": "media", "type": "image/jpeg", "size": 4}
    assert results["*.docx"] == {
        "path": "content/*.docx", "status": "skipped", "reason": "not an article: 1 file of type .docx"}
    human = CliRunner().invoke(main, ["check", "content/broken.md"])
    assert human.exit_code == 1
    assert human.output.splitlines()[0] == (
        "content/broken.md: error: front matter: opening '---' has no closing '---' line")


def test_check_gives_the_seed_its_country_topics(seeds: list[Path], content: Path) -> None:
    shutil.copy(Path(__file__).parents[1] / "content" / "topics.toml", content / "topics.toml")
    copy_seeds(seeds, content)
    result = CliRunner().invoke(main, ["check", "--json", *(str(content / s.name) for s in seeds)])
    assert result.exit_code == 0, result.output
    for item in json.loads(result.output):
        slugs = {topic["slug"] for topic in item["topics"]}
        if item["path"].endswith("000_0c7551087dfcb249.txt"):
            assert {"kazakhstan", "russia"} <= slugs


def test_serve_runs_a_real_server(content: Path, tmp_path: Path) -> None:
    write(content, "world/unrest.txt", " date 2022-01-06 Kazakhstan: troops land\n\nText.\n")
    write(content, "science/note.md", "---\ntitle: A note\ndate: 2023-01-01\n---\nHello.\n")
    with LiveServer(content, tmp_path / "serve.db", tmp_path / "serve.log", scan_interval=2) as server:
        base = server.base
        status, body, headers = fetch(base + "/feeds/atom.xml")
        assert status == 200
        assert headers["Content-Type"] == "application/atom+xml; charset=utf-8"
        feed = parse_feed(body)
        assert [entry.title[:6] for entry in feed.entries] == ["A note", "Kazakh"]
        self_link = next(link.href for link in feed.feed.links if link.rel == "self")
        assert self_link == base + "/feeds/atom.xml"  # base URL from the address served

        write(content, "science/later.md", "---\ntitle: Added later\ndate: 2024-01-01\n---\nNew.\n")
        deadline = time.monotonic() + 15
        titles: list[str] = []
        while time.monotonic() < deadline and "Added later" not in titles:
            time.sleep(0.5)
            titles = [e.title for e in parse_feed(fetch(base + "/topics/science/rss.xml")[1]).entries]
        assert titles == ["Added later", "A note"]  # picked up by the scheduled scan
    assert "gunicorn" in (tmp_path / "serve.log").read_text().lower()


def test_status_serves_the_scan_report_with_every_problem_file(content: Path, scan, make_app) -> None:
    write(content, "ok.txt", "date 2020-05-05 Fine\n\nText.\n")
    write(content, "notes.txt", "no header at all\n")
    write(content, "world/empty.md", "")
    write(content, "notes.docx", "not an article")
    write(content, "undated.txt", "Title: Some day\n\nText.\n")
    report = scan()
    last = make_app().test_client().get("/status").get_json()["last_scan"]
    assert (last["published"], last["skipped"]) == (2, 2)
    assert last["skipped_files"] == [
        {"path": "*.docx", "reason": "not an article: 1 file of type .docx"},
        {"path": "world/empty.md", "reason": "empty file"},
    ]
    assert [(e["path"], e["reason"][:10]) for e in last["errors"]] == [("notes.txt", "no header:")]
    assert last["warnings"] == [{"path": "undated.txt", "reason": report.warnings[0].reason}]


def test_warnings_are_counted_by_kind_and_files_left_out_grouped(tmp_path: Path, caplog, monkeypatch) -> None:
    import logging

    from feedsvc.scan import scan_once

    site = tmp_path / "site"
    write(site, "hugo.toml", 'title = "Kinds"\n')
    for name in ("README.md", "notes.md", "todo.md", "layouts/post.html"):
        write(site, name, "Not a post.\n")
    write(site, "content/posts/a.md", "---\ntitle: A\ndate: the other day\n---\n{{< mine >}}x{{< /mine >}}\n")
    write(site, "content/posts/b.md", "---\ntitle: B\n---\n{{< mine >}}y{{< /mine >}} {{< theirs >}}\n")
    write(site, "content/posts/2021-02-03-c.md", "---\ntitle: C\ndate: someday\n---\nText.\n")
    caplog.set_level(logging.INFO, logger="feedsvc.scan")
    scan_once(load_settings(overrides={"content_dir": site, "database": tmp_path / "db"}, environ={}))
    assert "6 warnings (3 date-fallback, 3 unknown-shortcode) in " in caplog.records[-1].getMessage()

    monkeypatch.chdir(site)
    result = CliRunner().invoke(main, ["check", "."])
    lines = result.output.splitlines()
    outside = "not an article: outside the hugo site's content folder content/"
    assert f"skipped: {outside}: 5 files (README.md, hugo.toml, layouts, ...)" in lines
    assert not any(line.endswith(outside) for line in lines)  # no file of the group on a line of its own
    warnings = [line.split("warning:")[1].strip() for line in lines if "warning:" in line]
    assert len(warnings) == 6 and sum("shortcode" in warning for warning in warnings) == 3


def test_each_kind_of_warning_is_named(tmp_path: Path) -> None:
    from feedsvc.normalize import normalize
    from feedsvc.problems import warning_kind
    from feedsvc.readers import read_article
    from feedsvc.readers.site import load_site

    write(tmp_path, "_config.yml", "title: Kinds\n")
    write(tmp_path, "_posts/notes.docx", "a file, not published")
    texts = {
        "date-fallback": "---\ntitle: A\ndate: soon\n---\nx",
        "unknown-liquid-tag": "---\ntitle: A\ndate: 2020-01-01\n---\n{% mine %}x{% endmine %}",
        "missing-include": "---\ntitle: A\ndate: 2020-01-01\n---\n{% include nowhere.html %}",
        "metadata": "---\ntitle: A\ndate: 2020-01-01\nupdated: whenever\n---\nx",
        "link": "---\ntitle: A\ndate: 2020-01-01\n---\n[x](notes.docx)",
    }
    settings = load_settings(overrides={"content_dir": tmp_path, "database": tmp_path / "db"}, environ={})
    for kind, text in texts.items():
        path = write(tmp_path, "_posts/2020-01-01-a.md", text)
        article = read_article("_posts/2020-01-01-a.md", path.read_bytes(), load_site(tmp_path))
        _entry, warnings = normalize(article, path.read_bytes(), settings, None, datetime.now(UTC))
        assert warnings and {warning_kind(warning) for warning in warnings} == {kind}, (kind, warnings)
