"""The `feedsvc` command: scan reports, and serve as a real process over real HTTP."""

from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner
from conftest import http_get, parse_feed, running_server, write

from feedsvc.cli import main


def test_scan_reports_every_problem_file(content: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FEEDSVC_CONTENT_DIR", str(content))
    monkeypatch.setenv("FEEDSVC_DATABASE", str(tmp_path / "db.sqlite"))
    write(content, "ok.txt", "date 2020-05-05 Fine\n\nText.\n")
    write(content, "topic/broken.md", "---\ntitle: [\n---\n")
    write(content, "notes.txt", "no header at all\n")
    write(content, "image.png", "not an article")
    result = CliRunner().invoke(main, ["scan"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("published 1, drafts 0, skipped 1, errors 2, warnings 0")
    assert lines[1].startswith("error: notes.txt: no header")
    assert lines[2].startswith("error: topic/broken.md: front matter: invalid YAML")


def test_scan_succeeds_on_clean_content(content: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FEEDSVC_CONTENT_DIR", "content")  # relative to the working directory
    monkeypatch.setenv("FEEDSVC_DATABASE", "data/feeds.db")
    write(content, "ok.txt", "date 2020-05-05 Fine\n\nText.\n")
    result = CliRunner().invoke(main, ["scan"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "feeds.db").is_file()


def test_bad_setting_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.setenv("FEEDSVC_SCAN_INTERVAL", "often")
    result = CliRunner().invoke(main, ["scan"])
    assert result.exit_code == 1
    assert "scan_interval must be an integer, got 'often'" in result.output


def test_serve_runs_a_real_server(content: Path, tmp_path: Path) -> None:
    write(content, "world/unrest.txt", " date 2022-01-06 Kazakhstan: troops land\n\nText.\n")
    write(content, "science/note.md", "---\ntitle: A note\ndate: 2023-01-01\n---\nHello.\n")
    env = {"FEEDSVC_CONTENT_DIR": str(content),
           "FEEDSVC_DATABASE": str(tmp_path / "serve.db"), "FEEDSVC_SCAN_INTERVAL": "2"}
    with running_server(env, tmp_path / "serve.log") as base:
        status, body, headers = http_get(base + "/feeds/atom.xml")
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
            titles = [e.title for e in parse_feed(http_get(base + "/topics/science/rss.xml")[1]).entries]
        assert titles == ["Added later", "A note"]  # picked up by the scheduled scan
    assert "gunicorn" in (tmp_path / "serve.log").read_text().lower()
