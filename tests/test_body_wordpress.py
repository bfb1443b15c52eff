"""Body text of the WordPress snapshot posts equals the database truth, captions left out.

The truth `body_text` is the post content with tags stripped, so it includes figure captions; our
body keeps captions in body_html only. Compared as \\w+ token sequences (the aeb metric's tokens),
so only words, not whitespace, must match.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest

from archiver.extract import extract_page

_WORDS = re.compile(r"\w+")
SITES = ("classic", "block-paged")


def _posts(corpus: Path, site: str) -> list[tuple[dict, Path]]:
    base = corpus / "wordpress" / site
    manifest = json.loads((base / "manifest.json").read_text(encoding="utf-8"))
    by_url = {entry["url"]: entry for entry in manifest.values()}
    posts = []
    for truth_file in sorted((base / "truth").glob("*.json")):
        if truth_file.name == "index.json":
            continue
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        posts.append((truth, base / by_url[truth["url"]]["file"]))
    return posts


def _truth_without_captions(truth: dict) -> list[str]:
    fragment = lxml.html.fragment_fromstring(truth["body_html"], create_parent="div")
    captions = {" ".join(c.text_content().split()) for c in fragment.iter("figcaption")}
    lines = [line for line in truth["body_text"].split("\n")
             if " ".join(line.split()) not in captions]
    return _WORDS.findall(" ".join(lines))


@pytest.mark.parametrize("site", SITES)
def test_wordpress_body_matches_truth(corpus: Path, site: str) -> None:
    posts = _posts(corpus, site)
    assert len(posts) == 12
    for truth, page in posts:
        record = extract_page(page.read_bytes(), truth["url"])
        assert _WORDS.findall(record["body"]) == _truth_without_captions(truth), truth["slug"]
        fragment = lxml.html.fragment_fromstring(truth["body_html"], create_parent="div")
        for caption in fragment.iter("figcaption"):
            text = " ".join(caption.text_content().split())
            assert text not in record["body"]
            assert text.split()[0] in record["body_html"]
