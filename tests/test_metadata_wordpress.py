"""Metadata and media of every post of both WordPress snapshot sites against the database truth.

Exact for title, author, published, categories, tags, the featured image (the one `in_body: false`
entry) and the body media list (type + url, document order).

`modified` is special: WordPress stores it in the database, but neither theme prints it. The
classic theme marks its one <time> "published updated" (hAtom), so the page itself claims
modified == published and that is what we must report; the block theme states nothing, so None.
Where the post was never edited, that equals the truth.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from archiver.extract import extract_page
from tests.conftest import CORPUS

SITES = ("classic", "block-paged")


def _posts() -> list[tuple[str, dict[str, Any], Path]]:
    posts = []
    for site in SITES:
        root = CORPUS / "wordpress" / site
        if not root.is_dir():
            continue
        manifest = json.loads((root / "manifest.json").read_text())
        for path in sorted((root / "truth").glob("*.json")):
            truth = json.loads(path.read_text())
            if "slug" in truth:
                entry = manifest[truth["url"].split("blog.test:8080", 1)[1]]
                posts.append((site, truth, root / entry["file"]))
    return posts


POSTS = _posts()


def test_every_post_is_checked(corpus: Path) -> None:
    assert len(POSTS) == 24


@pytest.mark.parametrize(("site", "truth", "html"), POSTS, ids=[f"{p[0]}-{p[1]['slug']}" for p in POSTS])
def test_wordpress_metadata_and_media(site: str, truth: dict[str, Any], html: Path) -> None:
    record = extract_page(html.read_bytes(), truth["url"])
    assert record["title"] == truth["title"]
    assert [author["name"] for author in record["authors"]] == [truth["author"]]
    assert record["published"] == truth["published"]
    assert record["modified"] == (truth["published"] if site == "classic" else None)
    if truth["modified"] == truth["published"] and site == "classic":
        assert record["modified"] == truth["modified"]
    assert record["categories"] == truth["categories"]
    assert record["tags"] == truth["tags"]
    assert record["language"] == "en-US"
    # WordPress's canonical of a paged thread names the comment page it shows.
    assert record["canonical_url"].startswith(truth["url"])
    lead = [item["url"] for item in record["media"] if not item["in_body"]]
    assert lead == ([truth["featured_image"]] if truth["featured_image"] else [])
    body_media = [{"type": m["type"], "url": m["url"]} for m in record["media"] if m["in_body"]]
    assert body_media == truth["media"]


def test_classic_author_links_to_the_author_page() -> None:
    site, truth, html = next(p for p in POSTS if p[0] == "classic")
    record = extract_page(html.read_bytes(), truth["url"])
    assert record["authors"][0]["url"].startswith("http://blog.test:8080/author/")


@pytest.mark.parametrize("choice", ["none", "entry-content", "article-or-main", "first-paragraph"])
def test_media_do_not_depend_on_a_precise_body_node(choice: str) -> None:
    """The body extractor may hand over the content div, a wider or narrower node, or nothing."""
    from archiver.extract.document import Document
    from archiver.extract.media import extract_media

    for _site, truth, html in POSTS:
        doc = Document.from_html(html.read_bytes(), truth["url"])
        content = doc.tree.xpath('//*[contains(@class, "entry-content")]')[0]
        node = {
            "none": None,
            "entry-content": content,
            "article-or-main": next(a for a in content.iterancestors() if a.tag in ("article", "main")),
            "first-paragraph": content.find(".//p"),
        }[choice]
        media = extract_media(doc, node)
        body = [{"type": m["type"], "url": m["url"]} for m in media if m["in_body"]]
        lead = [m["url"] for m in media if not m["in_body"]]
        assert body == truth["media"], truth["slug"]
        assert lead == ([truth["featured_image"]] if truth["featured_image"] else []), truth["slug"]
