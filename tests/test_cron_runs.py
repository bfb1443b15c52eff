"""Consecutive `archiver cron` runs over a site that changes between them (docs/cron.md).

Run 1 archives four articles. Before run 2 the site gets a new article, a new comment on one
article, an edit of another, and loses a fourth (404); one stays unchanged. Before run 3 only one
new comment arrives. Each run must write exactly the new and changed records, with versions, and
turn unchanged pages into WARC revisits.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.crawl import outcome
from archiver.cron import run_jobs_file
from archiver.incremental.state import CrawlState
from tests.cron_helpers import article, at, crawl_dirs, make_site, records, summary, warc_types, write_jobs
from tests.servers.changing_site import Comment, serve_site


def _by_slug(recs: list[dict]) -> dict[str, dict]:
    return {r["url"].rstrip("/").rsplit("/", 1)[-1]: r for r in recs}


@pytest.mark.parametrize("validators", [True, False], ids=["etag-304", "no-validators"])
def test_three_runs_write_exactly_new_and_changed_records(tmp_path: Path, validators: bool) -> None:
    site = make_site(tmp_path / "site", ["steady", "chatty", "edited", "doomed"])
    archive = tmp_path / "archive"
    jobs = tmp_path / "jobs.toml"
    with serve_site(site.root, validators=validators) as base:
        write_jobs(jobs, base, now=at(0))
        assert run_jobs_file(str(jobs)) == (outcome.OK, [])
        first = crawl_dirs(archive)[-1]
        recs = _by_slug(records(first))
        assert sorted(recs) == ["chatty", "doomed", "edited", "steady"]
        assert {r["version"] for r in recs.values()} == {1}
        assert recs["chatty"]["new_comment_count"] == 2 and recs["chatty"]["previous_digest"] is None

        site.add(article("fresh", published_days=1))
        site.articles["chatty"].comments.append(Comment(999, "Late Reader", at(1), "A new comment"))
        site.articles["edited"].paragraphs[0] = "This paragraph was rewritten after publication. " * 3
        site.delete("doomed")
        site.write()
        write_jobs(jobs, base, now=at(1, 1))
        assert run_jobs_file(str(jobs)) == (outcome.OK, [])
        second = crawl_dirs(archive)[-1]
        recs2 = _by_slug(records(second))
        assert sorted(recs2) == ["chatty", "edited", "fresh"]
        assert (recs2["fresh"]["version"], recs2["chatty"]["version"], recs2["edited"]["version"]) == (1, 2, 2)
        assert recs2["chatty"]["new_comment_count"] == 1
        assert len(recs2["chatty"]["comments"]) == 3
        assert recs2["chatty"]["previous_digest"] == recs["chatty"]["digest"]
        assert recs2["edited"]["new_comment_count"] == 0
        inc = summary(second)["counts"]["incremental"]
        assert (inc["new"], inc["changed"], inc["unchanged"], inc["gone"], inc["new_comments"]) == (1, 2, 1, 1, 1)
        revisits = [(t, p, prof) for t, p, prof in warc_types(second) if t == "revisit" and p == "posts/steady/"]
        profile = "server-not-modified" if validators else "identical-payload-digest"
        assert len(revisits) == 1 and profile in (revisits[0][2] or "")
        assert "Not archived" not in (archive / "logs" / "cron.log").read_text()  # no warning per revisit
        # Unchanged re-visits are counted responses (the error rate and by_status see them).
        assert summary(second)["counts"]["by_status"].get("304", 0) == (1 if validators else 0)

        site.articles["chatty"].comments.append(Comment(1000, "Later Reader", at(2), "Another one", parent=999))
        site.write()
        write_jobs(jobs, base, now=at(2, 2))
        assert run_jobs_file(str(jobs)) == (outcome.OK, [])
        third = crawl_dirs(archive)[-1]
        recs3 = _by_slug(records(third))
        assert sorted(recs3) == ["chatty"]
        assert (recs3["chatty"]["version"], recs3["chatty"]["new_comment_count"]) == (3, 1)
        assert recs3["chatty"]["previous_digest"] == recs2["chatty"]["digest"]
        inc3 = summary(third)["counts"]["incremental"]
        assert (inc3["unchanged"], inc3.get("gone", 0), inc3.get("new", 0)) == (3, 0, 0)

    state = CrawlState(archive / "cron-state.sqlite3")
    try:
        kinds = dict(state.execute("SELECT url, kind FROM pages WHERE url LIKE '%/posts/%'"))
        versions = dict(state.execute("SELECT url, version FROM pages WHERE kind = 'article'"))
    finally:
        state.close()
    assert sorted(kinds.values()) == ["article", "article", "article", "article", "gone"]
    assert sorted(versions.values()) == [1, 1, 2, 3]


def test_nothing_due_an_hour_later_writes_nothing_and_is_ok(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", ["one", "two"])
    jobs = tmp_path / "jobs.toml"
    with serve_site(site.root) as base:
        write_jobs(jobs, base, now=at(0))
        assert run_jobs_file(str(jobs))[0] == outcome.OK
        write_jobs(jobs, base, now=at(0, 1))
        assert run_jobs_file(str(jobs))[0] == outcome.OK
    second = crawl_dirs(tmp_path / "archive")[-1]
    assert records(second) == []
    counts = summary(second)["counts"]
    assert counts["incremental"] == {"not_due": 2}
    # Only discovery (robots, sitemap, home page) was fetched, no article page.
    assert not [p for t, p, _ in warc_types(second) if t in ("response", "revisit") and p.startswith("posts/")]


def test_feed_of_latest_items_still_revisits_older_articles(tmp_path: Path) -> None:
    """An article that left the sitemap is still re-visited when due (here: a new comment)."""
    site = make_site(tmp_path / "site", ["old", "new"])
    jobs = tmp_path / "jobs.toml"
    with serve_site(site.root) as base:
        write_jobs(jobs, base, now=at(0), mode="sitemap")
        assert run_jobs_file(str(jobs))[0] == outcome.OK
        site.articles["old"].comments.append(Comment(5, "Someone", at(1), "still reading this"))
        site.write()
        sitemap = site.root / "sitemap.xml"
        sitemap.write_text(sitemap.read_text().replace("<url><loc>{{BASE}}/posts/old/</loc></url>", ""))
        write_jobs(jobs, base, now=at(1, 1), mode="sitemap")
        assert run_jobs_file(str(jobs))[0] == outcome.OK
    recs = _by_slug(records(crawl_dirs(tmp_path / "archive")[-1]))
    assert sorted(recs) == ["old"] and recs["old"]["version"] == 2 and recs["old"]["new_comment_count"] == 1


def test_skipped_articles_do_not_use_up_max_pages(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", ["a-old", "b-old", "c-old"])
    jobs = tmp_path / "jobs.toml"
    with serve_site(site.root) as base:
        write_jobs(jobs, base, now=at(0), extra="max_pages = 4\n")
        assert run_jobs_file(str(jobs))[0] == outcome.OK
        site.add(article("d-new", published_days=0))
        site.add(article("e-new", published_days=0))
        site.write()
        write_jobs(jobs, base, now=at(0, 1), extra="max_pages = 4\n")
        assert run_jobs_file(str(jobs))[0] == outcome.OK
    assert sorted(_by_slug(records(crawl_dirs(tmp_path / "archive")[-1]))) == ["d-new", "e-new"]


def test_untrusting_revisits_parse_everything_and_compare_records(tmp_path: Path) -> None:
    """REVISIT_TRUST_UNCHANGED_PAGE = false: no conditional GET, every due article parsed, and an
    unchanged one recognised by its extracted content."""
    site = make_site(tmp_path / "site", ["one", "two"])
    jobs = tmp_path / "jobs.toml"
    untrusting = {"REVISIT_TRUST_UNCHANGED_PAGE": False}
    with serve_site(site.root) as base:
        write_jobs(jobs, base, now=at(0), settings=untrusting)
        assert run_jobs_file(str(jobs))[0] == outcome.OK
        site.articles["two"].comments.append(Comment(77, "Reader", at(1), "new"))
        site.write()
        write_jobs(jobs, base, now=at(1, 1), settings=untrusting)
        assert run_jobs_file(str(jobs))[0] == outcome.OK
    second = crawl_dirs(tmp_path / "archive")[-1]
    assert [(r["version"], r["new_comment_count"]) for r in records(second)] == [(2, 1)]
    counts = summary(second)["counts"]
    assert counts["incremental"]["unchanged/same_record"] == 1 and "304" not in counts["by_status"]
    assert summary(second)["settings"]["INCREMENTAL"] in (True, "True")
