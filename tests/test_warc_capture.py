"""End-to-end WARC capture against a raw-socket server whose bytes are known, checked by real tools.

Two crawls of the same local site into one ARCHIVE_DIR: the first archives every route (gzip,
deflate, br, chunked, chunked+gzip, repeated/odd headers, redirect, binary, 404, a truncated big
body); the second, with conditional requests on, must produce revisits (and a server-not-modified
revisit for the 304). Checked with warcio, cdxj-indexer, wacz, pywb and independent hashing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from archiver.tools.wacz import write_wacz
from archiver.warc import read_response
from archiver.warc.checker import verify_warcs
from archiver.warc.httphead import split_message
from archiver.warc.index import write_indexes
from archiver.warc.reader import RawRecord, iter_records
from tests.servers import pywb_env
from tests.servers.harness import run_crawl, wire_server
from tests.servers.wire_server import ROUTES

PATHS = ["/plain", "/gzip", "/deflate", "/br", "/chunked", "/chunked-gzip", "/headers",
         "/redirect", "/etag", "/image.png", "/feed.json", "/big", "/missing", "/http10", "/lf"]
TLS_PATHS = ["/headers", "/chunked-gzip"]  # same wire fidelity over HTTPS
MAX_RECORD = 200_000
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Any:
    archive = tmp_path_factory.mktemp("archive")
    with wire_server(tmp_path_factory.mktemp("tls")) as (base, tls_base):
        assert tls_base is not None
        urls = [base + path for path in PATHS] + [tls_base + path for path in TLS_PATHS]
        first = run_crawl(urls, archive, "crawl-1", {"WARC_MAX_RECORD_SIZE": MAX_RECORD})
        time.sleep(1.1)  # replay picks captures by 14-digit timestamp: keep the crawls apart
        second = run_crawl(urls, archive, "crawl-2", {"WARC_MAX_RECORD_SIZE": MAX_RECORD,
                                                      "WARC_CONDITIONAL_REQUESTS": True})
    return {"archive": archive, "base": base, "tls_base": tls_base, "first": first,
            "second": second}


def warcs(crawled: Any, crawl: str | None = None) -> list[Path]:
    root = crawled["archive"] / crawl if crawl else crawled["archive"]
    return sorted(root.rglob("*.warc.gz"))


def records(crawled: Any, crawl: str) -> list[RawRecord]:
    return [rec for path in warcs(crawled, crawl) for rec in iter_records(path)]


def by_path(crawled: Any, crawl: str, warc_type: str) -> dict[str, list[RawRecord]]:
    found: dict[str, list[RawRecord]] = {}
    for rec in records(crawled, crawl):
        if rec.warc_type == warc_type:
            path = "/" + (rec.get("WARC-Target-URI") or "").split("/", 3)[3]
            found.setdefault(path, []).append(rec)
    return found


def b32sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def test_files_are_closed_named_and_start_with_warcinfo(crawled: Any) -> None:
    assert not list(crawled["archive"].rglob("*.open"))
    for path in warcs(crawled):
        parts = path.name.removesuffix(".warc.gz").split("-")
        assert parts[0] == "archiver" and len(parts[1]) == 17 and parts[2] == "00001"
        first = next(iter_records(path))
        assert first.warc_type == "warcinfo" and first.version == "WARC/1.1"
        assert b"isPartOf: crawl-" in first.block


def test_warcio_check_passes(crawled: Any) -> None:
    # pywb's venv has warcio with brotlipy (warcio's documented br backend); see compat.py.
    checker = pywb_env.ensure_venv() / "warcio"
    result = subprocess.run([str(checker), "check", "-v", *map(str, warcs(crawled))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "digest pass" in result.stdout and "fail" not in result.stdout


def test_warcio_and_cdxj_indexer_parse_every_record(crawled: Any) -> None:
    for path in warcs(crawled):
        ours = list(iter_records(path))
        warcio_lines = subprocess.run([str(BIN / "warcio"), "index", str(path)], check=True,
                                      capture_output=True, text=True).stdout.splitlines()
        assert len(warcio_lines) == len(ours)
        assert [json.loads(line)["offset"] for line in warcio_lines] == [
            str(rec.offset) for rec in ours]
        cdxj = subprocess.run([str(BIN / "cdxj-indexer"), "--records", "all", str(path)],
                              check=True, capture_output=True, text=True).stdout.splitlines()
        assert len(cdxj) == len(ours)  # warcinfo included, keyed "-"


def test_archived_bytes_are_the_bytes_the_server_sent(crawled: Any) -> None:
    responses = by_path(crawled, "crawl-1", "response")
    for path, wire in ROUTES.items():
        if path == "/big" or path not in responses:
            continue
        for record in responses[path]:  # http and, for TLS_PATHS, https
            head, payload = split_message(record.block)
            expected_head = wire.head.replace(b"Transfer-Encoding:", b"X-Orig-Transfer-Encoding:")
            assert head == expected_head, path
            assert payload == wire.body, path
            assert record.get("WARC-Payload-Digest") == b32sha1(wire.body), path
            assert record.get("WARC-Block-Digest") == b32sha1(record.block), path
            assert record.get("WARC-IP-Address") == "127.0.0.1"
    for path in TLS_PATHS:
        schemes = {(r.get("WARC-Target-URI") or "").split(":")[0] for r in responses[path]}
        assert schemes == {"http", "https"}, path
    assert {"/gzip", "/br", "/chunked-gzip", "/headers", "/image.png"} <= set(responses)
    assert b"\r\nSet-Cookie: a=1; Path=/\r\nx-ODD-CaSe: kept\r\nSet-Cookie: b=2" in (
        responses["/headers"][0].block)


def test_redirects_robots_and_errors_are_archived(crawled: Any) -> None:
    responses = by_path(crawled, "crawl-1", "response")
    assert responses["/redirect"][0].block.startswith(b"HTTP/1.1 301 Moved Permanently\r\n")
    assert "/robots.txt" in responses
    assert responses["/missing"][0].block.startswith(b"HTTP/1.1 404")


def test_requests_are_the_bytes_sent_and_linked(crawled: Any) -> None:
    recs = records(crawled, "crawl-1")
    ids = {rec.get("WARC-Record-ID"): rec for rec in recs}
    requests = [rec for rec in recs if rec.warc_type == "request"]
    assert len(requests) == len([r for r in recs if r.warc_type in ("response", "revisit")])
    for req in requests:
        target = ids[req.get("WARC-Concurrent-To")]
        assert target.get("WARC-Target-URI") == req.get("WARC-Target-URI")
        path = "/" + (req.get("WARC-Target-URI") or "").split("/", 3)[3]
        assert req.block.startswith(f"GET {path} HTTP/1.1\r\n".encode())
        assert b"\r\nHost: 127.0.0.1:" in req.block and req.block.endswith(b"\r\n\r\n")


def test_oversized_payload_is_truncated(crawled: Any) -> None:
    record = by_path(crawled, "crawl-1", "response")["/big"][0]
    _, payload = split_message(record.block)
    assert record.get("WARC-Truncated") == "length"
    assert payload == b"x" * MAX_RECORD


def test_pointers_round_trip(crawled: Any) -> None:
    items = crawled["first"]["items"] + crawled["second"]["items"]
    assert len(items) == 2 * (len(PATHS) + len(TLS_PATHS))  # /redirect yields the /gzip page
    for item in items:
        stored = read_response(crawled["archive"], item["warc"])
        path = "/" + item["url"].split("/", 3)[3]
        wire = ROUTES.get(path)
        if wire is None or path == "/big":
            continue
        assert stored.payload == wire.body, path
        assert item["digest"] == b32sha1(wire.body), path
        assert stored.status == 200
        if path in ("/plain", "/gzip", "/br", "/chunked-gzip", "/deflate"):
            assert stored.body == ROUTES["/plain"].body


def test_second_crawl_writes_revisits(crawled: Any) -> None:
    first = {r.get("WARC-Record-ID"): r for r in records(crawled, "crawl-1")}
    revisits = by_path(crawled, "crawl-2", "revisit")
    for path in ("/plain", "/gzip", "/br", "/chunked", "/headers", "/image.png", "/etag"):
        rec = revisits[path][0]
        original = first[rec.get("WARC-Refers-To")]
        assert original.warc_type == "response"
        assert rec.get("WARC-Refers-To-Target-URI") == original.get("WARC-Target-URI")
        assert rec.get("WARC-Refers-To-Date") == original.get("WARC-Date")
        assert rec.get("WARC-Payload-Digest") == original.get("WARC-Payload-Digest")
    assert (revisits["/plain"][0].get("WARC-Profile") or "").endswith("identical-payload-digest")
    assert revisits["/plain"][0].block.startswith(b"HTTP/1.1 200 OK\r\n")
    not_modified = revisits["/etag"][0]
    assert (not_modified.get("WARC-Profile") or "").endswith("server-not-modified")
    assert not_modified.block.startswith(b"HTTP/1.1 304 Not Modified\r\n")
    assert "/big" in by_path(crawled, "crawl-2", "response")  # truncated: never deduplicated
    request = next(r for r in by_path(crawled, "crawl-2", "request")["/etag"])
    assert b'If-None-Match: "v1-etag"' in request.block


def test_verify_index_and_wacz(crawled: Any, tmp_path: Path) -> None:
    assert verify_warcs(crawled["archive"]) == []
    indexes = write_indexes(crawled["archive"])
    assert [p.parent.name for p in indexes] == ["crawl-1", "crawl-2"]
    lines = indexes[0].read_text().splitlines()
    assert lines == sorted(lines) and len(lines) > 10
    out = write_wacz(crawled["archive"], tmp_path / "crawl.wacz")
    result = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.status, response.read()


def test_pywb_replays_original_bytes_and_resolves_revisits(crawled: Any, tmp_path: Path) -> None:
    base = crawled["base"]
    with pywb_env.wayback(tmp_path / "pywb", warcs(crawled)) as replay:
        for path in ("/plain", "/gzip", "/br", "/chunked", "/chunked-gzip", "/headers",
                     "/image.png", "/feed.json", "/http10", "/lf"):
            accept = {"Accept-Encoding": "gzip, deflate, br"}
            for when in ("2000", "2100"):  # earliest = crawl 1 response, latest = crawl 2 revisit
                status, body = _fetch(f"{replay}{when}id_/{base}{path}", accept)
                assert (status, body) == (200, ROUTES[path].body), (path, when)
        # pywb replays a 3xx revisit with its own head and no payload, so the crawl-2
        # server-not-modified revisit replays as the 304 it was; crawl 1 keeps the page.
        with pytest.raises(urllib.error.HTTPError) as not_modified:
            _fetch(f"{replay}2100id_/{base}/etag")
        assert not_modified.value.code == 304
        assert _fetch(f"{replay}2000id_/{base}/etag") == (200, ROUTES["/etag"].body)
        # Metadata records are indexed under metadata://, never under the page's own URL.
        _, cdx = _fetch(f"{replay}cdx?url={base}/plain&output=json")
        lines = [json.loads(line) for line in cdx.decode().splitlines()]
        assert len(lines) == 2 and {line["mime"] for line in lines} == {"text/html", "warc/revisit"}


def test_metadata_record_per_item(crawled: Any) -> None:
    metadata = [r for r in records(crawled, "crawl-1") if r.warc_type == "metadata"]
    responses = {r.get("WARC-Record-ID"): r for r in records(crawled, "crawl-1")}
    assert len(metadata) == len(PATHS) + len(TLS_PATHS)
    for rec in metadata:
        target = responses[rec.get("WARC-Refers-To")]
        assert rec.get("WARC-Target-URI") == "metadata://archiver/" + (
            target.get("WARC-Target-URI") or "")
        assert json.loads(rec.block)["response_record_id"] == target.get("WARC-Record-ID")


def test_killed_crawl_leaves_a_repairable_file(tmp_path: Path) -> None:
    import os
    import signal

    from tests.servers.harness import REPO

    archive = tmp_path / "archive"
    with wire_server() as (base, _):
        config = tmp_path / "config.json"
        config.write_text(json.dumps({"urls": [base + p for p in ("/plain", "/gzip", "/slow")],
                                      "out": str(tmp_path / "items.json"), "settings": {
                                          "ARCHIVE_DIR": str(archive), "CRAWL_ID": "killed"}}))
        proc = subprocess.Popen([sys.executable, "-m", "tests.servers.crawl", str(config)],
                                cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
        try:
            open_file = _wait_for_records(archive / "killed", proc, 5)  # warcinfo + 2 pairs
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
    assert any("unclosed" in p for p in verify_warcs(archive))
    assert verify_warcs(archive, repair=True) == []
    repaired = open_file.with_name(open_file.name.removesuffix(".open"))
    uris = [r.get("WARC-Target-URI") for r in iter_records(repaired)]
    assert f"{base}/plain" in uris and f"{base}/gzip" in uris
    checker = pywb_env.ensure_venv() / "warcio"
    assert subprocess.run([str(checker), "check", str(repaired)]).returncode == 0


def _wait_for_records(directory: Path, proc: subprocess.Popen[bytes], count: int) -> Path:
    """The crawl's `.open` file once it holds `count` whole records (polls, 60 s at most)."""
    for _ in range(600):
        assert proc.poll() is None, "crawl ended before it could be killed"
        for path in directory.glob("*.warc.gz.open"):
            try:
                if len(list(iter_records(path))) >= count:
                    return path
            except ValueError:
                pass  # a member being written right now
        time.sleep(0.1)
    raise AssertionError("the crawl never wrote its records")


def test_warc_disabled_writes_nothing(tmp_path: Path) -> None:
    with wire_server() as (base, _):
        result = run_crawl([base + "/gzip", base + "/redirect"], tmp_path, "off",
                           {"WARC_ENABLED": False})
    assert [item["warc"] for item in result["items"]] == [None, None]
    assert [item["body_len"] for item in result["items"]] == [len(ROUTES["/plain"].body)] * 2
    assert not list(tmp_path.rglob("*.warc.gz*"))
