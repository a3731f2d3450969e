"""Files beside articles: served under /media/, linked from articles the way site generators
link them, copied by `feedsvc build`; hostile files are not published."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from helpers.content import BASE_URL, write
from helpers.feeds import parse_feed
from helpers.media import png
from helpers.server import LiveServer
from werkzeug.datastructures import Headers

from feedsvc.config import load_settings
from feedsvc.export import build

REPO = Path(__file__).parents[1]
SRC = re.compile(r'(?:src|href)="([^"]+)"')


def site(content: Path) -> dict[str, bytes]:
    """Articles of four site generators' habits, each with an image beside it."""
    files = {
        # Hugo page bundle: the image beside index.md
        "food/dumplings/index.md": b"---\ntitle: Dumplings\ndate: 2024-01-02\n---\n![dumplings](img/d.png)\n",
        "food/dumplings/img/d.png": png(3, 3),
        # Jekyll: site-root path into assets/
        "_posts/2024-01-03-harbour.md": b"---\ntitle: Harbour\n---\n![crane](/assets/crane.png)\n",
        "assets/crane.png": png(4, 2),
        # Pelican: {static}, {attach}, {filename}
        "news/pelican.md": (b"Title: Pelican\nDate: 2024-01-04\n\n![a]({static}/images/a.png) "
                            b"[report]({attach}report.pdf) [other]({filename}other.md)\n"),
        "images/a.png": png(5, 5),
        "news/report.pdf": b"%PDF-1.4\n%fake but typed\n",
        "news/other.md": b"Title: Other\nDate: 2024-01-01\n\nText.\n",
        # HTML saved from a CMS, a relative image
        "news/cms.html": (b"<html><head><title>CMS</title><meta name='date' content='2024-01-05'></head>"
                          b"<body><article><p><img src='pics/p.webp' alt='p'></p></article></body></html>"),
        "news/pics/p.webp": b"RIFF\x00\x00\x00\x00WEBPVP8 fake",
    }
    for relative, data in files.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Headers
    data: bytes

    @property
    def type(self) -> str:
        return self.headers.get("Content-Type", "")


def get(client: FlaskClient, path: str, method: str = "GET", **headers: str) -> Answer:
    """One request, its response closed (a media response holds its file open until then)."""
    with client.open(path, method=method, headers={k.replace("_", "-"): v for k, v in headers.items()}) as r:
        return Answer(r.status_code, r.headers, r.data)


def media_urls(text: str) -> list[str]:
    return sorted({url for url in SRC.findall(text) if url.startswith(BASE_URL + "/media/")})


def test_images_in_pages_and_every_feed_resolve(content: Path, scan, make_app) -> None:
    files = site(content)
    report = scan()
    assert report.errors == [] and report.skipped_files == [], report.as_dict()
    client = make_app().test_client()
    expected = {
        f"{BASE_URL}/media/food/dumplings/img/d.png", f"{BASE_URL}/media/assets/crane.png",
        f"{BASE_URL}/media/images/a.png", f"{BASE_URL}/media/news/report.pdf",
        f"{BASE_URL}/media/news/pics/p.webp",
    }
    items = json.loads(get(client, "/feeds/feed.json").data)["items"]
    pages = [get(client, urlsplit(item["url"]).path) for item in items]
    atom, rss = (parse_feed(get(client, f"/feeds/{name}").data) for name in ("atom.xml", "rss.xml"))
    documents = {
        "atom": "".join(entry.content[0].value for entry in atom.entries),
        "rss": "".join(entry.content[0].value for entry in rss.entries),
        "json": "".join(item["content_html"] for item in items),
        "pages": "".join(page.data.decode() for page in pages),
    }
    types = {"png": "image/png", "pdf": "application/pdf", "webp": "image/webp"}
    for name, document in documents.items():
        assert set(media_urls(document)) == expected, name
        for url in expected:
            answer = get(client, urlsplit(url).path)
            assert answer.status == 200, url
            assert answer.type == types[url.rsplit(".", 1)[1]]
            assert answer.data == files[urlsplit(url).path.removeprefix("/media/")]
    # {filename} is the other article's page, which exists
    assert f'href="{BASE_URL}/articles/news-other"' in documents["pages"]
    assert get(client, "/articles/news-other").status == 200


