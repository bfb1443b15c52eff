"""Pure parts of the browser capture: the render policy, the JSON parsers of Disqus, Coral and
Viafoura (documented shapes, nesting, paging, hostile input), and the rendered-thread dispatch."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.crawl.inputs import InputError, parse_inputs
from archiver.crawl.render_policy import RenderModeError, needs_render, render_mode
from archiver.extract.comments import coral_graphql, disqus_json, viafoura_json
from archiver.extract.comments.rendered import RenderedPage, comments_from_rendered
from archiver.items import empty_record
from archiver.schema import record_errors

PAGE = "https://news.example/2024/05/story/"


def record(system: str | None, comments: int, count: int | None) -> dict[str, Any]:
    return {"comments_system": system, "comments": [{"id": str(n)} for n in range(comments)],
            "comment_count": count}


@pytest.mark.parametrize(("mode", "rec", "expected"), [
    ("auto", record("disqus", 0, None), True),  # a JavaScript system and nothing found
    ("auto", record("viafoura", 0, 12), True),
    ("auto", record("wordpress", 5, 5), False),  # all comments are in the HTML
    ("auto", record("wordpress", 5, 9), True),  # the page claims more than were found
    ("auto", record(None, 0, None), False),
    ("auto", record("disqus", 3, None), False),  # the embed's no-JavaScript fallback had them
    ("always", record(None, 0, None), True),
    ("never", record("disqus", 0, 40), False),
])
def test_needs_render(mode: str, rec: dict[str, Any], expected: bool) -> None:
    assert needs_render(mode, rec) is expected


def test_render_mode_is_checked_with_one_line() -> None:
    assert render_mode(None) == "auto" and render_mode(" Always ") == "always"
    with pytest.raises(RenderModeError, match="expected one of auto, always, never"):
        render_mode("sometimes")
    assert parse_inputs({"url": PAGE, "render": "never"}).render == "never"
    assert parse_inputs({"url": PAGE}).render is None
    with pytest.raises(InputError, match="^render: expected one of"):
        parse_inputs({"url": PAGE, "render": "yes"})


def post(pid: str, parent: int | None, **extra: Any) -> dict[str, Any]:
    return {"id": pid, "parent": parent, "author": {"name": f"N{pid}", "profileUrl": f"https://disqus.com/by/u{pid}/"},
            "createdAt": "2024-05-01T10:00:00", "message": f"<p>Text {pid}</p>", **extra}


def test_disqus_thread_data_and_threaded_pages_merge() -> None:
    thread_data = {"code": 0, "response": {"thread": {"id": "1"}, "posts": [post("1", None), post("2", 1)]},
                   "cursor": {"hasNext": True, "next": "2:0:0"}}
    frame = (f'<html><body><script type="text/json" id="disqus-threadData">{json.dumps(thread_data)}</script>'
             '</body></html>')
    assert disqus_json.thread_data(frame) == thread_data
    page_two = {"code": 0, "cursor": {"hasNext": False},
                "response": [post("3", 2), post("4", None, likes=4, dislikes=1), post("2", 1)]}
    comments = disqus_json.comments_from_disqus([disqus_json.thread_data(frame), page_two], PAGE)
    assert [(c["id"], c["parent_id"], c["depth"]) for c in comments] == [
        ("1", None, 1), ("2", "1", 2), ("3", "2", 3), ("4", None, 1)]
    first = comments[0]
    assert first["author"] == {"name": "N1", "url": "https://disqus.com/by/u1/"}
    assert first["published"] == "2024-05-01T10:00:00+00:00"  # Disqus dates are UTC
    assert first["text"] == "Text 1" and first["permalink"] == PAGE + "#comment-1"
    assert comments[3]["votes"] == 3


def test_disqus_deleted_and_spam_posts_are_left_out_their_replies_kept() -> None:
    answer = {"response": [post("1", None, isDeleted=True), post("2", 1), post("3", None, isSpam=True)]}
    comments = disqus_json.comments_from_disqus([answer], PAGE)
    assert [(c["id"], c["parent_id"], c["depth"]) for c in comments] == [("2", "1", 1)]


def test_coral_nodes_nest_through_replies_and_comment_queries() -> None:
    def node(cid: str, replies: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
        out = {"id": cid, "body": f"<p>{cid}</p>", "createdAt": "2024-06-01T08:30:00.000Z",
               "author": {"id": "u", "username": f"user-{cid}"}, **extra}
        if replies is not None:
            out["replies"] = {"edges": [{"node": r} for r in replies]}
        return out

    stream = {"data": {"story": {"comments": {"edges": [
        {"node": node("a", [node("a1")])}, {"node": node("b", status="REJECTED")}, {"node": node("c", [])}]}}}}
    more_replies = {"data": {"comment": {"id": "a1", "replies": {"edges": [{"node": node("a1x")}]}}}}
    explicit = {"data": {"comment": {"id": "zz", "replies": {"edges": [{"node": node("c1", parent={"id": "c"})}]}}}}
    comments = coral_graphql.comments_from_coral([stream, more_replies, explicit, {"errors": []}], PAGE)
    assert [(c["id"], c["parent_id"], c["depth"]) for c in comments] == [
        ("a", None, 1), ("a1", "a", 2), ("a1x", "a1", 3), ("c", None, 1), ("c1", "c", 2)]
    assert comments[0]["author"]["name"] == "user-a"
    assert comments[0]["published"] == "2024-06-01T08:30:00+00:00"
    assert comments[0]["permalink"] == PAGE + "?commentID=a"


def test_viafoura_contents_replies_and_actor_names() -> None:
    page = {"contents": [
        {"content_uuid": "t1", "parent_uuid": "container", "content": "Top <b>one</b>", "date_created": 1717200000000,
         "actor_uuid": "x", "replies": {"contents": [
             {"content_uuid": "r1", "parent_uuid": "t1", "content": "Inline reply", "actor_uuid": "y",
              "date_created": 1717200060000}]}},
        {"content_uuid": "t2", "parent_uuid": "container", "content": "Gone", "status": "deleted"}],
        "actors": [{"actor_uuid": "x", "name": "Xena"}, {"actor_uuid": "y", "username": "yves"}]}
    replies = {"contents": [{"content_uuid": "r2", "parent_uuid": "r1", "content": "Deeper", "actor": {"name": "Zed"},
                             "date_created": 1717200120}]}
    comments = viafoura_json.comments_from_viafoura([page, replies], PAGE)
    assert [(c["id"], c["parent_id"], c["depth"], c["author"]["name"]) for c in comments] == [
        ("t1", None, 1, "Xena"), ("r1", "t1", 2, "yves"), ("r2", "r1", 3, "Zed")]
    assert comments[0]["text"] == "Top one" and comments[0]["published"] == "2024-06-01T00:00:00+00:00"
    assert comments[2]["published"] == "2024-06-01T00:02:00+00:00"  # seconds as well as milliseconds


def test_rendered_dispatch_finds_a_system_the_html_did_not_name() -> None:
    answer = {"contents": [{"content_uuid": "v", "parent_uuid": "c", "content": "Hi", "date_created": 1717200000000}]}
    thread = comments_from_rendered(RenderedPage(url=PAGE, payloads=(("https://x/comments", answer),)), None)
    assert thread.system == "viafoura" and thread.source == "rendered" and [c["id"] for c in thread.comments] == ["v"]


def test_rendered_dispatch_falls_back_to_the_frames_dom() -> None:
    frame = ('<html><body><ol class="commentlist">'
             '<li class="comment" id="comment-11"><article id="div-comment-11" class="comment-body">'
             '<footer class="comment-meta"><b class="fn">Reader</b> <time datetime="2024-01-02T03:04:05+00:00">'
             'Jan 2</time></footer><div class="comment-content"><p>Drawn by a widget in its frame.</p></div>'
             '</article></li></ol></body></html>')
    thread = comments_from_rendered(RenderedPage(url=PAGE, frames=(("https://widget.example/t", frame),)), "hyvor")
    assert thread.system == "hyvor" and [c["id"] for c in thread.comments] == ["11"]
    assert thread.comments[0]["text"] == "Drawn by a widget in its frame."
    assert comments_from_rendered(RenderedPage(url=PAGE), "hyvor").comments == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(
        st.sampled_from(["id", "parent", "response", "posts", "author", "message", "data", "body", "createdAt",
                         "replies", "edges", "node", "contents", "content_uuid", "parent_uuid", "content",
                         "date_created", "actor", "name", "status"]), children, max_size=6),
    max_leaves=30)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_parsers_never_raise_on_any_json(payload: Any) -> None:
    for parser in (disqus_json.comments_from_disqus, coral_graphql.comments_from_coral,
                   viafoura_json.comments_from_viafoura):
        comments = parser([payload], PAGE)
        assert record_errors({**empty_record(PAGE), "comments": comments}) == []


def test_browser_memory_counts_only_chromium_descendants() -> None:
    import subprocess
    import sys

    from archiver.render import memory

    # The child touches 16 MiB of its own (unshared) memory before it says it is ready: a python
    # that has only just started may hold under 1 MiB of proportional memory (a CI failure).
    holder = "import sys, time; b = bytearray(16 << 20); print('ready', flush=True); time.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        assert child.pid in memory.descendants(os.getpid())
        assert memory.rss_bytes(child.pid) > 16 << 20
        assert memory.program(child.pid).startswith("python")
        assert 16 << 20 < memory.pss_bytes(child.pid) <= memory.rss_bytes(child.pid)
        assert memory.browser_memory() == 0  # a python child is not the browser
    finally:
        child.kill()
        child.wait()
    assert memory.rss_bytes(child.pid) == 0


class _BrowserRequest:
    url = "https://comments.example/api/threads?cursor=2"
    method = "POST"
    post_data_buffer = b'{"q": 1}'


def test_browser_requests_become_scrapy_requests_that_scrapy_may_encode() -> None:
    from archiver.render.network import scrapy_request_for

    headers = {"accept-encoding": "gzip, deflate, br, zstd", "cookie": "s=1", "user-agent": "UA",
               ":authority": "comments.example", "content-type": "application/json"}
    request = scrapy_request_for(_BrowserRequest(), headers)
    assert (request.method, request.url, request.body) == ("POST", _BrowserRequest.url, b'{"q": 1}')
    assert request.headers.get("Cookie") == b"s=1" and request.headers.get("Content-Type") == b"application/json"
    assert b"Accept-Encoding" not in request.headers  # Scrapy sets one it can decode and archive (no zstd)
    assert not any(name.startswith(b":") for name in request.headers)
    meta = request.meta
    assert meta["dont_redirect"] and meta["handle_httpstatus_all"] and meta["archiver_offsite_ok"]
    assert meta["archiver_role"] == "render" and meta["archiver_no_conditional"]


def test_the_browser_gets_the_decoded_body_without_the_encoding_headers() -> None:
    from scrapy.http import HtmlResponse

    from archiver.render.network import _fulfillment, json_payload

    response = HtmlResponse("https://comments.example/t", status=203, body=b'{"response": []}', headers=[
        ("Content-Type", "application/json"), ("Content-Encoding", "gzip"), ("Content-Length", "20"),
        ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")])
    fulfil = _fulfillment(response)
    assert fulfil["status"] == 203 and fulfil["body"] == b'{"response": []}'
    assert {k.lower() for k in fulfil["headers"]} == {"content-type", "set-cookie"}
    assert fulfil["headers"]["Set-Cookie"] == "a=1\nb=2"  # Playwright's form for repeated headers
    assert json_payload(response) == {"response": []}
    assert json_payload(HtmlResponse("https://x/", body=b"<p>{</p>")) is None
