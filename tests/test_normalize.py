"""Normalization helpers: dates, slugs, sanitizing, summaries, encodings, topic rules."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from helpers.content import write
from hypothesis import given, settings
from hypothesis import strategies as st

from feedsvc.dates import go_wall_clock, parse_date
from feedsvc.encodings import decode
from feedsvc.errors import ReadError
from feedsvc.encodings import strip_illegal_xml
from feedsvc.normalize import _CLEANER, cut_at_word, make_summary, plain_paragraphs, sanitize_html
from feedsvc.readers.metadata import process_metadata
from feedsvc.text import slugify
from feedsvc.topics import assign_topics, load_rules

ROME = ZoneInfo("Europe/Rome")
BASE = "https://news.example.org/articles/harbour"
PST = timezone(timedelta(hours=-8))
MST = timezone(timedelta(hours=-7))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-05-01", datetime(2022, 5, 1, tzinfo=ROME)),
        ("2022-05-01 09:30", datetime(2022, 5, 1, 9, 30, tzinfo=ROME)),
        ("2022-05-01T09:30:15", datetime(2022, 5, 1, 9, 30, 15, tzinfo=ROME)),
        ("2022-05-01T09:30:15Z", datetime(2022, 5, 1, 9, 30, 15, tzinfo=UTC)),
        ("2022-05-01T09:30:15.250+05:30",
         datetime(2022, 5, 1, 9, 30, 15, tzinfo=timezone(timedelta(hours=5, minutes=30)))),
        ("2022-05-01 09:30:15 -0500", datetime(2022, 5, 1, 9, 30, 15, tzinfo=timezone(timedelta(hours=-5)))),
        ("2022-05-01 9:30 UTC", datetime(2022, 5, 1, 9, 30, tzinfo=UTC)),
        ("Sun, 01 May 2022 09:30:00 +0200", datetime(2022, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))),
        ("Sun, 01 May 2022 09:30:00 GMT", datetime(2022, 5, 1, 9, 30, tzinfo=UTC)),
        # Ruby's Time.parse (Jekyll), Go's layouts (Hugo), dateutil (Pelican)
        # the year repeated: Ruby ignores the offset after it
        ("2023-01-29 18:30:22 2023 -0800", datetime(2023, 1, 29, 18, 30, 22, tzinfo=ROME)),
        ("2012-10-07 16:35 PST", datetime(2012, 10, 7, 16, 35, tzinfo=PST)),
        ("Mon Jan  2 15:04:05 MST 2006", datetime(2006, 1, 2, 15, 4, 5, tzinfo=MST)),
        ("Mon Jan 02 15:04:05 -0700 2006", datetime(2006, 1, 2, 15, 4, 5, tzinfo=MST)),
        ("2006-01-02 15:04:05.999999999 -0700 MST",
         datetime(2006, 1, 2, 15, 4, 5, tzinfo=MST)),
        ("02 Jan 2006", datetime(2006, 1, 2, tzinfo=ROME)),
        ("January 5, 2020", datetime(2020, 1, 5, tzinfo=ROME)),
        ("5 January 2020 10am", datetime(2020, 1, 5, 10, tzinfo=ROME)),
        ("Jan 5, 2020 3:04 PM", datetime(2020, 1, 5, 15, 4, tzinfo=ROME)),
        ("2020/01/05", datetime(2020, 1, 5, tzinfo=ROME)),
        ("2020-1-5", datetime(2020, 1, 5, tzinfo=ROME)),
    ],
)
def test_dates_in_every_accepted_form(text: str, expected: datetime) -> None:
    parsed = parse_date(text, ROME)
    assert parsed == expected and parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Mon Jan  2 15:04:05 MST 2006", datetime(2006, 1, 2, 15, 4, 5, tzinfo=ROME)),  # UnixDate
     ("Mon, 02 Jan 2006 15:04:05 GMT", datetime(2006, 1, 2, 15, 4, 5, tzinfo=ROME)),  # RFC 1123
     ("02 Jan 06 15:04 PST", datetime(2006, 1, 2, 15, 4, tzinfo=ROME)),  # RFC 822
     ("Mon Jan 02 15:04:05 -0700 2006", datetime(2006, 1, 2, 15, 4, 5, tzinfo=MST)),  # an offset
     ("2006-01-02 15:04:05.999999999 -0700 MST", datetime(2006, 1, 2, 15, 4, 5, tzinfo=MST))],
)
def test_hugo_reads_a_named_zone_at_the_sites_clock(text: str, expected: datetime) -> None:
    """Go's layouts that name a zone: Hugo keeps the clock time, in the site's zone."""
    parsed = parse_date(go_wall_clock(text), ROME)
    assert parsed == expected and parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("text", "reason"),
    [("yesterday", "unrecognized date"), ("2022-02-30", "impossible date"),
     ("2022-05-01T25:00", "impossible date"), ("31/31/2022", "unrecognized date"),
     ("12", "unrecognized date"), ("2023 " * 30, "unrecognized date")],
)
def test_bad_dates_are_read_errors(text: str, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        parse_date(text, ROME)


def test_metadata_table_precedence_and_merging() -> None:
    metadata = process_metadata({
        "Modified": "2020-01-03", "LastMod": "2020-01-02", "Date": "2020-01-01",
        "Tags": "a, b", "Categories": ["b", "c"], "Keywords": "d",
        "Description": "from description", "Summary": "from summary",
        "Author": "Solo", "Status": " Hidden ", "layout": "post",
    })[0]
    assert metadata == {
        "date": datetime(2020, 1, 1), "updated": datetime(2020, 1, 3),
        "topics": ["a", "b", "c", "d"], "authors": ["Solo"], "summary": "from summary",
        "status": "hidden",
    }


def test_published_false_is_a_flag_and_published_date_is_a_date() -> None:
    assert process_metadata({"published": False})[0] == {"published": False}
    assert process_metadata({"published": "2021-03-04"})[0] == {"date": datetime(2021, 3, 4)}


@pytest.mark.parametrize(
    ("label", "slug"),
    [("Central Asia", "central-asia"), ("central-asia", "central-asia"), ("  Économie  ", "economie"),
     ("Москва", "moskva"), ("Straße", "strasse"), ("Ørsted", "orsted"), ("Łódź", "lodz"),
     ("北京", "beijing"), ("C++ & Rust!", "c-rust"), ("x" * 100, "x" * 64), ("★", "")],
)
def test_slugs_are_ascii_and_transliterated(label: str, slug: str) -> None:
    assert slugify(label) == slug


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="/b">x</a>', '<a href="https://news.example.org/b" rel="noopener noreferrer">x</a>'),
        ('<a href="../c?q=1#k">x</a>',
         '<a href="https://news.example.org/c?q=1#k" rel="noopener noreferrer">x</a>'),
        ('<img src="p.png" alt="a">', '<img src="https://news.example.org/articles/p.png" alt="a">'),
        ('<a href="//cdn.example.net/x">x</a>',
         '<a href="https://cdn.example.net/x" rel="noopener noreferrer">x</a>'),
        ('<a href="mailto:desk@example.org">m</a>',
         '<a href="mailto:desk@example.org" rel="noopener noreferrer">m</a>'),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<a href="jav&#x09;ascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<img src="data:image/png;base64,AAAA" alt="d">', '<img alt="d">'),
        ('<img src="x.png" onerror="alert(1)">', '<img src="https://news.example.org/articles/x.png">'),
        ('<p onclick="x()" style="color:red" class="c" id="i">t</p>', "<p>t</p>"),
        ("<script>alert(1)</script><style>p{}</style><p>kept</p>", "<p>kept</p>"),
        ('<iframe src="https://evil.example"></iframe><p>after</p>', "<p>after</p>"),
        ("<svg onload=alert(1)><circle/></svg>", ""),
        ("<svg><text>Sales</text><math><mi>q</mi></math></svg>", ""),
        # a formula keeps its text in its sentence; its TeX source, which no browser shows, goes
        ('<p>So <math display="block"><semantics><mi>E</mi><mo>=</mo><msup><mi>c</mi><mn>2</mn></msup>'
         '<annotation encoding="application/x-tex">E=c^2</annotation><annotation-xml><b>E</b>'
         "</annotation-xml></semantics></math> holds.</p>", "<p>So E=c2 holds.</p>"),
        ("<math><mtext><style><img src=x onerror=alert(1)></style>t</mtext></math>", "t"),
        ("<p><annotation>x</annotation> outside a formula</p>", "<p>x outside a formula</p>"),
        ('<form action="/x"><input name="q"></form>', ""),
        ("<p>a\x0bb\x08c</p>", "<p>a bc</p>"),  # a vertical tab separates words; a backspace goes
        ('<a href="http://[::1/broken">x</a>', '<a rel="noopener noreferrer">x</a>'),
        # elements a parser takes for boundaries a </p> does not cross: their tags go, and the
        # paragraphs around them stay paired (it made <p>...<p></p>...</p></p>)
        *[(f"<p>Handle<{name}> exports</p>\n<pre><code>x</code></pre>\n<p>after</p>",
           "<p>Handle exports</p>\n<pre><code>x</code></pre>\n<p>after</p>")
          for name in ("Object", "applet", "MARQUEE", "button", "select")],
        ("<p>Pick <select><option>red</option></select> or <button>Go</button>.</p>",
         "<p>Pick red or Go.</p>"),
    ],
)
def test_sanitizer_allowlist_and_absolute_urls(html: str, expected: str) -> None:
    assert sanitize_html(html, BASE) == expected


def test_deeply_nested_html_is_refused_quickly() -> None:
    assert sanitize_html("<div>" * 500 + "x" + "</div>" * 500, BASE).count("<div>") == 500
    assert sanitize_html("<p>a" * 5000, BASE).count("<p>a</p>") == 5000  # end tags left out: flat
    with pytest.raises(ReadError, match="HTML nested 600 elements deep; at most 512 are read"):
        sanitize_html("<div><span>" * 300 + "x", BASE)
    # SVG and MathML elements nest at no cost (and `<circle/>` closes itself in an <svg>):
    # a chart of 700 points is no 700 elements deep; what is around them still counts
    chart = "<svg>" + "<g><circle r='1' />" * 700 + "</svg>"
    assert sanitize_html(f"<p>Plot</p>{chart}<p>after</p>", BASE) == "<p>Plot</p><p>after</p>"
    with pytest.raises(ReadError, match="HTML nested 600 elements deep"):
        sanitize_html(chart[:-6] + "<div>" * 600 + "x", BASE)


def test_summary_from_metadata_else_first_paragraph_cut_at_a_word() -> None:
    given = {"summary": "Given <em>here</em>\n  too."}  # plain text: only its spaces are tidied
    assert make_summary(given, "<p>Body.</p>") == "Given <em>here</em> too."
    assert make_summary({}, "<h2>Head</h2><p></p><p>First <b>bold</b> words.</p><p>Two.</p>") == (
        "First bold words.")
    words = " ".join(["harbour"] * 60)  # 479 characters
    cut = cut_at_word(words)
    assert cut.endswith("harbour…") and len(cut) <= 301 and words.startswith(cut[:-1])


@pytest.mark.parametrize(
    ("text", "encoding", "reported"),
    [
        ("“Quotes” – and more", "cp1252", "cp1252"),  # too short for any detector to be sure
        ("Ça coûte très cher, dit-il à Zoë.", "latin-1", "cp1252"),
        ("Погода в Москве хорошая, всё спокойно сегодня утром.", "cp1251", "cp1251"),
    ],
)
def test_legacy_encodings_decode_right_and_are_reported(text: str, encoding: str, reported: str) -> None:
    value, warnings = decode(text.encode(encoding))
    assert value == text
    assert warnings == [f"not UTF-8; decoded as {reported}"]


def test_declared_html_charset_is_honoured() -> None:
    data = '<meta charset="koi8-r"><title>Новости</title>'.encode("koi8-r")
    assert decode(data, "page.html") == (
        '<meta charset="koi8-r"><title>Новости</title>',
        ["not UTF-8; decoded as koi8-r (declared in the file)"],
    )


def test_html_labelled_latin1_is_read_as_windows_1252_like_browsers() -> None:
    data = '<meta charset="ISO-8859-1"><p>“Caffè”</p>'.encode("cp1252")
    assert decode(data, "page.htm") == (
        '<meta charset="ISO-8859-1"><p>“Caffè”</p>', ["not UTF-8; decoded as cp1252 (declared in the file)"])


def test_topic_rules_match_whole_words_in_title_and_body(content: Path) -> None:
    write(content, "topics.toml", '[topics.russia]\nlabel = "Russia"\nmatch = ["Russia", "Moscow"]\n'
                                  '[topics.central-asia]\nlabel = "Central Asia"\nmatch = ["Central Asia"]\n')
    rules = load_rules(content)

    def slugs(title: str, body: str, metadata: dict[str, object] | None = None) -> list[str]:
        return [t.slug for t in assign_topics("world/a.txt", metadata or {}, rules, True, title, body)]

    assert slugs("Talks in MOSCOW", "<p>x</p>") == ["russia", "world"]
    assert slugs("x", "<p>trade with <b>central</b> asia</p>") == ["central-asia", "world"]
    assert slugs("Russian grain", "<p>Muscovites; Moscowfest</p>") == ["world"]
    tagged = assign_topics("world/a.txt", {"topics": ["central-asia", "RUSSIA"]}, rules, True, "x", "")
    assert [(t.slug, t.label) for t in tagged] == [
        ("central-asia", "Central Asia"), ("russia", "Russia"), ("world", "world")]


def test_links_resolve_against_their_own_article_when_threads_sanitize_at_once() -> None:
    """One cleaner serves every article; each call's base URL stays its own."""
    wrong: list[str] = []

    def sanitize_many(site: int) -> None:
        base = f"https://site{site}.example.org/articles/a"
        for number in range(300):
            out = sanitize_html(f'<p><a href="rel/{number}">x</a><img src="/i/{number}.png"></p>', base)
            expected = (f'href="https://site{site}.example.org/articles/rel/{number}"',
                        f'src="https://site{site}.example.org/i/{number}.png"')
            if not all(part in out for part in expected):
                wrong.append(out)

    threads = [threading.Thread(target=sanitize_many, args=(site,)) for site in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


# Text as decoded files hold it (no lone surrogates), tags and references left out.
PLAIN_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="<>&"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(PLAIN_TEXT, max_size=4))
def test_paragraphs_of_text_come_out_as_the_sanitizer_writes_them(texts: list[str]) -> None:
    """Paragraphs of text alone skip the sanitizer: what it would write is the same."""
    html = "".join(f"<p>{text}</p>\n" for text in texts)
    assert sanitize_html(html, BASE) == strip_illegal_xml(_CLEANER.clean(html))


