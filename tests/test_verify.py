"""archiver.tools.verify: a sound archive passes; each kind of damage is caught; --repair finishes .open files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archiver.tools.verify import verify
from tests.archive_kit import build_archive, record, write_jsonl

CRAWL = "20240501T000000Z-aaaaaa"


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    return build_archive(tmp_path / "archive")


def checks(report) -> set[str]:
    return {p.check for p in report.problems}


def jsonl_of(archive: Path) -> Path:
    return next((archive / CRAWL).glob("records-*.jsonl"))


def rewrite_first_record(archive: Path, change) -> None:
    path = jsonl_of(archive)
    lines = path.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    change(first)
    path.write_text("\n".join([json.dumps(first)] + lines[1:]) + "\n", encoding="utf-8")


def test_a_sound_archive_passes(archive: Path) -> None:
    report = verify(archive)
    assert report.ok, [str(p) for p in report.problems]
    assert (report.crawls, report.jsonl_files, report.records, report.pointers, report.warc_files) == (2, 2, 3, 3, 2)


def test_truncated_warc_is_caught(archive: Path) -> None:
    warc = next((archive / CRAWL).glob("*.warc.gz"))
    warc.write_bytes(warc.read_bytes()[:-40])
    report = verify(archive)
    assert "warc" in checks(report)
    assert "pointer" in checks(report)  # the last record's pointer no longer reads
    assert any("truncated" in p.message for p in report.problems)


def test_bad_pointer_is_caught(archive: Path) -> None:
    rewrite_first_record(archive, lambda r: r["warc"].update(offset=r["warc"]["offset"] + 7))
    report = verify(archive)
    assert checks(report) == {"pointer"}
    problem = report.problems[0]
    assert problem.line == 1 and "no WARC record" in problem.message


def test_pointer_to_another_pages_record_is_caught(archive: Path) -> None:
    def swap(rec: dict) -> None:
        rec["url"] = "https://blog.example.org/elsewhere"

    rewrite_first_record(archive, swap)
    report = verify(archive)
    assert [p.message for p in report.problems] == [
        "pointer: WARC-Target-URI https://blog.example.org/2024/05/first is not the record url"]


def test_invalid_record_is_caught(archive: Path) -> None:
    rewrite_first_record(archive, lambda r: r.update(comments_open="yes"))
    report = verify(archive)
    assert checks(report) == {"schema"}
    assert "comments_open" in report.problems[0].message


def test_unparseable_line_is_caught(archive: Path) -> None:
    with jsonl_of(archive).open("a", encoding="utf-8") as stream:
        stream.write('{"url": "https://x.org/", broken\n')
    report = verify(archive)
    assert checks(report) == {"jsonl"} and report.problems[0].line == 3


def test_missing_warc_file_and_missing_crawl_json_are_caught(archive: Path) -> None:
    next((archive / CRAWL).glob("*.warc.gz")).unlink()
    report = verify(archive)
    assert {"missing-file", "pointer"} <= checks(report)
    assert any("listed in crawl.json but missing" in p.message for p in report.problems)
    (archive / CRAWL / "crawl.json").unlink()
    assert "crawl.json" in checks(verify(archive))


def test_leftover_open_jsonl_is_reported_then_repaired(archive: Path) -> None:
    crawl = archive / CRAWL
    leftover = crawl / "records-20240501000000-00002-deadhost-999999.jsonl.open"
    whole = json.dumps(record("https://blog.example.org/late", "2024-05-01T10:00:00Z")) + "\n"
    leftover.write_text(whole + '{"url": "https://blog.exa', encoding="utf-8")
    report = verify(archive)
    assert checks(report) == {"open-file"}
    repaired = verify(archive, repair=True)
    assert repaired.ok, [str(p) for p in repaired.problems]
    assert len(repaired.repaired) == 1 and "cut" in repaired.repaired[0]
    final = crawl / "records-20240501000000-00002-deadhost-999999.jsonl"
    assert not leftover.exists() and final.read_text(encoding="utf-8") == whole
    assert verify(archive).ok


def test_open_twin_of_a_finished_file_is_removed_on_repair(archive: Path) -> None:
    finished = jsonl_of(archive)
    twin = finished.with_name(finished.name + ".open")
    twin.write_bytes(finished.read_bytes())
    assert "open-file" in checks(verify(archive))
    report = verify(archive, repair=True)
    assert report.ok and not twin.exists() and finished.exists()


def test_single_files_can_be_verified(archive: Path) -> None:
    assert verify(jsonl_of(archive)).ok
    warc = next((archive / CRAWL).glob("*.warc.gz"))
    assert verify(warc).ok
    warc.write_bytes(warc.read_bytes()[:-40])
    assert not verify(warc).ok


def test_empty_directory_and_missing_path(tmp_path: Path) -> None:
    assert not verify(tmp_path).ok
    with pytest.raises(FileNotFoundError):
        verify(tmp_path / "missing")


def test_records_without_pointer_are_fine(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "c" / "records-20240101000000-00001-h-1.jsonl", [record("https://a.org/", "2024-01-01")])
    (tmp_path / "c" / "crawl.json").write_text('{"files": []}', encoding="utf-8")
    report = verify(tmp_path)
    assert report.ok and report.pointers == 0


def test_the_demo_crawls_verify_clean() -> None:
    from tests.archive_kit import demo_archive

    report = verify(demo_archive())
    assert report.ok, [str(p) for p in report.problems]
    assert report.crawls == 2 and report.records == 10 and report.pointers == 10


def test_record_digest_must_match_the_warc_payload_digest(archive: Path) -> None:
    rewrite_first_record(archive, lambda r: r.update(digest="sha1:" + "A" * 32))
    report = verify(archive)
    assert checks(report) == {"pointer"} and "is not the WARC payload digest" in report.problems[0].message


def test_files_of_a_live_writer_are_neither_reported_nor_touched(tmp_path: Path) -> None:
    import os
    import socket

    from archiver.crawldir import safe_name

    crawl = tmp_path / "20240101T000000Z-cccccc"
    worker = f"{safe_name(socket.gethostname(), 32)}-{os.getpid()}"  # this process: alive
    live = crawl / f"records-20240101000000-00001-{worker}.jsonl.open"
    write_jsonl(live, [record("https://a.org/", "2024-01-01T00:00:00Z")])
    with live.open("a", encoding="utf-8") as stream:
        stream.write('{"url": "https://a.org/2", "half')  # the writer is mid-line
    report = verify(tmp_path, repair=True)
    assert report.ok, [str(p) for p in report.problems]  # no crawl.json yet either: the crawl is running
    assert live.exists() and report.records == 1 and not report.repaired


def test_corrupt_gzipped_jsonl_is_one_problem_and_one_load_error(tmp_path: Path) -> None:
    from archiver import load

    path = write_jsonl(tmp_path / "c" / "records-20240101000000-00001-h-1.jsonl.gz",
                       [record(f"https://a.org/{n}", "2024-01-01T00:00:00Z") for n in range(50)], gz=True)
    path.write_bytes(path.read_bytes()[:-30])
    report = verify(tmp_path)
    assert [p.check for p in report.problems if p.check != "crawl.json"] == ["jsonl"]
    assert any("corrupt gzip" in p.message for p in report.problems)
    with pytest.raises(ValueError, match="corrupt gzip"):
        list(load.records(tmp_path))
