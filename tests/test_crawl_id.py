"""Crawl ids sort in start order, even for runs started within the same second."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from archiver.crawldir import CrawlDir, new_crawl_id
from archiver.load.order import crawl_bounds


def test_ids_of_runs_in_the_same_second_sort_in_start_order() -> None:
    first = datetime(2026, 3, 4, 11, 0, 0, 999_000, tzinfo=UTC)
    ids = [new_crawl_id(first + timedelta(milliseconds=step)) for step in (0, 1, 2, 500, 1001)]
    assert sorted(ids) == ids
    assert len(set(ids)) == len(ids)


def test_new_ids_pass_the_crawl_id_check_and_sort_among_older_second_ids(tmp_path: Path) -> None:
    crawl_id = new_crawl_id(datetime(2026, 3, 4, 11, 0, 0, 250_000, tzinfo=UTC))
    assert crawl_id.startswith("20260304T110000.250Z-")
    assert CrawlDir.from_settings({"ARCHIVE_DIR": str(tmp_path), "CRAWL_ID": crawl_id}).crawl_id == crawl_id
    assert sorted(["20260304T105959Z-ffffff", crawl_id, "20260304T110001Z-000000"])[1] == crawl_id


def test_crawl_bounds_read_the_milliseconds_and_the_older_second_form(tmp_path: Path) -> None:
    with_ms = tmp_path / "20260304T110000.250Z-abcdef"
    without = tmp_path / "20260304T110000Z-abcdef"
    with_ms.mkdir()
    without.mkdir()
    second = datetime(2026, 3, 4, 11, 0, 0, tzinfo=UTC).timestamp()
    assert crawl_bounds(with_ms)[0] == second + 0.25
    assert crawl_bounds(without)[0] == second
