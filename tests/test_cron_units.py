"""Unit tests of the cron pieces: jobs file validation, revisit policy, settings, state, repair."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archiver.cron.config import ConfigError, load_jobs
from archiver.cron.job_settings import encode
from archiver.cron.resume import Plan, repair_jsonl_files
from archiver.cron.runner import crawl_command
from archiver.incremental.changes import article_commit, comment_ids, record_digest
from archiver.incremental.policy import PolicyError, RevisitPolicy
from archiver.incremental.state import ARTICLE, CrawlState
from archiver.items import ADDED_KEYS

GOOD = '''[defaults]
revisit = ["1d:1h", "*:never"]
notify_on = "always"

[jobs.blog]
site = "https://example.org/"
archive_dir = "archive/blog"
include = ["/20\\\\d\\\\d/", "/news/"]
settings = { DOWNLOAD_DELAY = 1 }

[jobs.feed]
feed = "https://example.net/feed/"
archive_dir = "/srv/archive/feed"
notify_on = "failure"
'''


def _load(tmp_path: Path, text: str) -> dict:
    path = tmp_path / "jobs.toml"
    path.write_text(text)
    return load_jobs(path)


def test_good_file_defaults_paths_and_scope(tmp_path: Path) -> None:
    jobs = _load(tmp_path, GOOD)
    blog, feed = jobs["blog"], jobs["feed"]
    assert blog.archive_dir == (tmp_path / "archive/blog").resolve()  # relative to the TOML file
    assert feed.archive_dir == Path("/srv/archive/feed")
    assert blog.revisit == ("1d:1h", "*:never") and blog.notify_on == "always"
    assert feed.notify_on == "failure"
    assert blog.spider_args == {"include": "(?:/20\\d\\d/)|(?:/news/)"}
    assert blog.log_path == blog.archive_dir / "logs" / "cron.log"
    plan = Plan("CID", tmp_path / "jobdir", False, "")
    command = crawl_command(blog, plan)
    assert command[3:7] == ["crawl", "article", "-a", "site=https://example.org/"]
    assert "INCREMENTAL=True" in command and "CRAWL_ID=CID" in command and "DOWNLOAD_DELAY=1" in command
    assert "REVISIT_POLICY=1d:1h,*:never" in command


@pytest.mark.parametrize(("text", "message"), [
    ('[jobs.t]\nsite = "https://e.org/"\narchive_dir = "a"\nsettings = {', ":4: invalid TOML: "),
    ('[jobs.t]\nsite = "https://e.org/"\narchive_dir = "a"\nmax_pagez = 3\n', ":4: jobs.t.max_pagez: unknown key"),
    ('[jobs.t]\nsite = "https://e.org/"\nfeed = "https://e.org/f"\narchive_dir = "a"\n',
     ":2: jobs.t.site: give exactly one input"),
    ('[jobs.t]\nsite = "https://e.org/"\n', ":1: jobs.t: archive_dir is required"),
    ('[jobs.t]\nsite = "ftp://e.org/"\narchive_dir = "a"\n', ":2: jobs.t.site: not an absolute http(s) URL"),
    ('[jobs.t]\nsite = "https://e.org/"\narchive_dir = "a"\nmax_pages = "ten"\n',
     ":4: jobs.t.max_pages: expected a whole number >= 0, got 'ten'"),
    ('[jobs.t]\nsite = "https://e.org/"\narchive_dir = "a"\nsettings = { JOBDIR = "x" }\n',
     ":4: jobs.t.settings: JOBDIR is managed by archiver cron"),
    ('[jobs.t]\nsite = "https://e.org/"\narchive_dir = "a"\nnotify_on = "sometimes"\n',
     ":4: jobs.t.notify_on: expected one of failure, always, never"),
    ('[jobs.t]\nsite = "https://e.org/"\narchive_dir = "a"\ninclude = "(["\n',
     ":4: jobs.t.include: invalid regular expression"),
    ('[jobs.a]\nsite = "https://e.org/"\narchive_dir = "x"\n[jobs.b]\nsite = "https://f.org/"\narchive_dir = "x"\n',
     ":6: jobs.b.archive_dir: same archive_dir as job 'a'"),
    ('[job.t]\nsite = "https://e.org/"\n', ": job: unknown top-level table"),
    ("# nothing\n", ": no jobs: add a [jobs.NAME] table"),
    ('[jobs.t]\nurls_file = "nope.txt"\narchive_dir = "a"\n', ":2: jobs.t.urls_file: no such file"),
])
def test_bad_files_give_one_line_naming_line_and_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, text)
    line = str(error.value)
    assert "\n" not in line and line.startswith(str(tmp_path / "jobs.toml"))
    assert message in line, line


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_jobs(tmp_path / "missing.toml")


def test_policy_tiers_slack_and_never() -> None:
    policy = RevisitPolicy.parse(["7d:1d", "30d:7d", "90d:30d", "*:never"])
    born = datetime(2026, 1, 1, tzinfo=UTC)
    day = timedelta(days=1)
    assert policy.is_due(now=born + 2 * day, born=born, last_fetch=None)
    assert not policy.is_due(now=born + 2 * day, born=born, last_fetch=born + 1.5 * day)
    # A daily article fetched a few minutes later yesterday is still due (slack).
    assert policy.is_due(now=born + 3 * day, born=born, last_fetch=born + 2 * day + timedelta(minutes=5))
    assert not policy.is_due(now=born + 10 * day, born=born, last_fetch=born + 6 * day)  # weekly now
    assert policy.is_due(now=born + 14 * day, born=born, last_fetch=born + 6 * day)
    assert not policy.is_due(now=born + 400 * day, born=born, last_fetch=born + 60 * day)  # never
    assert RevisitPolicy.parse("1h:10m,*:1d").interval(timedelta(minutes=30)) == timedelta(minutes=10)
    for bad in (["7d"], ["7x:1d"], [], ["*:1 day"]):
        with pytest.raises(PolicyError):
            RevisitPolicy.parse(bad)


def test_settings_encoding_merges_component_tables() -> None:
    assert encode("X", True) == "True" and encode("X", [1, 2]) == "1,2" and encode("X", 1.5) == "1.5"
    pipelines = json.loads(encode("ITEM_PIPELINES", {"my.Pipe": 850,
                                                     "archiver.pipelines.dedupe.DedupePipeline": False}))
    assert pipelines["my.Pipe"] == 850 and pipelines["archiver.pipelines.dedupe.DedupePipeline"] is None
    assert pipelines["archiver.pipelines.jsonl.JsonlWriterPipeline"] == 800


def _record(**changes: object) -> dict:
    record = {"url": "https://e.org/p/", "title": "T", "body": "B", "digest": "sha1:" + "A" * 32,
              "fetched_at": "2026-01-01T00:00:00+00:00", "warc": {"offset": 1}, "status": 200,
              "comments": [{"id": "1", "published": "2026-01-02T10:00:00+01:00", "text": "x"},
                           {"id": None, "permalink": None, "author": {"name": "N"}, "text": "y"}]}
    record.update(changes)
    return record


def test_record_digest_ignores_fetch_facts_but_not_content() -> None:
    base = record_digest(_record())
    assert record_digest(_record(fetched_at="2027-01-01", warc={"offset": 9}, digest="sha1:" + "B" * 32,
                                 version=4, new_comment_count=2)) == base
    assert record_digest(_record(body="B2")) != base
    assert comment_ids(_record()) == ["1", "N||y"]


def test_record_digest_ignores_the_keys_added_after_archives_were_first_written() -> None:
    """A record of an older archive (no added keys) and its re-extraction with them compare equal."""
    old = _record()
    assert not set(ADDED_KEYS) & set(old)
    upgraded = _record(image={"url": "https://example.org/lead.jpg"}, page_type="article",
                       comments_source="html")
    assert record_digest(upgraded) == record_digest(old)
    assert record_digest(_record(page_type="listing")) == record_digest(_record(page_type="article"))


def test_state_commit_is_idempotent_and_only_moves_forward(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite3")
    try:
        state.note_fetch("https://e.org/p/", 200, "2026-01-01T00:00:00+00:00")
        assert state.get("https://e.org/p/").kind == "page"  # type: ignore[union-attr]
        state.commit_article(article_commit(_record(version=2), fetched="2026-01-03T00:00:00+00:00"))
        state.commit_article(article_commit(_record(version=1, body="old"), fetched="2026-01-04T00:00:00+00:00"))
        page = state.get("https://e.org/p/")
        assert page is not None and page.kind == ARTICLE and page.version == 2
        assert page.first_seen == "2026-01-01T00:00:00+00:00" and page.last_fetch == "2026-01-03T00:00:00+00:00"
        assert page.newest_comment == "2026-01-02T09:00:00+00:00" and page.comment_count == 2
        state.note_fetch("https://e.org/p/", 200, "2026-01-05T00:00:00+00:00")  # leaves articles alone
        assert state.get("https://e.org/p/").last_fetch == "2026-01-03T00:00:00+00:00"  # type: ignore[union-attr]
    finally:
        state.close()


def test_resume_closes_open_jsonl_files_as_verify_repair_does(tmp_path: Path) -> None:
    (tmp_path / "records-1.jsonl.open").write_bytes(b'{"a":1}\n{"b":2}\n{"c":')
    (tmp_path / "records-2.jsonl.open").write_bytes(b'{"d":')
    (tmp_path / "records-3.jsonl").write_bytes(b'{"e":1}\n')  # finished: its .open twin is stale
    (tmp_path / "records-3.jsonl.open").write_bytes(b'{"e":1}\n{"f":')
    (tmp_path / "records-4.jsonl.gz.open").write_bytes(b"\x1f\x8b")  # compression cut short
    (tmp_path / "records-4.jsonl.open").write_bytes(b'{"g":1}\n')
    repair_jsonl_files(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records-1.jsonl", "records-3.jsonl", "records-4.jsonl"]
    assert (tmp_path / "records-1.jsonl").read_bytes() == b'{"a":1}\n{"b":2}\n'
    assert (tmp_path / "records-3.jsonl").read_bytes() == b'{"e":1}\n'
    assert (tmp_path / "records-4.jsonl").read_bytes() == b'{"g":1}\n'


def test_example_jobs_file_is_valid() -> None:
    jobs = load_jobs(Path(__file__).resolve().parent.parent / "examples" / "jobs.toml")
    assert sorted(jobs) == ["blog", "news", "reading-list"]
    assert jobs["news"].revisit == ("2d:6h", "14d:1d", "*:never")
