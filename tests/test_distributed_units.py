"""Distributed mode, piece by piece: JSON serializer, Lua queue/registry, addon settings."""

from __future__ import annotations

import pickle

import pytest
import redis
import scrapy
from scrapy.settings import Settings
from scrapy.utils.request import request_from_dict

from archiver.crawl import outcome
from archiver.distributed import scripts, serializer
from archiver.distributed.addon import DistributedAddon, DistributedSetupError
from archiver.distributed.keys import CrawlKeys, redact
from archiver.distributed.registry import WorkerIdTaken, WorkerRegistry
from archiver.distributed.summary_merge import merge
from archiver.extensions.summary import REPORTED_SETTINGS


class _Spider(scrapy.Spider):
    name = "units"

    def parse(self, response: object) -> None:
        return None

    def on_error(self, failure: object) -> None:
        return None


# --- serializer ---------------------------------------------------------------------------------


def test_request_round_trips_through_json() -> None:
    spider = _Spider()
    request = scrapy.Request(
        "https://example.org/a?b=1", callback=spider.parse, errback=spider.on_error, method="POST",
        body=b"\x00\xffraw", headers={"X-Case": ["One", "Two"]}, priority=-3, dont_filter=True,
        meta={"archiver_depth": 2, "blob": b"\x01", "nested": {"list": (1, "x")}, "live": object()},
        cb_kwargs={"page": 4})
    data = serializer.dumps(request.to_dict(spider=spider))
    assert isinstance(data, str) and "\\x00" not in data
    rebuilt = request_from_dict(serializer.loads(data.encode()), spider=spider)
    assert (rebuilt.url, rebuilt.method, rebuilt.body, rebuilt.priority) == (request.url, "POST", b"\x00\xffraw", -3)
    assert rebuilt.headers.getlist("X-Case") == [b"One", b"Two"]
    assert rebuilt.callback == spider.parse and rebuilt.errback == spider.on_error
    assert rebuilt.meta == {"archiver_depth": 2, "blob": b"\x01", "nested": {"list": [1, "x"]}}
    assert rebuilt.cb_kwargs == {"page": 4} and rebuilt.dont_filter


def test_form_request_class_is_kept() -> None:
    request = scrapy.FormRequest("https://example.org/", formdata={"q": "x"})
    rebuilt = request_from_dict(serializer.loads(serializer.dumps(request.to_dict())))
    assert type(rebuilt) is scrapy.FormRequest and rebuilt.body == b"q=x"


@pytest.mark.parametrize("change", [
    {"_class": "os.system"},
    {"callback": "__init__"},
    {"callback": "close"},
    {"errback": "start"},
    {"url": "file:///etc/passwd"},
    {"v": 2},
    {"method": "CONNECT"},
])
def test_loads_refuses_what_we_never_write(change: dict[str, str]) -> None:
    import json

    document = json.loads(serializer.dumps(scrapy.Request("https://example.org/").to_dict()))
    document.update(change)
    with pytest.raises(serializer.UnsafeRequest):
        serializer.loads(json.dumps(document))


def test_loads_refuses_pickle() -> None:
    payload = pickle.dumps({"url": "https://example.org/"}, protocol=4)
    with pytest.raises(serializer.UnsafeRequest):
        serializer.loads(payload)


# --- Lua scripts and registry -------------------------------------------------------------------


def test_pop_requeue_and_state(server: redis.Redis) -> None:
    keys = CrawlKeys("t", "c1")
    alive = WorkerRegistry(server, keys, "alive", ttl=30)
    dead = WorkerRegistry(server, keys, "dead", ttl=0.5)
    alive.register()
    dead.register()
    assert alive.state() == "unseeded"
    server.zadd(keys.requests, {"low": 5, "high": -5})
    alive.mark_seeded()
    assert alive.state() == "queued:2"
    pop = server.register_script(scripts.POP)
    assert pop(keys=[keys.requests, keys.inflight("dead")], args=["id1"]) == b"high"
    assert pop(keys=[keys.requests, keys.inflight("dead")], args=["id2"]) == b"low"
    assert pop(keys=[keys.requests, keys.inflight("dead")], args=["id3"]) is None
    assert alive.state() == "busy:dead"
    assert alive.reap() == 0  # still alive: nothing taken
    server.delete(keys.heartbeat("dead"))  # its heartbeat expires
    assert alive.reap() == 2
    assert server.zrange(keys.requests, 0, -1, withscores=True) == [(b"high", -5.0), (b"low", 5.0)]
    assert alive.reap() == 0 and int(server.get(keys.requeued)) == 2
    server.delete(keys.requests)
    assert alive.state() == "done"