def test_the_bundled_sample_shows_its_image(tmp_path: Path, make_app, scan) -> None:
    settings = {"content_dir": REPO / "content", "database": tmp_path / "sample.db"}
    report = scan(**settings)
    assert report.errors == [] and report.warnings == []
    client = make_app(**settings).test_client()
    page = get(client, "/articles/economy-harbour-cranes").data.decode()
    [image] = re.findall(r'<img [^>]*src="([^"]+)"', page)
    assert image == f"{BASE_URL}/media/economy/images/crane.jpg"
    answer = get(client, urlsplit(image).path)
    assert (answer.status, answer.type) == (200, "image/jpeg")
    assert answer.data[:3] == b"\xff\xd8\xff"  # a JPEG
    assert answer.data == (REPO / "content/economy/images/crane.jpg").read_bytes()


def test_caching_headers_and_conditional_requests(content: Path, make_app) -> None:
    data = png(40, 40)
    (content / "a.png").write_bytes(data)
    client = make_app().test_client()
    first = get(client, "/media/a.png")
    etag = first.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)  # strong
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert first.headers["Accept-Ranges"] == "bytes"
    assert first.headers["Content-Length"] == str(len(data))
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    assert "Last-Modified" in first.headers
    # the same bytes, the same ETag, in another process's app
    assert get(make_app().test_client(), "/media/a.png").headers["ETag"] == etag
    assert get(client, "/media/a.png", If_None_Match=etag).status == 304
    assert get(client, "/media/a.png", If_Modified_Since=first.headers["Last-Modified"]).status == 304
    head = get(client, "/media/a.png", method="HEAD")
    assert (head.status, head.data, head.headers["Content-Length"]) == (200, b"", str(len(data)))
    (content / "a.png").write_bytes(png(41, 41))  # new bytes: a new ETag
    assert get(client, "/media/a.png").headers["ETag"] != etag


def test_byte_ranges(content: Path, make_app) -> None:
    data = bytes(range(256)) * 40  # 10,240 bytes
    (content / "talk.mp3").write_bytes(data)
    client = make_app().test_client()
    etag = get(client, "/media/talk.mp3").headers["ETag"]

    part = get(client, "/media/talk.mp3", Range="bytes=100-199")
    assert part.status == 206
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert (part.data, part.type) == (data[100:200], "audio/mpeg")

    suffix = get(client, "/media/talk.mp3", Range="bytes=-500")
    assert suffix.status == 206
    assert suffix.headers["Content-Range"] == f"bytes {len(data) - 500}-{len(data) - 1}/{len(data)}"
    assert suffix.data == data[-500:]

    open_ended = get(client, "/media/talk.mp3", Range="bytes=10000-")
    assert (open_ended.status, open_ended.data) == (206, data[10000:])

    past = get(client, "/media/talk.mp3", Range=f"bytes={len(data)}-")
    assert past.status == 416
    assert past.headers["Content-Range"] == f"bytes */{len(data)}"

    same = get(client, "/media/talk.mp3", Range="bytes=0-9", If_Range=etag)
    assert (same.status, same.data) == (206, data[:10])
    changed = get(client, "/media/talk.mp3", Range="bytes=0-9", If_Range='"0123"')
    assert (changed.status, changed.data) == (200, data)  # the file changed: all of it


def test_hostile_media_are_not_published(content: Path, tmp_path: Path, make_app, scan) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"SECRET BYTES")
    (content / "out.png").symlink_to(secret)
    (content / "empty.png").write_bytes(b"")
    (content / "big.mp4").write_bytes(b"v" * 2048)
    (content / ".hidden").mkdir()
    (content / ".hidden" / "h.png").write_bytes(png())
    (content / "page.xhtml").write_bytes(b"<html/>")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    (content / "logo.svg").write_bytes(svg)
    write(content, "a.md", "---\ntitle: A\ndate: 2024-01-01\nenclosure: ../../etc/passwd\nimage: out.png\n"
          "---\n![s](out.png) ![e](empty.png) [j](javascript:alert(1)) [p]({static}/../../x.png)\n")
    config = {"max_media_size": 1024}
    report = scan(**config)
    client = make_app(**config).test_client()
    for path in ("out.png", "empty.png", "big.mp4", ".hidden/h.png", "page.xhtml", "../secret.png",
                 "%2e%2e/secret.png", "a.md"):
        answer = get(client, f"/media/{path}")
        assert answer.status == 404, path
        assert b"SECRET" not in answer.data
    shown = get(client, "/media/logo.svg")
    assert (shown.status, shown.data, shown.type) == (200, svg, "image/svg+xml")
    assert shown.headers["Content-Security-Policy"] == "sandbox"  # its script never runs
    warnings = [problem.reason for problem in report.warnings if problem.path == "a.md"]
    assert "link: path leads outside the content folder, got '/../../x.png'" in warnings
    assert "enclosure: path leads outside the content folder, got '../../etc/passwd'" in warnings
    assert "media out.png: symlink points outside the content folder" in warnings
    assert "media empty.png: empty file" in warnings
    item = json.loads(get(client, "/feeds/feed.json").data)["items"][0]
    assert "attachments" not in item and "image" not in item
    assert "javascript" not in item["content_html"]
    # out.png's link goes where the server answers 404: never to the file outside
    assert f"{BASE_URL}/media/out.png" in item["content_html"]


