"""Bad input from a hostile server: every case gives one log line and a stat, and the crawl goes on.

One real crawl (`scrapy crawl article -a urls_file=…`) fetches every hostile route of
tests/hostile_server.py at once; the tests below read its log, stats and records. Good control
pages are in the same crawl, so "the crawl goes on" is checked against the same run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.crawling import CrawlResult, run_crawl
from tests.hostile_server import CHINESE, CYRILLIC, JAPANESE, HostileServer, hostile_server, prepare_heavy_payloads

CAP = 16 * 1024 * 1024  # DOWNLOAD_MAXSIZE for this crawl: bombs and the 50 MB page must hit it

# path -> text the record body must contain ("" = any record)
RECORDED = {
    "/good/one": "perfectly good article",
    "/good/two": "perfectly good article",
    "/html/truncated": "Paragraph 4",
    "/html/nul-bytes": "perfectly good",
    "/charset/cp1251-meta": CYRILLIC,
    "/charset/shift-jis": JAPANESE,
    "/charset/gb18030": CHINESE,
    "/charset/utf16-bom": CYRILLIC,
    "/charset/wrong-header": "Paragraph 3",
    "/charset/mixed": "Paragraph 3",
    "/type/html-as-octet-stream": "perfectly good",
    "/huge/many-headers": "perfectly good",
    "/limit/429": "perfectly good",
    "/limit/503-date": "perfectly good",
    "/limit/429-garbage": "perfectly good",
    "/redirect/chain?n=5": "perfectly good",
}
# path -> (stat that counts it, words of its one WARNING line)
SKIPPED = {
    "/type/binary-as-html": ("archiver/not_html", "binary content served as HTML"),
    "/type/pdf": ("archiver/not_html", "not HTML"),
    "/type/empty": ("archiver/empty_response", "empty response body"),
    "/type/whitespace": ("archiver/empty_response", "empty response body"),
    "/redirect/loop-a": ("archiver/redirect_loop", "redirect loop"),
    "/redirect/self": ("archiver/redirect_loop", "redirect loop"),
    "/redirect/chain?n=30": ("archiver/ignored", "max redirections reached"),
    "/bomb/gzip": ("archiver/ignored", "exceeded DOWNLOAD_MAXSIZE"),
    "/bomb/brotli": ("archiver/ignored", "exceeded DOWNLOAD_MAXSIZE"),
    "/bomb/double-gzip": ("archiver/ignored", "exceeded DOWNLOAD_MAXSIZE"),
}
# path -> error kind counted under archiver/error/<kind>
FAILED = {
    "/net/reset-before": "DownloadFailedError",
    "/net/reset-mid-body": "ResponseDataLossError",
    "/net/close-mid-body": "ResponseDataLossError",
    "/net/bad-chunked": "ResponseDataLossError",
    "/net/chunked-no-end": "ResponseDataLossError",
    "/net/garbage-status": "DownloadFailedError",
    "/net/silent": "DownloadTimeoutError",
    "/net/slow-loris": "DownloadTimeoutError",
    "/net/slow-head": "DownloadTimeoutError",
    "/huge/header-line": "DownloadFailedError",
    "/huge/page": "DownloadCancelledError",
    "/bomb/bad-gzip": "error",
    "/redirect/bad-location": "ValueError",
    "/redirect/no-location": "http_302",
    "/limit/429-forever": "http_429",
}
OFFSITE = ["/redirect/offsite"]


@pytest.fixture(scope="module")
def server() -> HostileServer:  # type: ignore[misc]
    prepare_heavy_payloads()
    with hostile_server() as running:
        yield running


@pytest.fixture(scope="module")
def crawl(server: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    work = tmp_path_factory.mktemp("hostile")
    targets = [*RECORDED, *SKIPPED, *FAILED, *OFFSITE]
    (work / "urls.txt").write_text("\n".join(server.url(t) for t in targets) + "\n", encoding="utf-8")
    return run_crawl(work / "archive", f"urls_file={work / 'urls.txt'}", timeout=180, settings={
        "DOWNLOAD_TIMEOUT": "3", "RETRY_TIMES": "1", "DOWNLOAD_MAXSIZE": str(CAP),
        "DOWNLOAD_WARNSIZE": str(CAP // 2), "MEMUSAGE_CHECK_INTERVAL_SECONDS": "0.25",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "16"})


def _problem_lines(crawl: CrawlResult, target: str) -> list[str]:
    """The spider's WARNING/ERROR lines naming this target's URL (its one line per failure)."""
    pattern = re.compile(r"\[article\] (WARNING|ERROR|CRITICAL):")
    return [line for line in crawl.stderr.splitlines() if pattern.search(line) and target in line]


def _all_problem_lines(crawl: CrawlResult, target: str) -> list[str]:
    """Every WARNING/ERROR line naming the target: the spider's plus at most one from Scrapy."""
    pattern = re.compile(r"\b(WARNING|ERROR|CRITICAL)\b")
    return [line for line in crawl.stderr.splitlines() if pattern.search(line) and target in line]


