"""Record what Jekyll, Hugo and Pelican publish for the fixture sites in tests/data/sites/.

    .venv/bin/python scripts/record_sites.py [SITE_FOLDER ...] [--out FOLDER]

Each site is copied to a temporary folder, given one extra template that writes every post
the tool publishes as JSON (the tool's own feed would hold the same posts), and built with
the real tool: `jekyll` and `hugo` (Debian packages), Pelican from PyPI in its own virtual
environment (.venv-pelican, created on first use, with Markdown and pelican-liquid-tags).
The result is written beside the site as <site>.expected.json: per source file, the title,
the date to the minute in UTC, the topics and the body as plain text. The test suite
compares feedsvc with these recordings and never needs the tools. Pointed at another site (a
clone of a public blog), it writes the recording to --out instead, for
scripts/compare_site.py.

A clone often lacks what its site was built with: a shortcode of a theme that is a Git
submodule is given one that writes what it encloses as Markdown (or nothing, when used
unclosed), and hugo is run again without enableGitInfo, or ignoring the offline embeds'
fetch errors, or its error about `taxonomy` in disableKinds, when it asks for that; each is
printed. Hugo records every language's pages.
Name the recordings apart with --out when two sites' folders share a name (`docs`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from feedsvc.normalize import html_to_text  # noqa: E402
from feedsvc.readers import hugo_config  # noqa: E402
from feedsvc.readers.config_files import parse_config  # noqa: E402
from feedsvc.readers.site import find_config  # noqa: E402

SITES = ROOT / "tests" / "data" / "sites"
PELICAN_VENV = ROOT / ".venv-pelican"

JEKYLL_DUMP = """---
layout: null
permalink: /feedsvc-dump.json
---
{% assign none = "" | split: "," %}[{% for post in site.posts %}{% assign tags = post.tags | default: none %}{"path": {{ post.path | jsonify }}, "title": {{ post.title | jsonify }},
"date": {{ post.date | date: "%Y-%m-%dT%H:%M:%S%z" | jsonify }},
"topics": {{ post.categories | default: none | concat: tags | jsonify }},
"content": {{ post.content | jsonify }}}{% unless forloop.last %},{% endunless %}{% endfor %}]
"""
# Every regular page Hugo publishes, in every language (each language's home feed holds its
# own), with every taxonomy's terms; paths are the files' own, made relative to the site below.
HUGO_DUMP = """[{{ $first := true }}{{ range .Sites }}{{ range $p := .RegularPages }}\
{{ if not $first }},{{ end }}{{ $first = false }}
{"path": {{ $p.File.Filename | jsonify }}, "title": {{ $p.Title | jsonify }},
"date": {{ $p.Date.Format "2006-01-02T15:04:05-0700" | jsonify }},
"topics": [{{ $none := true }}{{ range $plural, $_ := $p.Site.Taxonomies }}{{ range $p.GetTerms $plural }}\
{{ if not $none }},{{ end }}{{ $none = false }}{{ .Title | jsonify }}{{ end }}{{ end }}],
"content": {{ $p.Content | jsonify }}}{{ end }}{{ end }}]
"""
# A shortcode the site uses but does not ship (its theme is a submodule or module the copy
# lacks): given one that keeps what it encloses, as feedsvc does with shortcodes it cannot run.
MISSING_SHORTCODE = re.compile(r'template for shortcode "([\w./-]+)" not found')
# Such a shortcode used without a closing tag: Hugo wants one from a template that reads .Inner.
UNCLOSED_SHORTCODE = re.compile(r'shortcode "([\w./-]+)" must be closed or self-closed')
# A site's own shortcode that fails in the copy (an image resource it lacks, say), or that this
# hugo cannot parse (a function of a newer Hugo, `try`): given a stub too.
FAILED_SHORTCODE = re.compile(r'layouts/shortcodes/([\w./-]+)\.html:\d+:\d+": (?:execute of template|parse) failed')
# Hugo 0.111's instagram shortcode needs an access token and the network; offline it fails
# the build. It is given one that writes nothing (feedsvc links to the post instead).
OFFLINE_SHORTCODE = re.compile(r"(instagram) shortcode: Missing config value")
# Built again with a setting when Hugo says this: enableGitInfo in a copy that is no Git
# repository (it only sets lastmod); embeds whose data Hugo 0.111 fetches (vimeo_simple,
# tweet), which fail offline and are then left empty; output formats of an older Hugo;
# `taxonomy` in disableKinds, which Hugo 0.111 logs as an error (the meaning changed in 0.73).
RETRY_WITH = {"Failed to read Git log": ("HUGO_ENABLEGITINFO", "false"),
              "error-remote-getjson": ("HUGO_IGNOREERRORS", "error-remote-getjson"),
              "error-output-taxonomy": ("HUGO_IGNOREERRORS", "error-output-taxonomy"),
              "error-disable-taxonomy": ("HUGO_IGNOREERRORS", "error-disable-taxonomy")}
MAX_MISSING_SHORTCODES = 100
BARE_KEYS = ("module", "theme", "outputs")  # left out of a config folder's files in a bare build
# Pelican's words for a theme the copy lacks (a Git submodule) or one failing with this Pelican
THEME_FAILED = ("Could not find the theme", "template.render(localcontext)")
PELICAN_DUMP = """
import json, sys
from markupsafe import Markup
from pelican import Pelican, signals
from pelican.generators import ArticlesGenerator
from pelican.settings import read_settings

