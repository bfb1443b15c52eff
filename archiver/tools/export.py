"""`archiver export DIR --format parquet|csv|jsonl -o OUT`: flat tables for DuckDB, pandas, warehouses.

Three tables, one row per article capture / comment / media item, joined on `article_id` (a stable
hash of url + fetched_at, so re-exports give the same ids) and also carrying `url`. Rows are written
in batches while records stream in, so memory does not grow with the archive. Files are written
under a temporary name and renamed at the end: an interrupted export never leaves a table that
looks complete. List columns (authors, categories, tags) are native lists in Parquet and JSONL and
JSON arrays in CSV; `srcset` and `sources` are JSON text everywhere.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from archiver.load import LoadedRecord, records
from archiver.load.files import Progress

FORMATS = ("parquet", "csv", "jsonl")
BATCH_ROWS = 2000
Row = dict[str, Any]
# Column -> Arrow type name; the one schema for all three formats.
ARTICLE_COLUMNS = {
    "article_id": "string", "url": "string", "canonical_url": "string", "fetched_at": "timestamp",
    "crawl_id": "string", "status": "int32", "title": "string", "site_name": "string", "language": "string",
    "description": "string", "image": "string", "page_type": "string", "authors": "list", "published": "string",
    "modified": "string",
    "categories": "list", "tags": "list", "body": "string", "body_html": "string", "comment_count": "int64",
    "comments_system": "string", "comments_source": "string", "comments_open": "bool", "n_comments": "int64",
    "n_media": "int64",
    "digest": "string", "warc_filename": "string", "warc_offset": "int64", "warc_length": "int64",
    "warc_record_id": "string", "warc_date": "string", "version": "int64", "previous_digest": "string",
    "new_comment_count": "int64", "extractor_version": "string", "source_file": "string",
}
COMMENT_COLUMNS = {
    "article_id": "string", "url": "string", "position": "int32", "comment_id": "string",
    "parent_id": "string", "depth": "int32", "author_name": "string", "author_url": "string",
    "published": "string", "type": "string", "text": "string", "html": "string", "permalink": "string",
    "votes": "int64",
}
MEDIA_COLUMNS = {
    "article_id": "string", "url": "string", "position": "int32", "type": "string", "media_url": "string",
    "in_body": "bool", "caption": "string", "alt": "string", "credit": "string", "width": "int64",
    "height": "int64", "mime": "string", "provider": "string", "poster": "string", "srcset": "string",
    "sources": "string",
}
TABLES = {"articles": ARTICLE_COLUMNS, "comments": COMMENT_COLUMNS, "media": MEDIA_COLUMNS}


@dataclass
class ExportResult:
    files: dict[str, str] = field(default_factory=dict)  # table -> path
    rows: dict[str, int] = field(default_factory=dict)  # table -> row count


def article_id(url: str, fetched_at: str | None) -> str:
    """Stable id of one capture: first 16 hex digits of sha1(url + space + fetched_at)."""
    return hashlib.sha1(f"{url} {fetched_at or ''}".encode()).hexdigest()[:16]


def export(path: str | Path, out_dir: str | Path, fmt: str = "parquet", *, latest_only: bool = False,
           since: Any = None, site: str | None = None, progress: Progress | None = None) -> ExportResult:
    """Write articles / comments / media tables for the records under `path` into `out_dir`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sinks = {name: _sink(fmt, out / f"{name}.{fmt}", columns) for name, columns in TABLES.items()}
    batches: dict[str, list[Row]] = {name: [] for name in TABLES}
    try:
        for record in records(path, latest_only=latest_only, since=since, site=site, progress=progress):
            for name, rows in zip(TABLES, rows_of(record), strict=True):
                batches[name].extend(rows)
                if len(batches[name]) >= BATCH_ROWS:
                    sinks[name].write(batches[name])
                    batches[name] = []
        for name, sink in sinks.items():
            sink.write(batches[name])
            sink.close()
    except BaseException:
        for sink in sinks.values():
            sink.abort()
        raise
    return ExportResult(files={n: str(s.path) for n, s in sinks.items()}, rows={n: s.rows for n, s in sinks.items()})