@pytest.mark.parametrize("html", [
    "<p>a &amp; b</p>\n", "<p>a\xa0b</p>\n", "<p>a\rb</p>\n", "<p>a</p>", "<p>a</p>\nb",
    "x<p>a</p>\n", "<p><b>x</b></p>\n", "<p>a > b</p>\n", "<p>a</p>\n<div>b</p>\n", "<P>a</p>\n",
])
def test_other_html_is_sanitized(html: str) -> None:
    assert not plain_paragraphs(html)
    assert plain_paragraphs("<p>a</p>\n<p>b c</p>\n") and plain_paragraphs("")


def test_hugo_reads_a_date_string_only_in_one_of_gos_layouts() -> None:
    from feedsvc.readers.go_dates import hugo_reads

    read = ["2020-03-02", "2020-03-02 9:30:00", "2018-01-19T14:52:50+50:00", "02 Oct 2021",
            "Thu Sep  6 10:44:30 PDT 2018", "Mon, 02 Jan 2006 15:04:05 -0700", "2020-03-02T10:00:00.5Z"]
    unread = ["2020-3-2", "23 March 2020", "2020-11-04T06:30", "Jan 5, 2020 3:04 PM", "sometime in May", "9" * 81]
    assert [hugo_reads(text) for text in read] == [True] * len(read)
    assert [hugo_reads(text) for text in unread] == [False] * len(unread)
    assert hugo_reads(datetime(2020, 3, 2))  # a YAML or TOML date: no string to parse


def test_a_hugo_page_whose_dates_hugo_cannot_read_is_dated_as_written_not_in_year_one() -> None:
    from feedsvc.readers.hugo_config import DEFAULT_DATE_KEYS, page_date

    keys = DEFAULT_DATE_KEYS
    assert page_date({"date": "23 March 2020"}, "content/a.md", keys) == ("23 March 2020", "")
    assert page_date({"date": "2020-3-2", "lastmod": "2021-05-20"}, "content/a.md", keys) == ("2021-05-20", "")
    assert page_date({"date": "", "title": "About"}, "content/about.md", keys) is None  # first seen