found = []
def grab(generators):
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            # with their translations, as Pelican's feed of all articles (FEED_ALL_ATOM) holds them
            found.extend(generator.articles + generator.translations)
signals.all_generators_finalized.connect(grab)
override = {"OUTPUT_PATH": sys.argv[2]}
if len(sys.argv) > 3:  # the site's theme fails with this Pelican: its own default one writes the pages
    override.update(THEME=sys.argv[3], TEMPLATE_PAGES={},
                    DIRECT_TEMPLATES=["index", "tags", "categories", "authors", "archives"])
    from pelican.generators import Generator, PelicanTemplateNotFound
    theirs = Generator.get_template
    def get_template(self, name):  # an article's or page's own template (Template: metadata) is the theme's
        try:
            return theirs(self, name)
        except PelicanTemplateNotFound:
            return theirs(self, "article" if isinstance(self, ArticlesGenerator) else "page")
    Generator.get_template = get_template
settings = read_settings(sys.argv[1], override=override)
Pelican(settings).run()
# The title as Pelican's feeds write it: its markup taken out, its character references read.
# An article has no category when the site turns categories off (CATEGORY_SAVE_AS = '').
print(json.dumps([{"path": a.relative_source_path, "title": Markup(a.title).striptags(),
                   "date": a.date.strftime("%Y-%m-%dT%H:%M:%S%z"),
                   "topics": ([str(a.category)] if getattr(a, "category", None) else [])
                             + [str(t) for t in getattr(a, "tags", [])],
                   "content": a.content} for a in found]))
"""


def tool_of(site: Path) -> str:
    found = find_config(site)
    if found is None:
        raise SystemExit(f"{site}: no _config.yml nor _posts/, hugo/config.toml|yaml|json, "
                         "config/_default/ nor pelicanconf.py")
    return found[0]


def run(command: list[str], cwd: Path) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def build_jekyll(site: Path, work: Path) -> tuple[str, list[dict]]:
    (work / "feedsvc-dump.json").write_text(JEKYLL_DUMP)
    run(["jekyll", "build", "--quiet", "--destination", str(work / "_site")], work)
    version = run(["jekyll", "--version"], work).strip()
    return version, json.loads((work / "_site" / "feedsvc-dump.json").read_text())


def build_hugo(site: Path, work: Path) -> tuple[str, list[dict]]:
    layouts = _layouts_folder(work)
    for folder in dict.fromkeys((work / "layouts", layouts)):  # the bare build below mounts layouts/
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(HUGO_DUMP)
    command = ["hugo", "--destination", str(work / "public")]
    done = _run_hugo(site, work, command, layouts)
    for keep_shortcodes in (True, False):  # its layouts, theme or modules need what this hugo lacks
        if done.returncode == 0:
            break
        print(f"{site.name}: {_last_line(done)}; built again without its layouts"
              + (" (but its shortcodes and render hooks)" if keep_shortcodes else "") + ", theme and modules")
        bare = [*command, "--config", ",".join(_bare(work, keep_shortcodes))]
        done = _run_hugo(site, work, bare, work / "layouts")
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    version = run(["hugo", "version"], work).split("+")[0].strip()
    pages = json.loads(_hugo_home(work / "public").read_text())
    root = work.resolve()
    for page in pages:  # relative to the site's root, whatever each language's content folder
        page["path"] = Path(page["path"]).resolve().relative_to(root).as_posix()
    return version, pages


def _last_line(done: subprocess.CompletedProcess) -> str:
    """hugo's error line (its last line is often only the build's time), else its last line."""
    lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error:")]
    return (errors or lines)[-1][:200] if lines else f"exit code {done.returncode}"


def _bare(work: Path, keep_shortcodes: bool) -> list[str]:
    """The copy without its layouts, theme and modules, which a site may need in versions
    newer than Debian's hugo or fetch from the network (its shortcodes are then given stubs),
    but with its own layouts/shortcodes/ and render hooks (layouts/_default/_markup/) when
    keep_shortcodes (a site's layouts often fail for what its shortcodes and hooks do not
    need: JavaScript bundles, node modules); the configuration files to build it with, the
    last setting no theme and no module."""
    for item in (work / "layouts").iterdir():
        if keep_shortcodes and item.name == "_default" and item.is_dir():
            _remove_all_but(item, "_markup")
        elif item.name != "index.html" and not (keep_shortcodes and item.name == "shortcodes"):
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    shutil.rmtree(work / "themes", ignore_errors=True)
    for name in ("go.mod", "go.sum"):
        (work / name).unlink(missing_ok=True)
    _config_folder_bare(work)
    found = find_config(work)
    bare = "theme = []\n[module]\nimports = []\n" + _mounts_but_layouts(found)
    (work / "feedsvc-bare.toml").write_text(bare)
    return [*([found[1].name] if found and found[1].is_file() else []), "feedsvc-bare.toml"]


def _remove_all_but(folder: Path, kept: str) -> None:
    for item in folder.iterdir():
        if item.name != kept:
            shutil.rmtree(item) if item.is_dir() else item.unlink()


def _config_folder_bare(work: Path) -> None:
    """A config folder's files without modules, themes and output formats (which a theme
    defines) (the folder's settings merge over --config's, so the bare settings alone leave
    its imports in): module.* and outputs.* removed, and each config.* or hugo.* written again
    as JSON without those keys."""
    folder = work / "config"
    for path in sorted(folder.glob("*/*")) if folder.is_dir() else []:
        if path.stem.lower() in BARE_KEYS:
            shutil.rmtree(path) if path.is_dir() else path.unlink()  # config/_default/module/ is a folder too
        elif path.stem.lower() in ("config", "hugo") and path.suffix in (".toml", ".yaml", ".yml", ".json"):
            data = {key: value for key, value in parse_config(path).items()
                    if key.lower() not in BARE_KEYS}
            path.unlink()
            path.with_suffix(".json").write_text(json.dumps(data, default=str))


def _layouts_folder(work: Path) -> Path:
    """The site's layouts folder: layouts/, or the first its module mounts there."""
    found = find_config(work)
    mounted = hugo_config.mounted(hugo_config.load(found[1], parse_config), "layouts") if found else None
    return work / (mounted[0] if mounted else "layouts")


