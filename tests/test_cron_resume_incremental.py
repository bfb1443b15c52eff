"""Resume inside an incremental run: a crawl killed while it writes new versions of changed
articles, then run again, ends with the records of an uninterrupted run — in particular an
article whose new page was archived (WARC, validators) but whose record was not written yet must
not be taken for unchanged when the server answers 304 to the resumed crawl."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archiver.crawl import outcome
from tests.cron_helpers import article, at, crawl_dirs, make_site, record_key, records, write_jobs
from tests.servers.changing_site import Comment, serve_site
from tests.test_cron_resume import run_cli

SLUGS = [f"post-{n:02d}" for n in range(8)]
FAST = {"CONCURRENT_REQUESTS": 2}


def _run(jobs: Path) -> int:
    proc = run_cli(jobs)
    proc.communicate(timeout=120)
    return proc.returncode


def _newest_keys(archive: Path) -> list[tuple[str, int, str]]:
    return sorted(record_key(r) for r in records(crawl_dirs(archive)[-1]))


@pytest.fixture(scope="module")
def second_run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("incremental-resume")
    site = make_site(root / "site", SLUGS)
    with serve_site(site.root) as base:
        first = root / "first"
        first.mkdir()
        assert _run(write_jobs(first / "jobs.toml", base, now=at(0), settings=FAST)) == outcome.OK
        for n, slug in enumerate(SLUGS[:6]):
            site.articles[slug].comments.append(Comment(5000 + n, "New Reader", at(1), f"new on {slug}"))
        site.articles[SLUGS[6]].paragraphs[1] = "Edited paragraph. " * 5
        site.add(article("post-new-1", published_days=1))
        site.add(article("post-new-2", published_days=1))
        site.write()
        reference = root / "reference"
        shutil.copytree(first, reference)
        assert _run(write_jobs(reference / "jobs.toml", base, now=at(1, 1), settings=FAST)) == outcome.OK
        keys = _newest_keys(reference / "archive")
        assert len(keys) == 9 and sorted(k[1] for k in keys) == [1, 1] + [2] * 7
        yield base, first, keys


@pytest.mark.parametrize("priority", [750, 850], ids=["before-jsonl-write", "before-state-commit"])
def test_kill_9_during_an_incremental_run_then_resume(
        tmp_path: Path, second_run, priority: int) -> None:  # type: ignore[no-untyped-def]
    base, first, reference = second_run
    folder = tmp_path / "job"
    shutil.copytree(first, folder)
    crash = {**FAST, "ITEM_PIPELINES": {"tests.servers.crashpoint.KillAfterItems": priority},
             "TEST_KILL_AFTER_ITEMS": 4}
    jobs = write_jobs(folder / "jobs.toml", base, now=at(1, 1), settings=crash)
    assert _run(jobs) == outcome.INTERRUPTED
    write_jobs(jobs, base, now=at(1, 1), settings=FAST)
    assert _run(jobs) == outcome.OK
    archive = folder / "archive"
    assert _newest_keys(archive) == reference
    every = [record_key(r) for d in crawl_dirs(archive) for r in records(d)]
    assert len(every) == len(set(every)) == len(SLUGS) + len(reference)  # run 1 + run 2, no duplicate
