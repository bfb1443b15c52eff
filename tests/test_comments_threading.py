"""Threading, merging of comment pages and robustness: deep/long threads, malformed nesting,
moderation notices, pages merged in any order."""

from __future__ import annotations

import inspect
import random
import sys

from archiver.extract.comments import CommentThread, extract_comments, merge_comment_pages
from archiver.extract.comments.tree import format_thread_tree, rich_thread_tree, thread_order
from archiver.extract.document import Document

URL = "https://blog.example.org/2024/01/post/"


def _li(number: int, depth: int, inner: str = "", extra: str = "") -> str:
    return (
        f'<li id="comment-{number}" class="comment depth-{depth}"><article class="comment-body">'
        f'<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">user{number}</b>'
        f' <span class="says">says:</span></div><div class="comment-metadata"><a href="{URL}#comment-{number}">'
        f'<time datetime="2024-01-02T10:00:00+01:00">January 2, 2024</time></a></div></footer>'
        f'<div class="comment-content">{extra}<p>text of {number}</p></div>'
        f'<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article>{inner}</li>'
    )


def _page(items: str) -> str:
    return (f'<html><body><article><h1>Post</h1><p>{"Body text. " * 30}</p></article>'
            f'<div id="comments" class="comments-area"><ol class="comment-list">{items}</ol>'
            f'<div id="respond"><form id="commentform" action="/wp-comments-post.php"></form></div>'
            f'</div></body></html>')


def _comment(cid: str, parent: str | None, published: str = "2024-01-01T00:00:00+00:00") -> dict:
    return {"id": cid, "parent_id": parent, "depth": 1, "author": {"name": cid, "url": None},
            "published": published, "text": cid, "html": "", "permalink": None, "type": "comment"}


def test_thread_1000_levels_deep_needs_no_recursion() -> None:
    # 1000 levels is about as deep as libxml2 builds a tree (~2000 elements); the extractor itself
    # must not recurse: it runs here with a Python stack far shallower than the thread.
    inner = ""
    for number in range(1000, 0, -1):
        inner = _li(number, number, f'<ol class="children">{inner}</ol>' if inner else "")
    doc = Document.from_html(_page(inner), URL)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 120)
    try:
        thread = extract_comments(doc)
    finally:
        sys.setrecursionlimit(limit)
    assert len(thread.comments) == 1000
    assert [c["depth"] for c in thread.comments] == list(range(1, 1001))
    assert all(c["parent_id"] == str(int(c["id"]) - 1) for c in thread.comments[1:])


def test_two_thousand_comments_extract_in_order() -> None:
    thread = extract_comments(Document.from_html(_page("".join(_li(n, 1) for n in range(1, 2001))), URL))
    assert [c["id"] for c in thread.comments] == [str(n) for n in range(1, 2001)]
    assert thread.open is True


def test_thread_order_ten_thousand_comments_and_cycles() -> None:
    comments = [_comment(str(n), str(n - 1) if n > 1 else None) for n in range(1, 10_001)]
    ordered = thread_order(comments)
    assert ordered[-1]["depth"] == 10_000
    looped = thread_order([_comment("a", "b"), _comment("b", "a"), _comment("c", None)])
    assert sorted(c["id"] for c in looped) == ["a", "b", "c"]


def test_malformed_nesting_still_yields_the_tree() -> None:
    # Unclosed </li> and </ol>: the parser repairs the DOM, depth-N classes keep the parents right.
    items = (_li(1, 1).replace("</li>", "") + '<ol class="children">' + _li(2, 2).replace("</li>", "")
             + '<ol class="children">' + _li(3, 3) + _li(4, 1))
    thread = extract_comments(Document.from_html(_page(items), URL))
    assert [(c["id"], c["parent_id"], c["depth"]) for c in thread.comments] == [
        ("1", None, 1), ("2", "1", 2), ("3", "2", 3), ("4", None, 1)]


def test_moderation_notices_are_not_comments() -> None:
    pending = _li(2, 1, extra='<em class="comment-awaiting-moderation">Your comment is awaiting moderation.</em>')
    thread = extract_comments(Document.from_html(_page(_li(1, 1) + pending + _li(3, 1)), URL))
    assert [c["id"] for c in thread.comments] == ["1", "3"]
    assert all("moderation" not in c["text"] and "Reply" not in c["text"] for c in thread.comments)
    assert thread.comments[0]["author"]["name"] == "user1"


def test_merge_orders_pages_and_links_replies_across_pages() -> None:
    page1 = CommentThread(page_number=1, comments=[_comment("1", None, "2024-01-01"), _comment("2", "1")])
    page2 = CommentThread(page_number=2, comments=[_comment("5", None, "2024-01-03"), _comment("6", "2")])
    page3 = CommentThread(page_number=None, comments=[_comment("5", None, "2024-01-03")])
    for pages in ([page2, page1], [page1, page2], [page3, page2, page1]):
        merged = merge_comment_pages(pages)
        assert [(c["id"], c["depth"]) for c in merged] == [("1", 1), ("2", 2), ("6", 3), ("5", 1)]


def test_merge_keeps_newest_first_sites_newest_first() -> None:
    page1 = CommentThread(page_number=1, comments=[_comment("2", None, "2024-01-02"),
                                                   _comment("1", None, "2024-01-01")])
    page2 = CommentThread(page_number=2, comments=[_comment("4", None, "2024-01-04"),
                                                   _comment("3", None, "2024-01-03")])
    assert [c["id"] for c in merge_comment_pages([page1, page2])] == ["4", "3", "2", "1"]


def test_shuffled_pages_of_the_block_paged_corpus_post(corpus) -> None:  # noqa: ANN001
    import json

    site = corpus / "wordpress" / "block-paged"
    manifest = json.loads((site / "manifest.json").read_text())
    truth = json.loads((site / "truth" / "a-small-week-with-a-sourdough-starter.json").read_text())
    base = "/2023/09/a-small-week-with-a-sourdough-starter/"
    keys = [base] + [f"{base}comment-page-{n}/" for n in range(1, 8)]
    threads = [extract_comments(Document.from_html((site / manifest[k]["file"]).read_bytes(),
                                                   "http://blog.test:8080" + k)) for k in keys]
    random.Random(4).shuffle(threads)
    merged = merge_comment_pages(threads)
    assert [(c["id"], c["parent_id"], c["depth"]) for c in merged] == [
        (str(c["id"]), None if c["parent_id"] is None else str(c["parent_id"]), c["depth"])
        for c in truth["comments"]]


def test_tree_printers() -> None:
    comments = thread_order([_comment("1", None), _comment("2", "1"), _comment("3", None)])
    text = format_thread_tree(comments)
    assert text.splitlines() == [
        "└─ 1 2024-01-01T00:00:00+00:00: 1",
        "    └─ 2 2024-01-01T00:00:00+00:00: 2",
        "└─ 3 2024-01-01T00:00:00+00:00: 3",
    ]
    tree = rich_thread_tree(comments)
    assert len(tree.children) == 2 and len(tree.children[0].children) == 1
