"""Normalize, dedupe, validate (rejects file) and the JSONL writer."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from archiver.items import empty_record
from archiver.pipelines.dedupe import DedupePipeline
from archiver.pipelines.jsonl import JsonlWriter
from archiver.pipelines.normalize import normalize_record
from archiver.pipelines.validate import REJECTS_FILE, ValidatePipeline
from archiver.schema import record_errors


def test_normalize_record() -> None:
    record = empty_record("https://a.test/x y")
    record.update({
        "title": "  Cafe\u0301\n  news ",
        "canonical_url": "https://A.test/b?z=1&a=2#frag",
        "published": "2024-03-01 10:00:00+0200",
        "language": "en_us",
        "authors": [{"name": " Ada  Quill ", "url": "https://a.test/ada"}, {"name": None, "url": None}],
        "tags": ["x", " x ", "y"],
        "body": "para one\n\n\n\npara   two",
        "comments": [{"id": "1", "parent_id": None, "depth": 1, "author": {"name": "A", "url": "javascript:x"},
                      "published": "March 3, 2023 10:15", "text": " hi ", "html": "<p>hi</p>",
                      "permalink": None, "type": "comment"}],
    })
    out = normalize_record(record)
    assert out["url"] == "https://a.test/x%20y"
    assert out["title"] == "Café news"
    assert out["canonical_url"] == "https://a.test/b?a=2&z=1"
    assert out["published"] == "2024-03-01T10:00:00+02:00"
    assert out["language"] == "en-US"
    assert out["authors"] == [{"name": "Ada Quill", "url": "https://a.test/ada"}]
    assert out["tags"] == ["x", "y"]
    assert out["body"] == "para one\n\npara two"
    assert out["comments"][0]["author"]["url"] is None
    assert out["comments"][0]["published"] == "2023-03-03T10:15:00"
    assert record_errors(out) == []
    assert list(out)[:3] == ["url", "canonical_url", "fetched_at"]


def test_dedupe_by_canonical_url() -> None:
    pipeline = DedupePipeline(get_crawler())
    first = {**empty_record("https://a.test/p?utm=1"), "canonical_url": "https://a.test/p"}
    second = {**empty_record("https://a.test/p?utm=2"), "canonical_url": "https://a.test/p"}
    pipeline.process_item(first)
    with pytest.raises(DropItem):
        pipeline.process_item(second)


def test_invalid_records_go_to_rejects_file(tmp_path: Path) -> None:
    crawler = get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path), "CRAWL_ID": "c1"})
    crawler.stats.open_spider()
    pipeline = ValidatePipeline(crawler)
    good = empty_record("https://a.test/good")
    assert pipeline.process_item(good) is good
    bad = {**empty_record("https://a.test/bad"), "status": "two hundred"}
    with pytest.raises(DropItem, match="invalid record"):
        pipeline.process_item(bad)
    pipeline.close_spider()
    lines = (tmp_path / "c1" / REJECTS_FILE).read_text().splitlines()
    assert len(lines) == 1
    rejected = json.loads(lines[0])
    assert rejected["record"]["url"] == "https://a.test/bad"
    assert rejected["errors"][0].startswith("status:")
    assert crawler.stats.get_value("archiver/rejected") == 1


def test_jsonl_writer_rotates_and_renames(tmp_path: Path) -> None:
    writer = JsonlWriter(tmp_path, max_records=2)
    for number in range(5):
        writer.write({"n": number})
    assert len(list(tmp_path.glob("*.open"))) == 1  # the third file is still being written
    writer.close_file()
    assert not list(tmp_path.glob("*.open"))
    assert len(writer.files) == 3
    numbers = [json.loads(line)["n"] for f in writer.files for line in f.read_text().splitlines()]
    assert numbers == [0, 1, 2, 3, 4]


def test_killed_writer_leaves_only_whole_lines_in_finished_files(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from archiver.pipelines.jsonl import JsonlWriter
        writer = JsonlWriter(Path({str(tmp_path)!r}), max_records=50)
        n = 0
        while True:
            writer.write({{"n": n, "pad": "x" * 500}})
            n += 1
            if n == 120:
                print("ready", flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = sorted(tmp_path.glob("records-*.jsonl"))
    assert len(finished) >= 2
    for path in finished:
        lines = path.read_text().splitlines()
        assert len(lines) == 50
        assert all(json.loads(line)["pad"] for line in lines)
    assert len(list(tmp_path.glob("*.jsonl.open"))) == 1
