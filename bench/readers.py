"""Read and normalize time per article, for each format, on real-shaped inputs.

    .venv/bin/python bench/readers.py [--repeat 15]

Formats: a saved news page of about 200 KB (bench/pages.py), a Jekyll post with Liquid, a
Hugo post with shortcodes, a Pelican reStructuredText article, a plain Markdown article.
Each figure is the best of --repeat runs of read_article + normalize for one file. The
baseline, measured in the same run, is BeautifulSoup(page, "html.parser") alone: parsing
the page, which feedsvc's reader did before it was rebuilt on lxml.

Target: reading and normalizing the page takes no longer than that parse alone.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import timeit
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pages import news_page, paragraph  # noqa: E402

from feedsvc.config import load_settings  # noqa: E402
from feedsvc.normalize import normalize  # noqa: E402
from feedsvc.readers import read_article  # noqa: E402
from feedsvc.readers.site import load_site  # noqa: E402

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def posts(rng_seed: int = 2) -> dict[str, tuple[str, str, str]]:
    """(site config file, its text, post path, post text) per format."""
    import random

    rng = random.Random(rng_seed)
    body = "\n\n".join(paragraph(rng) for _ in range(12))
    return {
        "jekyll_liquid": ("_config.yml", "title: Quay\nurl: https://quay.example\n", "_posts/2024-01-02-a.md",
                          "---\ntitle: Liquid\ntags: [a, b]\n---\n"
                          "{{ site.title }} {{ page.title }}\n\n" + body
                          + "\n\n{% highlight python %}\nprint(1)\n{% endhighlight %}\n"
                          "{% for tag in page.tags %}- {{ tag }}\n{% endfor %}"),
        "hugo_shortcodes": ("hugo.toml", "title = 'Valley'\n[params]\neditor = 'F'\n", "content/posts/a.md",
                            "---\ntitle: Shortcodes\ndate: 2024-01-02\n---\n{{< param editor >}}\n\n" + body
                            + '\n\n{{< figure src="a.jpg" caption="C" >}}\n{{< youtube abc >}}\n'
                            "{{< highlight go >}}\nfunc main() {}\n{{< /highlight >}}\n"),
        "pelican_rst": ("pelicanconf.py", "PATH = 'content'\nTIMEZONE = 'UTC'\n", "content/a.rst",
                        "The title\n#########\n\n:date: 2024-01-02\n:tags: a, b\n\n"
                        + body.replace("\n\n", "\n\n*Emphasis* and ``code``.\n\n")),
        "markdown": ("", "", "a.md", "---\ntitle: Plain\ndate: 2024-01-02\n---\n" + body),
    }


def best(function, repeat: int) -> float:
    function()
    return min(timeit.repeat(function, number=1, repeat=repeat))


def time_read(folder: Path, path: str, text: str, repeat: int) -> float:
    settings = load_settings(overrides={"content_dir": folder, "database": folder / "x.db"}, environ={})
    site = load_site(folder)
    data = text.encode()

    def run() -> None:
        article = read_article(path, data, site)
        normalize(article, data, settings, None, NOW)

    return best(run, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    from bs4 import BeautifulSoup

    page = news_page()
    with tempfile.TemporaryDirectory() as temporary:
        for name, (config, config_text, path, text) in posts().items():
            folder = Path(temporary) / name
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            if config:
                (folder / config).write_text(config_text)
            print(f"{name:16} {time_read(folder, path, text, args.repeat) * 1000:8.2f} ms per article")
        folder = Path(temporary) / "page"
        folder.mkdir()
        ours = time_read(folder, "story.html", page, args.repeat)
    baseline = best(lambda: BeautifulSoup(page, "html.parser"), args.repeat)
    print(f"{'html_page':16} {ours * 1000:8.2f} ms per article ({len(page) // 1000} KB)")
    print(f"{'bs4 html.parser':16} {baseline * 1000:8.2f} ms to parse the same page")
    print(f"RESULT html_reader ratio={ours / baseline:.3f} target=<=1")


if __name__ == "__main__":
    main()
