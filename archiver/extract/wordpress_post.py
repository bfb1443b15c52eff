"""WordPress REST post data (`/wp-json/wp/v2/posts/ID`): the exact publication and edit times.

Themes often print no modification time, or print the publication time twice; the REST API has
both, in site-local time and in GMT, from which the offset follows. Pure functions: the spider
fetches the JSON.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_COMMENTS_PATH = re.compile(r"/wp/v2/comments/?$")


def post_rest_url(comments_rest_url: str | None) -> str | None:
    """The post endpoint for the comments endpoint of the same post (both URL styles)."""
    if not comments_rest_url:
        return None
    parts = urlsplit(comments_rest_url)
    query = dict(parse_qsl(parts.query))
    post_id = query.get("post")
    if not post_id or not post_id.isdigit():
        return None
    if query.get("rest_route"):
        rest = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("rest_route", "post", "per_page")]
        rest.append(("rest_route", f"/wp/v2/posts/{post_id}"))
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(rest, safe="/"), ""))
    if not _COMMENTS_PATH.search(parts.path):
        return None
    path = _COMMENTS_PATH.sub(f"/wp/v2/posts/{post_id}", parts.path)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _with_offset(local: Any, gmt: Any) -> str | None:
    """`local` (naive site time) with the UTC offset implied by `gmt`, as ISO 8601."""
    if not isinstance(local, str) or not isinstance(gmt, str):
        return None
    try:
        local_time, gmt_time = datetime.fromisoformat(local), datetime.fromisoformat(gmt)
    except ValueError:
        return None
    if local_time.tzinfo is not None or gmt_time.tzinfo is not None:
        return None
    minutes = round((local_time - gmt_time).total_seconds() / 60)
    if abs(minutes) > 14 * 60:
        return None
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{local_time.isoformat()}{sign}{hours:02d}:{rest:02d}"


def post_dates(post: Any) -> tuple[str | None, str | None]:
    """(published, modified) of a REST post object, with offsets; None where absent or odd."""
    if not isinstance(post, dict):
        return None, None
    return (_with_offset(post.get("date"), post.get("date_gmt")),
            _with_offset(post.get("modified"), post.get("modified_gmt")))
