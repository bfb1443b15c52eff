"""Metadata and media extraction: exact-match rates against the WordPress truth, ms/page, reference tools.

Run from the repository root:  .venv/bin/python benchmarks/metadata_media.py [--write]

* Per field, the share of posts (both WordPress sites) whose extracted value equals the truth exactly.
* Media: the body media list (type + url, document order) and the featured image against the truth;
  the AEB sample against tests/fixtures/media/aeb-truth.json.
* ms/page of extract_metadata and extract_media alone (parse excluded), of the full extract_page, and,
  in the same run, of trafilatura's metadata extraction, trafilatura's body-only extraction and
  extruct's microdata/JSON-LD/OpenGraph parsing on the AEB pages.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))

from archiver.extract.body import extract_body  # noqa: E402
from archiver.extract.document import Document  # noqa: E402
from archiver.extract.media import extract_media  # noqa: E402
from archiver.extract.metadata import extract_metadata  # noqa: E402

FIELDS = ("title", "authors", "published", "modified", "categories", "tags", "featured_image",
          "media")
RESULTS = REPO / "benchmarks" / "results" / "metadata_media.md"


def wordpress_posts() -> list[tuple[str, dict[str, Any], str]]:
    """(site, truth, html) for every post of both WordPress snapshot sites."""
    posts = []
    for site in ("classic", "block-paged"):
        root = CORPUS / "wordpress" / site
        manifest = json.loads((root / "manifest.json").read_text())
        for path in sorted((root / "truth").glob("*.json")):
            truth = json.loads(path.read_text())
            if "slug" not in truth:
                continue
            entry = manifest[truth["url"].split("blog.test:8080", 1)[1]]
            posts.append((site, truth, (root / entry["file"]).read_text(encoding="utf-8")))
    return posts


def wordpress_values(record: dict[str, Any]) -> dict[str, Any]:
    """The record reshaped into the WordPress truth's fields, for exact comparison."""
    lead = [m["url"] for m in record["media"] if not m["in_body"]]
    return {
        "title": record["title"],
        "authors": [a["name"] for a in record["authors"]],
        "published": record["published"],
        "modified": record["modified"],
        "categories": record["categories"],
        "tags": record["tags"],
        "featured_image": lead[0] if lead else None,
        "media": [{"type": m["type"], "url": m["url"]} for m in record["media"] if m["in_body"]],
    }


def truth_values(truth: dict[str, Any]) -> dict[str, Any]:
    values = {key: truth[key] for key in FIELDS if key in truth}
    values["authors"] = [truth["author"]]
    return values


def aeb_pages() -> list[tuple[str, str, bytes]]:
    truth = json.loads((CORPUS / "aeb-dev" / "ground-truth.json").read_text())
    return [(key, value["url"], gzip.decompress(
        (CORPUS / "aeb-dev" / "html" / f"{key}.html.gz").read_bytes())) for key, value in truth.items()]


def ms_per_page(function: Callable[[Any], Any], inputs: list[Any], repeat: int = 3) -> float:
    """Best-of-`repeat` mean milliseconds per input (best-of damps noise from other workers)."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for value in inputs:
            function(value)
        runs.append((time.perf_counter() - start) * 1000 / len(inputs))
    return min(runs)


def our_record_parts(doc: Document) -> dict[str, Any]:
    record = extract_metadata(doc)
    record["media"] = extract_media(doc, extract_body(doc).node)
    return record
