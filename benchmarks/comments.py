"""Comment-thread benchmark on the WordPress snapshot sites (../shared/corpus/wordpress).

For every post: load the post page and, following `page_urls` page by page, all its comment pages;
extract + merge (optionally reconcile with the REST API answer); compare with truth/<slug>.json from
the database. Prints per-post and total figures; `--markdown FILE` also writes them as a table.

    .venv/bin/python benchmarks/comments.py                  # pages read via manifest.json
    .venv/bin/python benchmarks/comments.py --serve          # pages fetched from serve.py over HTTP
    .venv/bin/python benchmarks/comments.py --rest           # plus REST API reconciliation
    .venv/bin/python benchmarks/comments.py --crawl          # a real `scrapy crawl article` (spider)
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "wordpress"
SITES = ("classic", "block-paged")
sys.path.insert(0, str(REPO))

from archiver.extract.comments import (  # noqa: E402
    CommentThread,
    extract_comments,
    merge_comment_pages,
    reconcile,
)
from archiver.extract.comments.rest import comments_from_rest  # noqa: E402
from archiver.extract.document import Document  # noqa: E402

Fetch = Callable[[str], "tuple[int, bytes, str] | None"]


def manifest_fetcher(site: str) -> Fetch:
    """Responses straight from the snapshot files (no HTTP)."""
    folder = CORPUS / site
    manifest = json.loads((folder / "manifest.json").read_text())

    def fetch(url: str) -> tuple[int, bytes, str] | None:
        parts = urlsplit(url)
        key = parts.path + (f"?{parts.query}" if parts.query else "")
        entry = manifest.get(key)
        if entry is None:
            return None
        return entry["status"], (folder / entry["file"]).read_bytes(), entry["content_type"]

    return fetch


def proxy_fetcher(port: int) -> Fetch:
    """Responses through serve.py acting as an HTTP proxy, as the spider sees them."""
    import urllib.error
    import urllib.request

    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({"http": f"http://127.0.0.1:{port}"})
    )

    def fetch(url: str) -> tuple[int, bytes, str] | None:
        try:
            with opener.open(url, timeout=10) as response:
                return response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.headers.get("Content-Type", "")

    return fetch


def crawl_thread(url: str, fetch: Fetch, use_rest: bool) -> tuple[list[dict[str, Any]], CommentThread, int]:
    """What the spider does: the post page, every comment page reachable from it, merged."""
    first = fetch(url)
    assert first is not None, url
    head = extract_comments(Document.from_html(first[1], url, first[2]))
    threads = [head]
    queue = list(head.page_urls)
    seen = {url, *queue}
    while queue:
        page_url = queue.pop(0)
        response = fetch(page_url)
        if response is None or response[0] != 200:
            continue
        page = extract_comments(Document.from_html(response[1], page_url, response[2]))
        threads.append(page)
        for found in page.page_urls:
            if found not in seen:
                seen.add(found)
                queue.append(found)
    comments = merge_comment_pages(threads)
    if use_rest and head.rest_url:
        response = fetch(head.rest_url)
        if response is not None and response[0] == 200:
            comments = reconcile(comments, comments_from_rest([json.loads(response[1])]))
    return comments, head, len(threads)


def compare(truth: dict[str, Any], comments: list[dict[str, Any]], head: CommentThread,
            excluded: set[str]) -> dict[str, Any]:
    """Per-post figures: found, exact parent, extras, spam/pending leaked, order, fields."""
    expected = {str(c["id"]): c for c in truth["comments"]}
    got = {c["id"]: c for c in comments}
    common = [cid for cid in expected if cid in got]

    def same(cid: str, check: Callable[[dict[str, Any], dict[str, Any]], bool]) -> bool:
        return check(expected[cid], got[cid])

    parent_ok = sum(same(c, lambda t, g: _str(t["parent_id"]) == g["parent_id"]) for c in common)
    depth_ok = sum(same(c, lambda t, g: t["depth"] == g["depth"]) for c in common)
    author_ok = sum(same(c, lambda t, g: t["author_display"] == g["author"]["name"]
                         and (t["author_url"] or None) == g["author"]["url"]) for c in common)
    date_ok = sum(same(c, lambda t, g: t["published"] == g["published"]) for c in common)
    type_ok = sum(same(c, lambda t, g: t["type"] == g["type"]) for c in common)
    texts = [c for c in common if expected[c]["type"] == "comment"]
    text_ok = sum(same(c, lambda t, g: " ".join(t["text"].split()) == " ".join(g["text"].split()))
                  for c in texts)
    return {
        "truth": len(expected), "found": len(common), "parent_ok": parent_ok, "depth_ok": depth_ok,
        "extra": len(set(got) - set(expected)), "leaked": len(set(got) & excluded),
        "order_ok": [c["id"] for c in comments] == list(expected),
        "author_ok": author_ok, "date_ok": date_ok, "type_ok": type_ok,
        "text_ok": text_ok, "texts": len(texts),
        "count_ok": head.count == truth["comment_count"], "count": head.count,
        "open_ok": head.open == truth["comments_open"], "open": head.open,
    }


def reference_rows(site: str) -> list[dict[str, Any]]:
    """trafilatura (include_comments) on the same pages, side by side: it returns the comments as
    one flat text, so only "found" (a truth comment's text appears in it) can be measured."""
    import trafilatura

    fetch = manifest_fetcher(site)
    index = json.loads((CORPUS / site / "truth" / "index.json").read_text())
    rows = []
    for post in index["posts"]:
        truth = json.loads((CORPUS / site / "truth" / post["file"]).read_text())
        urls = [post["url"], *_all_pages(post["url"], fetch)]
        flat = ""
        for url in urls:
            response = fetch(url)
            document = trafilatura.bare_extraction(response[1] if response else b"", url=url,
                                                   include_comments=True)
            comments = getattr(document, "comments", None) or ""
            flat += " " + " ".join(str(comments).split())
        texts = [c for c in truth["comments"] if c["type"] == "comment"]
        found = sum(" ".join(c["text"].split())[:60] in flat for c in texts)
        rows.append({"site": site, "slug": post["slug"], "truth": len(texts), "found": found})
    return rows


def _all_pages(url: str, fetch: Fetch) -> list[str]:
    first = fetch(url)
    if first is None:
        return []
    queue = list(extract_comments(Document.from_html(first[1], url, first[2])).page_urls)
    seen = set(queue)
    for page_url in queue:
        response = fetch(page_url)
        if response is None:
            continue
        for found in extract_comments(Document.from_html(response[1], page_url, response[2])).page_urls:
            if found not in seen and found != url:
                seen.add(found)
                queue.append(found)
    return queue


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def run_site(site: str, fetch: Fetch, use_rest: bool) -> list[dict[str, Any]]:
    index = json.loads((CORPUS / site / "truth" / "index.json").read_text())
    rows = []
    for post in index["posts"]:
        truth = json.loads((CORPUS / site / "truth" / post["file"]).read_text())
        excluded = {str(c["id"]) for c in index["excluded_comments"] if c["post_id"] == post["id"]}
        comments, head, pages = crawl_thread(post["url"], fetch, use_rest)
        row = compare(truth, comments, head, excluded)
        rows.append({"site": site, "slug": post["slug"], "pages": pages, **row})
    return rows


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def pct(numerator: int, denominator: int) -> str:
        return f"{100 * numerator / denominator:.1f}%" if denominator else "n/a"

    truth = sum(r["truth"] for r in rows)
    found = sum(r["found"] for r in rows)
    return {
        "posts": len(rows), "comments": truth, "found": pct(found, truth),
        "parent_id exact": pct(sum(r["parent_ok"] for r in rows), found),
        "depth exact": pct(sum(r["depth_ok"] for r in rows), found),
        "extra": sum(r["extra"] for r in rows), "spam/pending leaked": sum(r["leaked"] for r in rows),
        "order exact (posts)": pct(sum(r["order_ok"] for r in rows), len(rows)),
        "comment_count exact": pct(sum(r["count_ok"] for r in rows), len(rows)),
        "comments_open exact": pct(sum(r["open_ok"] for r in rows), len(rows)),
        "author exact": pct(sum(r["author_ok"] for r in rows), found),
        "published exact": pct(sum(r["date_ok"] for r in rows), found),
        "type exact": pct(sum(r["type_ok"] for r in rows), found),
        "text exact (comments)": pct(sum(r["text_ok"] for r in rows), sum(r["texts"] for r in rows)),
    }


POST_COLUMNS = ("site", "slug", "pages", "truth", "found", "parent_ok", "depth_ok", "extra",
                "leaked", "order_ok", "count", "count_ok", "open", "open_ok", "date_ok", "text_ok")


def markdown(rows: list[dict[str, Any]], per_site: dict[str, dict[str, Any]], label: str) -> str:
    lines = [f"### {label}", "", "| figure | " + " | ".join(per_site) + " |",
             "|---|" + "---|" * len(per_site)]
    for key in next(iter(per_site.values())):
        lines.append(f"| {key} | " + " | ".join(str(t[key]) for t in per_site.values()) + " |")
    lines += ["", "| " + " | ".join(POST_COLUMNS) + " |", "|" + "---|" * len(POST_COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join(str(row[c]) for c in POST_COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def serve(site: str, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, str(CORPUS / "serve.py"), str(CORPUS / site), "--port", str(port), "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"serve.py did not start on port {port}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="fetch through serve.py (HTTP proxy)")
    parser.add_argument("--rest", action="store_true", help="reconcile with the REST API answer")
    parser.add_argument("--crawl", action="store_true", help="measure a real scrapy crawl")
    parser.add_argument("--reference", action="store_true", help="trafilatura on the same pages")
    parser.add_argument("--port", type=int, default=18081)
    parser.add_argument("--markdown", type=Path, help="append the tables to this file")
    args = parser.parse_args()
    if args.reference:
        lines = ["### reference: trafilatura 2.3.1 bare_extraction(include_comments=True)", "",
                 "| site | comments (type comment) | text found in its flat comment text | parents |",
                 "|---|---|---|---|"]
        for site in SITES:
            rows = reference_rows(site)
            truth, found = sum(r["truth"] for r in rows), sum(r["found"] for r in rows)
            lines.append(f"| {site} | {truth} | {found} ({100 * found / truth:.1f}%) | none (flat text) |")
        text = "\n".join(lines) + "\n"
        print(text)
        if args.markdown:
            with args.markdown.open("a", encoding="utf-8") as handle:
                handle.write(text + "\n")
        return 0
    if args.crawl:
        from comments_crawl import crawl_rows  # beside this script

        rows_by_site = {site: crawl_rows(site, args.port, compare, serve) for site in SITES}
    else:
        rows_by_site = {}
        for site in SITES:
            process = serve(site, args.port) if args.serve else None
            try:
                fetch = proxy_fetcher(args.port) if process else manifest_fetcher(site)
                rows_by_site[site] = run_site(site, fetch, args.rest)
            finally:
                if process:
                    process.terminate()
                    process.wait()
    rows = [row for site_rows in rows_by_site.values() for row in site_rows]
    per_site = {site: totals(site_rows) for site, site_rows in rows_by_site.items()}
    per_site["total"] = totals(rows)
    mode = "crawl" if args.crawl else "serve.py" if args.serve else "manifest"
    label = f"mode: {mode}{' + REST' if args.rest else ''}"
    text = markdown(rows, per_site, label)
    print(text)
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    perfect = all(r["found"] == r["truth"] and r["parent_ok"] == r["found"] and not r["leaked"]
                  and r["count_ok"] and r["open_ok"] for r in rows)
    return 0 if perfect else 1


if __name__ == "__main__":
    sys.exit(main())
