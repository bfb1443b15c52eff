"""Incremental state in Redis: same answers as the SQLite state, safe races, shared by workers.

The end-to-end test gives every worker of every run its own ARCHIVE_DIR (as on other machines):
a per-worker SQLite state would make the second run re-archive every article as new.
"""

from __future__ import annotations

import random
import subprocess
import threading
from pathlib import Path
from typing import Any

import redis

from archiver.distributed.state import RedisCrawlState
from archiver.incremental.state import ArticleCommit, CrawlState
from tests.cron_helpers import article, at, make_site, warc_types
from tests.distributed_kit import read_records, start_worker
from tests.servers.changing_site import Comment, serve_site


def _commit(url: str, version: int, digest: str = "r", comments: tuple[str, ...] = ()) -> ArticleCommit:
    return ArticleCommit(url=url, fetched=at(version), status=200, payload_digest=f"p{version}",
                         record_digest=f"{digest}{version}", version=version, published=at(-1),
                         comment_count=len(comments), newest_comment=None, comment_ids=list(comments),
                         etag=f'"e{version}"', last_modified=None)


def _play(state: Any) -> tuple[Any, ...]:
    """One sequence of every page call; what the state answers along the way and at the end."""
    a, b, c = "http://s/a", "http://s/b", "http://s/c"
    state.note_fetch(a, 200, at(0))
    state.note_fetch(b, 404, at(0))
    state.note_fetch(c, 503, at(0))
    seen = [state.get(a), state.get(b), state.get(c), state.get("http://s/none")]
    state.commit_article(_commit(a, 1, comments=("2", "1")))
    state.note_fetch(a, 500, at(1))  # an article row is not downgraded by a plain fetch
    state.mark_unchanged(a, at(2), 304, None)
    state.mark_unchanged(a, at(3), 200, "p-new")
    state.commit_article(_commit(a, 3))
    state.commit_article(_commit(a, 2))  # late, older: ignored
    state.commit_article(_commit(c, 1))
    state.mark_gone(c, at(4), 410)
    state.mark_unchanged("http://s/unknown", at(4), 200, "x")  # no row: nothing
    state.mark_gone("http://s/unknown", at(4), 404)
    seen += [state.get(a), state.get(c), state.get("http://s/unknown")]
    return (seen, sorted(page.url for page in state.articles()), state.counts(),
            state.get(a).comment_id_set() if state.get(a) else None)


def test_redis_state_answers_like_the_sqlite_state(server: redis.Redis, tmp_path: Path) -> None:
    local = CrawlState(tmp_path / "state.sqlite3")
    try:
        expected = _play(local)
    finally:
        local.close()
    shared = _play(RedisCrawlState(server, "same", "test"))
    assert shared == expected
    assert expected[2] == {"article": 1, "gone": 2}  # the sequence really exercised the kinds
    assert expected[0][4].version == 3 and expected[0][4].payload_digest == "p3"
    assert all(key.startswith(b"test:state:same:") for key in server.keys("*"))


