"""Pages for people: home, topic and article pages, autodiscovery, 404s, feeds in a browser."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from helpers.content import BASE_URL, write
from helpers.feeds import parse_feed, shown_text
from helpers.site import ARTICLES, newest_first, write_articles
from lxml import etree

from feedsvc import render

SITE = "Example News"
LANGUAGE = "nb"
FEED_FILES = {"application/atom+xml": "atom.xml", "application/rss+xml": "rss.xml",
              "application/feed+json": "feed.json"}


@pytest.fixture
def site(content: Path, scan, make_app):
    """The corpus scanned into a catalog; returns a test client of the real app."""
    write_articles(content)
    write(content, "gone/vanished.md", "---\ntitle: Soon gone\ndate: 2019-01-01\n---\nBye.\n")
    scan()
    (content / "gone" / "vanished.md").unlink()  # its topic stays, with no entries
    report = scan()
    assert (report.published, report.errors) == (len(ARTICLES), [])
    return make_app(language=LANGUAGE).test_client()


def soup_of(response) -> BeautifulSoup:
    assert response.content_type == "text/html; charset=utf-8"
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def alternates(page: BeautifulSoup) -> list[tuple[str, str]]:
    return [(link["type"], link["href"]) for link in page.find_all("link", rel="alternate")]


def feed_urls(folder: str) -> list[tuple[str, str]]:
    return [(media_type, f"{BASE_URL}{folder}/{name}") for media_type, name in FEED_FILES.items()]


def entry_titles(page: BeautifulSoup) -> list[str]:
    return [item.h3.get_text(strip=True) for item in page.select("ol.entries > li")]


def test_home_lists_latest_entries_and_every_topic(site) -> None:
    page = soup_of(site.get("/"))
    assert page.html["lang"] == LANGUAGE
    assert page.title.get_text() == SITE
    assert entry_titles(page) == [article.title for article in newest_first(ARTICLES)]
    for item, article in zip(page.select("ol.entries > li"), newest_first(ARTICLES), strict=True):
        assert item.h3.a["href"] == f"/articles/{article.slug}"
        assert item.time["datetime"].startswith(article.published.isoformat())
        assert item.time.get_text() == article.published.isoformat()
        assert article.text.split(".")[0] in item.get_text()  # the summary
        topic_links = {a["href"] for a in item.select("p.meta a")}
        assert topic_links == {f"/topics/{slug}/" for slug in article.topic_slugs}

    opml = page.find("a", type="text/x-opml")
    assert opml["href"] == "/feeds.opml"
    assert site.get(opml["href"]).content_type == "text/x-opml; charset=utf-8"

    counts = {slug: sum(slug in a.topic_slugs for a in ARTICLES)
              for a in ARTICLES for slug in a.topic_slugs}
    listed = {}  # "gone" lost its only article: it is not listed
    for item in page.select("ul.topics > li"):
        slug = item.a["href"].split("/")[2]
        listed[slug] = item.select_one(".count").get_text()
        feeds = [(a["type"], a["href"]) for a in item.select("p.feeds a")]
        assert feeds == feed_urls(f"/topics/{slug}")
    assert listed == {slug: f"{n} article{'' if n == 1 else 's'}" for slug, n in counts.items()}


@pytest.mark.parametrize("path", ["/", "/topics/science/", f"/articles/{ARTICLES[0].slug}", "/nothing"])
def test_pages_forbid_scripts(site, path: str) -> None:
    page = soup_of(site.get(path))
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'" and "script-src" not in directives
    assert page.find("script") is None


def test_pages_have_autodiscovery_links_that_resolve(site) -> None:
    home = soup_of(site.get("/"))
    assert alternates(home) == feed_urls("/feeds")
    topic = soup_of(site.get("/topics/coastal-towns/"))
    assert alternates(topic) == feed_urls("/topics/coastal-towns") + feed_urls("/feeds")
    article = soup_of(site.get(f"/articles/{ARTICLES[0].slug}"))
    assert alternates(article) == feed_urls("/feeds")
    for media_type, url in alternates(topic):
        response = site.get(url.removeprefix(BASE_URL))
        assert response.status_code == 200
        assert response.content_type == f"{media_type}; charset=utf-8"
        if media_type == "application/feed+json":
            assert json.loads(response.data)["title"].startswith(SITE)
        else:
            assert parse_feed(response.data).feed.title.startswith(SITE)


def test_topic_page_lists_only_its_entries(site) -> None:
    page = soup_of(site.get("/topics/coastal-towns/"))
    assert page.title.get_text() == f"\u2068Coastal Towns\u2069 · {SITE}"  # isolated
    assert page.h1.get_text() == "Coastal Towns"
    expected = [a for a in newest_first(ARTICLES) if "coastal-towns" in a.topic_slugs]
    assert entry_titles(page) == [article.title for article in expected]
    assert page.select_one("p.count").get_text() == f"{len(expected)} articles"
    assert [a["href"] for a in page.select("main p.feeds a")] == [
        url for _, url in feed_urls("/topics/coastal-towns")]

    empty = site.get("/topics/gone/")  # its only article is gone: no page, an empty feed
    assert empty.status_code == 404 and "has no published article" in empty.text
    assert site.get("/topics/gone/atom.xml").status_code == 200
    assert site.get("/topics/coastal-towns").status_code == 308  # to the page with the slash


def test_article_page_shows_the_article(site) -> None:
    article = ARTICLES[0]
    response = site.get(f"/articles/{article.slug}")
    assert response.status_code == 200
    page = soup_of(response)
    assert page.html["lang"] == LANGUAGE
    assert page.title.get_text() == f"\u2068{article.title}\u2069 · {SITE}"
    assert page.h1.get_text() == article.title
    meta = " ".join(page.select_one("p.meta").get_text().split())  # authors are <bdi>s
    assert f"Published {article.published.isoformat()}" in meta
    assert f"updated {article.updated.isoformat()}" in meta
    assert f"by {', '.join(article.authors)}" in meta
    assert {a["href"] for a in page.select("p.topics a")} == {
        f"/topics/{slug}/" for slug in article.topic_slugs}
    text = page.select_one("div.content").get_text(" ", strip=True)
    assert "The first ferry in nine years docked at dawn." in text
    assert "Tickets sold out within the hour." in text
    assert page.find("script") is None and "alert" not in response.get_data(as_text=True)
    assert page.find("link", rel="canonical")["href"] == f"{BASE_URL}/articles/{article.slug}"
    assert page.select_one("p.source") is None


def test_article_folder_url_of_a_static_export_redirects_to_the_article(site) -> None:
    response = site.get(f"/articles/{ARTICLES[0].slug}/")
    assert response.status_code == 308
    assert response.headers["Location"] == f"/articles/{ARTICLES[0].slug}"
    assert site.get("/articles/no-such-article/").status_code == 308  # then the 404 page
    assert site.get("/articles/%2e%2e/").status_code == 404


def test_article_with_canonical_link_names_its_source(site) -> None:
    article = next(a for a in ARTICLES if a.link)
    page = soup_of(site.get(f"/articles/{article.slug}"))
    assert page.find("link", rel="canonical")["href"] == article.link
    assert page.select_one("p.source a")["href"] == article.link
    assert "updated" not in page.select_one("p.meta").get_text()


@pytest.mark.parametrize("path", [
    "/articles/no-such-article",
    "/topics/atlantis/",
    "/articles/..",
    "/articles/%2e%2e",
    "/articles/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/articles/..%2F..%2Fpyproject.toml",
    "/topics/%2e%2e/",
    "/topics/..%2F..%2F/",
    "/topics/science%2F..%2F/",
    "/static/../web.py",
    "/static/..%2Fweb.py",
    "/static/%2e%2e/templates/base.html",
    "/articles/Ferries-Return",
    "/articles/" + "a" * 129,
    "/articles/a%00b",
    "/no/such/page",
])
def test_unknown_and_malicious_paths_are_a_404_page(site, path: str) -> None:
    response = site.get(path)
    assert response.status_code == 404
    page = soup_of(response)
    assert page.html["lang"] == LANGUAGE
    assert page.title.get_text() == f"Not found · {SITE}"
    assert page.h1.get_text() == "Not found"
    assert page.select_one("main a")["href"] == "/"
    body = response.get_data(as_text=True)
    assert "def create_app" not in body and "<!doctype html>" == body[:15]


def test_unknown_article_404_names_it(site) -> None:
    page = soup_of(site.get("/articles/no-such-article"))
    assert "unknown article 'no-such-article'" in page.main.get_text()


XSL_TEMPLATE = Path(render.__file__).parent / "static" / "feed.xsl"


@pytest.mark.parametrize("path", ["/feeds/atom.xml", "/feeds/rss.xml", "/topics/science/rss.xml"])
def test_feeds_reference_the_xsl_and_it_renders_them(site, path: str) -> None:
    body = site.get(path).data
    lines = body.split(b"\n")
    assert lines[0] == b"<?xml version='1.0' encoding='UTF-8'?>"
    assert lines[1] == b'<?xml-stylesheet type="text/xsl" href="/static/feed.xsl"?>'
    feed = parse_feed(body)
    with site.get("/static/feed.xsl") as xsl:  # a file response: closed when read
        assert xsl.status_code == 200 and xsl.data == XSL_TEMPLATE.read_bytes()
        stylesheet = etree.XSLT(etree.fromstring(xsl.data))

    html = stylesheet(etree.fromstring(body))
    page = BeautifulSoup(str(html), "html.parser")
    assert page.html["lang"] == LANGUAGE  # the feed's language
    note = page.select_one("div.note").get_text(" ", strip=True)
    assert "This is a feed. Copy its URL into your feed reader" in note
    assert page.select_one("div.note code").get_text() == BASE_URL + path
    assert page.h1.get_text() == shown_text(feed.feed.title, feed.feed.title_detail)
    items = page.select("ol > li")
    assert [item.a.get_text() for item in items] == [shown_text(entry.title, entry.title_detail)
                                                     for entry in feed.entries]
    assert [item.a["href"] for item in items] == [entry.link for entry in feed.entries]
    date_chars = 10 if feed.version == "atom10" else 16  # 2023-05-02 or Tue, 02 May 2023
    assert [item.select_one("p.meta").get_text() for item in items] == [
        entry.published[:date_chars] for entry in feed.entries]


def test_the_stylesheet_instruction_follows_the_declaration_escaped() -> None:
    info = render.FeedInfo(title="T", subtitle="S", self_url="https://x.example/feeds/atom.xml",
                           site_url="https://x.example/", author="A", language="en", ttl_minutes=1)
    for feed_bytes in (render.atom, render.rss):
        assert b"<?xml-stylesheet" not in feed_bytes([], info, "https://x.example")
        styled = feed_bytes([], replace(info, stylesheet='/a"b&c.xsl'), "https://x.example")
        assert styled.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n"
                                 b'<?xml-stylesheet type="text/xsl" href="/a&quot;b&amp;c.xsl"?>\n<')


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.mark.parametrize(("path", "feed_type"), [
    ("/feeds/atom.xml", "application/atom+xml"), ("/topics/science/rss.xml", "application/rss+xml")])
def test_browsers_get_feeds_as_xml_so_the_xsl_applies(site, path: str, feed_type: str) -> None:
    reader = site.get(path, headers={"Accept": f"{feed_type}, application/xml;q=0.9, */*;q=0.1"})
    plain = site.get(path)
    browser = site.get(path, headers={"Accept": BROWSER_ACCEPT})
    assert reader.content_type == plain.content_type == f"{feed_type}; charset=utf-8"
    assert browser.content_type == "application/xml; charset=utf-8"
    assert browser.data == reader.data
    assert browser.headers["ETag"] != reader.headers["ETag"] == plain.headers["ETag"]
    for response in (reader, browser):
        assert response.headers["Vary"] == "Accept, Accept-Encoding"
    again = site.get(path, headers={"Accept": BROWSER_ACCEPT, "If-None-Match": browser.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == browser.headers["ETag"]
    other = site.get(path, headers={"Accept": BROWSER_ACCEPT, "If-None-Match": reader.headers["ETag"]})
    assert other.status_code == 200


def test_listings_are_paged_so_every_article_is_linked(content: Path, scan, make_app) -> None:
    write_articles(content)
    scan()
    client = make_app(feed_limit=2).test_client()
    expected = [article.title for article in newest_first(ARTICLES)]
    first = soup_of(client.get("/"))
    assert entry_titles(first) == expected[:2]
    assert first.select_one("nav.pager").get_text(" ", strip=True) == "Page 1 of 2 Older articles →"
    assert first.select_one('nav.pager a[rel="next"]')["href"] == "/page/2/"
    second = soup_of(client.get("/page/2/"))
    assert second.title.get_text() == f"{SITE} · page 2"
    assert entry_titles(second) == expected[2:]
    assert second.select_one('nav.pager a[rel="prev"]')["href"] == "/"
    assert second.select_one('nav.pager a[rel="next"]') is None
    assert second.find(id="topics") is None and alternates(second) == feed_urls("/feeds")

    in_science = [a.title for a in newest_first(ARTICLES) if "science" in a.topic_slugs]
    one_per_page = make_app(feed_limit=1).test_client()
    pages = [soup_of(one_per_page.get("/topics/science/"))]
    pages.append(soup_of(one_per_page.get(pages[0].select_one('nav.pager a[rel="next"]')["href"])))
    assert [entry_titles(page) for page in pages] == [[title] for title in in_science]
    assert pages[1].title.get_text() == f"\u2068science\u2069 · page 2 · {SITE}"
    assert pages[1].select_one('nav.pager a[rel="prev"]')["href"] == "/topics/science/"
    assert soup_of(one_per_page.get("/topics/coastal-towns/")).select_one("p.count").get_text() == (
        "2 articles")
    for path in ["/page/1/", "/page/0/", "/page/3/", "/page/-1/", "/page/two/", "/page/1000001/",
                 "/page/99999999999999999999/", "/topics/science/page/3/", "/topics/science/page/1/",
                 "/topics/atlantis/page/2/"]:
        assert client.get(path).status_code == 404, path
    assert urlsplit(client.get("/page/2").headers["Location"]).path == "/page/2/"