def rows_of(record: LoadedRecord) -> tuple[list[Row], list[Row], list[Row]]:
    """(article row, comment rows, media rows) of one record."""
    url, key = record["url"], article_id(record["url"], record.get("fetched_at"))
    pointer = record.get("warc") or {}
    source = record.source
    article = {name: record.get(name) for name in ARTICLE_COLUMNS if name in record}
    article.update({
        "article_id": key, "authors": [a.get("name") or "" for a in record.get("authors") or []],
        "crawl_id": record.get("crawl_id") or (source.parent.name if source else None),
        "n_comments": len(record.get("comments") or []), "n_media": len(record.get("media") or []),
        "warc_filename": pointer.get("filename"), "warc_offset": pointer.get("offset"),
        "warc_length": pointer.get("length"), "warc_record_id": pointer.get("record_id"),
        "warc_date": pointer.get("date"), "extractor_version": (record.get("extractor") or {}).get("version"),
        "source_file": str(source) if source else None,
    })
    comments = [{
        "article_id": key, "url": url, "position": index, "comment_id": c.get("id"),
        "parent_id": c.get("parent_id"), "depth": c.get("depth"), "author_name": (c.get("author") or {}).get("name"),
        "author_url": (c.get("author") or {}).get("url"), "published": c.get("published"), "type": c.get("type"),
        "text": c.get("text"), "html": c.get("html"), "permalink": c.get("permalink"), "votes": c.get("votes"),
    } for index, c in enumerate(record.get("comments") or [])]
    media = [{
        "article_id": key, "url": url, "position": index, "type": m.get("type"), "media_url": m.get("url"),
        "in_body": m.get("in_body"), "caption": m.get("caption"), "alt": m.get("alt"), "credit": m.get("credit"),
        "width": m.get("width"), "height": m.get("height"), "mime": m.get("mime"), "provider": m.get("provider"),
        "poster": m.get("poster"), "srcset": json.dumps(m.get("srcset") or [], ensure_ascii=False),
        "sources": json.dumps(m.get("sources") or [], ensure_ascii=False),
    } for index, m in enumerate(record.get("media") or [])]
    return [article], comments, media


class _Sink:
    """A table file being written under `<name>.partial`, renamed by `close`."""

    def __init__(self, path: Path, columns: dict[str, str]) -> None:
        self.path, self.columns, self.rows = path, columns, 0
        self.partial = path.with_name(path.name + ".partial")

    def write(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.finish()
        os.replace(self.partial, self.path)

    def abort(self) -> None:
        try:
            self.finish()
        finally:
            self.partial.unlink(missing_ok=True)


class _JsonlSink(_Sink):
    def __init__(self, path: Path, columns: dict[str, str]) -> None:
        super().__init__(path, columns)
        self.stream: IO[str] = open(self.partial, "w", encoding="utf-8")  # noqa: SIM115

    def write(self, rows: list[Row]) -> None:
        for row in rows:
            self.stream.write(json.dumps({c: row.get(c) for c in self.columns}, ensure_ascii=False) + "\n")
        self.rows += len(rows)

    def finish(self) -> None:
        self.stream.close()


class _CsvSink(_Sink):
    def __init__(self, path: Path, columns: dict[str, str]) -> None:
        super().__init__(path, columns)
        self.stream: IO[str] = open(self.partial, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.writer = csv.writer(self.stream)
        self.writer.writerow(columns)

    def write(self, rows: list[Row]) -> None:
        self.writer.writerows([_csv_value(row.get(c)) for c in self.columns] for row in rows)
        self.rows += len(rows)

    def finish(self) -> None:
        self.stream.close()


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


class _ParquetSink(_Sink):
    def __init__(self, path: Path, columns: dict[str, str]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        super().__init__(path, columns)
        types: dict[str, Callable[[], Any]] = {
            "string": pa.string, "int32": pa.int32, "int64": pa.int64, "bool": pa.bool_,
            "timestamp": lambda: pa.timestamp("us", tz="UTC"), "list": lambda: pa.list_(pa.string()),
        }
        self.schema = pa.schema([(name, types[kind]()) for name, kind in columns.items()])
        self.writer = pq.ParquetWriter(self.partial, self.schema, compression="zstd")
        self.table = pa.Table

    def write(self, rows: list[Row]) -> None:
        if not rows:
            return
        data = {name: [_arrow_value(row.get(name), kind) for row in rows] for name, kind in self.columns.items()}
        self.writer.write_table(self.table.from_pydict(data, schema=self.schema))
        self.rows += len(rows)

    def finish(self) -> None:
        self.writer.close()


def _arrow_value(value: Any, kind: str) -> Any:
    if kind == "timestamp" and isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None  # date-only or odd values stay readable in the JSONL; the column stays typed
    return value


def _sink(fmt: str, path: Path, columns: dict[str, str]) -> _Sink:
    return {"parquet": _ParquetSink, "csv": _CsvSink, "jsonl": _JsonlSink}[fmt](path, columns)
