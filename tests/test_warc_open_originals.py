"""A revisit whose original sits in a crashed worker's unrepaired `.open` file still reads back.

Distributed workers can share one digest index; a worker that dies leaves its originals, whole,
in `NAME.warc.gz.open` until someone runs `archiver verify --repair`.
"""

from __future__ import annotations

from pathlib import Path

from archiver.warc import read_response
from archiver.warc.archive import Exchange, WarcArchive
from archiver.warc.digest_index import DigestIndex
from archiver.warc.writer import WarcFileWriter

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
BODY = b"<html><body><p>the same page twice</p></body></html>"


def _exchange(url: str) -> Exchange:
    return Exchange(url=url, request_block=b"GET / HTTP/1.1\r\nHost: a.test\r\n\r\n", response_head=HEAD,
                    payload=BODY, date="2024-05-01T10:00:00Z")


def test_revisit_original_in_an_open_file(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl"
    index = DigestIndex.in_archive(tmp_path)
    dead = WarcArchive(WarcFileWriter(crawl, worker="dead-1"), "crawl", index)
    alive = WarcArchive(WarcFileWriter(crawl, worker="alive-2"), "crawl", index)
    first = dead.archive(_exchange("https://a.test/p"))  # never closed: the worker "died"
    second = alive.archive(_exchange("https://a.test/p"))
    alive.close()
    index.close()
    (tmp_path / "warc-dedupe.sqlite3").unlink()  # force the scan path (no index to ask)
    assert first.record_type == "response" and second.record_type == "revisit"
    assert list(crawl.glob("*.warc.gz.open"))
    stored = read_response(crawl, second.pointer)
    assert stored.body == BODY
    assert stored.revisit_of == first.pointer["record_id"]
