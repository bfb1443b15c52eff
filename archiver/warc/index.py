"""CDXJ indexes for `archiver index DIR`: one sorted `index.cdxj` per crawl directory.

Built with cdxj-indexer (the indexer behind pywb's and WACZ's CDXJ), with WARC file names relative
to the crawl directory, POST bodies appended to the key (as pywb expects) and lines sorted.
"""

from __future__ import annotations

import os
from pathlib import Path

from cdxj_indexer.main import write_cdx_index

from archiver.warc import compat  # noqa: F401 - warcio must decode br payloads

INDEX_FILE = "index.cdxj"


def crawl_dirs_with_warcs(directory: Path) -> list[Path]:
    """Every directory under (or equal to) `directory` holding closed `*.warc.gz` files."""
    return sorted({path.parent for path in directory.rglob("*.warc.gz")})


def write_index(crawl_dir: Path) -> Path:
    """Write `crawl_dir/index.cdxj` for the closed WARC files in it; returns its path."""
    warcs = sorted(str(p) for p in crawl_dir.glob("*.warc.gz"))
    target = crawl_dir / INDEX_FILE
    partial = crawl_dir / (INDEX_FILE + ".tmp")
    write_cdx_index(str(partial), warcs, {"sort": True, "post_append": True,
                                          "dir_root": str(crawl_dir)})
    os.replace(partial, target)
    return target


def write_indexes(directory: str | Path) -> list[Path]:
    """CDXJ for every crawl directory under `directory` (an archive or a crawl directory)."""
    return [write_index(crawl_dir) for crawl_dir in crawl_dirs_with_warcs(Path(directory))]
