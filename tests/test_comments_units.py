"""Small pieces of comment extraction: dates, claimed counts, open/closed, pagination, sanitizing."""

from __future__ import annotations

import pytest

from archiver.extract.comments.comment_dates import parse_date, with_offset
from archiver.extract.comments.counts import comments_open, parse_count, structured_count
from archiver.extract.comments.pagination import comment_page_number, comment_page_urls, current_page, split_page
from archiver.extract.comments.text import text_and_html
from archiver.extract.document import Document, parse_html


@pytest.mark.parametrize(("raw", "iso"), [
    ("March 3, 2023 at 10:15 am", "2023-03-03T10:15:00"),
    ("March 3, 2023 at 12:05 am", "2023-03-03T00:05:00"),
    ("July 4th, 2021 at 3:07 PM", "2021-07-04T15:07:00"),
    ("3. März 2023 um 10:15 Uhr", "2023-03-03T10:15:00"),
    ("12 novembre 2022 14 h 05 min", "2022-11-12T14:05:00"),
    ("Desember 30, 2015 at 4:36 am", "2015-12-30T04:36:00"),
    ("Fri, 03/03/2023 - 10:15", "2023-03-03T10:15:00"),
    ("15.11.2022 18:12", "2022-11-15T18:12:00"),
    ("2019-11-19T06:34:04-05:00", "2019-11-19T06:34:04-05:00"),
    ("2023-02-20T05:30:45Z", "2023-02-20T05:30:45+00:00"),
    ("1677838500000", "2023-03-03T10:15:00+00:00"),
    ("2 hours ago", None),
    ("", None),
])
def test_parse_date(raw: str, iso: str | None) -> None:
    assert parse_date(raw) == iso


def test_offset_from_wordpress_gmt_twin() -> None:
    assert with_offset("2023-07-01T12:00:00", "2023-07-01T10:00:00") == "2023-07-01T12:00:00+02:00"


@pytest.mark.parametrize(("text", "count"), [
    ("37 thoughts on “Title”", 37), ("One thought on “Title”", 1), ("12 Responses to x", 12),
    ("1,234 comments", 1234), ("Comments (12)", 12), ("Satu Tanggapan", 1), ("11 Antworten auf x", 11),
    ("No comments yet", 0), ("Leave a comment", None), ("Comments", None),
])
def test_parse_count(text: str, count: int | None) -> None:
    assert parse_count(text) == count


def test_structured_count_from_interaction_statistic() -> None:
    doc = Document.from_html(
        '<html><head><script type="application/ld+json">{"@type":"NewsArticle","interactionStatistic":'
        '{"@type":"InteractionCounter","interactionType":{"@type":"CommentAction"},"userInteractionCount":"9"}}'
        "</script></head><body></body></html>", "https://x.example/")
    assert structured_count(doc) == 9


@pytest.mark.parametrize(("html", "section", "state"), [
    ('<p class="no-comments">Comments are closed.</p><div id="respond"></div>', True, False),
    ('<div id="respond"><form id="commentform"></form></div>', True, True),
    ("<ol class='comment-list'></ol>", True, False),
    ("<ol class='comment-list'></ol>", False, None),
    ("<p>Kommentare sind geschlossen.</p>", False, False),
])
def test_comments_open(html: str, section: bool, state: bool | None) -> None:
    doc = Document.from_html(f"<html><body><article><p>x</p></article>{html}</body></html>", "https://x.example/")
    assert comments_open(doc, section) is state


