"""WARC records and files without a crawl: golden bytes, heads, rotation, repair, pointers."""

from __future__ import annotations

import gzip
import itertools
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archiver.warc import httphead, read_response
from archiver.warc.archive import Exchange, WarcArchive
from archiver.warc.checker import verify_warcs
from archiver.warc.digest_index import DigestIndex
from archiver.warc.digests import is_sha1_digest, sha1_digest
from archiver.warc.reader import iter_records
from archiver.warc.record_builder import RecordIds
from archiver.warc.writer import WarcFileWriter

GOLDEN = Path(__file__).parent / "golden" / "warc" / "archive.warc"
HTML = b"<html><body>" + b"<p>hello</p>" * 50 + b"</body></html>"
# Stored, not computed: another zlib could compress differently and break the golden bytes.
GZ = (Path(__file__).parent / "golden" / "warc" / "payload.html.gz").read_bytes()
HEAD = (b"HTTP/1.1 200 OK\r\nDate: Mon, 02 Jan 2023 03:04:05 GMT\r\nSet-Cookie: a=1\r\n"
        b"content-TYPE: text/html\r\nSet-Cookie: b=2\r\nContent-Encoding: gzip\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n")
REQUEST = b"GET /a HTTP/1.1\r\nHost: example.org\r\nAccept-Encoding: gzip\r\n\r\n"


def fixed_ids() -> RecordIds:
    """Deterministic record ids and a clock ticking one second per call."""
    counter = itertools.count(1)
    start = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    ticks = itertools.count()
    return RecordIds(make_id=lambda: f"<urn:uuid:00000000-0000-4000-8000-{next(counter):012d}>",
                     now=lambda: start + timedelta(seconds=next(ticks)))


def make_archive(directory: Path, index: bool = True, max_size: int = 0) -> WarcArchive:
    ids = fixed_ids()
    writer = WarcFileWriter(directory / "crawl-x", info={"software": "archiver/test",
                            "isPartOf": "crawl-x"}, ids=ids, worker="host-1", max_size=max_size)
    digest_index = DigestIndex.in_archive(directory) if index else None
    return WarcArchive(writer, "crawl-x", digest_index, ids)


def exchange(url: str = "http://example.org/a", date: str = "2024-05-06T07:08:09.000000Z",
             **kwargs: object) -> Exchange:
    head = httphead.rename_transfer_encoding(HEAD)
    return Exchange(url=url, request_block=REQUEST, response_head=head, payload=GZ, date=date,
                    ip_address="192.0.2.1", **kwargs)  # type: ignore[arg-type]


