"""Templates in content: Jekyll's Liquid and Hugo's shortcodes never reach a feed raw."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from helpers.content import age

from feedsvc.config import load_settings
from feedsvc.errors import ReadError
from feedsvc.readers import go_urls, liquid, liquid_syntax, read_article, shortcodes
from feedsvc.readers.hugo_render_hooks import writes_text_escaped
from feedsvc.readers.go_functions import FUNCTIONS, Unsupported
from feedsvc.readers.site import Site, load_site
from feedsvc.scan import scan_once
from feedsvc.store import Store


def jekyll_site(tmp_path: Path) -> Site:
    (tmp_path / "_config.yml").write_text("title: Quay\nurl: https://quay.example\nowner: {name: Ana}\n")
    (tmp_path / "_includes").mkdir()
    (tmp_path / "_includes" / "box.html").write_text("<b>{{ include.word }} {{ site.title }}</b>")
    return load_site(tmp_path)


def hugo_site(tmp_path: Path, config: str = "title = 'V'\n", **shortcode_templates: str) -> Site:
    """A Hugo site of this configuration with these shortcodes of its own (name=template)."""
    (tmp_path / "hugo.toml").write_text(config)
    (tmp_path / "layouts" / "shortcodes").mkdir(parents=True, exist_ok=True)
    for name, template in shortcode_templates.items():
        (tmp_path / "layouts" / "shortcodes" / f"{name}.html").write_text(template)
    return load_site(tmp_path)


def test_liquid_gets_site_and_page_and_jekyll_tags(tmp_path: Path) -> None:
    site = jekyll_site(tmp_path)
    text = ("{{ site.title }} by {{ site.owner.name }}: {{ page.title | upcase }}\n"
            "{% include box.html word=\"hi\" %} {% link about.md %} {% post_url 2020-01-02-a %}\n"
            "{% highlight ruby %}\nputs '<x>'\n{% endhighlight %}\n{% raw %}{{ kept }}{% endraw %}")
    rendered, warnings = liquid.render(text, "_posts/2020-01-03-b.md", {"title": "Ferry"}, site)
    assert rendered.startswith("Quay by Ana: FERRY\n<b>hi Quay</b> https://quay.example/about.html "
                               "https://quay.example/articles/posts-2020-01-02-a\n")
    assert "<pre><code class=\"language-ruby\" data-lang=\"ruby\">puts &#x27;&lt;x&gt;&#x27;</code></pre>" in rendered
    assert rendered.endswith("{{ kept }}") and warnings == []


def test_unknown_liquid_tags_and_missing_includes_are_removed_with_warnings(tmp_path: Path) -> None:
    site = jekyll_site(tmp_path)
    text = ("one\n{% gallery wide %}inside{% endgallery %}\n"
            "{% include nothere.html %}{% include ../../etc/passwd %}")
    rendered, warnings = liquid.render(text, "_posts/x.md", {}, site)
    assert rendered == "one\ninside\n"
    assert warnings == [
        "line 2: unknown Liquid tag 'gallery' removed, its content kept",
        "line 2: unknown Liquid tag 'endgallery' removed",
        "line 3: Liquid include 'nothere.html' not found; removed",
        "line 3: Liquid include '../../etc/passwd' not found; removed",
    ]


def test_include_relative_reads_the_posts_folder_within_the_site(tmp_path: Path) -> None:
    """As Jekyll's: from the post's folder; a name with `..` or `//` is refused, and so is a
    file outside the site by a symbolic link."""
    site = jekyll_site(tmp_path)
    (tmp_path / "_posts" / "code").mkdir(parents=True)
    (tmp_path / "_posts" / "code" / "a.txt").write_text("listing {{ include.n }}")
    (tmp_path.parent / "secret.txt").write_text("secret")
    (tmp_path / "_posts" / "link.txt").symlink_to(tmp_path.parent / "secret.txt")
    text = ("{% include_relative code/a.txt n=\"1\" %}|{% include_relative ../_config.yml %}|"
            "{% include_relative code//a.txt %}|{% include_relative link.txt %}")
    rendered, warnings = liquid.render(text, "_posts/2020-01-03-b.md", {}, site)
    assert rendered == "listing 1|||"
    assert [warning.split("'")[1] for warning in warnings] == ["../_config.yml", "code//a.txt", "link.txt"]


def test_includes_stop_past_the_bytes_they_may_read_in_all(tmp_path: Path) -> None:
    site = jekyll_site(tmp_path)
    (tmp_path / "_includes" / "big.html").write_text("x" * liquid.MAX_INCLUDE_BYTES)
    text = "{% include big.html %}" * (liquid.MAX_INCLUDED_BYTES // liquid.MAX_INCLUDE_BYTES + 3)
    rendered, warnings = liquid.render(text, "_posts/x.md", {}, site)
    assert len(rendered) == liquid.MAX_INCLUDED_BYTES and len(warnings) == 3


def test_broken_liquid_is_published_without_template_syntax(tmp_path: Path) -> None:
    rendered, warnings = liquid.render("a {% if %} b {{ x | }} c", "_posts/x.md", {}, jekyll_site(tmp_path))
    assert "{%" not in rendered and "{{" not in rendered and "a" in rendered and "c" in rendered
    assert "Liquid could not render the post" in warnings[0]


def test_includes_over_the_markup_limit_publish_the_post_without_template_syntax(tmp_path: Path) -> None:
    """Includes are put in the post's template: what they hold counts in its limit of tags and
    outputs, and past it no more of them are read."""
    site = jekyll_site(tmp_path)
    (tmp_path / "_includes" / "many.html").write_text("{{ include.word }}" * (liquid.MAX_MARKUP // 4))
    text = "a {% include many.html word=\"x\" %}" * 5 + " b"
    rendered, warnings = liquid.render(text, "_posts/x.md", {}, site)
    assert rendered == "a " * 5 + " b"
    assert warnings == [f"Liquid: over {liquid.MAX_MARKUP:,} tags and outputs with its includes and Jekyll's "
                        "tags; template syntax removed"]


def test_jekyll_tags_count_in_the_markup_limit_as_the_liquid_they_are_written_in(tmp_path: Path) -> None:
    block = "{% highlight ruby %}x{% endhighlight %}"  # a capture, its end and an output
    within = block * (liquid.MAX_MARKUP // 3)
    site = jekyll_site(tmp_path)
    rendered, warnings = liquid.render(within, "_posts/x.md", {}, site)
    assert warnings == [] and rendered.count("<pre><code") == liquid.MAX_MARKUP // 3
    rendered, warnings = liquid.render(within + block, "_posts/x.md", {}, site)
    assert rendered == "x" * (liquid.MAX_MARKUP // 3 + 1) and "Jekyll's tags" in warnings[0]


@pytest.mark.parametrize("text", [
    "{% for i in (1..100000000) %}x{% endfor %}",
    "{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}x"
    "{% endfor %}{% endfor %}{% endfor %}",
    "{% assign s = 'xxxxxxxxxx' %}" + "{% capture s %}{{ s }}{{ s }}{% endcapture %}" * 40 + "{{ s }}",
    "{%" * 200_000,
    "{{" * 200_000 + "}}",
])
def test_hostile_liquid_is_bounded(text: str, tmp_path: Path) -> None:
    """Loops and captures stop at the output limit (their time: bench/hostile.py's jekyll-liquid-*)."""
    rendered, _warnings = liquid.render(text, "_posts/x.md", {}, jekyll_site(tmp_path))
    assert len(rendered) <= liquid.MAX_OUTPUT + len(text)


def test_liquid_past_its_markup_limit_is_removed_not_rendered(tmp_path: Path) -> None:
    site = jekyll_site(tmp_path)
    piece = "{{ page.title }} and {% if page.title %}y{% endif %} "
    text = piece * (liquid.MAX_MARKUP // 3 + 1) + "{{ page.title }}"
    rendered, warnings = liquid.render(text, "_posts/x.md", {"title": "T"}, site)
    assert warnings == [f"Liquid: {(liquid.MAX_MARKUP // 3 + 1) * 3 + 1:,} tags and outputs, over the limit of "
                        f"{liquid.MAX_MARKUP:,}; template syntax removed"]
    assert "{" not in rendered and rendered.startswith(" and y ")
    within, _warnings = liquid.render(piece * 2, "_posts/x.md", {"title": "T"}, site)
    assert within == "T and y T and y "


def test_liquid_past_its_limit_of_markup_characters_is_removed_not_rendered(tmp_path: Path) -> None:
    output = "{{ page.title" + " | append: 'x'" * 40 + " }}"
    count = liquid.MAX_MARKUP_CHARACTERS // len(output) + 1
    site = jekyll_site(tmp_path)
    rendered, warnings = liquid.render(output * count + " end", "_posts/x.md", {"title": "T"}, site)
    assert rendered == " end"
    assert warnings == [f"Liquid: {count * len(output):,} characters of tags and outputs, over the limit of "
                        f"{liquid.MAX_MARKUP_CHARACTERS:,}; template syntax removed"]


def test_what_nothing_closes_stays_text_and_the_rest_is_rendered(tmp_path: Path) -> None:
    """Jekyll refuses such a post; here it is published as python-liquid reads it up to there,
    without its lexer looking for an end to the end of the post for each."""
    site = jekyll_site(tmp_path)
    warning = ("Liquid: a '{{' or '{%' that nothing closes, or a raw tag without endraw, kept as text "
               "(Jekyll stops at it)")
    rendered, warnings = liquid.render("{{ page.title }} {% raw %}{{ a }}{% endraw %} and {{ open {%not {{{",
                                       "_posts/x.md", {"title": "T"}, site)
    assert (rendered, warnings) == ("T {{ a }} and {{ open {%not {{{", [warning])
    rendered, warnings = liquid.render("{{ page.title }} {% raw %}{{ a }} {% if", "_posts/x.md",
                                       {"title": "T"}, site)
    assert (rendered, warnings) == ("T {{ a }} {% if", [warning])
    lexed = liquid_syntax.lexable("{{ a }} {{% if b %}c{% endif %}")  # the `{%` after an open `{` is a tag
    assert lexed == "{{ a }} {% raw %}{{% endraw %}{% if b %}c{% endif %}"


def test_hugo_shortcodes(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text("title = 'V'\n[params]\neditor = 'Franz'\n")
    site = load_site(tmp_path)
    text = ("{{< param editor >}}/{{< param mood >}}\n"
            "{{< figure src=\"a.jpg\" title=\"T\" caption=\"C\" >}}\n"
            "{{< tweet user=\"SanDiegoZoo\" id=\"1453110110599868418\" >}}\n"
            "{{< x user=\"a\" id=\"2\" >}} {{< instagram BWNjjyYFxVx >}}\n"
            "{{% highlight go %}}\nfunc <T>(){{% /highlight %}}\n"
            "[r]({{< relref \"/posts/other.md\" >}}) {{</* figure */>}}\n"
            "{{< mine a=1 >}}inner{{< /mine >}}")
    expanded = shortcodes.render(text, "content/posts/here.md", {"mood": "calm"}, site)
    rendered, warnings = expanded.fill(expanded.text), expanded.warnings
    assert rendered.splitlines() == [
        "Franz/calm",
        '<figure><img src="a.jpg" alt="C"><figcaption><h4>T</h4><p>C</p></figcaption></figure>',
        '<p><a href="https://twitter.com/SanDiegoZoo/status/1453110110599868418">'
        'Post by @SanDiegoZoo</a></p>',
        '<p><a href="https://x.com/a/status/2">Post by @a</a></p> '
        '<p><a href="https://www.instagram.com/p/BWNjjyYFxVx/">Instagram post BWNjjyYFxVx</a></p>',
        '<pre><code class="language-go">func &lt;T&gt;()</code></pre>',
        "[r](./content-posts-other) {{< figure >}}",
        "inner",
    ]
    assert warnings == ["line 8: shortcode 'mine' is not one of Hugo's built-ins; removed, its content kept"]


def test_a_site_shortcode_runs_only_when_simple_and_inside_the_content_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside" / "layouts" / "shortcodes"
    outside.mkdir(parents=True)
    (outside / "secret.html").write_text("SECRET {{ .Inner }}")
    site_dir = tmp_path / "site"
    shortcodes_dir = site_dir / "layouts" / "shortcodes"
    shortcodes_dir.mkdir(parents=True)
    (site_dir / "hugo.toml").write_text("title = 'V'\ntheme = '../../outside'\n")
    (shortcodes_dir / "pages.html").write_text("{{ range .Site.Pages }}{{ .Title }}{{ end }}")
    (shortcodes_dir / "wrap.html").write_text("<b>{{- .Get 0 -}}</b> {{/* note */}}{{ .Inner }}")
    text = "{{< pages >}}x{{< /pages >}} {{< secret >}}y{{< /secret >}} {{< wrap \"a<\" >}}<i>z</i>{{< /wrap >}}"
    expanded = shortcodes.render(text, "content/p.md", {}, load_site(site_dir))
    assert expanded.fill(expanded.text) == "x y <b>a&lt;</b> <i>z</i>"
    assert [warning.split(":")[1] for warning in expanded.warnings] == [
        " shortcode 'pages' takes a way of its template only Hugo can run; removed, its content kept",  # .Site
        " shortcode 'secret' is not one of Hugo's built-ins; removed, its content kept"]


@pytest.mark.parametrize("enabled", [True, False])
def test_an_inline_shortcode_that_is_a_template_is_left_out(enabled: bool, tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text(f"title = 'V'\nenableInlineShortcodes = {str(enabled).lower()}\n")
    text = ("A {{< year.inline >}}{{ now.Year }}{{< /year.inline >}} B "
            "{{< fixed.inline >}}<em>kept</em>{{< /fixed.inline >}} C {{< year.inline />}} {{< fixed.inline />}}")
    expanded = shortcodes.render(text, "content/x.md", {}, load_site(tmp_path))
    rendered = expanded.fill(expanded.text)
    # Hugo writes nothing for inline shortcodes unless the site enables them; then it runs their
    # bodies as templates, which only Hugo can: a body with none is its own output.
    assert rendered == ("A  B <em>kept</em> C  <em>kept</em>" if enabled else "A  B  C  ")
    assert expanded.warnings == (["line 1: inline shortcode 'year.inline' is a Go template; left out"]
                                 if enabled else [])


@pytest.mark.parametrize(("text", "placeholders"), [
    ("{{<" * 300_000, 0), ("{{< a " * 100_000 + ">}}", 1), ('{{< a "' + "\\" * 300_000 + ">}}", 1),
])
def test_hostile_shortcodes(text: str, placeholders: int) -> None:
    """Openers never closed stay text; one long tag is one shortcode (time: bench/hostile.py's hugo-*)."""
    expanded = shortcodes.render(text, "x.md", {}, Site())
    assert len(expanded.fills) == placeholders
    if placeholders:
        assert "{{<" not in expanded.text
    else:
        assert expanded.text == text


@pytest.mark.parametrize(("text", "made"), [
    ("```go {" + "a=[," * 30_000 + "}\nx\n```\n", "<code"),
    ("```go {linenos=table}\nx\n```\n" * 5_000, "<table>"),
    ("{{< highlight go \"" + "linenos" * 100_000 + "\" >}}x{{< /highlight >}}", "<code"),
    ("see http://a.example/" + ")" * 30_000 + " " + "www.a" * 100_000 + " " + "a.b@" * 100_000
     + "&quot" * 50_000, '<a href="http://a.example/">'),
    ("Term\n" + ": definition\n" * 50_000 + "## Heading {#" + "." * 200_000 + "\n", "<dd>"),
])
def test_hostile_hugo_markdown_is_read(text: str, made: str, tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text("title = 'V'\n[markup.highlight]\nlineNos = true\n")
    (tmp_path / "content").mkdir()
    article = read_article("content/code.md", f"---\ntitle: Code\n---\n{text}".encode(), load_site(tmp_path))
    assert made in article.body_html  # and in linear time: bench/hostile.py's hugo-* shapes


def test_code_in_a_hugo_site_keeps_go_templates_and_escaped_shortcodes(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text("title = 'V'\n")
    (tmp_path / "content").mkdir()
    text = "---\ntitle: Code\n---\n```\n{{ .Title }} {{</* youtube x */>}}\n```\n"
    article = read_article("content/code.md", text.encode(), load_site(tmp_path))
    assert "{{ .Title }} {{&lt; youtube x &gt;}}" in article.body_html


def test_a_site_configuration_added_changed_or_removed_is_seen(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    old = time.time() - 60
    for folder in (tmp_path, content):  # folders unchanged for a while: their lookups are kept
        os.utime(folder, (old, old))
    assert load_site(content).kind == ""
    (tmp_path / "hugo.toml").write_text('title = "One"\n')
    assert load_site(content).settings["title"] == "One"
    os.utime(tmp_path, (old + 1, old + 1))
    (tmp_path / "hugo.toml").write_text('title = "Two, longer"\n')
    assert load_site(content).settings["title"] == "Two, longer"
    (tmp_path / "hugo.toml").unlink()
    assert load_site(content).kind == ""
    (tmp_path / "config" / "_default").mkdir(parents=True)
    (tmp_path / "config" / "_default" / "params.yaml").write_text("description: From the folder\n")
    assert load_site(content).settings == {"subtitle": "From the folder"}


def test_a_site_shortcode_with_logic_runs_each_use_as_hugo_would(tmp_path: Path) -> None:
    shortcodes_dir = tmp_path / "layouts" / "shortcodes"
    shortcodes_dir.mkdir(parents=True)
    (tmp_path / "hugo.toml").write_text("title = 'V'\n")
    (shortcodes_dir / "pick.html").write_text(
        '{{ $v := .Get 0 | default "none" }}{{ if eq $v "bad" }}{{ errorf "pick: %s" $v }}{{ end }}'
        '<!-- {{ range .Params }} --><b>{{ printf "%s/%d" $v 7 }}</b>{{ with .Get "x" }}[{{ . }}]{{ end }}'
        '{{ if .Get "hide" }}{{ else }}{{ .Inner }}{{ end }}')
    text = ('{{< pick a x="<y>" >}}one{{< /pick >}} {{< pick bad >}}two{{< /pick >}} '
            '{{< pick c hide=1 >}}three{{< /pick >}} {{< pick >}}four{{< /pick >}}')
    expanded = shortcodes.render(text, "content/p.md", {}, load_site(tmp_path))
    assert expanded.fill(expanded.text) == "<b>a/7</b>[&lt;y&gt;]one two <b>c/7</b> <b>none/7</b>four"
    assert [warning.split(":")[1] for warning in expanded.warnings] == [
        " shortcode 'pick' takes a way of its template only Hugo can run; removed, its content kept"]


# What Hugo 0.111's relURL and absURL write for each path, of a site under a folder and of one at its root.
HUGO_ADDRESSES = [
    ("/p/q/", "/p/q/", "https://e.org/p/q/", "/p/q/", "https://e.org/p/q/"),
    ("p/q", "/blog/p/q", "https://e.org/blog/p/q", "/p/q", "https://e.org/p/q"),
    ("https://other.org/x", "https://other.org/x", "https://other.org/x", "https://other.org/x",
     "https://other.org/x"),
    ("", "/blog/", "https://e.org/blog/", "/", "https://e.org/"),
    ("https://e.org/blog/z", "/blog/z", "https://e.org/blog/z", "/blog/z", "https://e.org/blog/z"),
    ("//cdn.org/x", "//cdn.org/x", "//cdn.org/x", "//cdn.org/x", "//cdn.org/x"),
    ("../up", "/up", "https://e.org/up", "/up", "https://e.org/up"),
    ("#frag", "/blog/#frag", "https://e.org/blog", "/#frag", "https://e.org/"),
]


@pytest.mark.parametrize(("path", "rel_in_folder", "abs_in_folder", "rel_at_root", "abs_at_root"), HUGO_ADDRESSES)
def test_site_shortcodes_make_addresses_as_hugo_does(path: str, rel_in_folder: str, abs_in_folder: str,
                                                     rel_at_root: str, abs_at_root: str) -> None:
    assert (go_urls.rel_url(path, "https://e.org/blog/"), go_urls.abs_url(path, "https://e.org/blog/")) == (
        rel_in_folder, abs_in_folder)
    assert (go_urls.rel_url(path, "https://e.org/"), go_urls.abs_url(path, "https://e.org/")) == (
        rel_at_root, abs_at_root)


def test_a_page_of_more_shortcodes_than_the_limit_is_refused_by_name(tmp_path: Path) -> None:
    site = hugo_site(tmp_path)
    at_limit = "{{< youtube a >}} " * shortcodes.MAX_SHORTCODES
    article = read_article("content/many.md", f"---\ntitle: Many\n---\n{at_limit}".encode(), site)
    assert article.body_html.count("youtube.com") == shortcodes.MAX_SHORTCODES
    with pytest.raises(ReadError, match="more than 5,000 shortcodes"):
        read_article("content/many.md", f"---\ntitle: Many\n---\n{at_limit}{{{{< youtube b >}}}}".encode(), site)


def test_a_page_whose_shortcodes_write_more_than_the_limit_is_refused(tmp_path: Path) -> None:
    """A use may write 64 KB: 5,000 of them writing their argument three times took 1.5 s to read."""
    site = hugo_site(tmp_path, echo="{{ .Get 0 }}{{ .Get 0 }}")
    word = "w" * 1000
    uses = shortcodes.MAX_PAGE_WRITTEN // 2100  # 2,000 characters a use: 4.0 MB in all
    use = "{{< echo " + word + " >}} "
    article = read_article("content/echo.md", f"---\ntitle: E\n---\n{use * uses}".encode(), site)
    assert article.body_html.count(word) == 2 * uses
    with pytest.raises(ReadError, match="its shortcodes write more than 4,194,304 characters"):
        read_article("content/echo.md", f"---\ntitle: E\n---\n{use * (uses + 200)}".encode(), site)


def test_replace_re_expands_as_go_and_leaves_long_work_to_hugo(tmp_path: Path) -> None:
    """replaceRE's `$1`, `${name}`, `$1x` (the group "1x": none), `$$`; a limit; over MAX_FINDS
    matches the use is one only Hugo runs (its shortcode then left as feedsvc leaves those)."""
    site = hugo_site(tmp_path, swap='{{ replaceRE `(?P<user>\\w+)@(\\w+)` "$2:${user}:$1x:$$" (.Get 0) }}',
                     first='{{ replaceRE "o" "0" (.Get 0) 2 }}', every='{{ replaceRE "a" "b" (.Get 0) }}')
    page = "{{< swap \"ana@quay\" >}} {{< first \"oboe moor\" >}}\n\n{{< every \"%s\" >}}"
    article = read_article("content/r.md", f"---\ntitle: R\n---\n{page % ('a' * 1000)}".encode(), site)
    assert "quay:ana::$ 0b0e moor" in article.body_html and "b" * 1000 in article.body_html
    article = read_article("content/r.md", f"---\ntitle: R\n---\n{page % ('a' * 1001)}".encode(), site)
    assert "b" * 1000 not in article.body_html


def test_shortcodes_nested_deeper_than_the_limit_are_refused(tmp_path: Path) -> None:
    """Each level of nesting is a level of filling in (and of Python's stack): bounded."""
    site = hugo_site(tmp_path, "title = 'V'\n[markup.goldmark.renderer]\nunsafe = true\n",
                     box="<div>{{ .Inner | markdownify }}</div>")
    depth = shortcodes.MAX_NESTED
    at_limit = "{{< box >}}" * depth + "*deep*" + "{{< /box >}}" * depth
    article = read_article("content/deep.md", f"---\ntitle: Deep\n---\n{at_limit}".encode(), site)
    assert article.body_html.count("<div>") == depth and "<em>deep</em>" in article.body_html
    with pytest.raises(ReadError, match=f"nested more than {depth} deep"):
        deeper = "{{< box >}}" + at_limit + "{{< /box >}}"
        read_article("content/deep.md", f"---\ntitle: Deep\n---\n{deeper}".encode(), site)


def test_placeholders_never_meet_the_text_they_stand_in() -> None:
    """A page may hold anything, the placeholder prefix itself among it."""
    text = "FEEDSVCSHORTCODE" + "X" * 50 + " {{< youtube a >}} FEEDSVCSHORTCODE0Z"
    expanded = shortcodes.render(text, "x.md", {}, Site())
    assert "FEEDSVCSHORTCODE0Z" in expanded.fill(expanded.text)
    assert "youtube.com" in expanded.fill(expanded.text)


def test_a_jekyll_data_file_edited_makes_its_posts_read_again(tmp_path: Path) -> None:
    """site.data is configuration to the posts' Liquid: editing only _data/ republishes them."""
    (tmp_path / "_config.yml").write_text("title: Quay\n")
    (tmp_path / "_data").mkdir()
    (tmp_path / "_data" / "ferry.yml").write_text("fare: 3 crowns\n")
    (tmp_path / "_posts").mkdir()
    post = tmp_path / "_posts" / "2024-02-03-fares.md"
    post.write_text("---\ntitle: Fares\n---\n\nThe fare is {{ site.data.ferry.fare }}.\n")
    age(tmp_path / "_config.yml", post, tmp_path / "_posts", tmp_path)
    settings = load_settings(overrides={"content_dir": tmp_path, "database": tmp_path.parent / "c.db"},
                             environ={})

    def published() -> str:
        store = Store(settings.database)
        try:
            return " ".join(entry.content_html for entry in store.entries())
        finally:
            store.close()

    scan_once(settings)
    assert "The fare is 3 crowns." in published()
    (tmp_path / "_data" / "ferry.yml").write_text("fare: 4 crowns, from March\n")
    report = scan_once(settings)
    assert report.read == 1
    assert "The fare is 4 crowns, from March." in published()


def _published(settings) -> str:
    store = Store(settings.database)
    try:
        return " ".join(entry.content_html for entry in store.entries())
    finally:
        store.close()


# (site files, the post, the template edited, its text before and after, what the post shows
# before and after): each a template the page is written with, not its configuration
EDITED_TEMPLATES = {
    "jekyll include": (
        {"_config.yml": "title: Quay\n"},
        ("_posts/2024-02-03-fares.md", "---\ntitle: Fares\n---\n\nFares: {% include fare.html %}\n"),
        "_includes/fare.html", "three crowns", "four crowns"),
    "hugo shortcode": (
        {"hugo.toml": "title = 'Valley'\n"},
        ("content/posts/fares.md", "---\ntitle: Fares\ndate: 2024-02-03\n---\n\nFares: {{< fare >}}\n"),
        "layouts/shortcodes/fare.html", "three crowns", "four crowns"),
    "hugo theme shortcode": (
        {"hugo.toml": "title = 'Valley'\ntheme = 'harbour'\n"},
        ("content/posts/fares.md", "---\ntitle: Fares\ndate: 2024-02-03\n---\n\nFares: {{< fare >}}\n"),
        "themes/harbour/layouts/shortcodes/fare.html", "three crowns", "four crowns"),
    "hugo translation": (
        {"hugo.toml": "title = 'Valley'\n", "layouts/shortcodes/fare.html": "{{ T \"fare\" }}"},
        ("content/posts/fares.md", "---\ntitle: Fares\ndate: 2024-02-03\n---\n\nFares: {{< fare >}}\n"),
        "i18n/en.toml", "fare = 'three crowns'\n", "fare = 'four crowns'\n"),
}


@pytest.mark.parametrize("case", EDITED_TEMPLATES)
def test_a_template_edited_makes_the_pages_read_again(tmp_path: Path, case: str) -> None:
    """An include, a shortcode's template (the site's or its theme's) or a translation is
    what a page is written with: editing only it republishes the pages, no restart needed."""
    files, (post, text), template, before, after = EDITED_TEMPLATES[case]
    site = tmp_path / "site"
    for name, body in {**files, post: text, template: before}.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(body)
    age(*site.rglob("*"), site)
    settings = load_settings(overrides={"content_dir": site, "database": tmp_path / "c.db"}, environ={})
    scan_once(settings)
    assert "Fares: three crowns" in _published(settings)
    (site / template).write_text(after)
    report = scan_once(settings)
    assert report.read == 1
    assert "Fares: four crowns" in _published(settings)


def test_a_hugo_data_file_edited_makes_pages_read_again(tmp_path: Path) -> None:
    """A site shortcode reading .Site.Data: the data folder counts in the site's fingerprint."""
    (tmp_path / "hugo.toml").write_text("title = 'Quay'\n")
    (tmp_path / "layouts" / "shortcodes").mkdir(parents=True)
    (tmp_path / "layouts" / "shortcodes" / "seats.html").write_text("{{ .Site.Data.boats.heron.seats }} seats")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "boats.yaml").write_text("heron:\n  seats: 12\n")
    (tmp_path / "content" / "posts").mkdir(parents=True)
    post = tmp_path / "content" / "posts" / "fleet.md"
    post.write_text("---\ntitle: Fleet\ndate: 2024-02-03\n---\n\nThe Heron has {{< seats >}}.\n")
    age(tmp_path / "hugo.toml", post, tmp_path / "content" / "posts", tmp_path)
    settings = load_settings(overrides={"content_dir": tmp_path, "database": tmp_path.parent / "c.db"},
                             environ={})
    scan_once(settings)
    assert "The Heron has 12 seats." in _published(settings)
    (tmp_path / "data" / "boats.yaml").write_text("heron:\n  seats: 16\n")
    assert scan_once(settings).read == 1
    assert "The Heron has 16 seats." in _published(settings)


def test_a_hugo_data_folder_named_outside_the_site_is_the_default(tmp_path: Path) -> None:
    from feedsvc.readers.hugo_config import data_folder
    assert data_folder(tmp_path, {"dataDir": "shared/data"}) == tmp_path / "shared" / "data"
    for outside in ("/etc", "../elsewhere", "data/../../up"):
        assert data_folder(tmp_path, {"dataDir": outside}) == tmp_path / "data"


def test_a_link_hook_writes_its_text_escaped_only_when_written_as_it_is() -> None:
    """`{{ .Text }}`, or a variable set to it once and written bare: Hugo 0.111 escapes it;
    through safeHTML, or a variable set again (to what, only Hugo knows), it is left alone."""
    assert writes_text_escaped('<a href="{{ .Destination }}">{{ .Text }}</a>')
    assert writes_text_escaped('{{- $text := .Text -}}<a href="{{ .Destination }}">{{- $text -}}</a>')
    assert not writes_text_escaped('{{ $text := .Text }}<a href="{{ .Destination }}">{{ $text | safeHTML }}</a>')
    assert not writes_text_escaped('{{ $t := .Text }}{{ $t = printf "%s!" $t }}<a>{{ $t }}</a>')
    assert not writes_text_escaped('<a href="{{ .Destination }}">{{ .Text | safeHTML }}</a>')


def test_hugo_append_delimit_and_slice_comparisons() -> None:
    assert FUNCTIONS["append"]("c", ["a", "b"]) == ["a", "b", "c"]
    assert FUNCTIONS["append"](["c", "d"], ["a"]) == ["a", "c", "d"]  # a list's items
    assert FUNCTIONS["append"]("c", "d", ["a"]) == ["a", "c", "d"]
    assert FUNCTIONS["delimit"](["a", "b", "c"], ", ", " and ") == "a, b and c"
    assert FUNCTIONS["delimit"]({"b": 2, "a": 1}, "-") == "1-2"  # a map's values, by key
    assert FUNCTIONS["gt"](["a", "b"], 1) and not FUNCTIONS["gt"](["a"], 1)  # a list's length
    for call in (lambda: FUNCTIONS["append"]("a", "b"), lambda: FUNCTIONS["delimit"]("ab", ",")):
        with pytest.raises(Unsupported):
            call()


def test_replace_re_that_would_write_too_much_is_left_to_hugo() -> None:
    """`$0` written many times multiplies the text: past MAX_REPLACED characters, Hugo's to run."""
    from feedsvc.readers.go_regex import MAX_REPLACED, replace_all

    assert replace_all("a", "$0$0", "a" * 1000) == "a" * 2000
    assert replace_all("a", "$0" * 400, "a" * (MAX_REPLACED // 399)) is None


def test_a_code_block_hook_is_run_only_when_its_actions_are_known() -> None:
    from feedsvc.readers.hugo_code_hooks import parse

    raw = parse('<div class="mermaid">{{- .Inner | safeHTML }}</div>{{ .Page.Store.Set "mermaid" true }}')
    assert raw is not None and raw.written("a<br/>b", "mermaid") == '<div class="mermaid">a<br/>b</div>'
    escaped = parse('<pre data-lang="{{ .Type }}">{{ htmlEscape .Inner | safeHTML }}</pre>{{/* a note */}}')
    assert escaped is not None and escaped.written("x < y", "dot") == '<pre data-lang="dot">x &lt; y</pre>'
    bare = parse("<pre>{{ .Inner | chomp }}</pre>")  # a string written bare is escaped
    assert bare is not None and bare.written("a & b\n", "abc") == "<pre>a &amp; b</pre>"
    for template in ("{{ transform.Highlight .Inner .Type }}", "{{ if .Attributes.x }}{{ end }}",
                     "{{ .Inner | markdownify }}", "<pre>{{ .Inner </pre>"):
        assert parse(template) is None  # Hugo's to run: the block stays as feedsvc writes it


def test_what_a_code_block_hook_writes_gets_no_links_and_no_angle_quotes() -> None:
    from feedsvc.readers.goldmark import angle_quotes, linkify
    from feedsvc.readers.hugo_code_hooks import HOOKED

    hooked = f'<p>see www.a.org</p>{HOOKED[0]}<div class="mermaid">A-&gt;&gt;B www.b.org</div>{HOOKED[1]}'
    linked = angle_quotes(linkify(hooked, "https"), left=False, right=True)
    assert linked == hooked.replace("www.a.org", '<a href="https://www.a.org">www.a.org</a>')


def test_trim_and_chomp_of_the_inner_text_cut_it_in_turn() -> None:
    from feedsvc.readers.go_functions import Inner

    trimmed = FUNCTIONS["chomp"](FUNCTIONS["trim"](Inner("html"), "\n "))
    assert trimmed.mode == "html" and trimmed.cut("\n x \n\r\n") == "x "  # in turn: "\r" stops trim
    assert FUNCTIONS["string"](trimmed).cut(" y\n") == "y"  # the cuts go with it
    assert FUNCTIONS["trim"]("--a--", "-") == "a" and FUNCTIONS["chomp"]("b\r\n") == "b"
    with pytest.raises(Unsupported):
        FUNCTIONS["trim"]("\n", Inner("html"))  # `.Inner | trim "\n"`: the enclosed text as the cutset


def test_a_link_hook_spaces_its_anchor_only_when_nothing_beside_it_shows_text() -> None:
    from feedsvc.readers.hugo_render_hooks import around

    icon = '<a href="{{ .Destination }}">{{ .Text }}</a>\n{{ if .Title }}<span><svg><path /></svg></span>{{ end }}\n'
    assert around(icon) == ("", "\n\n")
    assert around('{{/* x */}}\n<a href="{{ .Destination }}">{{ .Text }}</a>') == ("\n", "")
    assert around('<a href="{{ .Destination }}">{{ .Text }}</a>\n<sup>ext</sup>') == ("", "")  # text beside
    assert around("<span>{{ .Text }}</span>\n") == ("", "")  # no anchor
    assert around('<abbr title="x">y</abbr><a href="{{ .Destination }}">{{ .Text }}</a>\n') == ("", "")  # text beside
    assert around('<img src="{{ .Destination }}" />\n', "<img", ">") == ("", "\n")  # an image hook
    assert around('<figure><img src="{{ .Destination }}"></figure>\n', "<img", ">") == ("", "")


def test_a_shortcode_reads_only_files_inside_the_site(tmp_path: Path) -> None:
    from feedsvc.readers import go_files

    (tmp_path / "config.toml").write_text('baseURL = "https://x.example/"\n')
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "a.go").write_text("package a\n")
    (tmp_path.parent / "outside.txt").write_text("secret\n")
    functions = go_files.functions(load_site(tmp_path))
    assert functions["readFile"]("code/a.go") == "package a\n" and functions["fileExists"]("code/a.go")
    assert not functions["fileExists"]("code/b.go")
    for name in ("../outside.txt", "/../outside.txt", "code/b.go", ""):
        with pytest.raises(Unsupported):
            functions["readFile"](name)
    assert [functions["path.Base"](path) for path in ("a/b.go", "a/b/", "", "/")] == ["b.go", "b", ".", "/"]


def test_highlighted_file_code_passed_to_a_function_is_left_to_hugo(tmp_path: Path) -> None:
    """`highlight` of a read file is written as code only as the shortcode's own output; passed
    on (`| safeHTML`, printf) it is left to Hugo, never written as Python's view of the value."""
    shortcodes_dir = tmp_path / "layouts" / "shortcodes"
    shortcodes_dir.mkdir(parents=True)
    (tmp_path / "content" / "code").mkdir(parents=True)
    (tmp_path / "content" / "code" / "a.go").write_text("package main\n")
    (tmp_path / "hugo.toml").write_text("title = 'V'\n")
    (shortcodes_dir / "src.html").write_text('{{ highlight (readFile (.Get 0)) "go" "" | safeHTML }}')
    (shortcodes_dir / "fmt.html").write_text('{{ printf "%s" (highlight (readFile (.Get 0)) "go" "") }}')
    text = '{{< src "content/code/a.go" >}} {{< fmt "content/code/a.go" >}}'
    expanded = shortcodes.render(text, "content/p.md", {}, load_site(tmp_path))
    written = expanded.fill(expanded.text)
    assert "Code(" not in written and "package main" not in written
    assert len(expanded.warnings) == 2 and all("only Hugo can run" in warning for warning in expanded.warnings)


def test_include_code_arguments_are_read_in_the_plugins_order() -> None:
    from feedsvc.readers.pelican_include_code import parsed

    def read(markup: str) -> tuple[str, dict[str, str], str]:
        include = parsed(markup)
        assert include is not None
        return include.src, include.options, include.title

    assert read(" a/b.py ") == ("a/b.py", {}, "")
    assert read("b.py lang:python lines:2-4 :hidelink: My  title ") == (
        "b.py", {"lang:": "python", "lines:": "2-4", ":hidelink:": ":hidelink:"}, "My  title")
    assert read("b.py :hideall: codec:latin-1") == ("b.py", {":hideall:": ":hideall:", "codec:": "latin-1"}, "")
    # out of order, or not the option's form: the title's words
    assert read("b.py :hidelink: lang:sh") == ("b.py", {":hidelink:": ":hidelink:"}, "lang:sh")
    assert read("b.py lines:x-2 Notes") == ("b.py", {}, "lines:x-2 Notes")
    assert parsed("  ") is None


def pelican_site(tmp_path: Path) -> Site:
    (tmp_path / "pelicanconf.py").write_text('SITEURL = "https://shed.example"\nPATH = "content"\n'
                                             'PLUGINS = ["liquid_tags"]\nLIQUID_TAGS = ["include_code", "img"]\n')
    (tmp_path / "content" / "code").mkdir(parents=True)
    (tmp_path / "content" / "code" / "a.sh").write_text("echo one\r\necho <two>\necho three\n")
    return load_site(tmp_path)


def test_include_code_writes_the_file_as_the_plugin_does(tmp_path: Path) -> None:
    site = pelican_site(tmp_path)
    text = ("Title: T\nDate: 2020-01-01\n\nSee {% include_code a.sh lines:2-3 Run it %} and {% img x.png %}.\n"
            "{% include_code a.sh :hideall: %}\n")
    article = read_article("content/t.md", text.encode(), site)
    html = article.body_html
    assert "{%" not in html and article.warnings == ("line 4: liquid tag 'img' of the liquid_tags plugin is not rendered here; removed",)
    assert ("<figure class='code'>\n<figcaption><span class=\"liquid-tags-code-title\">Run it</span>"
            "<span class=\"liquid-tags-code-filename\">a.sh</span><span class=\"liquid-tags-code-lines\">"
            "[Lines 2-3]</span><a href='/code/a.sh'>download</a></figcaption>") in html
    assert "<pre><code>echo &lt;two&gt;\necho three\n</code></pre>" in html  # line 1 left out
    assert "<pre><code>echo one\necho &lt;two&gt;\necho three\n</code></pre>" in html  # \r\n read as \n
    assert html.count("<figure class='code'>") == 2 and html.count("</figure>") == 2
    assert html.count("<figcaption>") == 1  # :hideall:


def test_include_code_refuses_files_outside_the_content_folder_and_bad_tags(tmp_path: Path) -> None:
    site = pelican_site(tmp_path)
    (tmp_path.parent / "outside.txt").write_text("secret\n")  # the content folder is tmp_path
    (tmp_path / "content" / "code" / "big.txt").write_text("x" * (256 * 1024 + 1))
    (tmp_path / "content" / "code" / "out.txt").symlink_to(tmp_path.parent / "outside.txt")
    tags = ["../../../outside.txt", "/etc/passwd", "out.txt", "none.sh", "big.txt", "a.sh lines:7-9",
            "a.sh :hidefilename:", "a.sh codec:rot13"]
    text = "Title: T\nDate: 2020-01-01\n\n" + "\n\n".join(f"{{% include_code {tag} %}}" for tag in tags)
    article = read_article("content/t.md", text.encode(), site)
    assert "secret" not in article.body_html and "root:" not in article.body_html
    assert "{%" not in article.body_html and "<figure" not in article.body_html
    assert [warning.split(":")[0] for warning in article.warnings] == [f"line {4 + 2 * n}" for n in range(8)]
    assert "outside the content folder" in article.warnings[0] and "cannot be read" in article.warnings[3]
    assert "over 262,144 bytes" in article.warnings[4] and "lines 7-9" in article.warnings[5]
    assert all(warning.endswith("; removed") for warning in article.warnings)


def test_warnings_name_the_files_line_past_the_front_matter(tmp_path: Path) -> None:
    text = "---\ntitle: A\ndate: 2020-01-01\n---\n\nline six\n{% gallery %}x {{< unknown >}}\n"
    (tmp_path / "j").mkdir()
    (tmp_path / "h").mkdir()
    jekyll = read_article("_posts/2020-01-01-a.md", text.encode(), jekyll_site(tmp_path / "j"))
    hugo = read_article("content/a.md", text.encode(), hugo_site(tmp_path / "h"))
    assert jekyll.warnings[0] == "line 7: unknown Liquid tag 'gallery' removed, its content kept"
    assert [warning.split(":")[0] for warning in hugo.warnings] == ["line 7"]


def test_include_code_writes_at_most_its_share_of_code_in_one_article(tmp_path: Path) -> None:
    site = pelican_site(tmp_path)
    (tmp_path / "content" / "code" / "half.txt").write_text("y = 1\n" * 25_000)  # 150,000 characters
    text = "Title: T\nDate: 2020-01-01\n\n{% include_code half.txt %}\n\n{% include_code half.txt %}\n"
    article = read_article("content/t.md", text.encode(), site)
    assert article.body_html.count("<figure class='code'>") == 1 and article.body_html.count("y = 1") == 25_000
    assert article.warnings == ("line 6: include_code of the liquid_tags plugin: more than 262,144 characters "
                                "of code in one article; removed",)


def test_the_pages_scratch_pads_are_set_but_not_read_by_a_shortcode() -> None:
    from feedsvc.readers.go_scratch import scratch

    pad: dict[str, object] = {}
    assert scratch(".Page.Scratch.Set", ["mermaid", True], pad) == "" and pad == {}
    assert scratch(".Page.Store.Add", ["count", 1], pad) == ""
    assert scratch(".Scratch.Set", ["k", "v"], pad) == "" and scratch(".Scratch.Get", ["k"], pad) == "v"
    with pytest.raises(Unsupported):  # what other uses and the page's templates set: Hugo's to read
        scratch(".Page.Scratch.Get", ["mermaid"], pad)


def test_a_named_argument_is_read_as_a_field_of_params() -> None:
    from feedsvc.readers.go_functions import shortcode_params

    named = {"code": "P-1", "label": "paper"}
    assert shortcode_params(named, ".Params.label") == "paper"
    assert shortcode_params(named, ".Params.note") is None  # a key the map lacks: nil
    assert shortcode_params(named, ".IsNamedParams") is True and shortcode_params({"0": "a"}, ".Params") == ["a"]
    with pytest.raises(Unsupported):  # no named arguments: Hugo stops at the field of nothing
        shortcode_params({}, ".Params.note")


def test_lax_outputs_start_with_a_literal_or_nothing() -> None:
    assert liquid._lax_outputs('a {{1 + 1}} b {{ "x" y }} c {{7*7}} d {{<%[%\'"}}') == 'a {{ 1 }} b {{ "x" }} c  d '
    assert liquid_syntax.strip_template_syntax("p {{1 + 1}} q") == "p  q"  # a nameless output is one too