def _records_by_path(crawl: CrawlResult) -> dict[str, dict]:  # type: ignore[type-arg]
    out = {}
    for record in crawl.records():
        path = record["url"].split("://", 1)[1].split("/", 1)[1]
        out["/" + path] = record
    return out


def test_crawl_finishes_with_truthful_exit_code_and_no_traceback(crawl: CrawlResult) -> None:
    assert "Traceback" not in crawl.stderr
    summary = crawl.summary()
    assert summary["finish_reason"] == "finished"
    assert crawl.returncode == summary["outcome"]["exit_code"], crawl.stderr[-2000:]
    assert summary["counts"]["errors"] == len(FAILED)


@pytest.mark.parametrize("target", sorted(RECORDED))
def test_bad_but_readable_pages_are_archived(crawl: CrawlResult, target: str) -> None:
    records = _records_by_path(crawl)
    final = "/redirect/chain?n=0" if target.startswith("/redirect/chain") else target
    assert final in records, f"no record for {target}; have {sorted(records)}"
    assert RECORDED[target] in (records[final]["body"] or "")
    assert not _problem_lines(crawl, target) or target.startswith("/limit/")


@pytest.mark.parametrize("target", sorted(SKIPPED))
def test_unusable_pages_give_one_warning_and_a_stat(crawl: CrawlResult, target: str) -> None:
    stat, words = SKIPPED[target]
    # Bombs are reported by Scrapy's HttpCompressionMiddleware; the spider then stays quiet.
    lines = _problem_lines(crawl, target) or _all_problem_lines(crawl, target)
    assert len(lines) == 1, lines
    assert words in lines[0] or words in "".join(_all_problem_lines(crawl, target))
    assert len(_all_problem_lines(crawl, target)) <= 2
    assert crawl.summary()["stats"].get(stat, 0) >= 1
    assert target not in _records_by_path(crawl)


@pytest.mark.parametrize("target", sorted(FAILED))
def test_network_faults_give_one_error_line_and_a_stat(crawl: CrawlResult, target: str) -> None:
    lines = _problem_lines(crawl, target)
    assert len(lines) == 1, lines
    assert len(_all_problem_lines(crawl, target)) <= 2
    kind = FAILED[target]
    assert crawl.summary()["counts"]["errors_by_kind"].get(kind, 0) >= 1, kind
    assert target not in _records_by_path(crawl)


def test_offsite_redirect_is_not_followed(crawl: CrawlResult) -> None:
    assert crawl.summary()["stats"]["archiver/offsite_dropped"] >= 1
    assert "offsite.invalid" not in "".join(r["url"] for r in crawl.records())
    assert "Not following http://offsite.invalid/stolen (redirect)" in crawl.stderr


def test_compression_bombs_keep_memory_bounded(crawl: CrawlResult) -> None:
    """Each bomb inflates to 1 GiB; decompression stops at DOWNLOAD_MAXSIZE (Scrapy streams it)."""
    stats = crawl.summary()["stats"]
    assert stats["memusage/max"] - stats["memusage/startup"] < 12 * CAP, stats["memusage/max"]
    # The ratio guard stopped the brotli and the nested bomb at DECOMPRESSION_MIN_LIMIT (8 MB); the
    # 1 MB gzip bomb may inflate to 200 MB by ratio, so DOWNLOAD_MAXSIZE (16 MB here) stopped it.
    assert stats["archiver/decompression_bomb"] == 2


def test_retry_after_is_waited_for(crawl: CrawlResult, server: HostileServer) -> None:
    for target, at_least in (("/limit/429", 2.0), ("/limit/503-date", 1.0)):
        first, second = server.hit_times(target)[:2]
        assert second - first >= at_least - 0.05, (target, second - first)
    stats = crawl.summary()["stats"]
    assert stats["archiver/retry_after/waited"] == 2