def test_pagination_urls_and_numbers() -> None:
    assert split_page("https://b.example/p/comment-page-3/#comments") == ("https://b.example/p/", 3)
    assert comment_page_number("https://b.example/?p=5&cpage=2") == 2
    assert comment_page_number("https://b.example/p/") is None
    html = ('<html><body><ol class="comment-list"><li id="comment-9">'
            '<a href="https://b.example/p/comment-page-2/#comment-9">x</a></li></ol><div class="nav-links">'
            '<a href="https://b.example/p/comment-page-1/#comments">Older Comments</a>'
            '<a href="https://b.example/p/comment-page-3/#comments">Newer Comments</a>'
            '<a href="https://b.example/other/comment-page-2/">other post</a>'
            '<a href="https://b.example/p/comment-page-2/?replytocom=9#respond">Reply</a></div></body></html>')
    doc = Document.from_html(html, "https://b.example/p/")
    assert current_page(doc) == 2
    assert comment_page_urls(doc, 2) == ["https://b.example/p/comment-page-1/", "https://b.example/p/comment-page-3/"]
    older_only = Document.from_html('<html><body><div class="navigation"><a href="https://b.example/p/comment-page-4/'
                                    '#comments">« Older Comments</a></div></body></html>', "https://b.example/p/")
    assert current_page(older_only) == 5


def test_html_is_sanitized_and_text_is_clean() -> None:
    content = parse_html(
        '<div class="comment-content"><p onclick="x()">Hi <a href="javascript:alert(1)">there</a> '
        '<a href="/rel">rel</a><script>evil()</script></p><div class="reply">Reply</div>'
        '<span class="says">says:</span><div class="cs-rating pd-rating">5 votes</div><p>Second</p></div>'
    ).find(".//div")
    text, html = text_and_html(content, "https://x.example/post/")
    assert text == "Hi there rel\n\nSecond"
    assert "script" not in html and "onclick" not in html and "javascript" not in html
    assert 'href="https://x.example/rel"' in html


def test_discourse_topic_json_becomes_a_thread() -> None:
    from archiver.extract.comments.javascript_systems import comments_from_discourse

    topic = {"id": 1842, "slug": "release-4-2", "post_stream": {"posts": [
        {"post_number": 1, "username": "team", "cooked": "<p>Article</p>", "created_at": "2024-01-01T10:00:00.000Z"},
        {"post_number": 2, "username": "ana", "name": "Ana", "cooked": "<p>Faster!</p>",
         "created_at": "2024-01-01T11:00:00.000Z", "reply_to_post_number": None},
        {"post_number": 3, "username": "team", "cooked": "<p>Thanks <script>x()</script></p>",
         "created_at": "2024-01-01T12:00:00.000Z", "reply_to_post_number": 2},
        {"post_number": 4, "username": "spam", "cooked": "<p>buy</p>", "hidden": True},
    ]}}
    comments = comments_from_discourse(topic, "https://forum.example/")
    assert [(c["id"], c["parent_id"], c["depth"]) for c in comments] == [("2", None, 1), ("3", "2", 2)]
    assert comments[0]["author"] == {"name": "Ana", "url": "https://forum.example/u/ana"}
    assert comments[1]["text"] == "Thanks" and comments[0]["published"] == "2024-01-01T11:00:00+00:00"
    assert comments[1]["permalink"] == "https://forum.example/t/release-4-2/1842/3"


def test_page_links_ignore_tracking_parameters_and_other_posts() -> None:
    html = ('<html><body><div class="navigation"><a href="https://b.example/p/comment-page-1/#comments">Older</a>'
            '<a href="https://b.example/?p=7&cpage=2">other post, plain permalinks</a></div></body></html>')
    doc = Document.from_html(html, "https://www.b.example/p/?utm_source=feed")
    assert comment_page_urls(doc, None) == ["https://b.example/p/comment-page-1/"]
    plain = Document.from_html(html, "https://b.example/?p=7")
    assert comment_page_urls(plain, None) == ["https://b.example/?p=7&cpage=2"]


def test_quote_cite_and_malformed_urls_are_made_safe() -> None:
    content = parse_html('<div><blockquote cite="javascript:alert(1)">quoted</blockquote>'
                         '<q cite="/source">q</q><a href="http://[bad">broken</a></div>').find(".//div")
    text, html = text_and_html(content, "https://x.example/post/")
    assert "javascript" not in html and 'cite="https://x.example/source"' in html
    assert "quoted" in text and "broken" in text and "[bad" not in html
