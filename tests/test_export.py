"""archiver.tools.export: tables open in DuckDB with the right row counts, join, and keep types."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from archiver.load import records
from archiver.tools.export import FORMATS, article_id, export
from tests.archive_kit import build_archive, demo_archive

READERS = {"parquet": "read_parquet", "csv": "read_csv_auto", "jsonl": "read_json_auto"}


def count(path: Path, fmt: str) -> int:
    return int(duckdb.sql(f"select count(*) from {READERS[fmt]}('{path}')").fetchall()[0][0])


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    return build_archive(tmp_path / "archive")


@pytest.mark.parametrize("fmt", FORMATS)
def test_row_counts_in_duckdb(archive: Path, tmp_path: Path, fmt: str) -> None:
    result = export(archive, tmp_path / "out", fmt)
    assert result.rows == {"articles": 3, "comments": 5, "media": 2}
    for table, rows in result.rows.items():
        assert count(Path(result.files[table]), fmt) == rows
    assert not list((tmp_path / "out").glob("*.partial"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_tables_join_on_article_id(archive: Path, tmp_path: Path, fmt: str) -> None:
    export(archive, tmp_path / "out", fmt)
    read = READERS[fmt]
    rows = duckdb.sql(
        f"select a.title, count(c.comment_id) as n from {read}('{tmp_path}/out/articles.{fmt}') a "
        f"left join {read}('{tmp_path}/out/comments.{fmt}') c on a.article_id = c.article_id "
        "group by a.title order by a.title").fetchall()
    assert rows == [("A story", 0), ("First post", 4), ("First post (edited)", 1)]


def test_parquet_types_and_ids(archive: Path, tmp_path: Path) -> None:
    export(archive, tmp_path / "out", "parquet")
    table = pq.read_table(tmp_path / "out" / "articles.parquet")
    assert str(table.schema.field("fetched_at").type) == "timestamp[us, tz=UTC]"
    assert str(table.schema.field("tags").type).startswith("list<") and "string" in str(table.schema.field("tags").type)
    first = table.slice(0, 1).to_pylist()[0]
    assert first["tags"] == ["harbour", "ships"] and first["authors"] == ["Ada"]
    assert first["article_id"] == article_id(first["url"], "2024-05-01T08:00:00Z")
    assert first["crawl_id"] == "20240501T000000Z-aaaaaa" and first["warc_offset"] > 0
    depth = duckdb.sql(f"select comment_id, parent_id, depth from read_parquet('{tmp_path}/out/comments.parquet') "
                       "order by article_id, position").fetchall()
    assert ("3", "2", 3) in depth


def test_latest_and_site_options(archive: Path, tmp_path: Path) -> None:
    result = export(archive, tmp_path / "latest", "jsonl", latest_only=True)
    assert result.rows == {"articles": 2, "comments": 1, "media": 0}
    result = export(archive, tmp_path / "site", "csv", site="news.example.com")
    assert result.rows == {"articles": 1, "comments": 0, "media": 0}


def test_unknown_format_is_refused(archive: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        export(archive, tmp_path / "out", "xlsx")


def test_demo_crawl_exports_every_record_comment_and_media(tmp_path: Path) -> None:
    archive = demo_archive()
    loaded = list(records(archive))
    expected = {"articles": len(loaded), "comments": sum(len(r["comments"]) for r in loaded),
                "media": sum(len(r["media"]) for r in loaded)}
    assert expected["comments"] == 30  # 15 per crawl, two crawls
    result = export(archive, tmp_path / "out", "parquet")
    assert result.rows == expected
    for table, rows in expected.items():
        assert count(tmp_path / "out" / f"{table}.parquet", "parquet") == rows
