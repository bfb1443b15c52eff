"""`benchmarks/comments.py --crawl`: measure comments through a real `scrapy crawl article -a site=…`
run against serve.py (HTTP proxy), reading the JSONL records the crawl wrote."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from archiver.extract.comments.pagination import comment_page_number

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "wordpress"
SITE_URL = "http://blog.test:8080/"


def crawl_records(site: str, port: int, serve: Callable[[str, int], Any]) -> list[dict[str, Any]]:
    """Every record of one crawl of the snapshot site (`serve` starts serve.py, stopped here)."""
    server = serve(site, port)
    try:
        with tempfile.TemporaryDirectory(prefix="comments-crawl-") as out:
            proxy = f"http://127.0.0.1:{port}"
            env = {**os.environ, "http_proxy": proxy, "HTTP_PROXY": proxy}
            subprocess.run(
                [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"site={SITE_URL}",
                 "-s", f"ARCHIVE_DIR={out}", "-s", "LOG_LEVEL=WARNING"],
                cwd=REPO, env=env, check=False, timeout=900,
            )
            records: list[dict[str, Any]] = []
            for path in sorted(Path(out).rglob("records-*.jsonl*")):
                text = gzip.decompress(path.read_bytes()).decode() if path.suffix == ".gz" else path.read_text()
                records.extend(json.loads(line) for line in text.splitlines() if line.strip())
            return records
    finally:
        server.terminate()
        server.wait()


def crawl_rows(site: str, port: int, compare: Callable[..., dict[str, Any]],
               serve: Callable[[str, int], Any]) -> list[dict[str, Any]]:
    """Per-post figures from the crawl's records (a post without a record counts as all missed)."""
    index = json.loads((CORPUS / site / "truth" / "index.json").read_text())
    by_url: dict[str, dict[str, Any]] = {}
    records = crawl_records(site, port, serve)
    for record in records:
        by_url.setdefault(record["url"], record)
    paged = [r["url"] for r in records if comment_page_number(r["url"]) is not None]
    print(f"{site}: {len(records)} records from the crawl, {len(paged)} of them comment pages "
          f"(should be 0: comment pages belong to their article's record)", file=sys.stderr)
    rows = []
    for post in index["posts"]:
        truth = json.loads((CORPUS / site / "truth" / post["file"]).read_text())
        excluded = {str(c["id"]) for c in index["excluded_comments"] if c["post_id"] == post["id"]}
        record = by_url.get(post["url"]) or {"comments": [], "comment_count": None, "comments_open": None}
        head = SimpleNamespace(count=record["comment_count"], open=record["comments_open"])
        row = compare(truth, record["comments"], head, excluded)
        found = "crawl" if post["url"] in by_url else "MISSING"
        rows.append({"site": site, "slug": post["slug"], "pages": found, **row})
    return rows
