"""Operator mistakes in settings and in topics.toml: refused with the name of the variable, the
file and key, or the topic, and the fix; `feedsvc config` shows where every setting came from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.content import write
from helpers.feeds import parse_feed

from feedsvc.cli import main
from feedsvc.config import load_settings
from feedsvc.errors import ConfigError

ARTICLE = "---\ntitle: {title}\ndate: 2024-03-0{day}\n---\n{text}\n"


def scan_output(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, [*args, "scan"])
    return result.exit_code, result.output.splitlines()


# ---- topics.toml ----

@pytest.fixture
def articles(content: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("FEEDSVC_CONTENT_DIR", str(content))
    monkeypatch.setenv("FEEDSVC_DATABASE", str(tmp_path / "db.sqlite"))
    write(content, "rail.md", ARTICLE.format(title="Night train to Almaty", day=1, text="A train left."))
    write(content, "sea.md", ARTICLE.format(title="Harbour news", day=2, text="Ships are in port."))
    return content


@pytest.mark.parametrize(("rules", "message"), [
    ('[topics.trains]\nmatch = "train"\n',
     '[topics.trains] match: must be a list of words, such as match = ["train"]; got the string "train"'),
    ('[topics.trains]\nlabl = "Trains"\nmatch = ["train"]\n',
     "[topics.trains] unknown key 'labl' (did you mean 'label'?); the keys of a topic are label and match"),
    ('[topics.trains]\nlabel = 7\nmatch = ["train"]\n',
     '[topics.trains] label: must be text of 1 to 100 characters in quotes, such as label = "Trains"; got 7'),
    ('[topics.trains]\nmatch = ["train", 3]\n', '[topics.trains] match: must be a list of words in quotes, '
                                                'such as match = ["train"]; got [\'train\', 3]'),
    ('[topics.trains]\nmatch = ["train", " "]\n', "[topics.trains] match: an empty word would match nothing"),
    ('[topic.trains]\nmatch = ["train"]\n',
     "unknown key 'topic' (did you mean 'topics'?): each topic is a table"),
    ('[topics]\ntrains = ["train"]\n', "topics.trains must be a table with label and match"),
    ('[topics.Trains]\nmatch = ["train"]\n[topics.trains]\nmatch = ["rail"]\n',
     "[topics.trains] is the same topic as another table (slug 'trains'); merge the two"),
    ("[topics.trains\n", "not valid TOML: Expected ']' at the end of a table declaration"),
])
def test_topics_toml_mistakes_name_the_topic_the_key_and_the_fix(articles: Path, rules: str,
                                                                 message: str) -> None:
    write(articles, "topics.toml", rules)
    code, lines = scan_output()
    assert code == 1
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1
    assert errors[0].startswith(f"error: topics.toml: {message}"), errors
    assert "topics.toml: topics.toml" not in "\n".join(lines)


def test_a_string_of_match_words_tags_nothing_until_fixed(articles: Path, make_app, config) -> None:
    write(articles, "topics.toml", '[topics.trains]\nlabel = "Trains"\nmatch = "train"\n')
    assert scan_output()[0] == 1  # nothing committed: the feeds are not built with a broken rule
    write(articles, "topics.toml", '[topics.trains]\nlabel = "Trains"\nmatch = ["train"]\n')
    assert scan_output()[0] == 0
    client = make_app(content_dir=articles, database=Path("db.sqlite").absolute()).test_client()
    feed = parse_feed(client.get("/topics/trains/atom.xml").data)
    assert [entry.title for entry in feed.entries] == ["Night train to Almaty"]  # not "Harbour news"
    assert feed.feed.title.endswith("Trains")


def test_a_topic_without_match_words_labels_the_topic(articles: Path, make_app) -> None:
    write(articles, "sea/ferry.md", ARTICLE.format(title="Ferry", day=3, text="Across the bay."))
    write(articles, "topics.toml", '[topics.sea]\nlabel = "The Sea"\n')
    assert scan_output()[0] == 0
    client = make_app(content_dir=articles, database=Path("db.sqlite").absolute()).test_client()
    topics = {topic["slug"]: topic["label"] for topic in client.get("/api/topics").get_json()["topics"]}
    assert topics == {"sea": "The Sea"}


def test_check_names_topics_toml_once(articles: Path) -> None:
    write(articles, "topics.toml", '[topics.trains]\nmatch = "train"\n')
    result = CliRunner().invoke(main, ["check", str(articles / "rail.md")])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        'topics.toml: error: [topics.trains] match: must be a list of words, such as match = ["train"]; '
        'got the string "train"')


def test_an_impossible_yaml_date_names_the_field_and_value(articles: Path) -> None:
    """The post is published anyway (as Jekyll, Hugo and Pelican would publish it, dated
    otherwise), with a warning naming the field and the value."""
    write(articles, "leap.md", "---\ntitle: Leap\ndate: 2023-02-29\n---\nText.\n")
    write(articles, "month.md",
          "---\ntitle: Month\ndate: 2023-01-01\nupdated: 2023-13-01 10:00\n---\nText.\n")
    code, lines = scan_output()
    assert code == 0
    assert lines[0].startswith("published 4, drafts 0, skipped 0, errors 0, ")  # two more in the fixture
    assert ("warning: leap.md: date: impossible date (day is out of range for month): using the time "
            "the file was first seen, got '2023-02-29'") in lines
    assert ("warning: month.md: updated: impossible date (month must be in 1..12); ignored, "
            "got '2023-13-01 10:00'") in lines


# ---- settings ----

@pytest.mark.parametrize(("variable", "value", "message"), [
    ("FEEDSVC_WATCH", "2", "FEEDSVC_WATCH: must be one of 1/0, true/false, yes/no or on/off; got '2'"),
    ("FEEDSVC_TAG_AUTHORITY", "has/slash",
     "FEEDSVC_TAG_AUTHORITY: must be a domain name or an email address (RFC 4151)"),
    ("FEEDSVC_TAG_AUTHORITY", "news.example.org:8080", "FEEDSVC_TAG_AUTHORITY: must be a domain name"),
    ("FEEDSVC_TAG_AUTHORITY", "-bad.example.org", "FEEDSVC_TAG_AUTHORITY: must be a domain name"),
    ("FEEDSVC_TAG_AUTHORITY", "a b@example.org", "FEEDSVC_TAG_AUTHORITY: must be a domain name"),
    ("FEEDSVC_LANGUAGE", "english",
     "FEEDSVC_LANGUAGE: must be a BCP 47 language tag such as en, en-GB or pt-BR; got 'english'"),
    ("FEEDSVC_LANGUAGE", "en_US", "FEEDSVC_LANGUAGE: must be a BCP 47 language tag"),
    ("FEEDSVC_LANGUAGE", "xx", "FEEDSVC_LANGUAGE: must be a BCP 47 language tag"),
    ("FEEDSVC_SCAN_INTERVAL", "1.5", "FEEDSVC_SCAN_INTERVAL: must be a whole number of seconds, at least 1"),
    ("FEEDSVC_SCAN_INTERVAL", "often", "FEEDSVC_SCAN_INTERVAL: must be a whole number of seconds"),
    ("FEEDSVC_FEED_LIMIT", "501", "FEEDSVC_FEED_LIMIT: must be a whole number from 1 to 500; got '501'"),
    ("FEEDSVC_TIMEZONE", "Mars/Olympus", "FEEDSVC_TIMEZONE: must be an IANA time zone name"),
    ("FEEDSVC_BASE_URL", "news.example.org", "FEEDSVC_BASE_URL: must be an absolute http(s) URL"),
])
def test_a_wrong_variable_is_refused_by_name(variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={variable: value})
    assert str(caught.value).startswith(message)
    result = CliRunner().invoke(main, ["scan"], env={variable: value})
    assert result.exit_code == 1
    assert result.output == f"Error: {caught.value}\n"


@pytest.mark.parametrize(("variable", "value", "field", "expected"), [
    ("FEEDSVC_WATCH", "Yes", "watch", True),
    ("FEEDSVC_WATCH", "off", "watch", False),
    ("FEEDSVC_TAG_AUTHORITY", "editor@news.example.org", "tag_authority", "editor@news.example.org"),
    ("FEEDSVC_TAG_AUTHORITY", "News.Example.org", "authority", "news.example.org"),
    ("FEEDSVC_LANGUAGE", "zh-Hant-TW", "language", "zh-Hant-TW"),
    ("FEEDSVC_LANGUAGE", "pt-BR", "language", "pt-BR"),
    ("FEEDSVC_SCAN_INTERVAL", " 30 ", "scan_interval", 30),
])
def test_good_variables_are_taken(variable: str, value: str, field: str, expected: object) -> None:
    assert getattr(load_settings(environ={variable: value}), field) == expected


def test_an_email_tag_authority_mints_ids(articles: Path, make_app) -> None:
    result = CliRunner().invoke(main, ["scan"], env={"FEEDSVC_TAG_AUTHORITY": "editor@example.org"})
    assert result.exit_code == 0, result.output
    client = make_app(content_dir=articles, database=Path("db.sqlite").absolute()).test_client()
    ids = sorted(entry.id for entry in parse_feed(client.get("/feeds/atom.xml").data).entries)
    assert ids == ["tag:editor@example.org,2024-03-01:/rail", "tag:editor@example.org,2024-03-02:/sea"]


@pytest.mark.parametrize(("line", "message"), [
    ("scan_interval = 1.5", "scan_interval in {file}: must be a whole number of seconds, at least 1, without "
                            "quotes or decimals (scan_interval = 60); got 1.5"),
    ('scan_interval = "60"', "scan_interval in {file}: must be a whole number of seconds"),
    ('watch = "yes"', "watch in {file}: must be true or false, without quotes (watch = true); got 'yes'"),
    ("title = 5", 'title in {file}: must be text, in quotes (title = "..."); got 5'),
    ('language = "english"', "language in {file}: must be a BCP 47 language tag"),
    ("scan_intervall = 30", "scan_intervall in {file}: unknown setting; did you mean scan_interval?"),
])
def test_a_wrong_value_in_feedsvc_toml_names_the_key_and_the_file(line: str, message: str) -> None:
    Path("feedsvc.toml").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith(message.format(file=Path("feedsvc.toml").absolute()))


def test_feedsvc_toml_values_keep_their_types() -> None:
    Path("feedsvc.toml").write_text('scan_interval = 30\nwatch = true\nlanguage = "de-CH"\n',
                                    encoding="utf-8")
    settings = load_settings()
    assert (settings.scan_interval, settings.watch, settings.language) == (30, True, "de-CH")


def rows(*args: str, env: dict[str, str] | None = None) -> dict[str, tuple[str, str]]:
    result = CliRunner().invoke(main, [*args, "config", "--json"], env=env)
    assert result.exit_code == 0, result.output
    return {row["name"]: (row["value"], row["source"]) for row in json.loads(result.output)}


def test_config_shows_each_setting_and_where_it_came_from(tmp_path: Path) -> None:
    settings_file = write(tmp_path, "site/settings.toml", 'title = "Harbour News"\nscan_interval = 30\n')
    env = {"FEEDSVC_ADMIN_TOKEN": "s3cret-value", "FEEDSVC_SCAN_INTERVAL": "45", "PORT": "9001"}
    shown = rows("--config", str(settings_file), env=env)
    assert shown["config"] == (str(settings_file), "--config")
    assert shown["title"] == ("Harbour News", str(settings_file))
    assert shown["scan_interval"] == ("45", "FEEDSVC_SCAN_INTERVAL")  # the environment wins over the file
    assert shown["admin_token"] == ("******** (set)", "FEEDSVC_ADMIN_TOKEN")
    assert shown["database"] == (str(tmp_path / "instance" / "feedsvc.db"), "default")
    assert shown["tag_authority"] == ("127.0.0.1 (the host of base_url)", "default")
    assert shown["serve --port"] == ("9001", "PORT")
    assert shown["serve --workers"] == ("1", "default")
    assert "database_url" not in shown  # derived from database, shown there

    text = CliRunner().invoke(main, ["--config", str(settings_file), "config"], env=env).output
    assert "s3cret" not in text
    assert any(line.split() == ["title", "Harbour", "News", str(settings_file)] for line in text.splitlines())


def test_config_file_from_the_environment_and_the_working_directory(tmp_path: Path) -> None:
    assert rows()["config"] == ("(none: no feedsvc.toml here)", "default")
    write(tmp_path, "feedsvc.toml", "feed_limit = 20\n")
    assert rows()["feed_limit"] == ("20", str(tmp_path / "feedsvc.toml"))
    other = write(tmp_path, "elsewhere.toml", "feed_limit = 30\n")
    shown = rows(env={"FEEDSVC_CONFIG": str(other)})
    assert shown["config"] == (str(other), "FEEDSVC_CONFIG")
    assert shown["feed_limit"] == ("30", str(other))


@pytest.mark.parametrize(("args", "env", "message"), [
    (["--config", "missing.toml"], {}, "Error: --config: no settings file at {path}; give the path of an "
                                       "existing TOML file, or leave --config out\n"),
    ([], {"FEEDSVC_CONFIG": "missing.toml"},
     "Error: FEEDSVC_CONFIG: no settings file at {path}; give the path of an existing TOML file, "
     "or leave FEEDSVC_CONFIG out\n"),
])
def test_a_missing_settings_file_given_explicitly_is_an_error(args: list[str], env: dict[str, str],
                                                              message: str) -> None:
    for command in (["scan"], ["config"], ["serve"]):
        result = CliRunner().invoke(main, [*args, *command], env=env)
        assert result.exit_code == 1
        assert result.output == message.format(path=Path("missing.toml").absolute())


def test_the_config_option_is_read_by_scan(articles: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("FEEDSVC_CONTENT_DIR")
    settings_file = write(tmp_path, "conf/feedsvc.toml", f'content_dir = "{articles}"\nmax_file_size = 10\n')
    code, lines = scan_output("--config", str(settings_file))
    assert code == 1
    assert "error: rail.md: file is 68 bytes, over the limit of 10" in lines


def test_serve_settings_from_the_environment_are_named_in_errors_and_in_config() -> None:
    assert rows(env={"WEB_CONCURRENCY": "3"})["serve --workers"] == ("3", "WEB_CONCURRENCY")
    for command in (["serve"], ["config"]):
        result = CliRunner().invoke(main, command, env={"PORT": "80a"})
        assert result.exit_code != 0
        assert "Error: Invalid value for '--port' / PORT: '80a' is not a valid integer range." \
            in result.output


def test_a_misspelt_variable_is_named_with_the_closest_setting(caplog) -> None:
    env = {"FEEDSVC_SCAN_INTERVALL": "30", "FEEDSVC_TREADS": "2", "FEEDSVC_XYZZY": "1",
           "FEEDSVC_WORKERS": "2"}  # a serve option's variable: known
    result = CliRunner().invoke(main, ["config", "--json"], env=env)
    assert result.exit_code == 0
    assert [record.getMessage() for record in caplog.records if record.levelname == "WARNING"] == [
        "FEEDSVC_SCAN_INTERVALL is not a setting and is ignored; did you mean FEEDSVC_SCAN_INTERVAL?",
        "FEEDSVC_TREADS is not a setting and is ignored; did you mean FEEDSVC_THREADS?",
        "FEEDSVC_XYZZY is not a setting and is ignored",
    ]
