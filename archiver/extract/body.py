"""Main article text (`body`) and its minimal clean HTML (`body_html`).

First pass: the densest <article>/<main> block, paragraphs joined by blank lines. The extraction
issue replaces this with a full boilerplate-removal algorithm behind the same `extract_body` seam.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import lxml.html

from archiver.extract.document import Document, element_text

_BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")
_SKIP_TAGS = {"script", "style", "noscript", "nav", "aside", "footer", "header", "form"}


@dataclass
class Body:
    text: str
    html: str
    # The element of `Document.tree` holding the article content (None when nothing was found);
    # media extraction uses it to decide `in_body`.
    node: lxml.html.HtmlElement | None


def _candidate_nodes(doc: Document) -> list[lxml.html.HtmlElement]:
    nodes = doc.tree.xpath("//article | //main | //*[@itemprop='articleBody']")
    return nodes or [doc.tree.body] if doc.tree.find("body") is not None else nodes


def _blocks(node: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    blocks: list[tuple[str, str]] = []
    for element in node.iter(*_BLOCK_TAGS):
        if any(ancestor.tag in _SKIP_TAGS for ancestor in element.iterancestors()):
            continue
        if element.tag == "p" and element.getparent() is not None and element.getparent().tag in (
            "li", "blockquote"
        ):
            continue
        text = element_text(element)
        if text:
            blocks.append((str(element.tag), text))
    return blocks


def extract_body(doc: Document, exclude: Sequence[lxml.html.HtmlElement] = ()) -> Body:
    """The article text of `doc` as plain paragraphs and minimal clean HTML; `exclude` (comment
    sections found by the comment extractor) never contributes text."""
    best: lxml.html.HtmlElement | None = None
    best_blocks: list[tuple[str, str]] = []
    best_score = 0
    for node in _candidate_nodes(doc):
        if any(node is excluded or node in excluded.iterancestors() for excluded in exclude):
            continue
        blocks = _blocks(node)
        score = sum(len(text) for tag, text in blocks if tag == "p")
        if score > best_score:
            best, best_blocks, best_score = node, blocks, score
    text = "\n\n".join(text for _tag, text in best_blocks)
    html = "".join(f"<{tag}>{escape(text)}</{tag}>" for tag, text in best_blocks)
    return Body(text=text, html=html, node=best)
