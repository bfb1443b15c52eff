"""The generic parser's notion of a comment area: the nearest comment-ish class/id above a block
decides, widgets listing other posts' comments are not threads, and the marker must be close."""

from __future__ import annotations

from archiver.extract.comments import generic
from archiver.extract.comments.dom import Element
from archiver.extract.document import Document, parse_html

COMMENT = ("<li class='item'><span class='author'>Ann</span> <time datetime='2024-01-02'>Jan 2</time>"
           "<p>A comment that is long enough to count as one.</p></li>")


def _block(html: str) -> Element:
    tree = parse_html(f"<html><body>{html}</body></html>")
    return tree.get_element_by_id("target")


def test_nearest_marker_decides() -> None:
    assert generic._in_comment_area(_block("<div id='comments'><ol><li id='target'>x</li></ol></div>"))
    assert not generic._in_comment_area(_block(
        "<div id='comments'><aside class='widget recent-comments'><ul><li id='target'>x</li></ul></aside></div>"))
    assert generic._in_comment_area(_block(
        "<aside class='widget'><div class='comment-list'><div id='target'>x</div></div></aside>"))


def test_own_widget_marker_is_ignored_but_its_area_ancestor_counts() -> None:
    html = "<section class='comments'><div class='comment-share' id='target'>x</div></section>"
    assert generic._kind_of(_block(html)) == "widget"
    assert generic._in_comment_area(_block(html))


def test_markers_more_than_eight_levels_up_do_not_count() -> None:
    near = "<div class='comments'>" + "<div>" * 7 + "<div id='target'>x</div>" + "</div>" * 7 + "</div>"
    far = "<div class='comments'>" + "<div>" * 8 + "<div id='target'>x</div>" + "</div>" * 8 + "</div>"
    assert generic._in_comment_area(_block(near))
    assert not generic._in_comment_area(_block(far))


def test_memo_shared_by_siblings_gives_each_the_same_answer() -> None:
    tree = parse_html("<html><body><div class='comments'><ul>" + "<li>x</li>" * 5 + "</ul></div>"
                      "<div class='footer'><ul>" + "<li>y</li>" * 5 + "</ul></div></body></html>")
    memo: dict = {}
    answers = [generic._in_comment_area(li, memo) for li in tree.iter("li")]
    assert answers == [True] * 5 + [False] * 5
    assert answers == [generic._in_comment_area(li) for li in tree.iter("li")]


def test_a_recent_comments_widget_is_not_a_thread_but_a_comment_section_is() -> None:
    widget = f"<aside class='widget_recent_comments'><ul>{COMMENT * 3}</ul></aside>"
    section = f"<div class='discussion'><ul>{COMMENT * 3}</ul></div>"
    assert generic.find(Document.from_html(f"<html><body>{widget}</body></html>", "https://e.org/a")) is None
    found = generic.find(Document.from_html(f"<html><body>{section}</body></html>", "https://e.org/a"))
    assert found is not None and len(found.comments) == 3
