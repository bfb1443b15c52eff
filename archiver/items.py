"""The article record (DESIGN section 4) as typed dictionaries plus a factory for empty records.

The JSON Schema in `archiver/schema/record.schema.json` is the contract; these types document it for
Python readers and let mypy check the code that fills records.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from archiver import __version__

MediaType = Literal["image", "video", "audio", "iframe", "embed"]
CommentType = Literal["comment", "pingback", "trackback"]


class Person(TypedDict):
    name: str | None
    url: str | None


class SrcsetEntry(TypedDict):
    url: str
    width: int | None


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


# Where `comments` came from: the page's HTML (and its comment pages), the WordPress REST API, a
# system's public JSON fetched by the crawler (Discourse), or the page rendered in a browser.
CommentsSource = Literal["html", "rest", "json", "rendered"]


class WarcPointer(TypedDict):
    filename: str
    offset: int
    length: int
    record_id: str
    date: str


# Keys of DESIGN section 4, always present, in the order records are written.
RECORD_KEYS: tuple[str, ...] = (
    "url", "canonical_url", "fetched_at", "status", "title", "authors", "published", "modified",
    "language", "site_name", "description", "categories", "tags", "body", "body_html", "media",
    "comments", "comment_count", "comments_system", "comments_source", "comments_open", "warc", "digest",
    "extractor",
)

LIST_KEYS = frozenset({"authors", "categories", "tags", "media", "comments"})


def extractor_info() -> dict[str, str]:
    return {"name": "archiver", "version": __version__}


def empty_record(url: str) -> dict[str, Any]:
    """A record for `url` with every contract key present and unknown (null / [] / "")."""
    record: dict[str, Any] = {key: ([] if key in LIST_KEYS else None) for key in RECORD_KEYS}
    record["url"] = url
    record["body"] = ""
    record["body_html"] = ""
    record["extractor"] = extractor_info()
    return record