def test_worker_id_of_a_live_worker_is_refused(server: redis.Redis) -> None:
    keys = CrawlKeys("t", "c2")
    WorkerRegistry(server, keys, "host-1", ttl=30).register()
    with pytest.raises(WorkerIdTaken):
        WorkerRegistry(server, keys, "host-1", ttl=30).register()


def test_seeding_and_job_claims_are_first_come(server: redis.Redis) -> None:
    keys = CrawlKeys("t", "c3")
    first, second = WorkerRegistry(server, keys, "a", 30), WorkerRegistry(server, keys, "b", 30)
    assert first.claim_seeding("a") and not second.claim_seeding("b")
    assert first.check_job({"inputs": 1}) is None
    assert second.check_job({"inputs": 1}) is None
    assert second.check_job({"inputs": 2}) == {"inputs": 1}


def test_seeding_is_taken_over_only_from_a_dead_worker(server: redis.Redis) -> None:
    keys = CrawlKeys("t", "c8")
    registry = WorkerRegistry(server, keys, "me", 30)
    server.set(keys.seeding, "alive")
    server.set(keys.heartbeat("alive"), "1")
    assert not registry.take_over_seeding()
    server.set(keys.seeding, "archiver-seed-host")  # `archiver seed` reports its own failures
    assert not registry.take_over_seeding()
    server.set(keys.seeding, "dead")
    assert registry.take_over_seeding() and server.get(keys.seeding) == b"me"
    assert not registry.take_over_seeding()  # already ours


def test_record_claim_passes_to_another_worker_only_when_the_owner_died(server: redis.Redis) -> None:
    keys = CrawlKeys("t", "c4")
    claim = server.register_script(scripts.CLAIM_RECORD)
    server.set(keys.heartbeat("a"), "1")
    assert claim(keys=[keys.records, keys.heartbeat("")], args=["art", "a"]) == 1
    assert claim(keys=[keys.records, keys.heartbeat("")], args=["art", "b"]) == 0
    server.delete(keys.heartbeat("a"))
    assert claim(keys=[keys.records, keys.heartbeat("")], args=["art", "b"]) == 1


# --- addon --------------------------------------------------------------------------------------


def _settings(**values: object) -> Settings:
    settings = Settings()
    settings.setmodule("archiver.settings", priority="project")
    settings.update(values, priority="cmdline")
    return settings


def test_addon_is_inert_without_distributed() -> None:
    settings = _settings()
    DistributedAddon().update_settings(settings)
    assert settings.get("SCHEDULER") == "scrapy.core.scheduler.Scheduler"


def test_addon_wires_redis_and_keeps_command_line_values() -> None:
    settings = _settings(DISTRIBUTED="redis://:secret@127.0.0.1:6379/0", CRAWL_ID="job-1",
                         DISTRIBUTED_KEY_PREFIX="pfx", SCHEDULER_PERSIST=True)
    DistributedAddon().update_settings(settings)
    assert settings.get("SCHEDULER_QUEUE_KEY") == "pfx:job-1:requests"
    assert settings.get("SCHEDULER_SERIALIZER") == "archiver.distributed.serializer"
    assert settings.getbool("FAIL_ON_EMPTY") is False
    extensions = {getattr(k, "__name__", k): v for k, v in settings.getdict("EXTENSIONS").items()}
    assert "DistributedCrawlSummary" in extensions and "archiver.extensions.summary.CrawlSummary" not in extensions
    assert redact("redis://:secret@127.0.0.1:6379/0") == "redis://:***@127.0.0.1:6379/0"


@pytest.mark.parametrize("values", [
    {"DISTRIBUTED": "redis://127.0.0.1:6379/0"},  # no CRAWL_ID
    {"DISTRIBUTED": "http://127.0.0.1:6379/0", "CRAWL_ID": "x"},
    {"DISTRIBUTED": "redis://127.0.0.1/0", "CRAWL_ID": "x", "SCHEDULER_SERIALIZER": "scrapy_redis.picklecompat"},
])
def test_addon_refuses_unsafe_or_ambiguous_setups(values: dict[str, str]) -> None:
    with pytest.raises(DistributedSetupError):
        DistributedAddon().update_settings(_settings(**values))


# --- acknowledgements ---------------------------------------------------------------------------