def test_export_holds_every_media_file(content: Path, tmp_path: Path, config, scan) -> None:
    files = site(content)
    (content / "empty.png").write_bytes(b"")
    (content / "out.png").symlink_to(tmp_path / "x.png")
    (tmp_path / "x.png").write_bytes(png())
    scan()
    out = tmp_path / "out"
    report = build(load_settings(overrides=config), out)
    media = {relative: data for relative, data in files.items() if not relative.endswith((".md", ".html"))}
    for relative, data in media.items():
        assert (out / "media" / relative).read_bytes() == data
        assert f"media/{relative}" in report.written
    copied = {path.relative_to(out / "media").as_posix()
              for path in (out / "media").rglob("*") if path.is_file()}
    assert copied == set(media)  # neither the empty file nor the symlink out
    manifest = json.loads((out / ".feedsvc-build.json").read_text())["files"]
    assert set(media) <= {name.removeprefix("media/") for name in manifest}
    again = build(load_settings(overrides=config), out)
    assert {f"media/{relative}" for relative in media} <= set(again.unchanged)
    (content / "assets/crane.png").unlink()
    scan()
    assert "media/assets/crane.png" in build(load_settings(overrides=config), out).removed
    assert not (out / "media/assets/crane.png").exists()


def test_a_real_server_sends_whole_files_and_ranges(content: Path, tmp_path: Path) -> None:
    """gunicorn's threaded workers (feedsvc/worker.py) send the file's own bytes, and its ranges."""
    data = bytes(range(251)) * 12_000  # 3 MB, no period that lines up with the ranges below
    (content / "talk.mp3").write_bytes(data)
    write(content, "a.md", "---\ntitle: A\ndate: 2024-01-01\nenclosure: talk.mp3\n---\nText.\n")
    with LiveServer(content, tmp_path / "db.sqlite", tmp_path / "serve.log", workers=2) as server:
        status, body, headers = server.get("/media/talk.mp3")
        assert (status, headers["Content-Type"], body) == (200, "audio/mpeg", data)
        etag = headers["ETag"]
        status, body, headers = server.get("/media/talk.mp3", {"Range": "bytes=1000000-1999999"})
        assert (status, headers["Content-Range"], body) == (206, f"bytes 1000000-1999999/{len(data)}",
                                                          data[1000000:2000000])
        assert server.get("/media/talk.mp3", {"Range": "bytes=-7"})[1] == data[-7:]
        assert server.get("/media/talk.mp3", {"Range": f"bytes={len(data)}-"})[0] == 416
        assert server.get("/media/talk.mp3", {"Range": "bytes=0-1", "If-Range": etag})[1] == data[:2]
        assert server.get("/media/talk.mp3", {"If-None-Match": etag})[0] == 304
        assert server.get("/media/../db.sqlite")[0] == 404


@pytest.mark.parametrize("setting", ["0", "many"])
def test_a_bad_media_limit_names_the_setting(setting: str) -> None:
    with pytest.raises(ValueError, match="^FEEDSVC_MAX_MEDIA_SIZE: must be a whole number of bytes"):
        load_settings(environ={"FEEDSVC_MAX_MEDIA_SIZE": setting})


def test_link_problems_are_listed_up_to_a_bound(content: Path, scan) -> None:
    images = " ".join(f"![{number}](missing-{number}.png)" for number in range(500))
    write(content, "many.md", f"---\ntitle: Many\ndate: 2024-01-01\n---\n{images}\n")
    warnings = [problem.reason for problem in scan().warnings]
    assert warnings[:2] == ["media missing-0.png: no such file", "media missing-1.png: no such file"]
    assert len(warnings) == 21
    assert warnings[-1] == "more link problems than the 20 listed"
