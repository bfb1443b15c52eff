"""The chrome that frames a comment section inside the article container.

The comment extractor hands the body extractor the comment sections it found (a comment list, or
the empty placeholder a JavaScript widget fills). When such a section sits inside the element
chosen as the article, the short block right before it is the section's own header or policy note
("35 Comments", "Comments are moderated; see the community guidelines"), and the short block right
after it is its footer ("RSS feed for comments on this post", "Leave a comment"). Neither is
article text. The decision is by position only (no words of any language): the nearest text
block on either side of the section, if it is short and set apart from the article's run of
paragraphs (a <p> right after another <p> is the article's closing line).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import lxml.html

from archiver.extract.density import TreeStats

# Longer than any comment header or policy note seen; shorter than most closing paragraphs.
EDGE_TEXT_MAX = 400


def comment_edges(stats: TreeStats, container: lxml.html.HtmlElement,
                  sections: Iterable[lxml.html.HtmlElement]) -> set[lxml.html.HtmlElement]:
    """The short blocks of `container` directly before and after each comment section (the
    section itself may lie inside the container or right after it)."""
    edges: set[lxml.html.HtmlElement] = set()
    for section in sections:
        # An empty widget placeholder can stand anywhere (a count link in the header): only the
        # block before it is its note. A rendered comment list ends the page's text.
        if _text_after(stats, section, container) > EDGE_TEXT_MAX:
            continue  # article text follows: the section is not at the article's end
        for preceding in (True, False) if stats.of(section).text else (True,):
            edge = _nearest_text_block(stats, section, preceding)
            if edge is not None and stats.of(edge).text <= EDGE_TEXT_MAX \
                    and _below(edge, container) and not _ends_paragraph_run(stats, edge):
                edges.add(edge)
    return edges


def _ends_paragraph_run(stats: TreeStats, edge: lxml.html.HtmlElement) -> bool:
    """A <p> right after another <p> is the article's own closing line, however short."""
    if edge.tag != "p":
        return False
    for sibling in edge.itersiblings(preceding=True):
        if isinstance(sibling.tag, str) and stats.of(sibling).text:
            return sibling.tag == "p"
    return False


def _text_after(stats: TreeStats, section: lxml.html.HtmlElement,
                container: lxml.html.HtmlElement) -> int:
    """How much of the container's text comes after `section`."""
    if not _below(section, container):
        return 0
    total = 0
    element = section
    while element is not container:  # container is an ancestor: the walk up reaches it
        total += sum(stats.of(sibling).text for sibling in element.itersiblings()
                     if isinstance(sibling.tag, str))
        element = element.getparent()
    return total


def _below(element: lxml.html.HtmlElement, container: lxml.html.HtmlElement) -> bool:
    return any(ancestor is container for ancestor in element.iterancestors())


def _nearest_text_block(stats: TreeStats, section: lxml.html.HtmlElement,
                        preceding: bool) -> lxml.html.HtmlElement | None:
    """The first element with text next to `section` (climbing out of its wrappers), narrowed
    to its nearest child while it is longer than an edge block."""
    for sibling in _neighbours(section, preceding):
        if stats.of(sibling).text == 0:
            continue
        block = sibling
        while stats.of(block).text > EDGE_TEXT_MAX:
            children = [child for child in block if isinstance(child.tag, str)
                        and stats.of(child).text > 0]
            if not children:
                return None
            edge = children[-1] if preceding else children[0]
            loose = edge.tail if preceding else block.text
            if (loose or "").strip():
                return None  # loose text beside the children: the block is one paragraph
            block = edge
        return block
    return None


def _neighbours(section: lxml.html.HtmlElement, preceding: bool) -> Iterator[lxml.html.HtmlElement]:
    """Siblings of `section`, then of each of its ancestors, nearest first."""
    element: lxml.html.HtmlElement | None = section
    while element is not None:
        for sibling in element.itersiblings(preceding=preceding):
            if isinstance(sibling.tag, str):
                yield sibling
        element = element.getparent()