def test_concurrent_commits_keep_the_newest_whole_version(server: redis.Redis) -> None:
    """Two clients commit versions 1..N interleaved: the state ends at N with N's own row."""
    url, top = "http://s/race", 60
    versions = list(range(1, top + 1))
    random.Random(7).shuffle(versions)
    outcomes: list[tuple[int, int]] = []

    def worker(mine: list[int], tag: str) -> None:
        # A client (connection) of its own, like another worker process.
        state = RedisCrawlState(redis.Redis.from_url(f"redis://{_hostport(server)}/0"), "race")
        for version in mine:
            state.commit_article(_commit(url, version, digest=tag))
            page = state.get(url)
            assert page is not None
            outcomes.append((version, page.version))

    threads = [threading.Thread(target=worker, args=(versions[0::2], "x")),
               threading.Thread(target=worker, args=(versions[1::2], "y"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    page = RedisCrawlState(server, "race").get(url)
    assert page is not None and page.version == top
    tag = "x" if top in versions[0::2] else "y"
    assert (page.record_digest, page.etag, page.payload_digest) == (f"{tag}{top}", f'"e{top}"', f"p{top}")
    # Monotonic from every client's view: a committed version is never replaced by an older one.
    assert all(after >= committed for committed, after in outcomes) and len(outcomes) == top


def _hostport(server: redis.Redis) -> str:
    kwargs = server.connection_pool.connection_kwargs
    return f"{kwargs['host']}:{kwargs['port']}"


def test_namespace_defaults_to_one_per_archive_not_per_crawl(redis_url: str) -> None:
    from scrapy.settings import Settings

    one = RedisCrawlState.from_settings(Settings({"DISTRIBUTED": redis_url, "CRAWL_ID": "a"}))
    two = RedisCrawlState.from_settings(Settings({"DISTRIBUTED": redis_url, "CRAWL_ID": "b"}))
    named = RedisCrawlState.from_settings(Settings({"DISTRIBUTED": redis_url, "CRAWL_ID": "a",
                                                    "DISTRIBUTED_STATE_NAMESPACE": "blog",
                                                    "DISTRIBUTED_KEY_PREFIX": "p"}))
    assert one.pages_key == two.pages_key == "archiver:state:default:pages"
    assert named.pages_key == "p:state:blog:pages"


# --- end to end ----------------------------------------------------------------------------------


def _run(base: str, tmp: Path, redis_url: str, crawl: str, now: str) -> list[Path]:
    """Two distributed incremental workers, each with its own ARCHIVE_DIR; → their crawl dirs.

    Every run gets new ARCHIVE_DIRs (new machines): a state kept in an ARCHIVE_DIR is never seen
    again, whichever worker happens to fetch which page.
    """
    settings = {"DISTRIBUTED": redis_url, "CRAWL_ID": crawl, "INCREMENTAL": True,
                "INCREMENTAL_NOW": now, "WARC_CONDITIONAL_REQUESTS": True,
                "DISTRIBUTED_STATE_NAMESPACE": "e2e", "DISTRIBUTED_DIGEST_NAMESPACE": "e2e",
                "AUTOTHROTTLE_ENABLED": False, "RETRY_ENABLED": False, "WP_REST_COMMENTS": False,
                "LOG_LEVEL": "INFO"}
    workers = [start_worker(f"{base}/", tmp / f"{crawl}-machine-{n}", tmp / f"{crawl}-{n}.log", settings)
               for n in range(2)]
    for n, worker in enumerate(workers):
        try:
            code = worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            raise
        assert code == 0, (tmp / f"{crawl}-{n}.log").read_text(errors="replace")[-3000:]
    return [tmp / f"{crawl}-machine-{n}" / crawl for n in range(2)]


def _slugs(dirs: list[Path]) -> dict[str, dict[str, Any]]:
    records = [record for path in dirs if path.is_dir() for record in read_records(path)]
    by_slug = {r["url"].rstrip("/").rsplit("/", 1)[-1]: r for r in records}
    assert len(by_slug) == len(records), "a record was written twice"
    return by_slug


def test_two_workers_on_two_archive_dirs_share_the_incremental_state(
        tmp_path: Path, redis_url: str, server: redis.Redis) -> None:
    site = make_site(tmp_path / "site", ["steady", "chatty", "edited"])
    with serve_site(site.root) as base:
        first = _slugs(_run(base, tmp_path, redis_url, "run-1", at(0)))
        assert sorted(first) == ["chatty", "edited", "steady"]
        assert {r["version"] for r in first.values()} == {1}

        site.add(article("fresh", published_days=1))
        site.articles["chatty"].comments.append(Comment(999, "Late Reader", at(1), "A new comment"))
        site.articles["edited"].paragraphs[0] = "This paragraph was rewritten after publication. " * 3
        site.write()
        dirs = _run(base, tmp_path, redis_url, "run-2", at(1, 1))
    second = _slugs(dirs)
    assert sorted(second) == ["chatty", "edited", "fresh"]
    assert (second["fresh"]["version"], second["chatty"]["version"], second["edited"]["version"]) == (1, 2, 2)
    assert second["chatty"]["new_comment_count"] == 1
    assert second["chatty"]["previous_digest"] == first["chatty"]["digest"]
    revisits = [t for path in dirs if path.is_dir() for t, p, _ in warc_types(path)
                if t == "revisit" and p == "posts/steady/"]
    assert len(revisits) == 1
    state = RedisCrawlState(server, "e2e")
    versions = {page.url.rstrip("/").rsplit("/", 1)[-1]: page.version for page in state.articles()}
    assert versions == {"steady": 1, "chatty": 2, "edited": 2, "fresh": 1}
    assert not list(tmp_path.glob("*-machine-*/cron-state.sqlite3"))
