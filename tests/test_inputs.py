"""Spider argument parsing (one-line errors) and the CrawlDir safety rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.crawl.inputs import InputError, parse_inputs
from archiver.crawldir import CrawlDir, safe_name


def test_url_list_is_deduplicated_and_made_safe() -> None:
    inputs = parse_inputs({"url": "https://a.test/x y, https://a.test/x y ,https://b.test/ü"})
    assert inputs.mode == "url"
    assert inputs.urls == ("https://a.test/x%20y", "https://b.test/%C3%BC")


def test_urls_file_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "urls.txt"
    path.write_text("https://a.test/\nnot-a-url\n")
    with pytest.raises(InputError, match=r"line 2"):
        parse_inputs({"urls_file": str(path)})


def test_empty_urls_file(tmp_path: Path) -> None:
    path = tmp_path / "urls.txt"
    path.write_text("# nothing\n\n")
    with pytest.raises(InputError, match="no URLs"):
        parse_inputs({"urls_file": str(path)})


def test_scope_arguments() -> None:
    inputs = parse_inputs({"site": "https://a.test/", "allowed_hosts": "b.test, C.test",
                           "exclude": r"/tag/", "max_depth": "0", "max_pages": "10"})
    assert inputs.allowed_hosts == {"b.test", "c.test"}
    assert inputs.exclude[0].pattern == "/tag/"
    assert inputs.max_depth == 0
    assert inputs.max_pages == 10


@pytest.mark.parametrize("name", ["../../etc", "/abs/path", "a\x00b", "x" * 500, "..", ""])
def test_safe_name_never_escapes(tmp_path: Path, name: str) -> None:
    cleaned = safe_name(name)
    assert "/" not in cleaned and "\x00" not in cleaned and not cleaned.startswith(".")
    assert 0 < len(cleaned) <= 64
    crawl_dir = CrawlDir(tmp_path, "crawl")
    target = crawl_dir.file(cleaned)
    assert target.parent == tmp_path / "crawl"


def test_crawl_dir_rejects_unsafe_file_names_and_ids(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        CrawlDir(tmp_path, "crawl").file("../escape")

    class Settings(dict):
        def get(self, key, default=None):  # type: ignore[no-untyped-def, override]
            return super().get(key, default)

    with pytest.raises(ValueError):
        CrawlDir.from_settings(Settings(ARCHIVE_DIR=str(tmp_path), CRAWL_ID="../x"))


def test_user_agent_names_the_operator_contact() -> None:
    from scrapy.settings import Settings

    from spiders.article import ArticleSpider

    settings = Settings({"ARCHIVER_CONTACT": "ops@example.org", "USER_AGENT": "default"})
    ArticleSpider.update_settings(settings)
    assert settings["USER_AGENT"].startswith("archiver/") and "(+ops@example.org)" in settings["USER_AGENT"]
    explicit = Settings({"ARCHIVER_CONTACT": "ops@example.org"})
    explicit.set("USER_AGENT", "mine/1.0", priority="cmdline")
    ArticleSpider.update_settings(explicit)
    assert explicit["USER_AGENT"] == "mine/1.0"  # -s USER_AGENT=… always wins
