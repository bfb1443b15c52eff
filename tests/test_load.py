"""archiver.load on fixed archives: order, filters, partial files, latest_only, typed records, threads."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archiver import load
from archiver.load.pages import dechunk
from tests.archive_kit import build_archive, comment, page_body, record, write_jsonl, write_warc


def urls(items) -> list[str]:
    return [r["url"] for r in items]


def test_records_are_merged_in_fetch_order_across_crawls_workers_and_formats(tmp_path: Path) -> None:
    crawl_a, crawl_b = tmp_path / "20240101T000000Z-aaaaaa", tmp_path / "20240102T000000Z-bbbbbb"
    # worker 1 rotated two files; worker 2 wrote gz; writes lag fetches a little (out of order by one)
    write_jsonl(crawl_a / "records-20240101000000-00001-h-1.jsonl",
                [record("https://a.org/2", "2024-01-01T00:02:00Z"), record("https://a.org/1", "2024-01-01T00:01:00Z")])
    write_jsonl(crawl_a / "records-20240101000500-00002-h-1.jsonl", [record("https://a.org/5", "2024-01-01T00:05:00Z")])
    write_jsonl(crawl_a / "records-20240101000000-00001-h-2.jsonl.gz",
                [record("https://a.org/3", "2024-01-01T00:03:00+00:00"),
                 record("https://a.org/4", "2024-01-01T01:04:00+01:00")], gz=True)  # = 00:04 UTC
    write_jsonl(crawl_b / "records-20240102000000-00001-h-3.jsonl", [record("https://b.org/6", "2024-01-02T00:00:00Z")])
    assert urls(load.records(tmp_path)) == [
        "https://a.org/1", "https://a.org/2", "https://a.org/3", "https://a.org/4", "https://a.org/5", "https://b.org/6"]
    assert urls(load.records(crawl_b)) == ["https://b.org/6"]
    single = crawl_a / "records-20240101000500-00002-h-1.jsonl"
    assert urls(load.records(single)) == ["https://a.org/5"]


def test_since_and_site_filters(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "c" / "records-20240101000000-00001-h-1.jsonl", [
        record("https://www.example.org/a", "2024-01-01T00:00:00Z"),
        record("https://blog.example.org/b", "2024-02-01T00:00:00Z"),
        record("https://other.net/c", "2024-03-01T00:00:00Z"),
        record("http://127.0.0.1:8000/d", "2024-03-02T00:00:00Z"),
    ])
    assert urls(load.records(tmp_path, site="example.org")) == ["https://www.example.org/a", "https://blog.example.org/b"]
    assert urls(load.records(tmp_path, site="https://other.net/")) == ["https://other.net/c"]
    assert urls(load.records(tmp_path, site="127.0.0.1:8000")) == ["http://127.0.0.1:8000/d"]
    assert urls(load.records(tmp_path, site="127.0.0.1:9")) == []
    assert urls(load.records(tmp_path, since="2024-02-01T00:00:00Z")) == [
        "https://blog.example.org/b", "https://other.net/c", "http://127.0.0.1:8000/d"]
    assert urls(load.records(tmp_path, since=datetime(2024, 3, 1, 12, tzinfo=UTC))) == ["http://127.0.0.1:8000/d"]


def test_open_file_partial_last_line_is_skipped_and_superseded_open_file_ignored(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    whole = json.dumps(record("https://a.org/1", "2024-01-01T00:00:00Z")) + "\n"
    cut = json.dumps(record("https://a.org/2", "2024-01-01T00:01:00Z"))[:50]
    crawl.mkdir()
    (crawl / "records-20240101000000-00001-h-1.jsonl.open").write_text(whole + cut, encoding="utf-8")
    assert urls(load.records(tmp_path)) == ["https://a.org/1"]
    # the writer's compression finished but it died before removing the .open file: no duplicates
    (crawl / "records-20240101000000-00001-h-2.jsonl.open").write_text(whole, encoding="utf-8")
    (crawl / "records-20240101000000-00001-h-2.jsonl.gz").write_bytes(gzip.compress(whole.encode()))
    assert urls(load.records(tmp_path)) == ["https://a.org/1", "https://a.org/1"]


def test_a_finished_file_with_a_bad_line_raises_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "records-20240101000000-00001-h-1.jsonl"
    path.write_text(json.dumps(record("https://a.org/1", "2024-01-01T00:00:00Z")) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(load.LoadError, match=r"records-.*\.jsonl:2: not JSON"):
        list(load.records(path))


def test_validate_raises_on_invalid_record_and_can_be_turned_off(tmp_path: Path) -> None:
    bad = record("https://a.org/1", "2024-01-01T00:00:00Z", status="two hundred")
    path = write_jsonl(tmp_path / "records-20240101000000-00001-h-1.jsonl", [bad])
    with pytest.raises(load.LoadError, match=r":1: invalid record: status"):
        list(load.records(path))
    assert urls(load.records(path, validate=False)) == ["https://a.org/1"]


def test_latest_only_keeps_the_newest_capture_per_url(tmp_path: Path) -> None:
    build_archive(tmp_path)
    latest = list(load.records(tmp_path, latest_only=True))
    assert [(r["url"], r["title"]) for r in latest] == [
        ("https://news.example.com/story", "A story"),
        ("https://blog.example.org/2024/05/first", "First post (edited)"),
    ]
    assert len(list(load.records(tmp_path))) == 3


def test_latest_only_tie_on_time_goes_to_the_later_line(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "records-20240101000000-00001-h-1.jsonl", [
        record("https://a.org/1", "2024-01-01T00:00:00Z", title="old"),
        record("https://a.org/1", "2024-01-01T00:00:00Z", title="new"),
    ])
    assert [r["title"] for r in load.records(tmp_path, latest_only=True)] == ["new"]


def test_typed_records_round_trip_and_keep_unknown_keys(tmp_path: Path) -> None:
    build_archive(tmp_path)
    plain = list(load.records(tmp_path))
    typed = list(load.records(tmp_path, typed=True))
    assert [t.to_dict() for t in typed] == [dict(p) for p in plain]
    first = typed[0]
    assert first.fetched == datetime(2024, 5, 1, 8, tzinfo=UTC)
    assert first.media[0].width == 800 and first.comments[1].author.name == "Ada"
    assert first.warc is not None and first.warc.offset > 0
    extra = load.Record.from_dict({**plain[0], "crawl_id": "x"})
    assert extra.extra == {"crawl_id": "x"} and extra.to_dict()["crawl_id"] == "x"


def test_page_html_reads_through_the_pointer_for_dicts_and_typed(tmp_path: Path) -> None:
    build_archive(tmp_path)
    for rec in load.records(tmp_path):
        assert load.page_html(rec) == page_body(rec["url"]).decode()
    typed = next(load.records(tmp_path, typed=True))
    response = load.page_response(typed)
    assert response.status == 200 and response.header("content-type") == "text/html; charset=utf-8"
    assert response.encoding == "utf-8"
    plain = dict(next(load.records(tmp_path)))  # a plain dict needs the directory
    with pytest.raises(ValueError, match="directory"):
        load.page_html(plain)
    assert "Archived" in load.page_html(plain, tmp_path)
    with pytest.raises(LookupError, match="no WARC pointer"):
        load.page_html({**plain, "warc": None}, tmp_path)


def test_comments_tree_nests_replies_in_display_order() -> None:
    rec = record("https://a.org/", "2024-01-01T00:00:00Z", comments=[
        comment("1", None, 1, "A", "one"), comment("2", "1", 2, "B", "two"), comment("3", "2", 3, "C", "three"),
        comment("4", "1", 2, "D", "four"), comment("5", None, 1, "E", "five")])
    roots = load.comments_tree(rec)
    assert [n.id for n in roots] == ["1", "5"]
    assert [c.id for c in roots[0].children] == ["2", "4"]
    assert [(d, n.id) for d, n in load.walk(roots)] == [(c["depth"], c["id"]) for c in rec["comments"]]
    nested = roots[0].to_dict()
    assert nested["replies"][0]["replies"][0]["text"] == "three"
    typed = load.Record.from_dict(rec)
    assert [(d, n.id) for d, n in load.walk(load.comments_tree(typed))] == [(d, n.id) for d, n in load.walk(roots)]


def test_comments_tree_keeps_orphans_and_survives_cycles() -> None:
    rec = record("https://a.org/", "2024-01-01T00:00:00Z", comments=[
        comment("1", None, 1, "A", "root"), comment("2", "99", 2, "B", "reply to a deleted comment"),
        comment("3", "4", 2, "C", "cycle"), comment("4", "3", 3, "D", "cycle")])
    roots = load.comments_tree(rec)
    assert sorted(n.id for _, n in load.walk(roots)) == ["1", "2", "3", "4"]  # nothing lost, nothing twice
    orphans = {n.id for n in roots if n.orphan}
    assert "2" in orphans and orphans & {"3", "4"}


def test_dechunk() -> None:
    assert dechunk(b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n") == b"hello world"
    assert dechunk(b"<html>not chunked</html>") == b"<html>not chunked</html>"


def test_missing_path_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(load.records(tmp_path / "nope"))


def test_fast_validation_agrees_with_jsonschema(tmp_path: Path) -> None:
    from archiver.schema import _fast_validator, detailed_errors
    from archiver.schema import record_errors as errors

    assert _fast_validator() is not None  # fastjsonschema is a dependency: the fast path is exercised
    build_archive(tmp_path)
    good = [dict(r) for r in load.records(tmp_path)]
    broken = []
    for rec in good:
        broken += [{**rec, "status": True}, {**rec, "status": "200"}, {**rec, "unknown": 1},
                   {**rec, "digest": "md5:abc"}, {**rec, "language": "english!"},
                   {**rec, "warc": {k: v for k, v in rec["warc"].items() if k != "offset"}}]
        if rec["comments"]:
            broken.append({**rec, "comments": [{**c, "depth": 0} for c in rec["comments"]]})
        if rec["media"]:
            broken.append({**rec, "media": [{**m, "type": "gif"} for m in rec["media"]]})
    for rec in good:
        assert errors(rec) == [] == detailed_errors(rec)
    for rec in broken:
        assert errors(rec) == detailed_errors(rec) != []


def test_progress_is_told_every_byte_read(tmp_path: Path) -> None:
    build_archive(tmp_path)
    write_jsonl(tmp_path / "gz" / "records-20240101000000-00001-h-1.jsonl.gz",
                [record("https://a.org/1", "2024-01-01T00:00:00Z")], gz=True)
    seen: list[int] = []
    assert len(list(load.records(tmp_path, progress=seen.append))) == 4
    files = load.discover(tmp_path)
    assert sum(seen) == sum(f.path.stat().st_size for f in files) and all(n >= 0 for n in seen)


def test_page_html_undoes_chunking_gzip_and_reads_uncompressed_warcs_and_legacy_charsets(tmp_path: Path) -> None:
    html = "<html><head><meta charset='windows-1252'></head><body>Café “quotes”</body></html>"
    encoded = html.encode("cp1252")
    packed = gzip.compress(encoded, mtime=0)
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (packed[:10], packed[10:])) + b"0\r\n\r\n"
    url = "https://a.org/page"
    cases = {
        "chunked-gzip.warc.gz": (chunked, [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked"),
                                           ("Content-Encoding", "gzip")], True),
        "plain.warc": (encoded, [("Content-Type", "text/html")], False),
    }
    for name, (payload, headers, gz) in cases.items():
        crawl = tmp_path / name.split(".")[0]
        pointer = write_warc(crawl / name, [(url, "2024-01-01T00:00:00Z", payload)], gz=gz, headers=headers)[0]
        rec = record(url, "2024-01-01T00:00:00Z", warc=pointer)
        write_jsonl(crawl / "records-20240101000000-00001-h-1.jsonl", [rec])
        loaded = next(load.records(crawl))
        response = load.page_response(loaded)
        assert response.body == encoded, name
        assert response.encoding == "cp1252" and load.page_html(loaded) == html, name


def test_unparseable_since_is_an_error_not_a_silent_no_filter(tmp_path: Path) -> None:
    build_archive(tmp_path)
    with pytest.raises(ValueError, match="since"):
        list(load.records(tmp_path, since="yesterday"))
