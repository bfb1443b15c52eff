"""No path escapes ARCHIVE_DIR, whatever the URL, host, prefix or file name.

File names are built from settings (CRAWL_ID, WARC_PREFIX), host names and timestamps, never from
URL paths; every piece goes through `safe_name`, and `CrawlDir.file` refuses anything else. The
property tests throw arbitrary text at both; the crawl test feeds hostile URLs and prefixes to a
real crawl inside a sandbox directory and checks that every file it made is inside the archive.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.crawldir import CrawlDir, safe_name
from tests.crawling import run_crawl
from tests.hostile_server import hostile_server

HOSTILE_NAMES = st.one_of(
    st.text(max_size=400),
    st.sampled_from(["..", ".", "../../etc/passwd", "/etc/passwd", "a/../../b", "C:\\Windows\\x", "a\x00b",
                     "\u202e", "con", "...", "-rf", "~root", "x" * 5000, "%2e%2e%2f", "\\\\server\\share"]),
)


@settings(max_examples=500)
@given(HOSTILE_NAMES, st.integers(1, 300))
def test_safe_name_is_always_one_harmless_component(text: str, max_length: int) -> None:
    name = safe_name(text, max_length)
    assert 1 <= len(name) <= max_length
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith((".", "-"))
    assert name not in (".", "..")
    assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in name)


@settings(max_examples=500)
@given(HOSTILE_NAMES)
def test_crawl_dir_file_never_leaves_the_crawl_directory(tmp_path_factory: pytest.TempPathFactory,
                                                         text: str) -> None:
    root = tmp_path_factory.getbasetemp() / "crawldir-prop"
    crawl_dir = CrawlDir(root=root, crawl_id="c1")
    try:
        path = crawl_dir.file(text)
    except ValueError:
        return  # refused: fine
    assert path.parent.resolve() == crawl_dir.path.resolve()
    assert path.name == text


def test_hostile_urls_and_prefixes_write_only_inside_the_archive(tmp_path: Path) -> None:
    sandbox = tmp_path / "sandbox"
    archive = sandbox / "archive"
    with hostile_server() as server:
        base = server.base
        urls = [f"{base}/good/../../../../etc/passwd", f"{base}/good/%2e%2e/%2e%2e/%2e%2e/tmp/x",
                f"{base}/good/one%00.html", f"{base}/good/" + "a" * 3000, f"{base}/good/one?f=/etc/passwd",
                f"{base}/good/%c0%ae%c0%ae/one", f"{base}/good/two"]
        urls_file = tmp_path / "urls.txt"
        urls_file.write_text("\n".join(urls) + "\n")
        crawl = run_crawl(archive, f"urls_file={urls_file}",
                          settings={"WARC_PREFIX": "../../../escape/warc", "FAIL_ON_EMPTY": "False"})
    assert "Traceback" not in crawl.stderr
    written = [p for p in tmp_path.rglob("*") if p != urls_file and p != sandbox]
    outside = [p for p in written if archive not in p.parents and p != archive]
    assert outside == [], outside
    warcs = list(archive.rglob("*.warc.gz"))
    assert warcs and all(w.parent == crawl.crawl_dir for w in warcs)
    assert all(w.name.startswith("escape-warc-") for w in warcs), [w.name for w in warcs]
    assert not (tmp_path / "escape").exists() and not Path("/tmp/x").exists()
