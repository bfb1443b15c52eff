"""`archiver wacz DIR -o FILE.wacz`: WARCs + CDXJ + pages.jsonl packaged with the `wacz` tool.

pages.jsonl lists the articles of the crawl (one line per JSONL record: url, WARC date as `ts`,
title), so replay tools open on the articles rather than on every archived resource.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from wacz.main import main as wacz_main

from archiver.load.files import record_dicts
from archiver.warc import compat  # noqa: F401 - warcio must decode br payloads


def page_lines(directory: Path) -> list[dict[str, Any]]:
    """pages.jsonl content: header, then one page per archived article (first capture wins)."""
    pages: list[dict[str, Any]] = [{"format": "json-pages-1.0", "id": "pages",
                                    "title": "Archived articles"}]
    seen: set[tuple[str, str]] = set()
    for record in record_dicts(directory, finished_only=True):
        ts = (record.get("warc") or {}).get("date") or record.get("fetched_at")
        if not record.get("url") or not ts or (record["url"], ts) in seen:
            continue
        seen.add((record["url"], ts))
        page = {"url": record["url"], "ts": ts}
        if record.get("title"):
            page["title"] = record["title"]
        pages.append(page)
    return pages


def write_wacz(directory: str | Path, out: str | Path) -> Path:
    """Package the closed WARC files under `directory` as the WACZ file `out`."""
    directory, out = Path(directory), Path(out)
    warcs = sorted(str(p) for p in directory.rglob("*.warc.gz"))
    if not warcs:
        raise ValueError(f"no closed .warc.gz files under {directory}")
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages.jsonl"
        pages.write_text("".join(json.dumps(p) + "\n" for p in page_lines(directory)), "utf-8")
        args = ["create", "-o", str(out), "-p", str(pages), *warcs]
        with contextlib.redirect_stdout(io.StringIO()) as log:
            status = wacz_main(args)
    if status not in (0, None) or not out.is_file():
        raise RuntimeError(f"wacz create failed ({status}): {log.getvalue()[-500:]}")
    return out