def _mounts_but_layouts(found: tuple[str, Path] | None) -> str:
    """The site's module mounts (which replace Hugo's default folders) with its layouts
    mounts replaced by the copy's own layouts/, which holds the dump; "" without mounts."""
    data = hugo_config.load(found[1], parse_config) if found else {}
    mounts = hugo_config.lowered(hugo_config.lowered(data).get("module")).get("mounts")
    if not isinstance(mounts, list):
        return ""
    kept = [mount for mount in mounts if isinstance(mount, dict)
            and str(hugo_config.lowered(mount).get("target", "")).strip("/") != "layouts"]
    kept.append({"source": "layouts", "target": "layouts"})
    return "".join(f"[[module.mounts]]\nsource = {json.dumps(str(own.get('source')))}\n"
                   f"target = {json.dumps(str(own.get('target')))}\n"
                   for own in map(hugo_config.lowered, kept))


def _run_hugo(site: Path, work: Path, command: list[str], layouts: Path) -> subprocess.CompletedProcess:
    """hugo run until it builds, or fails for a reason other than a shortcode the copy lacks
    (then given a stub in the layouts folder) or a setting it asks for (RETRY_WITH)."""
    stubs: set[Path] = set()
    environment = dict(os.environ)
    for _attempt in range(MAX_MISSING_SHORTCODES):
        done = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=600, env=environment)
        retry = [(name, value) for said, (name, value) in RETRY_WITH.items()
                 if said in done.stderr + done.stdout and value not in environment.get(name, "").split()]
        if done.returncode != 0 and retry:
            for name, value in retry:  # ignoreErrors takes a list: space-separated
                environment[name] = f"{environment.get(name, '')} {value}".strip()
            continue
        missing = MISSING_SHORTCODE.search(done.stderr + done.stdout) or FAILED_SHORTCODE.search(
            done.stderr + done.stdout)
        if missing and layouts / "shortcodes" / f"{missing.group(1)}.html" in stubs:
            return done  # a stub that fails: nothing more to try
        unclosed = UNCLOSED_SHORTCODE.search(done.stderr + done.stdout) or OFFLINE_SHORTCODE.search(
            done.stderr + done.stdout)
        stubbed = unclosed and ((layouts / "shortcodes" / f"{unclosed.group(1)}.html") in stubs
                                or unclosed.re is OFFLINE_SHORTCODE)
        if done.returncode == 0 or not (missing or stubbed):
            return done
        name = missing.group(1) if missing else unclosed.group(1)  # type: ignore[union-attr]
        stub = layouts / "shortcodes" / f"{name}.html"
        stub.parent.mkdir(parents=True, exist_ok=True)
        stubbed = stubbed or not _closed_somewhere(site, name)
        stub.write_text("" if stubbed else "{{ .Inner | markdownify }}")
        stubs.add(stub)
        print(f"{site.name}: shortcode {name} not in the site (or failing in the copy); given one that "
              + ("writes nothing (used unclosed)" if stubbed else "keeps its inner text"))
    return done


