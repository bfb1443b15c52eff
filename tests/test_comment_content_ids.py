"""Comments whose page gives them no id get one from their content, so the pages of a thread merge
without losing comments (a position id "c1" repeated on every page and the merge dropped page 2)."""

from __future__ import annotations

import json

from archiver.extract import extract_comment_page
from archiver.extract.comments import merge_comment_pages

URL = "https://blog.example.org/post/"


def _comment(author: str, day: int, text: str) -> str:
    return (f"<div class='comment-item'><span class='comment-author'>{author}</span>"
            f"<span class='comment-date'>March {day}, 2024</span><p>{text}</p></div>")


def _page(*comments: str) -> bytes:
    return (f"<html><body><article><h1>Post</h1><p>{'Body text. ' * 30}</p></article>"
            f"<div class='comments'>{''.join(comments)}</div></body></html>").encode()


def test_id_less_comments_of_two_pages_all_survive_the_merge() -> None:
    first = extract_comment_page(_page(_comment("Ann", 1, "First page, first comment."),
                                       _comment("Bob", 2, "First page, second comment.")), URL)
    second = extract_comment_page(_page(_comment("Cy", 3, "Second page, first comment."),
                                        _comment("Di", 4, "Second page, second comment.")), f"{URL}?page=2")
    merged = merge_comment_pages([first, second])
    assert [c["author"]["name"] for c in merged] == ["Ann", "Bob", "Cy", "Di"]
    assert len({c["id"] for c in merged}) == 4


def test_content_ids_do_not_depend_on_position_and_repeats_stay_distinct() -> None:
    alone = extract_comment_page(_page(_comment("Cy", 3, "Same words."), _comment("Ed", 5, "Other.")), URL)
    later = extract_comment_page(_page(_comment("Ed", 5, "Other."), _comment("Cy", 3, "Same words.")), URL)
    assert {c["id"] for c in alone.comments} == {c["id"] for c in later.comments}
    twice = extract_comment_page(_page(_comment("Ann", 1, "+1"), _comment("Ann", 1, "+1"),
                                       _comment("Bob", 2, "Me too, really.")), URL)
    assert len({c["id"] for c in twice.comments}) == 3


def test_json_ld_comments_without_identifier_keep_their_reply_links() -> None:
    thread = {"@context": "https://schema.org", "@type": "DiscussionForumPosting", "headline": "Q",
              "comment": [{"@type": "Comment", "author": {"name": "Ann"}, "text": "Top.",
                           "comment": [{"@type": "Comment", "author": {"name": "Bob"}, "text": "Reply."}]}]}
    html = (f"<html><head><script type='application/ld+json'>{json.dumps(thread)}</script></head>"
            f"<body><p>{'Text. ' * 40}</p></body></html>").encode()
    comments = extract_comment_page(html, URL).comments
    assert [c["author"]["name"] for c in comments] == ["Ann", "Bob"]
    assert comments[1]["parent_id"] == comments[0]["id"] and comments[0]["id"].startswith("h-")
