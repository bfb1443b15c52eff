"""What makes two captures of an article "the same": the record digest and comment bookkeeping.

The record digest covers what was extracted (text, metadata, media, comments) and leaves out what
differs on every fetch even when nothing changed (fetch time, WARC pointer, payload digest — a page
can embed a nonce or a timestamp — and the version keys themselves). Pure functions, no I/O.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from archiver.incremental.state import ArticleCommit, iso, parse_time
from archiver.items import ADDED_KEYS

# Keys that change between two fetches of an unchanged article.
VOLATILE_KEYS = frozenset({
    "fetched_at", "warc", "digest", "status", "extractor",
    "version", "previous_digest", "new_comment_count",
})

# Keys added to records after archives were first written take no part in the digest: the state DB
# holds digests of records without them, so hashing them would make every known article a new
# version on the first run after an upgrade (an unchanged page must give no new record).
# They add nothing the digest needs either: `page_type` is a crawl-time verdict about the page (it
# can flip when a teaser box changes); `image` (the lead image, shown in `media`) and
# `comments_source` (how the comments were got) say nothing the hashed keys do not.
UNHASHED_KEYS = VOLATILE_KEYS | frozenset(ADDED_KEYS)


def record_digest(record: dict[str, Any]) -> str:
    """`sha1:` base32 digest of the record's content (UNHASHED_KEYS excluded, key order ignored)."""
    content = {k: v for k, v in record.items() if k not in UNHASHED_KEYS}
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return "sha1:" + base64.b32encode(hashlib.sha1(data.encode("utf-8")).digest()).decode("ascii")


def comment_ids(record: dict[str, Any]) -> list[str]:
    """Identities of the record's comments: the site's id, else permalink, else author+date+text."""
    ids = []
    for comment in record.get("comments") or []:
        key = comment.get("id") or comment.get("permalink")
        if not key:
            author = (comment.get("author") or {}).get("name") or ""
            key = f"{author}|{comment.get('published') or ''}|{(comment.get('text') or '')[:200]}"
        ids.append(str(key))
    return ids


def newest_comment(record: dict[str, Any]) -> str | None:
    """Publication time of the newest comment (ISO, UTC), if any comment has a date."""
    times = [parse_time(c.get("published")) for c in record.get("comments") or []]
    dated = [t for t in times if t is not None]
    return iso(max(dated)) if dated else None


def article_commit(
    record: dict[str, Any], *, fetched: str, etag: str | None = None,
    last_modified: str | None = None,
) -> ArticleCommit:
    """The state row for a written record (its `version` must be set)."""
    return ArticleCommit(
        url=str(record["url"]),
        fetched=fetched,
        status=record.get("status"),
        payload_digest=record.get("digest"),
        record_digest=record_digest(record),
        version=int(record.get("version") or 1),
        published=record.get("published"),
        comment_count=len(record.get("comments") or []),
        newest_comment=newest_comment(record),
        comment_ids=comment_ids(record),
        etag=etag,
        last_modified=last_modified,
    )
