"""Patterns a site's configuration writes (Hugo's ignoreFiles, Pelican's FILENAME_METADATA)
are run by RE2 (readers/patterns.py): a planted pattern cannot make a file name take
exponential time, and what RE2 cannot read is left out with the reason."""

from __future__ import annotations

from pathlib import Path

from feedsvc.readers import patterns
from feedsvc.readers.pelican import site_metadata
from feedsvc.readers.site import load_site

# Python's re takes about 2**n steps for this pattern on n 'a's and a 'b'; RE2 takes n.
BACKTRACKING = r"(a+)+\.md$"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_site_patterns_are_compiled_by_re2() -> None:
    compiled, why = patterns.compile_site_pattern(BACKTRACKING)
    assert why == "" and type(compiled).__module__.startswith("re2")
    assert compiled.search("a" * 5000 + "b.md") is None
    assert compiled.search("b" + "a" * 5000 + ".md") is not None


def test_what_re2_cannot_read_is_refused_with_the_reason() -> None:
    assert patterns.compile_site_pattern(r"(a)\1") == (None, "not a regular expression RE2 reads "
                                                            "(invalid escape sequence: \\1)")
    assert patterns.compile_site_pattern("a" * 1001)[1] == "longer than 1000 characters"
    assert patterns.compile_site_pattern("((a{100}){100}){100}")[0] is None
    assert patterns.compile_site_pattern(["a"])[1] == "not a non-empty string"


def test_hugo_ignore_files_with_a_planted_pattern(tmp_path: Path) -> None:
    write(tmp_path / "hugo.toml", f'title = "T"\nignoreFiles = [\'{BACKTRACKING}\', "(x)\\\\1", "drafts/"]\n')
    site = load_site(tmp_path)
    name = "content/posts/" + "a" * 60 + "b.md"
    assert site.not_an_article(name) is None  # matched by neither, at once
    assert site.not_an_article("content/posts/" + "a" * 60 + ".md") == "a file the Hugo site's ignoreFiles leaves out"
    assert site.not_an_article("content/drafts/x.md") == "a file the Hugo site's ignoreFiles leaves out"
    assert len(site.ignored) == 2  # the backreference is left out


def test_pelican_file_name_metadata_keeps_python_named_groups(tmp_path: Path) -> None:
    write(tmp_path / "pelicanconf.py",
          'FILENAME_METADATA = r"(?P<date>\\d{4}-\\d{2}-\\d{2})_(?P<slug>.*)"\n'
          'PATH_METADATA = r"(?P<author>(a+)+\\.md$)"\n')
    site = load_site(tmp_path)
    found = site_metadata("2021-03-04_first-light.md", site)
    assert found["date"] == "2021-03-04" and found["slug"] == "first-light"
    planted = site_metadata("a" * 60 + "b.md", site)
    assert "author" not in planted


def test_jekyll_exclude_globs_run_in_linear_time_and_odd_ones_stay_literal(tmp_path: Path) -> None:
    planted = "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"  # Python's fnmatch backtracks on this
    odd = ["(x", "[!]x", "[z-a]", 7, None, "c" * 201]  # regex signs, an empty class, a reversed
    # range (Ruby's fnmatch matches nothing with it), no strings, too long
    write(tmp_path / "_config.yml", yaml_list("exclude", [planted, *odd]))
    long_name = "/".join(["a" * 200] * 15) + "/_posts/2024-01-01-post.md"  # only its name is read
    write(tmp_path / "(x/_posts/2024-01-01-post.md", "---\ntitle: T\n---\nx\n")
    site = load_site(tmp_path)
    assert site.kind == "jekyll"
    assert site.not_an_article(long_name) is None  # no b: matched in linear time, not excluded
    assert site.not_an_article("(x/_posts/2024-01-01-post.md") == (
        "in a folder Jekyll's exclude setting leaves out ((x/)")
    assert site.not_an_article("z/_posts/2024-01-01-post.md") is None  # [z-a] matches nothing


def yaml_list(key: str, items: list[object]) -> str:
    return f"{key}:\n" + "".join(f"  - {item if item is not None else '~'}\n" if not isinstance(item, str)
                                 else f"  - '{item}'\n" for item in items)
