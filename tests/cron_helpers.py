"""Helpers of the cron tests: a changing site, a jobs file for it, and reading what a run wrote."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from archiver.incremental.changes import record_digest
from archiver.load.files import record_dicts
from tests.servers.changing_site import Article, ChangingSite, Comment, paragraphs

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(days: float = 0, hours: float = 0) -> str:
    return (T0 + timedelta(days=days, hours=hours)).isoformat()


def article(slug: str, published_days: float = -1, comments: int = 2) -> Article:
    return Article(
        slug=slug, title=f"The {slug} story", published=at(published_days),
        paragraphs=paragraphs(slug),
        comments=[Comment(100 * len(slug) + i, f"Reader {i}", at(published_days, i + 1), f"{slug} comment {i}")
                  for i in range(comments)])


def make_site(root: Path, slugs: list[str]) -> ChangingSite:
    site = ChangingSite(root, [article(slug) for slug in slugs])
    site.write()
    return site


def write_jobs(path: Path, base_url: str, *, now: str, settings: dict[str, Any] | None = None,
               extra: str = "", archive: str = "archive", mode: str = "site") -> Path:
    """A one-job file (`t`) crawling the site fast: no throttling, no retries, fixed clock."""
    merged = {"AUTOTHROTTLE_ENABLED": False, "RETRY_ENABLED": False, "INCREMENTAL_NOW": now,
              "WP_REST_COMMENTS": False, **(settings or {})}
    table = ", ".join(f"{k} = {_toml(v)}" for k, v in merged.items())
    target = base_url + ("/" if mode == "site" else "/sitemap.xml")
    path.write_text(f'[jobs.t]\n{mode} = "{target}"\narchive_dir = "{archive}"\n'
                    f"settings = {{ {table} }}\n{extra}", encoding="utf-8")
    return path


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {_toml(v)}' for k, v in value.items()) + " }"
    return json.dumps(value)


def crawl_dirs(archive: Path) -> list[Path]:
    return sorted(p for p in archive.iterdir() if p.is_dir() and not p.name.startswith((".", "logs")))


def records(crawl_dir: Path) -> list[dict[str, Any]]:
    return list(record_dicts(crawl_dir, finished_only=True))


def summary(crawl_dir: Path) -> dict[str, Any]:
    return json.loads((crawl_dir / "crawl.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def record_key(record: dict[str, Any]) -> tuple[str, int, str]:
    """What must be identical between an interrupted+resumed run and an uninterrupted one."""
    return (record["url"].split("/", 3)[3], record["version"], record_digest(record))


def warc_types(crawl_dir: Path) -> list[tuple[str, str, str | None]]:
    """(WARC-Type, target path, WARC-Profile) of every record in the crawl's WARC files."""
    from warcio.archiveiterator import ArchiveIterator

    out = []
    for path in sorted(crawl_dir.glob("*.warc.gz")):
        with open(path, "rb") as stream:
            for rec in ArchiveIterator(stream):
                uri = rec.rec_headers.get_header("WARC-Target-URI") or ""
                out.append((rec.rec_type, uri.split("/", 3)[-1] if "://" in uri else uri,
                            rec.rec_headers.get_header("WARC-Profile")))
    return out