def test_parent_is_acknowledged_only_once_children_and_items_are_done(server: redis.Redis) -> None:
    from scrapy.http import HtmlResponse

    from archiver.distributed.tracker import InflightTracker

    keys = CrawlKeys("t", "c5")
    tracker = InflightTracker(server, keys, "w")
    parent = scrapy.Request("https://example.org/")
    server.hset(keys.inflight("w"), "p1", "0 data")
    tracker.popped(parent, "p1")
    response = HtmlResponse(parent.url, body=b"<html></html>", request=parent)
    tracker.scraping(response)
    child = scrapy.Request("https://example.org/child")
    tracker.child_started(response, child)
    tracker.item_started(response)
    tracker.output_finished(response)  # Scrapy still processes the outputs in parallel
    assert server.hexists(keys.inflight("w"), "p1")
    tracker.child_finished(child)
    assert server.hexists(keys.inflight("w"), "p1")
    tracker.item_finished(response)
    assert not server.hexists(keys.inflight("w"), "p1") and tracker.acked == 1


def test_redirect_or_retry_replaces_the_popped_request_but_a_child_does_not(server: redis.Redis) -> None:
    from scrapy.http import HtmlResponse

    from archiver.distributed.tracker import META_KEY, InflightTracker

    tracker = InflightTracker(server, CrawlKeys("t", "c6"), "w")
    original = scrapy.Request("https://example.org/a")
    tracker.popped(original, "x1")
    redirected = original.replace(url="https://example.org/b")  # meta (and our id) copied
    assert tracker.handed_off(redirected) == "x1" and META_KEY not in redirected.meta
    page = scrapy.Request("https://example.org/c")
    tracker.popped(page, "x2")
    tracker.scraping(HtmlResponse(page.url, body=b"", request=page))
    copied_meta = scrapy.Request("https://example.org/d", meta=dict(page.meta))
    assert tracker.handed_off(copied_meta) is None and META_KEY not in copied_meta.meta


def test_redirect_to_a_seen_url_finishes_the_popped_request(server: redis.Redis) -> None:
    from archiver.distributed.tracker import InflightTracker

    keys = CrawlKeys("t", "c7")
    tracker = InflightTracker(server, keys, "w")
    original = scrapy.Request("https://example.org/old")
    server.hset(keys.inflight("w"), "r1", "0 data")
    tracker.popped(original, "r1")
    tracker.filtered(original.replace(url="https://example.org/seen"))
    assert not server.hexists(keys.inflight("w"), "r1") and tracker.acked == 1


# --- shared digest index ------------------------------------------------------------------------


def test_redis_digest_index_behaves_like_the_sqlite_one(server: redis.Redis, tmp_path: object) -> None:
    from pathlib import Path

    from archiver.distributed.digest_index import RedisDigestIndex
    from archiver.warc.digest_index import Capture, DigestIndex, Validators

    first = Capture("https://e.org/a", "sha1:AAA", "c1", "f1.warc.gz", 10, 20, "<urn:uuid:1>", "2024-01-01T00:00:00Z")
    later = Capture("https://e.org/a", "sha1:AAA", "c2", "f2.warc.gz", 0, 5, "<urn:uuid:2>", "2024-02-01T00:00:00Z")
    results = []
    for index in (DigestIndex(Path(str(tmp_path)) / "d.sqlite3"), RedisDigestIndex(server, "units")):
        with index.transaction():
            index.add_original(first)
            index.add_original(later)  # the first original wins
            index.set_validators(first.url, Validators("sha1:AAA", '"e1"', None))
        results.append((index.original(first.url, "sha1:AAA"), index.original(first.url, "sha1:BBB"),
                        index.by_record_id("<urn:uuid:1>"), index.by_record_id("<urn:uuid:2>"),
                        index.validators(first.url), index.validators("https://e.org/none")))
        index.close()
    assert results[0] == results[1]
    assert results[1][0] == first and results[1][3] is None


def test_digest_namespace_is_the_crawl_unless_an_archive_name_is_given(redis_url: str) -> None:
    from scrapy.settings import Settings

    from archiver.distributed.digest_index import RedisDigestIndex, digest_index_for
    from archiver.warc.digest_index import Capture

    def index(crawl_id: str, namespace: str = "") -> RedisDigestIndex:
        settings = Settings({"DISTRIBUTED": redis_url, "CRAWL_ID": crawl_id,
                             "DISTRIBUTED_DIGEST_NAMESPACE": namespace})
        found = digest_index_for(settings, None)  # type: ignore[arg-type]
        assert isinstance(found, RedisDigestIndex)
        return found

    capture = Capture("https://e.org/ns", "sha1:NNN", "one", "f.warc.gz", 0, 5, "<urn:uuid:ns>", "2024-01-01T00:00:00Z")
    writer = index("one")
    with writer.transaction():
        writer.add_original(capture)
    assert index("one").original(capture.url, "sha1:NNN") == capture
    assert index("two").original(capture.url, "sha1:NNN") is None  # another crawl: no revisit into it
    shared = index("one", "archive-a")
    with shared.transaction():
        shared.add_original(capture)
    assert index("two", "archive-a").original(capture.url, "sha1:NNN") == capture