def test_retry_after_beyond_the_cap_is_not_retried_early(crawl: CrawlResult, server: HostileServer) -> None:
    assert len(server.hit_times("/limit/429-forever")) == 1
    assert crawl.summary()["stats"]["archiver/retry_after/too_long"] == 1
    assert "Not waiting 86400s" in crawl.stderr


def test_every_downloaded_exchange_is_in_the_warc(crawl: CrawlResult) -> None:
    """Bad responses are evidence too: what came over the wire is archived, nothing lost."""
    files = list(crawl.crawl_dir.glob("*.warc.gz"))
    assert files and not list(crawl.crawl_dir.glob("*.open"))
    from warcio.archiveiterator import ArchiveIterator

    uris = set()
    for path in files:
        with path.open("rb") as stream:
            uris |= {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(stream)
                     if r.rec_type == "response"}
    for target in ("/type/empty", "/type/binary-as-html", "/bomb/gzip", "/limit/429"):
        assert any(u and u.endswith(target) for u in uris), target


def test_odd_links_are_resolved_or_ignored_quietly(server: HostileServer, tmp_path: Path) -> None:
    """Relative, protocol-relative, padded, spaced, percent-encoded links are followed (resolved
    against the page); javascript:, data:, vbscript:, mailto: and off-site IDN links are not."""
    before = {target: len(times) for target, times in server.hits.items()}
    crawl = run_crawl(tmp_path, f"site={server.url('/links')}", settings={"MAX_DEPTH": "1",
                                                                          "FAIL_ON_EMPTY": "False"})
    assert "Traceback" not in crawl.stderr
    fetched = {target for target, times in server.hits.items() if len(times) > before.get(target, 0)}
    assert {"/good/one", "/good/two", "/good/with%20space", "/good/%E2%82%AC"} <= fetched, fetched
    assert not [t for t in fetched if "script" in t.lower() or t.startswith(("data", "mailto"))]
    assert crawl.summary()["counts"]["errors"] == 0, crawl.summary()["counts"]
    assert "xn--bcher" not in crawl.stderr  # off-site IDN links are never even requested


def test_seed_urls_with_spaces_unicode_and_percent_encoding(server: HostileServer, tmp_path: Path) -> None:
    seeds = [server.url("/good/one two"), server.url("/good/ünï?q=ä b"), server.url("/good/%7Etwo")]
    (tmp_path / "urls.txt").write_text("\n".join(seeds) + "\n", encoding="utf-8")
    crawl = run_crawl(tmp_path / "archive", f"urls_file={tmp_path / 'urls.txt'}")
    assert "Traceback" not in crawl.stderr and crawl.returncode == 0, crawl.stderr[-2000:]
    urls = sorted(r["url"] for r in crawl.records())
    assert urls == sorted([server.url("/good/%7Etwo"), server.url("/good/%C3%BCn%C3%AF?q=%C3%A4%20b"),
                           server.url("/good/one%20two")])


def test_broken_comment_markup_keeps_the_thread_and_the_log_clean(server: HostileServer, tmp_path: Path) -> None:
    """A hostile comment thread must not cost the thread, print a traceback, or leak markup."""
    crawl = run_crawl(tmp_path, f"url={server.url('/html/comment-soup')}")
    assert "Traceback" not in crawl.stderr, crawl.stderr[-3000:]
    [record] = crawl.records()
    assert len(record["comments"]) == 4
    # Escaped markup stays text ("&lt;img … onerror=…&gt;" is harmless); no element may carry it.
    assert all("<img" not in (c["html"] or "") for c in record["comments"])
    assert any("&lt;img" in (c["html"] or "") for c in record["comments"])


def test_sigterm_during_a_retry_after_wait_stops_promptly(server: HostileServer, tmp_path: Path) -> None:
    """A 100 s Retry-After must not hold a SIGTERM (systemd stop) hostage."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.crawling import REPO

    log = tmp_path / "crawl.log"
    command = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"url={server.url('/limit/429-100')}",
               "-s", f"ARCHIVE_DIR={tmp_path / 'archive'}", "-s", "AUTOTHROTTLE_ENABLED=False"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="archiver.settings")
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while b"waiting 100.0s (Retry-After)" not in log.read_bytes():
            assert time.monotonic() < deadline and process.poll() is None, log.read_text()[-3000:]
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(30)  # far less than the 100 s asked for
        except subprocess.TimeoutExpired:
            process.kill()
            raise AssertionError("SIGTERM waited for Retry-After") from None
    text = log.read_text()
    assert "Traceback" not in text
    assert "gave up waiting for Retry-After" in text
    assert code == 5, text[-2000:]  # INTERRUPTED
