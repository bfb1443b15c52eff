"""End to end: `scrapy crawl article -a site=…` against the block-paged WordPress snapshot (serve.py as
HTTP proxy) follows every comment page and writes the complete, exactly threaded comments."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent / "benchmarks"))  # last: never shadows packages
import comments as bench  # noqa: E402
import comments_crawl  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_crawl_of_paged_site_has_every_comment(corpus: Path) -> None:
    rows = comments_crawl.crawl_rows("block-paged", _free_port(), bench.compare, bench.serve)
    assert len(rows) == 12
    paged = next(r for r in rows if r["slug"] == "a-small-week-with-a-sourdough-starter")
    assert paged["truth"] == 65 and paged["found"] == 65
    for row in rows:
        assert row["pages"] == "crawl", row  # every post archived
        assert row["found"] == row["truth"] and row["parent_ok"] == row["found"], row
        assert row["extra"] == 0 and row["leaked"] == 0 and row["order_ok"], row
        assert row["count_ok"] and row["open_ok"], row
