"""Feeds over HTTP through the real app: formats, filters, paging, errors and caching."""

from __future__ import annotations

import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers.content import BASE_URL, write
from helpers.corpus import ARTICLES, all_topics, titles, write_corpus
from helpers.feeds import check_json_feed, parse_feed
from helpers.metrics import metric_samples, route_of

from feedsvc.query import MAX_QUERY_CHARS, MAX_TOPICS, MAX_WORDS
from feedsvc.web import cache, service

FORMATS = ("atom.xml", "rss.xml", "feed.json")


@pytest.fixture
def client(content: Path, scan, make_app):
    write_corpus(content)
    report = scan()
    assert (report.published, report.errors) == (len(ARTICLES), [])
    return make_app().test_client()


def feed_titles(response) -> list[str]:
    """The entry titles of any format, each parsed and checked against its rules."""
    assert response.status_code == 200, response.data
    if response.content_type.startswith("application/feed+json"):
        document = json.loads(response.data)
        check_json_feed(document)
        return [item["title"] for item in document["items"]]
    return [entry.title for entry in parse_feed(response.data).entries]


def self_link(response) -> str:
    if response.content_type.startswith("application/feed+json"):
        return json.loads(response.data)["feed_url"]
    return next(link.href for link in parse_feed(response.data).feed.links if link.rel == "self")


FILTERS = [
    ("", lambda a: True),
    ("?topic=science", lambda a: "science" in a.topics),
    ("?topic=science,economy", lambda a: {"science", "economy"} & a.topics),
    ("?topic=Energy&topic=food", lambda a: {"energy", "food"} & a.topics),
    ("?exclude=economy", lambda a: "economy" not in a.topics),
    ("?exclude=economy,prices", lambda a: not {"economy", "prices"} & a.topics),
    ("?topic=prices&exclude=food", lambda a: "prices" in a.topics and "food" not in a.topics),
    ("?q=harbour", lambda a: "harbour" in a.words()),
    ("?q=night+harbour", lambda a: {"night", "harbour"} <= a.words()),
    ("?q=NIGHT", lambda a: "night" in a.words()),
    ("?q=nothing-matches-this", lambda a: False),
    ("?author=ana+ruiz", lambda a: "Ana Ruiz" in a.authors),
    ("?author=Mia%20Kova%C4%8D", lambda a: "Mia Kovač" in a.authors),
    ("?since=2023-01-01", lambda a: a.published >= datetime(2023, 1, 1, tzinfo=UTC)),
    ("?until=2022-12-31", lambda a: a.published < datetime(2022, 12, 31, tzinfo=UTC)),
    ("?since=2023-02-01T19:00:00Z&until=2023-09-18T18:00:00Z",  # both ends on an entry
     lambda a: datetime(2023, 2, 1, 19, tzinfo=UTC) <= a.published < datetime(2023, 9, 18, 18, tzinfo=UTC)),
    ("?limit=3", lambda a: a.title in titles()[:3]),
    ("?q=night&topic=economy,culture&since=2022-01-01",
     lambda a: "night" in a.words() and {"economy", "culture"} & a.topics
     and a.published >= datetime(2022, 1, 1, tzinfo=UTC)),
    ("?utm_source=mail&foo=bar", lambda a: True),
]


@pytest.mark.parametrize("file_name", FORMATS)
@pytest.mark.parametrize(("query", "predicate"), FILTERS)
def test_filters_select_what_the_corpus_says(client, file_name: str, query: str, predicate) -> None:
    assert feed_titles(client.get(f"/feeds/{file_name}{query}")) == titles(predicate)


@pytest.mark.parametrize("file_name", FORMATS)
def test_path_topic_combines_with_filters(client, file_name: str) -> None:
    response = client.get(f"/topics/economy/{file_name}?topic=trade,food&q=harbour")
    expected = titles(lambda a: "economy" in a.topics and {"trade", "food"} & a.topics
                      and "harbour" in a.words())
    assert expected and feed_titles(response) == expected
    assert self_link(response) == f"{BASE_URL}/topics/economy/{file_name}?q=harbour&topic=food,trade"


