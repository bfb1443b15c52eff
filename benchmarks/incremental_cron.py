"""Incremental runs: a second `archiver cron` run over an unchanged 1,000-article local site.

    .venv/bin/python benchmarks/incremental_cron.py [--articles 1000] [--out benchmarks/results/incremental.md]

Builds a WordPress-like site (articles with comment threads, 50-per-page listings, a sitemap) in a
temporary folder, serves it on 127.0.0.1, runs `archiver cron` once (everything new), then again
over the unchanged site in three ways, each from a copy of the first run's archive:

* `+1 h`: an hour later with the default revisit policy — nothing is due, only discovery;
* `+1 d, ETag`: a day later, every article due (daily tier), the server answers conditional GETs;
* `+1 d, no validators`: the same with a server that sends no ETag/Last-Modified (full GETs,
  identical payloads recognised by digest).

The reference is the same second crawl without incremental mode (`scrapy crawl article -a site=`
into the same ARCHIVE_DIR): WARC dedupe still makes revisits, but every page is fetched, parsed and
written as a record again. Reported per run: wall time of the whole command (including ~2 s of
interpreter + Scrapy start-up), crawl time from crawl.json, requests, bytes written to the crawl
directory, payload bytes stored in WARC response records, JSONL records.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.cron_helpers import at, make_site, write_jobs  # noqa: E402
from tests.servers.changing_site import serve_site  # noqa: E402

SETTINGS = {"CONCURRENT_REQUESTS": 16, "LOG_LEVEL": "INFO"}


def payload_bytes(crawl_dir: Path) -> int:
    """Payload bytes stored in WARC response records (revisits store none)."""
    from warcio.archiveiterator import ArchiveIterator

    total = 0
    for path in crawl_dir.glob("*.warc.gz"):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    total += len(record.content_stream().read())
    return total


def measure(command: list[str], archive: Path, env: dict[str, str]) -> dict[str, Any]:
    before = {p.name for p in archive.iterdir()} if archive.is_dir() else set()
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    new = sorted(p for p in archive.iterdir() if p.is_dir() and p.name not in before and not p.name.startswith("."))
    crawl_dir = [p for p in new if (p / "crawl.json").is_file()][-1]
    summary = json.loads((crawl_dir / "crawl.json").read_text())
    counts = summary["counts"]
    return {"exit": done.returncode, "wall_s": wall, "crawl_s": summary["duration_s"],
            "requests": counts["requests"], "bytes": counts.get("bytes_written", 0),
            "payload": payload_bytes(crawl_dir), "records": counts["records"],
            "incremental": counts.get("incremental", {}), "line": done.stdout.strip()}


def cron(jobs: Path, archive: Path, env: dict[str, str]) -> dict[str, Any]:
    return measure([sys.executable, "-m", "archiver", "cron", str(jobs)], archive, env)


def plain_crawl(base: str, archive: Path, env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"site={base}/",
               "-s", f"ARCHIVE_DIR={archive}", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_ENABLED=False",
               "-s", "WP_REST_COMMENTS=False", "-s", "CONCURRENT_REQUESTS=16", "-s", "LOG_LEVEL=WARNING"]
    return measure(command, archive, dict(env, SCRAPY_SETTINGS_MODULE="archiver.settings"))


def run(articles: int, work: Path) -> list[tuple[str, dict[str, Any]]]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    site = make_site(work / "site", [f"article-{n:04d}" for n in range(articles)])
    rows: list[tuple[str, dict[str, Any]]] = []
    first_archive = work / "first" / "archive"
    first_archive.parent.mkdir()
    with serve_site(site.root) as base:
        jobs = write_jobs(work / "first" / "jobs.toml", base, now=at(0), settings=SETTINGS)
        rows.append(("first run (all new)", cron(jobs, first_archive, env)))
        for name, now in (("second run +1 h (nothing due)", at(0, 1)),
                          ("second run +1 d, all due, ETag/304", at(1, 1))):
            rows.append((name, _second(work, name, base, now, first_archive, env)))
    # The same URLs (same port) from a server that sends no ETag / Last-Modified.
    port = int(base.rsplit(":", 1)[1])
    with serve_site(site.root, validators=False, port=port) as base:
        name = "second run +1 d, all due, no validators"
        rows.append((name, _second(work, name, base, at(1, 1), first_archive, env)))
        reference = work / "reference"
        shutil.copytree(first_archive, reference, symlinks=True)
        rows.append(("reference: second full `scrapy crawl` (not incremental)",
                     plain_crawl(base, reference, env)))
    return rows


def _second(work: Path, name: str, base: str, now: str, first_archive: Path, env: dict[str, str]) -> dict[str, Any]:
    folder = work / name.replace(" ", "_").replace("/", "").replace(",", "")
    archive = folder / "archive"
    shutil.copytree(first_archive, archive, symlinks=True)
    jobs = write_jobs(folder / "jobs.toml", base, now=now, settings=SETTINGS)
    return cron(jobs, archive, env)


def _mb(count: int) -> str:
    return f"{count / 1e6:.2f} MB"


def report(rows: list[tuple[str, dict[str, Any]]], articles: int, command: str) -> str:
    first = rows[0][1]
    lines = [
        "# Incremental runs (`archiver cron`): second run over an unchanged site", "",
        f"Site: {articles} WordPress-like articles (2 comments each), 50-per-page listings, a sitemap, "
        "served on 127.0.0.1 by tests/servers/changing_site.py. `CONCURRENT_REQUESTS=16`, AutoThrottle off, "
        "no REST comment fetches.",
        f"Machine: {os.cpu_count()} cores (shared with other workers), Python {platform.python_version()}. "
        "Numbers from one run.", "",
        f"Command: `{command}`", "",
        "| run | exit | wall s | crawl s | wall vs first | requests | bytes written | payload bytes stored | records |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in rows:
        ratio = f"{row['wall_s'] / first['wall_s']:.0%}"
        lines.append(f"| {name} | {row['exit']} | {row['wall_s']:.1f} | {row['crawl_s']:.1f} | {ratio} | "
                     f"{row['requests']} | {_mb(row['bytes'])} | {_mb(row['payload'])} | {row['records']} |")
    nothing_due = rows[1][1]
    lines += [
        "", "Reading:", "",
        f"* The usual second run (the site unchanged, an hour later, default policy) crawls in "
        f"{nothing_due['crawl_s'] / max(first['crawl_s'], 1e-9):.0%} of the first run's crawl time "
        f"({nothing_due['wall_s'] / first['wall_s']:.0%} of its wall time, most of it interpreter and Scrapy "
        f"start-up), makes {nothing_due['requests']} requests instead of {first['requests']}, and writes "
        f"{nothing_due['bytes'] / max(first['bytes'], 1):.2%} of the bytes; no payload, no record.",
        "* When every article is due (a day later, daily tier), each article still costs one request: a 304 "
        "(or an identical payload) becomes a WARC revisit (~1 kB: request + revisit record) and no record. "
        "Payload bytes stored stay at zero; on a local server the time is dominated by per-request overhead "
        "(connection, Scrapy, WARC record), so it is not much below a full re-crawl's. On real sites, where "
        "politeness delays and latency make every request count, the request count is the figure that matters.",
        "* The reference (a plain second `scrapy crawl`) also fetches everything, and writes every record "
        "again (duplicates in JSONL) although the WARC dedupe turns the payloads into revisits.",
        "* Times on this shared 2-core machine vary by ±50% between runs (other workers); counts and bytes "
        "are exact.",
    ]
    lines += ["", "Incremental counters (crawl.json `counts.incremental`):", ""]
    lines += [f"* {name}: `{json.dumps(row['incremental'], sort_keys=True)}`" for name, row in rows]
    lines += ["", "Summary lines printed by `archiver cron`:", ""]
    lines += ["    " + re.sub(r"/\S*/bench-incremental-[^/]+", "$TMP", row["line"]) for _, row in rows if row["line"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "incremental.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        rows = run(args.articles, Path(tmp))
    text = report(rows, args.articles, "python benchmarks/incremental_cron.py" +
                  (f" --articles {args.articles}" if args.articles != 1000 else ""))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
