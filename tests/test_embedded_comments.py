"""The spider fetches an embedded Discourse topic's public JSON (on the forum's host) into the thread."""

from __future__ import annotations

import json
from pathlib import Path

from archiver.demo.server import serve
from archiver.schema import record_errors
from tests.crawling import run_crawl

PROSE = "<p>" + "Running text of an article that embeds a Discourse topic for its comments. " * 5 + "</p>"


def _topic() -> dict:
    def post(number: int, reply_to: int | None, text: str) -> dict:
        return {"post_number": number, "reply_to_post_number": reply_to, "username": f"user{number}",
                "name": f"User {number}", "created_at": f"2024-05-0{number}T10:00:00.000Z", "cooked": f"<p>{text}</p>"}

    return {"id": 123, "slug": "the-article", "post_stream": {"posts": [
        post(1, None, "The article itself, embedded."), post(2, None, "First reply."),
        post(3, 2, "An answer to the first reply."), post(4, None, "Second top-level reply.")]}}


def test_discourse_topic_json_becomes_the_thread(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "t").mkdir(parents=True)
    (site / "t" / "123.json").write_text(json.dumps(_topic()))
    with serve(site) as base:
        forum = base.replace("127.0.0.1", "localhost")  # another host than the article's
        (site / "article.html").write_text(
            f'<html><head><meta property="og:type" content="article"><title>T</title></head><body>'
            f"<article><h1>Embedded comments</h1>{PROSE}{PROSE}</article><div id='discourse-comments'></div>"
            f"<script>DiscourseEmbed = {{ discourseUrl: '{forum}/', topicId: 123 }};</script></body></html>")
        result = run_crawl(tmp_path / "out", f"url={base}/article.html")
    assert result.returncode == 0, result.stderr[-2000:]
    (record,) = result.records()
    assert record_errors(record) == []
    assert record["comments_system"] == "discourse"
    assert [(c["id"], c["parent_id"], c["depth"]) for c in record["comments"]] == [
        ("2", None, 1), ("3", "2", 2), ("4", None, 1)]
    assert record["comments"][1]["text"] == "An answer to the first reply."