@pytest.mark.parametrize("file_name", FORMATS)
def test_self_link_is_the_canonical_url(client, file_name: str) -> None:
    noisy = client.get(f"/feeds/{file_name}?topic=Science&topic=economy&limit=50&utm_source=x&page=1")
    canonical = f"{BASE_URL}/feeds/{file_name}?topic=economy,science"
    assert self_link(noisy) == canonical
    again = client.get(canonical.removeprefix(BASE_URL))
    assert self_link(again) == canonical
    assert again.data == noisy.data and again.headers["ETag"] == noisy.headers["ETag"]
    plain = client.get(f"/feeds/{file_name}")
    assert self_link(plain) == f"{BASE_URL}/feeds/{file_name}"
    # Content-Location names the canonical URL, on the 200 and on the 304 alike
    assert noisy.headers["Content-Location"] == again.headers["Content-Location"] == canonical
    not_modified = client.get(f"/feeds/{file_name}?topic=economy&topic=SCIENCE",
                              headers={"If-None-Match": noisy.headers["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified.headers["Content-Location"] == canonical


def test_canonical_dates_and_words(client) -> None:
    response = client.get("/feeds/atom.xml?until=2024-01-01T12:00:00%2B02:00&q=+the++night+"
                          "&since=2023-01-01&author=Ana%20Ruiz")
    assert self_link(response) == (f"{BASE_URL}/feeds/atom.xml?author=Ana+Ruiz&q=the+night"
                                   "&since=2023-01-01&until=2024-01-01T10:00:00Z")


@pytest.mark.parametrize("file_name", FORMATS)
def test_paging_walks_every_entry_once(client, file_name: str) -> None:
    limit, seen = 3, []
    last_page = -(-len(ARTICLES) // limit)
    base = f"{BASE_URL}/feeds/{file_name}?limit={limit}"
    for page in range(1, last_page + 1):
        response = client.get(f"/feeds/{file_name}?page={page}&q=&limit={limit}")
        seen += feed_titles(response)
        assert self_link(response) == (base if page == 1 else f"{base}&page={page}")
        if file_name == "feed.json":
            wanted = {"next": f"{base}&page={page + 1}"} if page < last_page else {}
        else:
            wanted = {"first": base, "last": f"{base}&page={last_page}"}
            if page > 1:
                wanted["previous"] = base if page == 2 else f"{base}&page={page - 1}"
            if page < last_page:
                wanted["next"] = f"{base}&page={page + 1}"
        assert paging_links(response) == wanted, page
    assert seen == titles()
    past = client.get(f"/feeds/{file_name}?limit={limit}&page={last_page + 1}")
    assert past.status_code == 404 and b"past the last page" in past.data
    assert paging_links(client.get(f"/feeds/{file_name}")) == {}  # one page: no paging links


def paging_links(response) -> dict[str, str]:
    if response.content_type.startswith("application/feed+json"):
        document = json.loads(response.data)
        return {"next": document["next_url"]} if "next_url" in document else {}
    feed = parse_feed(response.data)
    return {link.rel: link.href for link in feed.feed.links if link.rel not in {"self", "alternate"}}


def test_atom_paging_links_keep_rel_and_type_and_the_feed_id(client) -> None:
    first = ET.fromstring(client.get("/feeds/atom.xml?limit=4").data)
    second = ET.fromstring(client.get("/feeds/atom.xml?limit=4&page=2").data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    rels = [link.get("rel") for link in second.findall("a:link", ns)]
    assert rels == ["self", "first", "previous", "next", "last", "alternate"]
    alternate = second.find("a:link[@rel='alternate']", ns)
    assert alternate is not None and alternate.get("type") == "text/html"
    assert first.find("a:id", ns).text == second.find("a:id", ns).text == f"{BASE_URL}/feeds/atom.xml?limit=4"
    rss = ET.fromstring(client.get("/feeds/rss.xml?limit=4&page=3").data)
    rss_links = {link.get("rel"): link.get("href") for link in rss.iter("{http://www.w3.org/2005/Atom}link")}
    assert rss_links == {"self": f"{BASE_URL}/feeds/rss.xml?limit=4&page=3",
                         "first": f"{BASE_URL}/feeds/rss.xml?limit=4",
                         "previous": f"{BASE_URL}/feeds/rss.xml?limit=4&page=2",
                         "last": f"{BASE_URL}/feeds/rss.xml?limit=4&page=3"}


@pytest.mark.parametrize(("query", "message"), [
    ("limit=0", "limit: must be an integer from 1 to 500, got '0'"),
    ("limit=abc", "limit: must be an integer from 1 to 500, got 'abc'"),
    ("limit=100000", "limit: must be an integer from 1 to 500, got '100000'"),
    ("limit=-5", "limit: must be an integer from 1 to 500"),
    ("page=0", "page: must be an integer from 1 to 100000, got '0'"),
    ("since=yesterday", "since: must be an ISO 8601 date or date-time"),
    ("until=2023-02-30", "until: must be an ISO 8601 date or date-time"),
    ("since=2024-01-01&until=2023-01-01", "until: must be later than since"),
    ("limit=5&limit=6", "limit: may be given only once"),
    ("topic=%21%21", "topic: must be topic slugs"),
    ("topic=" + ",".join(f"t{i}" for i in range(MAX_TOPICS + 1)), f"topic: may name at most {MAX_TOPICS}"),
    ("q=" + "+".join(["word"] * (MAX_WORDS + 1)), f"q: may have at most {MAX_WORDS} words"),
    ("author=" + "a" * 201, "author: must be at most 200 characters"),
    ("utm=" + "x" * MAX_QUERY_CHARS, f"query string: must be at most {MAX_QUERY_CHARS} characters"),
])
def test_bad_parameters_are_400_naming_parameter_and_rule(client, query: str, message: str) -> None:
    for file_name in FORMATS:
        response = client.get(f"/topics/science/{file_name}?{query}")
        assert response.status_code == 400
        assert response.content_type == "text/plain; charset=utf-8"
        assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/topics/atlantis/atom.xml", "/feeds/rss.xml?topic=science,atlantis",
    "/feeds/feed.json?exclude=atlantis", "/topics/science/feed.json?topic=Atlantis",
])
def test_unknown_topic_is_404_naming_it(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "unknown topic 'atlantis'" in html.unescape(response.get_data(as_text=True))


def test_topic_feeds_in_every_format(client) -> None:
    for topic in sorted(all_topics()):
        expected = titles(lambda a, topic=topic: topic in a.topics)
        for file_name in FORMATS:
            assert feed_titles(client.get(f"/topics/{topic}/{file_name}")) == expected, topic


def test_json_feed_items_carry_the_entry(client) -> None:
    document = json.loads(client.get("/feeds/feed.json?q=glacier").data)
    (item,) = document["items"]
    glacier = next(a for a in ARTICLES if a.path == "science/glacier.md")
    assert item["id"] == "tag:news.example.org,2023-08-14:/science/glacier"
    assert item["url"] == f"{BASE_URL}/articles/science-glacier"
    assert item["date_published"] == glacier.date
    assert item["author"] == {"name": "Lars Eide, Ana Ruiz"}
    assert item["tags"] == ["Climate", "science"]
    assert glacier.body.split(";")[0] in item["content_html"]
    assert document["home_page_url"] == f"{BASE_URL}/"
    assert document["author"] == {"name": "feedsvc"}


def test_opml_lists_every_feed_once(client) -> None:
    response = client.get("/feeds.opml")
    assert response.status_code == 200
    assert response.content_type == "text/x-opml; charset=utf-8"
    root = ET.fromstring(response.data)
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "Example News"
    outlines = root.findall("body/outline")
    assert all(o.get("type") == "rss" and o.get("text") for o in outlines)
    urls = {o.get("xmlUrl") for o in outlines}
    folders = ["/feeds/"] + [f"/topics/{topic}/" for topic in sorted(all_topics())]
    assert urls == {BASE_URL + folder + "atom.xml" for folder in folders}
    assert len(outlines) == len(folders)  # one subscription per feed, not one per format
    for url in urls:
        assert client.get(url.removeprefix(BASE_URL)).status_code == 200, url


def test_api_topics_counts_the_corpus(client) -> None:
    response = client.get("/api/topics")
    assert response.status_code == 200 and response.content_type == "application/json"
    topics = json.loads(response.data)["topics"]
    counts = {topic: sum(topic in a.topics for a in ARTICLES) for topic in all_topics()}
    assert {t["slug"]: t["entries"] for t in topics} == counts
    energy = next(t for t in topics if t["slug"] == "energy")
    assert energy["label"] == "Energy"
    assert energy["url"] == f"{BASE_URL}/topics/energy/"
    assert energy["feeds"] == [
        {"format": "Atom", "type": "application/atom+xml", "url": f"{BASE_URL}/topics/energy/atom.xml"},
        {"format": "RSS", "type": "application/rss+xml", "url": f"{BASE_URL}/topics/energy/rss.xml"},
        {"format": "JSON Feed", "type": "application/feed+json",
         "url": f"{BASE_URL}/topics/energy/feed.json"},
    ]
    for topic in topics:
        for feed in topic["feeds"]:
            response = client.get(feed["url"].removeprefix(BASE_URL))
            assert response.content_type == feed["type"] + "; charset=utf-8"


# -- HTTP caching ---------------------------------------------------------------------------

CACHED_URLS = ["/feeds/atom.xml", "/topics/science/rss.xml?q=night", "/feeds/feed.json?limit=2&page=2",
               "/feeds.opml", "/api/topics"]


@pytest.mark.parametrize("url", CACHED_URLS)
def test_gzip_has_its_own_strong_etag_and_vary(client, url: str) -> None:
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    # Atom and RSS also vary on Accept: browsers asking for HTML get them as application/xml
    vary = "Accept, Accept-Encoding" if url.endswith(".xml") or ".xml?" in url else "Accept-Encoding"
    assert plain.headers["Vary"] == zipped.headers["Vary"] == vary
    assert plain.headers["ETag"] != zipped.headers["ETag"]
    for response in (plain, zipped):
        assert re.fullmatch(r'"[0-9a-f]{32}(-gzip)?"', response.headers["ETag"])
        assert response.headers["Cache-Control"] == "public, max-age=60"
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers and refused.data == plain.data


@pytest.mark.parametrize("url", CACHED_URLS)
def test_conditional_requests(client, url: str) -> None:
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    zipped_etag = client.get(url, headers={"Accept-Encoding": "gzip"}).headers["ETag"]
    not_modified = [
        {"If-None-Match": etag},
        {"If-None-Match": f'"stale", {etag}'},
        {"If-None-Match": f"W/{etag}"},
        {"If-None-Match": "*"},
        {"If-Modified-Since": modified},
        {"If-None-Match": zipped_etag, "Accept-Encoding": "gzip"},
    ]
    for headers in not_modified:
        response = client.get(url, headers=headers)
        assert response.status_code == 304, headers
        assert response.data == b""
        assert response.headers["ETag"] == (zipped_etag if "Accept-Encoding" in headers else etag)
        for name in ("Cache-Control", "Vary"):  # RFC 9110 §15.4.5
            assert response.headers[name] == first.headers[name], name
    modified_again = [
        {"If-None-Match": '"stale"'},
        {"If-None-Match": zipped_etag},  # the gzip ETag does not match the identity bytes
        {"If-None-Match": '"stale"', "If-Modified-Since": modified},  # If-None-Match decides
        {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"},
        {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"},  # later than now: ignored
    ]
    for headers in modified_again:
        response = client.get(url, headers=headers)
        assert response.status_code == 200 and response.data == first.data, headers


@pytest.mark.parametrize("url", CACHED_URLS)
def test_head_has_the_headers_and_no_body(client, url: str) -> None:
    get = client.get(url, headers={"Accept-Encoding": "gzip"})
    head = client.head(url, headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200 and head.data == b""
    for name in ("ETag", "Last-Modified", "Content-Type", "Content-Length", "Content-Encoding", "Vary"):
        assert head.headers[name] == get.headers[name], name
    assert client.head(url, headers={"If-None-Match": client.get(url).headers["ETag"]}).status_code == 304


def test_cached_feed_costs_no_query(client, monkeypatch) -> None:
    first = client.get("/feeds/atom.xml?topic=science")
    store = client.application.extensions["feedsvc"].store

    def refuse(*args, **kwargs):
        raise AssertionError("the catalog was queried for a cached feed")

    for name in ("find_entries", "topics", "topic", "newest_updated"):
        monkeypatch.setattr(store, name, refuse)
    again = client.get("/feeds/atom.xml?limit=50&topic=Science&utm_campaign=x",
                       headers={"Accept-Encoding": "identity"})
    assert again.data == first.data
    assert client.get("/feeds/atom.xml?topic=science", headers={"If-None-Match": first.headers["ETag"]}
                      ).status_code == 304


def test_new_catalog_version_replaces_cached_feeds(client, content: Path, scan, monkeypatch) -> None:
    monkeypatch.setattr(service, "VERSION_CHECK_SECONDS", 0.0)
    before = client.get("/feeds/atom.xml?topic=culture")
    write(content, "culture/opera.md", "---\ntitle: The opera reopens\ndate: 2025-01-01\n---\nText.\n")
    scan()
    after = client.get("/feeds/atom.xml?topic=culture", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert feed_titles(after) == ["The opera reopens", *titles(lambda a: "culture" in a.topics)]


def test_a_new_catalog_version_frees_the_documents_of_the_old_one(client, content: Path, scan,
                                                                    monkeypatch) -> None:
    monkeypatch.setattr(service, "VERSION_CHECK_SECONDS", 0.0)
    svc = client.application.extensions["feedsvc"]
    old = svc.store.version()
    for path in ("/feeds/atom.xml", "/feeds/rss.xml?limit=3", "/topics/science/atom.xml"):
        assert client.get(path).status_code == 200
    assert {version for version, _key in svc.cache.documents()} == {old}
    write(content, "culture/opera.md", "---\ntitle: The opera reopens\ndate: 2025-01-01\n---\nText.\n")
    scan()
    assert svc.store.version() != old
    assert client.get("/feeds/rss.xml?limit=3").status_code == 200
    assert {version for version, _key in svc.cache.documents()} == {svc.store.version()}
    assert len(svc.cache.documents()) == 1


def test_cache_is_bounded(client, monkeypatch) -> None:
    monkeypatch.setattr(cache, "CACHE_SIZE", 5)
    svc = client.application.extensions["feedsvc"]
    for limit in range(1, 12):
        assert client.get(f"/feeds/rss.xml?limit={limit}").status_code == 200
    assert len(svc.cache.documents()) == 5
    monkeypatch.setattr(cache, "CACHE_BYTES", 1)
    client.get("/feeds/rss.xml?limit=20")
    assert len(svc.cache.documents()) == 0


def test_gzip_body_is_made_on_the_first_gzip_request_and_counted_in_the_cache(client, monkeypatch) -> None:
    svc = client.application.extensions["feedsvc"]
    plain = {url: client.get(url).data for url in ("/feeds/atom.xml", "/feeds/rss.xml")}
    cached = {rendered.body: rendered for rendered in svc.cache.documents().values()}
    assert [cached[body].gzipped for body in plain.values()] == [None, None]  # nobody asked yet
    assert [cached[body].size for body in plain.values()] == [len(body) for body in plain.values()]
    # Room for both documents, not for a gzip body more: the first gzip request evicts the older.
    monkeypatch.setattr(cache, "CACHE_BYTES", sum(len(body) for body in plain.values()))
    zipped = client.get("/feeds/rss.xml", headers={"Accept-Encoding": "gzip"})
    rss = cached[plain["/feeds/rss.xml"]]
    assert rss.gzipped == zipped.data and gzip.decompress(zipped.data) == plain["/feeds/rss.xml"]
    assert zipped.data == gzip.compress(plain["/feeds/rss.xml"], 6, mtime=0)
    assert rss.size == len(plain["/feeds/rss.xml"]) + len(zipped.data)
    assert list(svc.cache.documents().values()) == [rss]
    again = client.get("/feeds/rss.xml", headers={"Accept-Encoding": "gzip"})
    assert again.data == zipped.data and rss.gzipped == zipped.data  # made once


def test_every_variant_has_its_own_etag_and_304(client) -> None:
    """Identity, gzip, and the application/xml copy browsers get: four distinct strong ETags."""
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    variants = {
        "feed": {}, "feed-gzip": {"Accept-Encoding": "gzip"},
        "xml": browser, "xml-gzip": {**browser, "Accept-Encoding": "gzip"},
    }
    etags = {}
    for name, headers in variants.items():
        response = client.get("/feeds/rss.xml", headers=headers)
        expected_type = "application/xml" if name.startswith("xml") else "application/rss+xml"
        assert response.content_type == expected_type + "; charset=utf-8"
        etags[name] = response.headers["ETag"]
        assert client.get("/feeds/rss.xml", headers={**headers, "If-None-Match": etags[name]}
                          ).status_code == 304
    assert len(set(etags.values())) == 4
    json_feed = client.get("/feeds/feed.json", headers=browser)  # no browser copy for JSON
    assert json_feed.content_type == "application/feed+json; charset=utf-8"
    assert json_feed.headers["Vary"] == "Accept-Encoding"


CONDITIONS = [
    {}, {"Accept-Encoding": "gzip, br"}, {"Accept-Encoding": "gzip;q=0"},
    {"Accept": "text/html,*/*;q=0.8", "Accept-Encoding": "gzip"},
    {"Accept": "application/atom+xml, application/rss+xml, */*;q=0.5"},
    {"If-None-Match": '"stale"'}, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"},
    {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}, {"If-None-Match": "*"},
]


def count_flask_entries(front: cache.CachedFront) -> list[int]:
    """A list that grows by one each time a request goes past the front into Flask."""
    flask_app, entered = front.wsgi_app, []
    front.wsgi_app = lambda environ, start: entered.append(1) or flask_app(environ, start)
    return entered


@pytest.mark.parametrize("url", CACHED_URLS)
def test_front_answers_repeated_polls_exactly_as_flask_does(client, url: str) -> None:
    """The second poll of a request line is served by the WSGI front, byte for byte the same."""
    front = client.application.wsgi_app
    assert isinstance(front, cache.CachedFront)
    entered = count_flask_entries(front)
    etag = client.get(url).headers["ETag"]
    for headers in [*CONDITIONS, {"If-None-Match": etag}, {"If-None-Match": f'W/{etag}, "x"'}]:
        for method in ("GET", "HEAD"):
            front.cache.forget(aliases_only=True)
            entered.clear()
            by_flask = client.open(url, method=method, headers=headers)
            by_front = client.open(url, method=method, headers=headers)
            assert len(entered) == 1, (method, headers)  # only the first went through Flask
            assert by_front.status_code == by_flask.status_code, (method, headers)
            assert by_front.data == by_flask.data
            assert sorted(by_front.headers.items()) == sorted(by_flask.headers.items()), (method, headers)


@pytest.mark.parametrize("url", CACHED_URLS)
def test_front_answers_a_first_gzip_request_as_flask_does(client, url: str) -> None:
    """The gzip body is made by whichever path gets the first gzip request: the same bytes."""
    front = client.application.wsgi_app
    entered = count_flask_entries(front)
    zipped = {"Accept-Encoding": "gzip"}
    for first_gzip_by_front in (True, False):
        front.cache.forget()  # the document is built again, without a gzip body
        client.get(url)  # cached by Flask, in identity only
        entered.clear()
        if first_gzip_by_front:
            by_front = client.get(url, headers=zipped)
            front.cache.forget(aliases_only=True)
            by_flask = client.get(url, headers=zipped)
        else:
            front.cache.forget(aliases_only=True)
            by_flask = client.get(url, headers=zipped)
            by_front = client.get(url, headers=zipped)
        assert len(entered) == 1
        assert by_front.status_code == by_flask.status_code == 200
        assert by_front.data == by_flask.data and gzip.decompress(by_front.data) == client.get(url).data
        assert sorted(by_front.headers.items()) == sorted(by_flask.headers.items())


def test_front_counts_its_requests_in_the_metrics(client) -> None:
    route = route_of(client.application, "/feeds/feed.json")

    def served(status: str) -> float:
        samples = metric_samples(client.get("/metrics").get_data(as_text=True))
        labels = (("method", "GET"), ("route", route), ("status", status))
        return samples.get(("feedsvc_http_requests_total", labels), 0.0)

    before = served("200"), served("304")
    etag = client.get("/feeds/feed.json").headers["ETag"]
    for _ in range(3):
        client.get("/feeds/feed.json")
        client.get("/feeds/feed.json", headers={"If-None-Match": etag})
    assert (served("200"), served("304")) == (before[0] + 4, before[1] + 3)


def test_front_misses_after_a_new_catalog_version(client, content: Path, scan, monkeypatch) -> None:
    monkeypatch.setattr(service, "VERSION_CHECK_SECONDS", 0.0)
    client.get("/feeds/atom.xml")
    client.get("/feeds/atom.xml")  # served by the front
    write(content, "culture/opera.md", "---\ntitle: The opera reopens\ndate: 2025-01-01\n---\nText.\n")
    scan()
    assert feed_titles(client.get("/feeds/atom.xml"))[0] == "The opera reopens"
