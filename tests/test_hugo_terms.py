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
