"""The article record (archiver/schema/record.schema.json) as typed dictionaries plus a factory for empty records.

The JSON Schema in `archiver/schema/record.schema.json` is the contract; these types document it for
Python readers and let mypy check the code that fills records.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

from archiver import __version__

MediaType = Literal["image", "video", "audio", "iframe", "embed"]
CommentType = Literal["comment", "pingback", "trackback"]
# What the page classifier (archiver/extract/pagetype.py) said about a page of a site/sitemap
# crawl; None when the page was archived without being classified (url, urls_file, feed inputs).
PageTypeName = Literal["article", "listing", "other"]


class Person(TypedDict):
    name: str | None
    url: str | None


class SrcsetEntry(TypedDict):
    url: str
    width: int | None


class MediaSource(TypedDict):
    url: str
    mime: NotRequired[str | None]


class Media(TypedDict, total=False):
    type: MediaType
    url: str
    srcset: list[SrcsetEntry]
    caption: str | None
    alt: str | None
    credit: str | None
    width: int | None
    height: int | None
    mime: str | None
    provider: str | None
    in_body: bool
    poster: str | None
    sizes: str | None
    sources: list[MediaSource]


class Comment(TypedDict):
    id: str
    parent_id: str | None
    depth: int
    author: Person
    published: str | None
    text: str
    html: str
    permalink: str | None
    type: CommentType
    votes: NotRequired[int | None]


# Where `comments` came from: the page's HTML (and its comment pages), the WordPress REST API, a
# system's public JSON fetched by the crawler (Discourse), or the page rendered in a browser.
CommentsSource = Literal["html", "rest", "json", "rendered"]


class WarcPointer(TypedDict):
    filename: str
    offset: int
    length: int
    record_id: str
    date: str


# Keys the record schema requires, in the order records are written.
RECORD_KEYS: tuple[str, ...] = (
    "url", "canonical_url", "fetched_at", "status", "title", "authors", "published", "modified",
    "language", "site_name", "description", "categories", "tags", "body", "body_html", "media",
    "comments", "comment_count", "comments_system", "comments_open", "warc", "digest", "extractor",
)

# Keys added after the first archives were written: every new record carries them (null when
# unknown), but the schema does not require them, so records of older archives stay valid.
ADDED_KEYS: tuple[str, ...] = ("image", "page_type", "comments_source")

# The keys a record is written with, in order.
WRITTEN_KEYS: tuple[str, ...] = RECORD_KEYS + ADDED_KEYS

# Keys the schema allows besides those: the crawl's id, the versions of incremental runs, and the
# identifier of an embedded (JavaScript) comment thread.
OPTIONAL_KEYS: tuple[str, ...] = ("crawl_id", "version", "previous_digest", "new_comment_count", "comments_thread")

LIST_KEYS = frozenset({"authors", "categories", "tags", "media", "comments"})


def extractor_info() -> dict[str, str]:
    return {"name": "archiver", "version": __version__}


def is_article_record(record: Any) -> bool:
    """An article's record, or one of a page nobody classified (url, urls_file, feed inputs).

    `-a keep=all` also makes records of listing and other pages: those are discovery pages, and
    must not count as articles (crawl.json counts, the URL-trap guard, the incremental state).
    """
    return record.get("page_type") in (None, "article")


def empty_record(url: str) -> dict[str, Any]:
    """A record for `url` with every contract key present and unknown (null / [] / "")."""
    record: dict[str, Any] = {key: ([] if key in LIST_KEYS else None) for key in WRITTEN_KEYS}
    record["url"] = url
    record["body"] = ""
    record["body_html"] = ""
    record["extractor"] = extractor_info()
    return record
