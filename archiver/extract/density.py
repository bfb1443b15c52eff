"""Per-element text statistics of a whole tree, computed in one bottom-up pass.

Boilerplate removal needs, for many elements, how much text they hold and how much of it is link
text. Calling text_content() per element is quadratic on deep pages; here every text node is read
once and its length added to its owners (reverse document order visits children before parents).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import lxml.etree
import lxml.html

from archiver.extract.boilerplate import BLOCK_TAGS, SKIP_TAGS

# Elements whose subtree is never text at all (SKIP_TAGS minus the structural ones such as nav,
# which do hold text that the link-density rules must see).
_NO_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "math", "head",
                           "title", "select", "option", "textarea", "iframe", "object"})
_NO_PROSE_TAGS = frozenset({"nav", "aside", "footer", "form", "header"})
_ = SKIP_TAGS  # imported for the documentation cross-reference above


@dataclass(slots=True)
class Stats:
    """Text lengths of one element. `inline_*` counts only text not inside a nested block element,
    i.e. the paragraph this element itself renders."""

    text: int = 0
    links: int = 0
    inline_text: int = 0
    inline_links: int = 0
    commas: int = 0
    # Paragraph-like descendants (p, or blocks of direct text) and their good text.
    paragraphs: int = 0
    # Characters in those paragraphs when they are mostly not links: the "prose" in the subtree.
    prose: int = 0


@dataclass
class TreeStats:
    """Stats for every element of one subtree, keyed by element identity."""

    by_element: dict[lxml.html.HtmlElement, Stats] = field(default_factory=dict)
    order: list[lxml.html.HtmlElement] = field(default_factory=list)

    def of(self, element: lxml.html.HtmlElement) -> Stats:
        return self.by_element.get(element) or Stats()


def compute_stats(root: lxml.html.HtmlElement) -> TreeStats:
    """Text/link lengths of `root` and all its descendant elements."""
    stats = TreeStats()
    order = list(root.iter(lxml.etree.Element))
    stats.order = order
    table = stats.by_element
    block_tags, no_text_tags, no_prose_tags = BLOCK_TAGS, _NO_TEXT_TAGS, _NO_PROSE_TAGS
    for element in reversed(order):
        tag = element.tag
        own = Stats()
        table[element] = own
        if tag in no_text_tags:
            continue
        head = element.text
        if head:
            own.text = own.inline_text = len(head.strip())
            own.commas = head.count(",")
        for child in element:
            tail = child.tail
            if tail:
                length = len(tail.strip())
                own.text += length
                own.inline_text += length
            child_stats = table.get(child)
            if child_stats is None:
                continue
            own.text += child_stats.text
            own.links += child_stats.links
            own.commas += child_stats.commas
            own.paragraphs += child_stats.paragraphs
            own.prose += child_stats.prose
            if child.tag not in block_tags:
                own.inline_text += child_stats.inline_text
                own.inline_links += child_stats.inline_links
        if tag == "a":
            own.links = own.text
            own.inline_links = own.inline_text
        elif tag in block_tags and own.inline_text >= 25:
            own.paragraphs += 1
            if own.inline_links * 3 < own.inline_text:
                own.prose += own.inline_text
        if tag in no_prose_tags:
            own.prose = 0
    return stats


def visible_text(element: lxml.html.HtmlElement) -> str:
    """Text a reader sees in `element` (script/style bodies left out), whitespace collapsed."""
    parts: list[str] = []
    _collect_text(element, parts)
    return " ".join(" ".join(parts).split())


def _collect_text(element: lxml.html.HtmlElement, parts: list[str]) -> None:
    if element.tag in _NO_TEXT_TAGS:
        return
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            _collect_text(child, parts)
        if child.tail:
            parts.append(child.tail)