def test_golden_file(tmp_path: Path) -> None:
    archive = make_archive(tmp_path)
    first = archive.archive(exchange())
    archive.archive(exchange(date="2024-05-06T07:09:00.000000Z"))  # same payload: revisit
    archive.write_metadata("metadata://archiver/http://example.org/a", {"k": "v"},
                           first.pointer["record_id"])
    path = archive.close()
    assert path is not None and path.name == "archiver-20240506070809000-00001-host-1.warc.gz"
    produced = b"".join(gzip.decompress(m) for m in _members(path))
    if os.environ.get("ARCHIVER_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(produced)
    assert produced == GOLDEN.read_bytes()


def _members(path: Path) -> list[bytes]:
    data = path.read_bytes()
    return [data[r.offset: r.offset + r.length] for r in iter_records(path)]


def test_pointer_and_revisit_round_trip(tmp_path: Path) -> None:
    archive = make_archive(tmp_path)
    first = archive.archive(exchange())
    second = archive.archive(exchange(date="2024-05-06T07:09:00.000000Z"))
    archive.close()
    assert (first.record_type, second.record_type) == ("response", "revisit")
    assert first.digest == second.digest == sha1_digest(GZ) and is_sha1_digest(first.digest)
    for pointer in (first.pointer, second.pointer):
        stored = read_response(tmp_path / "crawl-x", pointer)
        assert stored.body == HTML and stored.payload == GZ and stored.status == 200
        assert [v for k, v in stored.headers if k == "Set-Cookie"] == ["a=1", "b=2"]
    assert read_response(tmp_path, second.pointer).revisit_of == first.pointer["record_id"]


def test_truncated_and_empty_payloads_are_not_deduplicated(tmp_path: Path) -> None:
    archive = make_archive(tmp_path)
    assert archive.archive(exchange(truncated="length")).record_type == "response"
    assert archive.archive(exchange(truncated="length")).record_type == "response"
    empty = Exchange("http://example.org/e", REQUEST, b"HTTP/1.1 204 No Content\r\n\r\n", b"",
                     "2024-05-06T07:08:09.000000Z")
    assert [archive.archive(empty).record_type for _ in range(2)] == ["response", "response"]
    archive.close()


def test_head_helpers() -> None:
    renamed = httphead.rename_transfer_encoding(HEAD)
    assert b"X-Orig-Transfer-Encoding: chunked\r\n" in renamed and b"\nTransfer-Enc" not in renamed
    assert httphead.get_header(HEAD, "content-type") == "text/html"
    assert httphead.status_code(HEAD) == 200
    folded = b"HTTP/1.1 200 OK\r\nX-A: one\r\n  two\r\nProxy-Authorization: x\r\n  y\r\n\r\n"
    assert httphead.header_fields(folded)[0] == ("X-A", "one two")
    assert httphead.remove_header(folded, "proxy-authorization") == (
        b"HTTP/1.1 200 OK\r\nX-A: one\r\n  two\r\n\r\n")


def test_split_message_keeps_the_blank_line_with_the_head() -> None:
    assert httphead.split_message(b"HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody\r\n\r\nmore") == (
        b"HTTP/1.1 200 OK\r\nA: b\r\n\r\n", b"body\r\n\r\nmore")
    assert httphead.split_message(b"HTTP/1.0 200 OK\nA: b\n\nbody") == (b"HTTP/1.0 200 OK\nA: b\n\n", b"body")
    assert httphead.split_message(b"HTTP/1.1 200 OK\r\nA: b") == (b"HTTP/1.1 200 OK\r\nA: b", b"")


def test_rotation_keeps_pairs_together(tmp_path: Path) -> None:
    archive = make_archive(tmp_path, index=False, max_size=1500)
    pointers = [archive.archive(exchange(url=f"http://example.org/{n}")).pointer
                for n in range(4)]
    archive.close()
    files = sorted((tmp_path / "crawl-x").glob("*.warc.gz"))
    assert len(files) >= 2 and [f.name.split("-")[2] for f in files][:2] == ["00001", "00002"]
    for path in files:
        kinds = [r.warc_type for r in iter_records(path)]
        assert kinds[0] == "warcinfo" and kinds.count("response") == kinds.count("request")
    assert {p["filename"] for p in pointers} == {f.name for f in files}


def test_verify_detects_and_repairs_a_crashed_file(tmp_path: Path) -> None:
    archive = make_archive(tmp_path, index=False)
    for n in range(3):
        archive.archive(exchange(url=f"http://example.org/{n}"))
    closed = archive.close()
    assert closed is not None and verify_warcs(tmp_path) == []
    last = list(iter_records(closed))[-1]
    crashed = closed.with_name("archiver-20240506070809000-00001-gone-999999.warc.gz.open")
    crashed.write_bytes(closed.read_bytes()[:-40])  # a torn last member, as after a crash
    closed.unlink()
    problems = verify_warcs(tmp_path)
    assert any("unclosed" in p for p in problems) and any("truncated" in p for p in problems)
    assert verify_warcs(tmp_path, repair=True) == []
    repaired = crashed.with_name(crashed.name.removesuffix(".open"))
    assert repaired.stat().st_size == last.offset and verify_warcs(tmp_path) == []
    assert len(list(iter_records(repaired))) == 1 + 3 * 2 - 1


def test_verify_reports_digest_mismatch(tmp_path: Path) -> None:
    archive = make_archive(tmp_path, index=False)
    archive.archive(exchange())
    path = archive.close()
    assert path is not None
    members = _members(path)
    raw = gzip.decompress(members[1]).replace(b"Set-Cookie: a=1", b"Set-Cookie: a=9", 1)
    assert raw != gzip.decompress(members[1])
    path.write_bytes(members[0] + gzip.compress(raw) + b"".join(members[2:]))
    assert any("block digest mismatch" in p for p in verify_warcs(path))


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "identity"])
def test_decode_content(encoding: str) -> None:
    import zlib

    import brotli

    from archiver.warc import decode_content
    encoded = {"gzip": GZ, "deflate": zlib.compress(HTML), "br": brotli.compress(HTML),
               "identity": HTML}[encoding]
    assert decode_content(encoded, encoding) == HTML


def test_warcinfo_keeps_secrets_out() -> None:
    from scrapy.settings import Settings

    from archiver.warc.archive import warcinfo_fields

    settings = Settings({"USER_AGENT": "archiver/1 (+ops@example.org)", "DOWNLOAD_DELAY": 2,
                         "DISTRIBUTED": "redis://:hunter2@db:6379/0", "AWS_SECRET_ACCESS_KEY": "k",
                         "HTTPPROXY_AUTH_ENCODING": "latin-1", "ARCHIVER_CONTACT": "ops@x.org"})
    info = warcinfo_fields(settings, "crawl-9", {"archiver": "0.1.0"})
    text = "\n".join(f"{k}: {v}" for k, v in info.items())
    assert "hunter2" not in text and "AWS" not in text and "redis" not in text
    assert info["isPartOf"] == "crawl-9" and info["operator"] == "ops@x.org"
    assert info["setting-DOWNLOAD_DELAY"] == "2" and info["software"] == "archiver/0.1.0"


def test_verify_accepts_the_reference_wget_warcs(corpus: Path) -> None:
    # wget links request and response the other way round (response -> request): both are valid.
    for site in ("classic", "block-paged"):
        assert verify_warcs(corpus / "wordpress" / site / "site.warc.gz") == []


def test_verify_flags_a_request_without_response(tmp_path: Path) -> None:
    from archiver.warc.record_builder import WarcRecord

    writer = WarcFileWriter(tmp_path, ids=fixed_ids(), worker="host-1")
    writer.write([WarcRecord("request", "<urn:uuid:orphan>", "2024-05-06T07:08:09Z",
                             "http://example.org/", REQUEST)])
    path = writer.close()
    assert path is not None
    assert any("linked to no response" in p for p in verify_warcs(path))
