"""Query gating (archiver.extract.comments.gate): skipping or shortening a query never changes
what it finds, it only avoids running the parts the page cannot satisfy."""

from __future__ import annotations

import re

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.extract.comments import blogger, counts, drupal, hn, jetpack, pagination, schemaorg, wordpress
from archiver.extract.comments.dom import first, matches
from archiver.extract.comments.gate import plan, reading
from archiver.extract.document import parse_html

COUNT = "//*[contains(@class, 'comments-title') or contains(@class, 'comment-count') or @id='comments']"


def _tree(html: str) -> lxml.html.HtmlElement:
    return parse_html(f"<html><body>{html}</body></html>")


def test_a_query_whose_words_the_page_lacks_is_skipped() -> None:
    tree = _tree("<div class='post'><p>No comments here</p></div>")
    with reading(tree):
        assert plan(tree, COUNT) is None
        assert plan(tree, "//*[contains(@class, 'disqus')]") is None
    assert plan(tree, COUNT) == COUNT  # outside `reading`, queries run as written


def test_alternatives_that_cannot_match_are_dropped_and_the_rest_kept() -> None:
    tree = _tree("<div id='comments'><h2 class='comment-count'>3 Comments</h2></div>")
    with reading(tree):
        assert plan(tree, COUNT) == "//*[contains(@class, 'comment-count') or @id='comments']"
        assert [e.tag for e in matches(tree, COUNT)] == ["div", "h2"]


def test_ids_are_looked_up_exactly_not_as_substrings() -> None:
    tree = _tree("<div id='comments-area' class='x'></div>")
    with reading(tree):
        assert plan(tree, "//*[@id='comments' or @id='respond']") is None
        assert plan(tree, "//*[@id='comments-area' or @id='respond']") == "//*[@id='comments-area']"


def test_an_anchor_name_sharing_the_id_keeps_the_query_and_finds_the_real_element() -> None:
    tree = _tree("<a name='comments'></a><section id='comments'>x</section><p id='comments'>y</p>")
    with reading(tree):
        assert [e.tag for e in matches(tree, "//*[@id='comments' or @id='respond']")] == ["section", "p"]


def test_open_ended_alternatives_are_always_kept() -> None:
    tree = _tree("<p>Comments are closed.</p>")
    query = "//*[contains(@class, 'nope') or contains(text(), 'closed') or not(@class)]"
    with reading(tree):
        assert plan(tree, query) == "//*[contains(text(), 'closed') or not(@class)]"
        assert first(tree, query) is not None


def test_tags_and_attribute_names_the_page_lacks_skip_the_query() -> None:
    tree = _tree("<div data-isso='1'><script src='x.js'></script></div>")
    with reading(tree):
        assert plan(tree, "//hyvor-talk-comments") is None
        assert plan(tree, "//*[@data-spotim-module]") is None
        assert plan(tree, "//script[@data-isso]") == "//script[@data-isso]"
        assert plan(tree, "//*[@data-isso or @data-spotim-module]") == "//*[@data-isso]"


def test_queries_relative_to_another_element_run_as_written() -> None:
    tree = _tree("<div class='a'><p class='b'>x</p></div>")
    inner = tree.find(".//div")
    with reading(tree):
        assert plan(inner, ".//*[contains(@class, 'zzz') or @id='q']") == ".//*[contains(@class, 'zzz') or @id='q']"


# Every detection query of the comment parsers, and pages built from the words they look for.
QUERIES = [
    blogger.THREADED_XPATH, blogger.CLASSIC_XPATH, counts.COUNT_XPATH, counts.CLOSED_XPATH, counts.FORM_XPATH,
    drupal.COMMENT_XPATH, hn.ROW_XPATH, jetpack.JETPACK_XPATH, pagination._PAGER_XPATH, schemaorg.MICRODATA_XPATH,
    wordpress.COMMENT_XPATH, wordpress.MODERATION_XPATH, wordpress._EMPTY_SECTION_XPATH,
    wordpress._WORDPRESS_XPATH, "//*[@id='disqus_thread'] | //*[@id='commento']",
    "//*[contains(concat(' ', @class, ' '), ' fb-comments ')] | //*[name()='fb:comments']",
    "//*[@data-spotim-module] | //script[@data-isso] | //hyvor-talk-comments | //vf-conversations",
    "//*[@data-comment-user-id or @data-drupal-selector]",
]
_WORDS = sorted({w.strip() for q in QUERIES for pair in re.findall(r"'([^']*)'|\"([^\"]*)\"", q)
                 for w in pair if w.strip() and "'" not in w and '"' not in w and "<" not in w})
_TAGS = ["div", "li", "ol", "section", "form", "h2", "p", "a", "span", "article", "iframe", "dl", "dt", "tr",
         "script", "hyvor-talk-comments", "vf-conversations"]
_ATTRS = ["class", "id", "href", "action", "rel", "itemprop", "itemtype", "name", "content", "src",
          "data-isso", "data-spotim-module", "data-comment-user-id"]


@st.composite
def pages(draw: st.DrawFn) -> str:
    def element(depth: int) -> str:
        tag = draw(st.sampled_from(_TAGS))
        attrs = draw(st.dictionaries(st.sampled_from(_ATTRS), st.sampled_from([*_WORDS, "x", "post 1"]), max_size=3))
        children = "".join(element(depth + 1) for _ in range(draw(st.integers(0, 3 if depth < 4 else 0))))
        text = draw(st.sampled_from(["", "3 Comments", "Comments are closed.", "Reply"]))
        rendered = " ".join(f"{name}=\"{value}\"" for name, value in attrs.items())
        return f"<{tag} {rendered}>{text}{children}</{tag}>"

    return "".join(element(0) for _ in range(draw(st.integers(1, 4))))


@settings(max_examples=300, deadline=None)
@given(pages())
def test_gated_queries_find_exactly_what_ungated_queries_find(html: str) -> None:
    tree = _tree(html)
    path = tree.getroottree().getpath

    def found() -> tuple[dict[str, list[str]], dict[str, str | None]]:
        every = {query: [path(e) for e in matches(tree, query)] for query in QUERIES}
        firsts = {query: (path(e) if (e := first(tree, query)) is not None else None) for query in QUERIES}
        return every, firsts

    plain = found()
    with reading(tree):
        assert found() == plain


def test_or_inside_literals_brackets_and_parentheses_is_not_an_alternative() -> None:
    tree = _tree("<div class='a or b' title=']' data-x='pq'>x</div>")
    query = "//div[contains(@class, 'a or b') or (@id='p' or @id='q') or @id='r']/text()"
    with reading(tree):
        # the parenthesised pair is one alternative, kept because its words occur ('pq')
        assert plan(tree, query) == "//div[contains(@class, 'a or b') or (@id='p' or @id='q')]/text()"
        assert plan(tree, "//div[@title=']' or @id='r']") == "//div[@title=']']"


def test_words_and_ids_are_remembered_apart() -> None:
    tree = _tree("<a href='/post#comment-3'>x</a>")
    with reading(tree):  # the word '#comment-' is in the page, the id 'comment-' is not
        assert plan(tree, "//a[contains(@href, '#comment-')]") is not None
        assert plan(tree, "//*[@id='comment-' or @id='respond']") is None


def test_axes_and_node_tests_are_not_taken_for_tag_names() -> None:
    tree = _tree("<p>Comments are closed.</p>")
    with reading(tree):
        assert plan(tree, "//text()") == "//text()"
        assert plan(tree, "//descendant::p") == "//descendant::p"
        assert len(matches(tree, "//descendant::p | //text()")) == 1  # text nodes are not elements
