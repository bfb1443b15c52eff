"""`archiver extract` on saved pages (AEB dev pages, WordPress snapshots) and `archiver demo`."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

from archiver.schema import record_errors

KEYS = ("url canonical_url fetched_at status title authors published modified language site_name description "
        "categories tags body body_html media comments comment_count comments_open comments_system warc digest "
        "extractor").split()


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "archiver", *args], input=stdin, capture_output=True,
                          check=False, cwd=cwd, timeout=300)


def test_extract_every_aeb_page(tmp_path: Path, corpus: Path) -> None:
    pages = sorted((corpus / "aeb-dev" / "html").glob("*.html.gz"))
    assert len(pages) == 91
    for page in pages[:8]:
        html = tmp_path / "page.html"
        html.write_bytes(gzip.decompress(page.read_bytes()))
        result = run_cli("extract", str(html), "--url", "https://example.org/a")
        assert result.returncode == 0, result.stderr.decode()
        record = json.loads(result.stdout)
        assert all(key in record for key in KEYS)
        assert record_errors(record) == []
        assert record["body"]


def test_extract_reads_stdin_and_wordpress_pages(corpus: Path) -> None:
    manifest = json.loads((corpus / "wordpress" / "classic" / "manifest.json").read_text())
    entry = manifest["/2023/07/notes-on-the-night-train/"]
    html = (corpus / "wordpress" / "classic" / entry["file"]).read_bytes()
    result = run_cli("extract", "-", "--url", "http://blog.test:8080/2023/07/notes-on-the-night-train/",
                     stdin=html)
    assert result.returncode == 0, result.stderr.decode()
    record = json.loads(result.stdout)
    assert record["title"] == "Notes on the night train"
    assert record_errors(record) == []


def test_extract_errors_are_one_line(tmp_path: Path) -> None:
    missing = run_cli("extract", str(tmp_path / "nope.html"), "--url", "https://a.test/")
    assert missing.returncode == 2
    assert missing.stderr.decode().strip().startswith("error: cannot read")
    bad_url = run_cli("extract", "-", "--url", "not-a-url", stdin=b"<p>x</p>")
    assert bad_url.returncode == 2
    assert len(bad_url.stderr.decode().strip().splitlines()) == 1


def test_demo_command_crawls_the_bundled_site(tmp_path: Path) -> None:
    env = dict(os.environ)
    result = subprocess.run([sys.executable, "-m", "archiver", "demo", "--output", str(tmp_path)],
                            capture_output=True, text=True, check=False, timeout=300, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "5 article records, 0 rejected, 0 errors" in result.stdout
    (crawl_dir,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    records = [json.loads(line) for f in crawl_dir.glob("records-*.jsonl") for line in f.read_text().splitlines()]
    assert len(records) == 5
    assert all(record_errors(r) == [] for r in records)
