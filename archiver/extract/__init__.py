"""Pure extraction: `html, url -> record`. No network, no files; the spiders and the CLI call this.

`analyze_page` parses once and returns the record plus what the crawler needs (page type when
asked for, comment pages to fetch, outlinks); `extract_page(html, url) -> dict` is the public entry
point (README, "From Python"): the same code path `archiver extract` and the spiders use, so it
must stay pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archiver.extract.body import Body, extract_body
from archiver.extract.comments import CommentThread, extract_comments
from archiver.extract.document import Document
from archiver.extract.links import feed_links, outlinks
from archiver.extract.media import extract_media, featured_image
from archiver.extract.metadata import extract_metadata
from archiver.extract.pagetype import PageType, classify_page
from archiver.items import empty_record

__all__ = ["PageAnalysis", "PageType", "analyze_page", "extract_comment_page", "extract_page"]


@dataclass
class PageAnalysis:
    record: dict[str, Any]
    page_type: PageType | None  # None when analyze_page was told not to classify
    comments: CommentThread
    outlinks: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)


def analyze_page(
    html: str | bytes, url: str, *, content_type: str | None = None, classify: bool = True
) -> PageAnalysis:
    """Parse `html` once and extract the record and the crawl hints of one page; the page type
    only with `classify` (pages the user named are archived whatever they are: no need to ask)."""
    doc = Document.from_html(html, url, content_type)
    record, thread, body = _record(doc)
    return PageAnalysis(
        record=record,
        page_type=classify_page(doc, body, thread.nodes) if classify else None,
        comments=thread,
        outlinks=outlinks(doc),
        feeds=feed_links(doc),
    )


def extract_page(html: str | bytes, url: str) -> dict[str, Any]:
    """The record of one saved page, as archiver/schema/record.schema.json defines it, with the
    fetch-time fields (fetched_at, status, warc, digest) null. Never raises on bad HTML.
    Only the record: the crawl hints of `analyze_page` (links, page type) are not computed."""
    return _record(Document.from_html(html, url))[0]


def _record(doc: Document) -> tuple[dict[str, Any], CommentThread, Body]:
    """The record of a parsed page, the comment thread it came from (its pages, REST URL) and the
    body it was extracted from (its element tells the page classifier where the text is)."""
    record = empty_record(doc.url)
    record.update(extract_metadata(doc))
    thread = extract_comments(doc)
    body = extract_body(doc, exclude=thread.nodes)
    record["body"] = body.text
    record["body_html"] = body.html
    record["media"] = extract_media(doc, body.node)
    record["image"] = featured_image(doc, record["media"])
    record["comments"] = thread.comments
    record["comment_count"] = thread.count
    record["comments_system"] = thread.system
    record["comments_source"] = "html" if thread.comments else None
    record["comments_open"] = thread.open
    if thread.thread is not None:
        record["comments_thread"] = thread.thread
    return record, thread, body


def extract_comment_page(
    html: str | bytes, url: str, *, content_type: str | None = None
) -> CommentThread:
    """Only the comment thread of an extra comment page (/comment-page-N/) of an article."""
    return extract_comments(Document.from_html(html, url, content_type))
