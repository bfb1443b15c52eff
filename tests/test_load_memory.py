"""Streaming: loading a large archive keeps memory flat (tracemalloc peak, never timing)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from archiver import load
from archiver.tools.stats import archive_stats
from tests.archive_kit import generate_archive

PEAK_LIMIT = 6 * 1024 * 1024  # bytes; the archive below is ~32 MB of JSONL (a list of it: ~100 MB)


def peak_of(function) -> tuple[int, object]:
    tracemalloc.start()
    try:
        result = function()
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


def test_records_stream_a_large_archive_in_bounded_memory(tmp_path: Path) -> None:
    total = generate_archive(tmp_path, crawls=3, workers=2, files_per_worker=2, records_per_file=1000,
                             distinct_urls=2000)
    size = sum(p.stat().st_size for p in tmp_path.rglob("*.jsonl"))
    assert total == 12000 and size > 4 * PEAK_LIMIT

    def count_all() -> tuple[int, bool]:
        previous, ordered, count = "", True, 0
        for record in load.records(tmp_path, validate=False):
            ordered &= record["fetched_at"] >= previous
            previous = record["fetched_at"]
            count += 1
        return count, ordered

    peak, (count, ordered) = peak_of(count_all)
    assert count == total and ordered
    assert peak < PEAK_LIMIT, f"peak {peak} bytes"

    peak, latest = peak_of(lambda: sum(1 for _ in load.records(tmp_path, validate=False, latest_only=True)))
    assert latest == 2000
    assert peak < PEAK_LIMIT, f"latest_only peak {peak} bytes"

    peak, stats = peak_of(lambda: archive_stats(tmp_path))
    assert stats.records == total  # type: ignore[attr-defined]
    assert peak < PEAK_LIMIT, f"stats peak {peak} bytes"