# --- archiver seed ------------------------------------------------------------------------------


def test_seed_command_errors_are_one_line(redis_url: str) -> None:
    from typer.testing import CliRunner

    from archiver.cli import app

    runner = CliRunner()
    cases = [
        (["seed", "http://127.0.0.1:1/0", "--crawl-id", "x", "-a", "url=https://e.org/"], "redis://"),
        (["seed", "redis://127.0.0.1:1/0", "--crawl-id", "x", "-a", "url=https://e.org/"], "cannot reach Redis"),
        (["seed", redis_url, "--crawl-id", "x", "-a", "url=notaurl"], "not an absolute http(s) URL"),
        (["seed", redis_url, "--crawl-id", "x", "-a", "url"], "NAME=VALUE"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and "Traceback" not in result.output, result.output


def test_seed_pushes_start_requests_once(redis_url: str, server: redis.Redis) -> None:
    from typer.testing import CliRunner

    from archiver.cli import app
    from archiver.distributed import serializer as json_serializer

    runner = CliRunner()
    args = ["seed", redis_url, "--crawl-id", "seedtest", "-a", "url=https://e.org/a,https://e.org/b"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0 and "2 start requests queued" in first.output, first.output
    stored = [json_serializer.loads(data) for data in server.zrange("archiver:seedtest:requests", 0, -1)]
    assert sorted(r["url"] for r in stored) == ["https://e.org/a", "https://e.org/b"]
    assert {r["callback"] for r in stored} == {"parse_article"}
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "already seeded" in again.output
    other = runner.invoke(app, ["seed", redis_url, "--crawl-id", "seedtest", "-a", "url=https://e.org/c"])
    assert other.exit_code == 2 and "another job" in other.output


# --- merged summary -------------------------------------------------------------------------------

def _worker_summary(settings: dict[str, object], *, records: int = 5, errors: int = 1,
                    rejected: int = 0) -> dict[str, object]:
    """A worker's crawl-<worker>.json as extensions/summary.py writes it (the parts merge reads)."""
    return {"start": "2026-01-01T00:00:00+00:00", "end": "2026-01-01T00:01:00+00:00", "finish_reason": "finished",
            "stats": {"archiver/records_written": records, "downloader/response_count": 10,
                      "archiver/errors": errors},
            "counts": {"records": records},
            "page_type_rejected": [{"url": f"https://a.test/{n}", "page_type": "listing", "reason": "x"}
                                   for n in range(rejected)],
            "settings": settings}


def test_merged_outcome_reads_the_thresholds_the_workers_ran_with() -> None:
    """-s ERROR_RATE_THRESHOLD=0 ("any error fails") and -s FAIL_ON_EMPTY=False judge the merged
    crawl as they judged each worker; absent (older summaries): the defaults of archiver/settings.py."""
    assert {"ERROR_RATE_THRESHOLD", "FAIL_ON_EMPTY"} <= set(REPORTED_SETTINGS)  # what merge can read
    strict = {"ERROR_RATE_THRESHOLD": 0.0}
    assert merge([_worker_summary(strict)] * 2, [], strict)["outcome"]["exit_code"] == outcome.ERRORS
    assert merge([_worker_summary({})] * 2, [], {})["outcome"]["exit_code"] == outcome.OK  # 2/22 < 20%
    lenient = {"FAIL_ON_EMPTY": False}
    empty = [_worker_summary(lenient, records=0, errors=0)] * 2
    assert merge(empty, [], lenient)["outcome"]["exit_code"] == outcome.OK
    assert merge(empty, [], {})["outcome"]["exit_code"] == outcome.EMPTY


def test_merged_rejected_list_is_capped_like_one_workers() -> None:

    capped = {"PAGE_TYPE_REJECTED_LISTED": 3}
    merged = merge([_worker_summary(capped, rejected=3)] * 2, [], capped)
    assert len(merged["page_type_rejected"]) == 3
    many = [_worker_summary({}, rejected=80)] * 2
    assert len(merge(many, [], {})["page_type_rejected"]) == 100  # the default
