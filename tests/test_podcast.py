"""Cover images, enclosures and podcasts: in every feed format and the article page, valid
for the strict checks, and followed by a real podcast client."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from helpers.content import BASE_URL, age, write
from helpers.feeds import assert_strictly_valid, parse_feed
from helpers.media import mp3, png
from helpers.server import LiveServer, debian_command
from lxml import etree

from feedsvc.config import load_settings
from feedsvc.errors import ConfigError

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PODCAST = "{https://podcastindex.org/namespace/1.0}"
MEDIA = "{http://search.yahoo.com/mrss/}"
ATOM_NS = "{http://www.w3.org/2005/Atom}"
SHOW = {
    "title": "Harbour Radio", "author": "The Harbour Gazette", "owner_name": "Marta Lindqvist",
    "owner_email": "radio@example.org", "artwork": "radio/artwork.png",
    "categories": ["News", ["Society & Culture", "Documentary"]],
}
SHOW_TOML = """\
[podcast]
title = "Harbour Radio"
author = "The Harbour Gazette"
owner_name = "Marta Lindqvist"
owner_email = "radio@example.org"
artwork = "radio/artwork.png"
categories = ["News", ["Society & Culture", "Documentary"]]
"""


def radio(content: Path) -> dict[str, bytes]:
    """Two episodes with audio and a cover beside them, and an article that is no episode."""
    files = {"radio/artwork.png": png(30, 30), "radio/one.mp3": mp3(3), "radio/two.mp3": mp3(5),
             "radio/cover-one.png": png(8, 8)}
    for relative, data in files.items():
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        (content / relative).write_bytes(data)
    write(content, "radio/episode-1.md", "---\ntitle: The first crane arrives\ndate: 2024-03-01\n"
          "image: cover-one.png\nenclosure: one.mp3\nepisode: 1\nseason: 1\n---\nFour cranes.\n")
    write(content, "radio/episode-2.md", "---\ntitle: Night shifts\ndate: 2024-03-08\n"
          "audio: /radio/two.mp3\nepisode: 2\nseason: 1\nepisode_type: full\nexplicit: true\n---\n"
          "Quieter nights.\n")
    write(content, "radio/trailer.md", "---\ntitle: Coming soon\ndate: 2024-02-20\n"
          "attachments: [{url: 'https://cdn.example.net/trailer.mp3'}]\nepisodetype: trailer\n---\nSoon.\n")
    return files


def test_covers_and_enclosures_in_every_format(content: Path, scan, make_app) -> None:
    files = radio(content)
    report = scan()
    assert report.errors == [] and report.warnings == [], report.as_dict()
    client = make_app().test_client()
    one, two = f"{BASE_URL}/media/radio/one.mp3", f"{BASE_URL}/media/radio/two.mp3"
    cover = f"{BASE_URL}/media/radio/cover-one.png"

    items = {item["title"]: item for item in client.get("/feeds/feed.json").get_json()["items"]}
    assert items["The first crane arrives"]["image"] == cover
    assert items["The first crane arrives"]["attachments"] == [{
        "url": one, "mime_type": "audio/mpeg", "size_in_bytes": len(files["radio/one.mp3"]),
        "duration_in_seconds": 3}]
    assert items["Night shifts"]["attachments"][0]["duration_in_seconds"] == 5
    assert items["Coming soon"]["attachments"] == [
        {"url": "https://cdn.example.net/trailer.mp3", "mime_type": "audio/mpeg"}]

    rss = etree.fromstring(client.get("/feeds/rss.xml").data)
    rss_items = {item.findtext("title"): item for item in rss.iter("item")}
    enclosure = rss_items["The first crane arrives"].find("enclosure")
    assert enclosure.attrib == {"url": one, "length": str(len(files["radio/one.mp3"])), "type": "audio/mpeg"}
    assert rss_items["The first crane arrives"].find(f"{MEDIA}thumbnail").get("url") == cover
    assert rss_items["The first crane arrives"].find(f"{MEDIA}content").get("url") == cover
    assert rss_items["Night shifts"].find("enclosure").get("length") == str(len(files["radio/two.mp3"]))
    assert rss.find(f"channel/{ITUNES}author") is None  # no podcast declared

    atom = etree.fromstring(client.get("/feeds/atom.xml").data)
    entries = {entry.findtext(f"{ATOM_NS}title"): entry for entry in atom.iter(f"{ATOM_NS}entry")}
    links = entries["Night shifts"].iter(f"{ATOM_NS}link")
    [link] = [link for link in links if link.get("rel") == "enclosure"]
    assert link.attrib == {"rel": "enclosure", "href": two, "type": "audio/mpeg",
                           "length": str(len(files["radio/two.mp3"]))}
    assert entries["The first crane arrives"].find(f"{MEDIA}thumbnail").get("url") == cover
    parsed = parse_feed(client.get("/feeds/atom.xml").data)
    assert {item.href for entry in parsed.entries for item in entry.enclosures} == {
        one, two, "https://cdn.example.net/trailer.mp3"}
    links = entries["Coming soon"].iter(f"{ATOM_NS}link")
    [elsewhere] = [link for link in links if link.get("rel") == "enclosure"]
    assert "length" not in elsewhere.attrib  # unknown

    page = client.get("/articles/radio-episode-1").get_data(as_text=True)
    assert f'<p class="cover"><img src="{cover}" alt=""></p>' in page
    assert f'<audio controls preload="none" src="{one}"></audio>' in page
    for url in (one, two, cover):
        with client.get(url.removeprefix(BASE_URL)) as response:
            assert response.status_code == 200
            assert response.data == files[url.removeprefix(f"{BASE_URL}/media/")]


def test_og_image_and_hugo_images_are_covers(content: Path, scan, make_app) -> None:
    (content / "news").mkdir()
    (content / "news/harbour.jpg").write_bytes(b"\xff\xd8\xff\xe0 not decoded")
    (content / "news/bundle").mkdir()
    (content / "news/bundle/first.png").write_bytes(png())
    write(content, "news/saved.html", "<html><head><title>Saved</title><meta name=date content=2024-01-01>"
          "<meta property='og:image' content='harbour.jpg'></head><body><p>Text.</p></body></html>")
    write(content, "news/bundle/index.md", "---\ntitle: Bundle\ndate: 2024-01-02\n"
          "images: [first.png, second.png]\n---\nText.\n")
    scan()
    document = make_app().test_client().get("/feeds/feed.json").get_json()
    items = {item["title"]: item for item in document["items"]}
    assert items["Saved"]["image"] == f"{BASE_URL}/media/news/harbour.jpg"
    assert items["Bundle"]["image"] == f"{BASE_URL}/media/news/bundle/first.png"


def podcast_feeds(content: Path, make_app, **settings: object) -> tuple[etree._Element, bytes, bytes]:
    client = make_app(podcast=SHOW, **settings).test_client()
    rss, atom = client.get("/feeds/rss.xml").data, client.get("/feeds/atom.xml").data
    return etree.fromstring(rss), rss, atom


def test_a_podcast_feed_has_the_tags_podcast_apps_require(content: Path, scan, make_app) -> None:
    files = radio(content)
    scan()
    rss, _body, _atom = podcast_feeds(content, make_app)
    channel = rss.find("channel")
    assert channel.findtext("title") == "Harbour Radio"
    assert channel.findtext("language") == "en"
    assert channel.findtext(f"{ITUNES}author") == "The Harbour Gazette"
    assert channel.findtext(f"{ITUNES}owner/{ITUNES}name") == "Marta Lindqvist"
    assert channel.findtext(f"{ITUNES}owner/{ITUNES}email") == "radio@example.org"
    assert channel.find(f"{ITUNES}image").get("href") == f"{BASE_URL}/media/radio/artwork.png"
    categories = [(category.get("text"), [sub.get("text") for sub in category])
                  for category in channel.findall(f"{ITUNES}category")]
    assert categories == [("News", []), ("Society & Culture", ["Documentary"])]
    assert channel.findtext(f"{ITUNES}explicit") == "false"
    assert channel.findtext(f"{ITUNES}type") == "episodic"
    # Spec: Podcasting 2.0 podcast:guid, UUIDv5 of the feed URL without scheme
    namespace = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
    expected_guid = uuid.uuid5(namespace, "news.example.org/feeds/rss.xml")
    assert channel.findtext(f"{PODCAST}guid") == str(expected_guid)
    assert channel.find(f"{PODCAST}locked").get("owner") == "radio@example.org"
    assert channel.findtext(f"{PODCAST}locked") == "yes"
    items = {item.findtext("title"): item for item in channel.iter("item")}
    first, second = items["The first crane arrives"], items["Night shifts"]
    assert first.findtext(f"{ITUNES}duration") == "0:00:03"
    assert second.findtext(f"{ITUNES}duration") == "0:00:05"
    assert [first.findtext(f"{ITUNES}{tag}") for tag in ("episode", "season", "episodeType", "explicit")] == [
        "1", "1", "full", None]
    assert second.findtext(f"{ITUNES}explicit") == "true"
    assert items["Coming soon"].findtext(f"{ITUNES}episodeType") == "trailer"
    assert first.find(f"{ITUNES}image").get("href") == f"{BASE_URL}/media/radio/cover-one.png"
    assert first.find("enclosure").get("length") == str(len(files["radio/one.mp3"]))
    assert first.findtext("guid") == "tag:news.example.org,2024-03-01:/radio/episode-1"


def test_episode_guids_stay_fixed(content: Path, scan, make_app, config) -> None:
    radio(content)
    scan()
    guids = [item.findtext("guid") for item in podcast_feeds(content, make_app)[0].iter("item")]
    write(content, "radio/episode-1.md", "---\ntitle: The first crane arrives (corrected)\ndate: 2024-03-01\n"
          "enclosure: one.mp3\n---\nFour cranes, corrected.\n")
    (content / "radio/one.mp3").write_bytes(mp3(4))  # a new cut of the audio
    Path(str(config["database"])).unlink()  # even a rebuilt catalog gives the same ids
    scan()
    assert [item.findtext("guid") for item in podcast_feeds(content, make_app)[0].iter("item")] == guids


def test_the_podcast_feeds_pass_the_strict_checks(content: Path, tmp_path: Path, scan, make_app) -> None:
    radio(content)
    scan()
    _rss, rss, atom = podcast_feeds(content, make_app)
    for name, body, kind in (("rss.xml", rss, "rss"), ("atom.xml", atom, "atom")):
        (tmp_path / name).write_bytes(body)
        assert_strictly_valid(tmp_path / name, kind, base=f"{BASE_URL}/feeds/{name}", min_entries=3)


def test_a_topic_podcast_leaves_other_feeds_alone(content: Path, scan, make_app) -> None:
    radio(content)
    write(content, "news/plain.md", "---\ntitle: Plain news\ndate: 2024-01-01\n---\nText.\n")
    scan()
    client = make_app(podcast=[{**SHOW, "topic": "radio"}]).test_client()
    topic = etree.fromstring(client.get("/topics/radio/rss.xml").data)
    assert topic.findtext(f"channel/{ITUNES}author") == "The Harbour Gazette"
    assert topic.findtext("channel/title") == "Harbour Radio"
    for path in ("/feeds/rss.xml", "/topics/news/rss.xml"):
        assert etree.fromstring(client.get(path).data).find(f"channel/{ITUNES}author") is None


@pytest.mark.parametrize(("change", "message"), [
    ({"owner_email": ""}, "podcast.owner_email must be text of 1 to 255 characters"),
    ({"owner_email": "nobody"}, "podcast.owner_email 'nobody' is not an e-mail address"),
    ({"artwork": "cover.gif"}, "podcast.artwork 'cover.gif' must be a JPEG or PNG image"),
    ({"artwork": "../../etc/a.png"}, "podcast.artwork '../../etc/a.png': path leads outside"),
    ({"type": "daily"}, "podcast.type must be episodic or serial, got 'daily'"),
    ({"categories": []}, "podcast.categories must list 1 to 3"),
    ({"explicit": "no"}, "podcast.explicit must be true or false"),
    ({"colour": "red"}, "podcast.colour is not a podcast setting"),
    ({"topic": "Harbour Radio"}, "podcast.topic must be a topic's slug"),
    ({"language": "english please"}, "podcast.language must be a BCP 47 language tag"),
])
def test_a_bad_podcast_setting_names_the_key(change: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_settings(overrides={"podcast": {**SHOW, **change}})


def test_the_podcast_table_is_read_from_feedsvc_toml(tmp_path: Path) -> None:
    (tmp_path / "feedsvc.toml").write_text(SHOW_TOML)
    [podcast] = load_settings(config_file=tmp_path / "feedsvc.toml", environ={}).podcast
    assert (podcast.title, podcast.owner_email, podcast.categories) == (
        "Harbour Radio", "radio@example.org", (("News",), ("Society & Culture", "Documentary")))


def test_export_enclosure_lengths_match_the_files(content: Path, tmp_path: Path, config, scan) -> None:
    from feedsvc.export import build

    files = radio(content)
    scan()
    out = tmp_path / "site"
    build(load_settings(overrides={**config, "podcast": SHOW}), out)
    rss = etree.parse(str(out / "feeds/rss.xml"))
    for enclosure in rss.iter("enclosure"):
        url = enclosure.get("url")
        if url.startswith(BASE_URL):
            copied = out / url.removeprefix(BASE_URL + "/")
            original = files[url.split("/media/")[1]]
            assert int(enclosure.get("length")) == copied.stat().st_size == len(original)
    assert json.loads((out / "feeds/feed.json").read_text())["items"][0]["attachments"]


def test_gpodder_subscribes_lists_and_downloads_an_episode(content: Path, tmp_path: Path) -> None:
    gpo = debian_command("gpodder", "gpo")  # installed when absent and root, else skipped
    files = radio(content)
    (tmp_path / "feedsvc.toml").write_text(SHOW_TOML)
    home, downloads = tmp_path / "gpodder", tmp_path / "downloads"
    env = {**os.environ, "GPODDER_HOME": str(home), "GPODDER_DOWNLOAD_DIR": str(downloads)}
    with LiveServer(content, tmp_path / "db.sqlite", tmp_path / "serve.log",
                    extra_env={"FEEDSVC_CONFIG": str(tmp_path / "feedsvc.toml")}) as server:
        url = server.base + "/feeds/rss.xml"

        def run(*arguments: str) -> str:
            result = subprocess.run([gpo, *arguments], env=env, capture_output=True, text=True, timeout=120)
            assert result.returncode == 0, result.stdout + result.stderr
            return result.stdout

        assert f"Successfully added {url}" in run("subscribe", url)
        listed = run("episodes", "--guid", url)
        for guid, title in (("tag:127.0.0.1,2024-03-01:/radio/episode-1", "The first crane arrives"),
                            ("tag:127.0.0.1,2024-03-08:/radio/episode-2", "Night shifts")):
            assert guid in listed and title in listed
        run("download", url, "tag:127.0.0.1,2024-03-08:/radio/episode-2")
        [downloaded] = [path for path in downloads.rglob("*") if path.is_file()]
        assert downloaded.name == "two.mp3"
        assert downloaded.read_bytes() == files["radio/two.mp3"]
        assert downloaded.parent.name == "Harbour Radio"
        fetched = [line.group("target") for line in server.access_log() if "gPodder" in line.group("agent")]
        assert "/feeds/rss.xml" in fetched and "/media/radio/two.mp3" in fetched


def test_check_shows_each_articles_media_and_what_is_wrong(content: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from feedsvc.cli import main

    files = radio(content)
    (content / "radio/notes.docx").write_bytes(b"PK")
    write(content, "radio/broken.md", "---\ntitle: Broken\ndate: 2024-01-01\nenclosure: gone.mp3\n---\n"
          "![x](missing.png) [d](notes.docx)\n")
    monkeypatch.setenv("FEEDSVC_CONTENT_DIR", str(content))
    monkeypatch.setenv("FEEDSVC_BASE_URL", BASE_URL)
    result = CliRunner().invoke(main, ["check", str(content / "radio")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    size = len(files["radio/one.mp3"])
    assert f"  media:     enclosure {BASE_URL}/media/radio/one.mp3, audio/mpeg, {size} bytes, 3 s" in lines
    assert f"  media:     image {BASE_URL}/media/radio/cover-one.png" in lines
    assert "  media:     enclosure https://cdn.example.net/trailer.mp3, audio/mpeg" in lines
    assert f"{content}/radio/one.mp3: media: audio/mpeg, {size} bytes" in lines
    assert f"{content}/radio/*.docx: skipped: not an article: 1 file of type .docx" in lines
    for warning in ("media radio/gone.mp3: no such file", "media radio/missing.png: no such file",
                    "link radio/notes.docx: files of type .docx are not published"):
        assert f"  warning:   {warning}" in lines
    assert lines[-1] == "9 files: 4 published, 0 drafts, 1 skipped, 0 errors, 4 media files"


def test_a_changed_media_file_is_read_into_its_article(content: Path, scan, make_app) -> None:
    """The article is read again when a file it carries or shows changes, though it did not."""
    radio(content)
    age(*(path for path in content.rglob("*") if path.is_file()))
    scan()
    assert scan().read == 0
    (content / "radio/one.mp3").write_bytes(mp3(7))  # a longer cut, same name
    age(content / "radio/one.mp3", seconds=3600)
    report = scan()
    assert report.read == 1
    document = make_app().test_client().get("/feeds/feed.json").get_json()
    items = {item["title"]: item for item in document["items"]}
    assert items["The first crane arrives"]["attachments"][0]["size_in_bytes"] == len(mp3(7))
    assert items["The first crane arrives"]["attachments"][0]["duration_in_seconds"] == 7
    (content / "radio/cover-one.png").unlink()
    report = scan()
    assert report.read == 1
    assert "media radio/cover-one.png: no such file" in [problem.reason for problem in report.warnings]
    assert scan().read == 0
