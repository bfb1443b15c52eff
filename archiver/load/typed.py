"""Typed record objects (`records(..., typed=True)`): dataclasses mirroring the record schema.

The JSON Schema stays the single source of truth; these classes only give attribute access, type
hints and IDE completion. Keys the classes do not know (added by a newer schema) are kept in
`extra`, so `Record.from_dict(d).to_dict() == d` for every valid record.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any


@dataclass(slots=True)
class Person:
    name: str | None = None
    url: str | None = None


@dataclass(slots=True)
class SrcsetEntry:
    url: str
    width: int | None = None


@dataclass(slots=True)
class Media:
    type: str
    url: str
    srcset: list[SrcsetEntry] = field(default_factory=list)
    caption: str | None = None
    alt: str | None = None
    credit: str | None = None
    width: int | None = None
    height: int | None = None
    mime: str | None = None
    provider: str | None = None
    in_body: bool = True
    extra: dict[str, Any] = field(default_factory=dict)  # poster, sources, ...


@dataclass(slots=True)
class Comment:
    id: str
    parent_id: str | None
    depth: int
    author: Person
    published: str | None
    text: str
    html: str
    permalink: str | None
    type: str = "comment"
    extra: dict[str, Any] = field(default_factory=dict)  # votes, ...


@dataclass(slots=True)
class WarcPointer:
    filename: str
    offset: int
    length: int
    record_id: str
    date: str


@dataclass(slots=True)
class Record:
    """One archived article (the record of record.schema.json); `source` is the JSONL file it was read from."""

    url: str
    canonical_url: str | None
    fetched_at: str | None
    status: int | None
    title: str | None
    authors: list[Person]
    published: str | None
    modified: str | None
    language: str | None
    site_name: str | None
    description: str | None
    categories: list[str]
    tags: list[str]
    body: str
    body_html: str
    media: list[Media]
    comments: list[Comment]
    comment_count: int | None
    comments_system: str | None
    comments_open: bool | None
    warc: WarcPointer | None
    digest: str | None
    extractor: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)  # page_type, crawl_id, version, ...
    source: Path | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)

    @property
    def page_type(self) -> str | None:
        """"article" | "listing" | "other" from the page classifier of site/sitemap crawls; None
        when not classified (url/feed inputs) and in archives written before the key existed.
        Kept in `extra` so a record without the key round-trips without gaining it."""
        value = self.extra.get("page_type")
        return value if isinstance(value, str) else None

    @property
    def image(self) -> str | None:
        """The featured (og:image) URL. Kept with the unknown keys: records written before the
        key existed lack it, and `to_dict` must give back exactly the object that was read."""
        value = self.extra.get("image")
        return value if isinstance(value, str) else None

    @property
    def comments_source(self) -> str | None:
        """Where the comments came from (html, rest, json, rendered); None on records written before
        the key existed. Kept in `extra` so such records round-trip unchanged."""
        value = self.extra.get("comments_source")
        return str(value) if value is not None else None

    @property
    def fetched(self) -> datetime | None:
        """`fetched_at` as an aware datetime."""
        return datetime.fromisoformat(self.fetched_at) if self.fetched_at else None

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: Path | None = None, line: int | None = None) -> Record:
        values = _known(cls, data)
        values["authors"] = [Person(**_known(Person, a)) for a in data.get("authors") or []]
        values["media"] = [_media(m) for m in data.get("media") or []]
        values["comments"] = [_comment(c) for c in data.get("comments") or []]
        pointer = data.get("warc")
        values["warc"] = WarcPointer(**_known(WarcPointer, pointer)) if pointer else None
        values["extra"] = _unknown(cls, data)
        return cls(**values, source=source, line=line)

    def to_dict(self) -> dict[str, Any]:
        """The record as the JSON object it was read from."""
        out: dict[str, Any] = {}
        for item in fields(self):
            if item.name in ("extra", "source", "line"):
                continue
            out[item.name] = _plain(getattr(self, item.name))
        out.update(self.extra)
        return out


_SKIP = {"extra", "source", "line"}


@cache
def _names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls)) - _SKIP


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = _names(cls)
    return {k: v for k, v in data.items() if k in names}


def _unknown(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = _names(cls)
    return {k: v for k, v in data.items() if k not in names}


def _media(data: dict[str, Any]) -> Media:
    values = _known(Media, data)
    values["srcset"] = [SrcsetEntry(**_known(SrcsetEntry, s)) for s in data.get("srcset") or []]
    return Media(**values, extra=_unknown(Media, data))


def _comment(data: dict[str, Any]) -> Comment:
    values = _known(Comment, data)
    values["author"] = Person(**_known(Person, data.get("author") or {}))
    return Comment(**values, extra=_unknown(Comment, data))


def _plain(value: Any) -> Any:
    """Dataclass trees back to JSON-ready values (extra keys merged in place)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        out = {f.name: _plain(getattr(value, f.name)) for f in fields(value) if f.name != "extra"}
        out.update(getattr(value, "extra", {}) or {})
        return out
    return value