def _closed_somewhere(site: Path, name: str) -> bool:
    """Whether any content file closes shortcode `name` ({{< /name >}}): Hugo wants every use
    of a template that reads .Inner closed, so a shortcode never closed gets a stub without it
    (the error for an unclosed one nested in another names the outer one)."""
    closing = re.compile(r"\{\{[<%]\s*/\s*" + re.escape(name) + r"\s*[>%]\}\}")
    return any(closing.search(path.read_text(errors="replace"))
               for path in site.rglob("*") if path.suffix in (".md", ".markdown", ".html", ".org")
               and path.is_file())


def _hugo_home(public: Path) -> Path:
    """The home page holding the dump: public/index.html, or a language's own when the
    default language is in a subfolder too (defaultContentLanguageInSubdir)."""
    for home in [public / "index.html", *sorted(public.glob("*/index.html"))]:
        if home.is_file() and home.read_text().lstrip().startswith("["):
            return home
    raise SystemExit(f"{public}: no home page holds the dump")


def build_pelican(site: Path, work: Path) -> tuple[str, list[dict]]:
    python = PELICAN_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PELICAN_VENV)], check=True)
        # pelican-liquid-tags: the plugin the fixture site pelican-liquid-embeds turns on
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "pelican", "markdown", "pelican-liquid-tags"],
                       check=True)
        # pelican-just-table: the plugin of the fixture site pelican-just-table; its own requirements
        # (an old Jinja and Pelican) are left out, this Pelican runs it as it is
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "pelican-just-table"], check=True)
        # typogrify: what TYPOGRIFY = True runs (the fixture site pelican-typogrify)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "typogrify"], check=True)
    command = [str(python), "-c", PELICAN_DUMP, str(work / "pelicanconf.py"), str(work / "output")]
    done = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=600)
    if done.returncode != 0 and any(said in done.stderr for said in THEME_FAILED):
        # The theme is missing, or an old theme's template fails with this Pelican (while
        # writing pages, after every article is read): the articles do not depend on it,
        # Pelican's default theme writes them.
        print(f"{site.name}: its theme is missing or fails with this Pelican; "
              "built again with the default theme")
        done = subprocess.run([*command, "notmyidea"], cwd=work, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    output = done.stdout
    version = run([str(python), "-m", "pelican", "--version"], work).strip()
    pages = json.loads(output.strip().splitlines()[-1])
    conf = run([str(python), "-c", "import sys; from pelican.settings import read_settings;"  # any theme
                "print(read_settings(sys.argv[1], override={'THEME': 'notmyidea'})['PATH'])",
                str(work / "pelicanconf.py")], work)
    path = work / conf.strip().splitlines()[-1]  # PATH may be relative to the configuration
    content = path.resolve().relative_to(work.resolve())
    for page in pages:
        page["path"] = str(content / page["path"]) if str(content) != "." else page["path"]
    return f"pelican {version}", pages


BUILDERS = {"jekyll": build_jekyll, "hugo": build_hugo, "pelican": build_pelican}


def minute_utc(stamp: str) -> str:
    try:
        moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S%z").astimezone(UTC)
    except ValueError:  # Go keeps offsets of a day or more (`+50:00`), Python refuses them
        sign = -1 if stamp[19] == "-" else 1
        offset = timedelta(hours=int(stamp[20:22]), minutes=int(stamp[22:24]))
        moment = datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S") - sign * offset
    return moment.strftime("%Y-%m-%dT%H:%MZ")


def record(site: Path) -> dict:
    tool = tool_of(site)
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary) / site.name
        shutil.copytree(site, work)
        version, pages = BUILDERS[tool](site, work)
    entries = {
        page["path"]: {
            "title": page["title"],
            "date": minute_utc(page["date"]),
            "topics": sorted({str(topic) for topic in page["topics"] if topic}),
            "text": html_to_text(page["content"] or ""),
        }
        for page in pages
    }
    return {"tool": version, "entries": dict(sorted(entries.items()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, help="folder for recordings of sites outside tests/data/sites")
    args = parser.parse_args()
    sites = args.sites or sorted(path for path in SITES.iterdir() if path.is_dir())
    for site in sites:
        site = site.resolve()
        recording = record(site)
        target = (args.out or site.parent) / f"{site.name}.expected.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(recording, indent=2, ensure_ascii=False) + "\n")
        print(f"{target}: {len(recording['entries'])} entries by {recording['tool']}")


if __name__ == "__main__":
    main()
