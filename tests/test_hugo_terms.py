"""Hugo names a term by its term page's title (content/<taxonomy>/<term>/_index.md): the
fixture site hugo-term-titles, recorded with hugo, is checked by test_sites; here, a title
changed or a term page added after a scan renames the term on the next one."""

from __future__ import annotations

import shutil
from pathlib import Path

from feedsvc.config import load_settings
from feedsvc.scan import scan_once
from feedsvc.store import Store

SITE = Path(__file__).parent / "data" / "sites" / "hugo-term-titles"
PRIMER_PT = "content/posts/shortcodes-primer.pt-br.md"


def _labels(site: Path, database: Path) -> dict[str, list[str]]:
    scan_once(load_settings(overrides={"content_dir": site, "database": database}, environ={}))
    store = Store(database)
    try:
        return {entry.path: sorted(topic.label for topic in entry.topics) for entry in store.entries(limit=100)}
    finally:
        store.close()


def test_a_changed_term_title_renames_the_term_on_the_next_scan(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    database = tmp_path / "catalog.db"
    assert "Códigos curtos" in _labels(site, database)[PRIMER_PT]
    page = site / "content/tags/shortcodes/_index.pt-br.md"
    page.write_text('---\ntitle: "Atalhos"\n---\n', encoding="utf-8")
    labels = _labels(site, database)
    assert "Atalhos" in labels[PRIMER_PT] and "Códigos curtos" not in labels[PRIMER_PT]
    assert "shortcodes" in labels["content/posts/shortcodes-primer.md"]  # English has no term page


def test_a_new_term_page_names_the_term_on_the_next_scan(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    database = tmp_path / "catalog.db"
    assert "rivers" in _labels(site, database)["content/posts/untitled-terms.md"]
    (site / "content/tags/rivers").mkdir()
    (site / "content/tags/rivers/_index.md").write_text('---\ntitle: "Rivers & Streams"\n---\n', encoding="utf-8")
    assert "Rivers & Streams" in _labels(site, database)["content/posts/untitled-terms.md"]


def test_a_section_made_a_draft_hides_its_pages_on_the_next_scan(tmp_path: Path) -> None:
    """Sections count in the site's fingerprint as term pages do (hugo_sections.py; the
    fixture site hugo-sections, recorded with hugo, is checked by test_sites)."""
    site = tmp_path / "site"
    shutil.copytree(SITE.with_name("hugo-sections"), site)
    database = tmp_path / "catalog.db"
    assert sorted(_labels(site, database)["content/beds/compost.md"]) == ["beds", "spring"]
    page = site / "content/beds/_index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("title: Raised beds", "title: Raised beds\ndraft: true"),
                    encoding="utf-8")
    assert sorted(_labels(site, database)) == ["content/harvest.md"]


def test_a_leaf_bundle_beside_a_page_is_looked_for_only_inside_the_content_folder(tmp_path: Path) -> None:
    """`posts/x.md` beside a leaf bundle `posts/x/` is Hugo's bundle, not a page; a folder
    `x/` that links out of the content folder is not read, and the page stays a page."""
    from feedsvc.readers.hugo_sections import bundled

    content, outside = tmp_path / "content", tmp_path / "outside"
    (content / "posts" / "inside").mkdir(parents=True)
    (outside / "linked").mkdir(parents=True)
    for folder in (content / "posts" / "inside", outside / "linked"):
        (folder / "index.html").write_text("A page of text opening with words.\n", encoding="utf-8")
    (content / "posts" / "linked").symlink_to(outside / "linked", target_is_directory=True)
    assert bundled(content, ["posts", "inside.md"], ("md", "html")) == (
        "a Hugo page that the leaf bundle inside/ beside it replaces")
    assert bundled(content, ["posts", "linked.md"], ("md", "html")) is None


def test_the_table_of_contents_is_filled_in_a_bounded_number_of_times() -> None:
    """Each marker a shortcode wrote gets the table, up to MAX_TABLES; any more are left out."""
    from feedsvc.readers.hugo_toc import MARKER, MAX_TABLES, filled

    rendered = '<h2 id="one">One</h2><p>Text.</p><h3 id="two">Two</h3><h2>Unclosed'
    page = filled(MARKER * (MAX_TABLES + 3), rendered, {})
    assert page.count('<nav id="TableOfContents">') == MAX_TABLES and MARKER not in page
    assert page.startswith('<nav id="TableOfContents"><ul><li><a href="#one">One</a><ul><li>'
                           '<a href="#two">Two</a></li></ul></li></ul></nav>')
