"""Property-based: whatever bytes or text a reader gets, it returns an entry or a clear error."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_articles import DATA, check_invariants

from feedsvc.config import load_settings
from feedsvc.errors import ReadError
from feedsvc.normalize import normalize, text_blocks
from feedsvc.readers import READERS, read_article
from feedsvc.topics import TopicRule, assign_topics, load_rules

NOW = datetime(2025, 6, 1, tzinfo=UTC)
SETTINGS = load_settings(overrides={"base_url": "https://news.example.org"}, environ={},
                         config_file=DATA / "no-such-config.toml")
RULES: list[TopicRule] = load_rules(DATA)
EXTENSIONS = sorted(READERS)
# Fixtures share nothing a reader can change, so reusing them across examples is sound.
PROPERTY = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text shaped like each format, so the examples reach past the first check of every reader.
_words = st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
_shaped = st.one_of(
    _words,
    st.builds(lambda title, body: f"date 2021-01-01 {title}\n\n{body}", _words, _words),
    st.builds(lambda key, value, body: f"Title: x\n{key}: {value}\n\n{body}",
              st.sampled_from(["Date", "Tags", "Author", "Status", "Updated", "Link"]), _words, _words),
    st.builds(lambda front, body: f"---\n{front}\n---\n{body}", _words, _words),
    st.builds(lambda key, value: f"---\ntitle: t\n{key}: {value}\n---\nbody",
              st.sampled_from(["date", "tags", "lastmod", "draft", "published", "author", "slug"]),
              _words),
    st.builds(lambda front: f"+++\n{front}\n+++\nbody", _words),
    st.builds(lambda head, body: f"<html><head><title>t</title>{head}</head><body>{body}</body></html>",
              _words, _words),
    st.builds(lambda name, value: f'<title>t</title><meta name="{name}" content="{value}"><p>x</p>',
              st.sampled_from(["date", "modified", "keywords", "author", "status"]), _words),
)


def outcome(path: str, data: bytes) -> None:
    """Read, normalize and assign topics; only ReadError may escape, and entries are sound."""
    try:
        article = read_article(path, data)
        entry, _warnings = normalize(article, data, SETTINGS, None, NOW)
    except ReadError as exc:
        assert str(exc)  # a clear reason, never an empty message
        return
    check_invariants(assign_topics(entry, article.metadata, RULES))


@PROPERTY
@given(data=st.binary(max_size=2000), extension=st.sampled_from(EXTENSIONS))
def test_any_bytes(data: bytes, extension: str) -> None:
    outcome(f"folder/article{extension}", data)


@PROPERTY
@given(text=_shaped, extension=st.sampled_from(EXTENSIONS),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
def test_any_text(text: str, extension: str, encoding: str) -> None:
    outcome(f"article{extension}", text.encode(encoding, errors="replace"))


_HTML_PIECES = st.sampled_from([
    "<p>", "</p>", "</P >", "<p class='x'>", "<p/>", "text ", "word", " ", "\n", "\u00a0", "&amp;",
    "&", "<br>", "<div>", "</div>", "<li>", "<ul>", "</ul>", "<h2>", "</h2>", "<em>", "</em>",
    "<script>", "</script>", "<style>p{}</style>", "<!-- </p> -->", "<!--", "-->", "<", ">",
    "</p", "<!DOCTYPE html>", "<![CDATA[x]]>", "<pre>", "</pre>", "ü",
])


@PROPERTY
@given(html=st.lists(_HTML_PIECES, max_size=30).map("".join))
def test_summary_parsing_stops_early_with_the_same_blocks(html: str) -> None:
    """Parsing up to the first paragraph gives the blocks a full parse gives up to there."""
    full, early = text_blocks(html), text_blocks(html, until_paragraph=True)
    first_paragraph = next((number for number, (tag, _text) in enumerate(full) if tag == "p"), None)
    if first_paragraph is None:
        assert early == full
    else:
        assert early[: first_paragraph + 1] == full[: first_paragraph + 1]
