"""Clock jumps: the wall clock may go backwards (NTP step, VM snapshot restore) between runs.

What must not depend on the wall clock: which run is "the last one" (resume after kill -9), file
names (unique per process by serial), Retry-After waits (bounded).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archiver.incremental.state import CrawlState
from archiver.middlewares.retry_after import retry_after_seconds
from archiver.pipelines.jsonl import JsonlWriter


def test_last_run_is_the_latest_started_even_if_the_clock_went_back(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "state.sqlite3")
    state.start_run("run-a", "blog", "2026-11-25T10:00:00Z")
    state.finish_run("run-a", "finished", 0, "2026-11-25T10:05:00Z")
    state.start_run("run-b", "blog", "2026-11-25T09:00:00Z")  # clock stepped back an hour; then kill -9
    last = state.last_run()
    assert last is not None and last.crawl_id == "run-b" and last.status == "running"


def test_jsonl_file_names_stay_unique_when_the_clock_stands_still(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    frozen = datetime(2026, 11, 25, 10, 0, 0, tzinfo=UTC)

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def,override]
            return frozen

    monkeypatch.setattr("archiver.pipelines.jsonl.datetime", FrozenDatetime)
    writer = JsonlWriter(tmp_path, max_records=1)
    for n in range(5):
        writer.write({"n": n})
    assert len({path.name for path in writer.files}) == 5


def test_retry_after_date_from_a_skewed_server_is_bounded() -> None:
    """A server clock a day ahead asks for a 24 h wait: the middleware's cap (120 s) applies."""
    now = datetime(2026, 11, 25, 10, 0, 0, tzinfo=UTC)
    ahead = (now + timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    behind = (now - timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert retry_after_seconds(ahead, now) == 86400.0  # > RETRY_AFTER_MAX_DELAY: not waited
    assert retry_after_seconds(behind, now) == 0.0  # in the past: retry now, never negative
