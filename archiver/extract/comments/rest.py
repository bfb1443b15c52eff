"""WordPress REST API enrichment: where the comments endpoint of a post is, its JSON as comment
records, and reconciling those with the comments read from the HTML.

The spider fetches `rest_url` (and `rest_page_url(rest_url, n)` up to `X-WP-TotalPages`); this module
only interprets. The API knows exact parents and UTC offsets the HTML may hide (text dates, threads
flattened past the theme's max depth) but by default lists only `type=comment` (no pingbacks), so
HTML stays the base and the API completes and corrects it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from archiver.extract.comments.comment_dates import iso_date, with_offset
from archiver.extract.comments.dom import absolute_url, any_match
from archiver.extract.comments.text import fragment_text_and_html
from archiver.extract.comments.tree import thread_order
from archiver.extract.document import Document

PER_PAGE = 100
_POST_ID_XPATHS = (
    ("//link[@rel='alternate' and @type='application/json']/@href", r"/wp/v2/[\w-]+/(\d+)"),
    ("//link[@rel='shortlink']/@href", r"[?&]p=(\d+)"),
    ("//body/@class", r"(?:^|\s)postid-(\d+)(?:\s|$)"),
    ("//input[@name='comment_post_ID']/@value", r"^(\d+)$"),
    ("//article/@id", r"^post-(\d+)$"),
)
_WORDPRESS_SIGNS = (
    "//link[@rel='https://api.w.org/']",
    "//meta[@name='generator' and starts-with(@content, 'WordPress')]",
    "//*[contains(@href, '/wp-content/') or contains(@src, '/wp-content/')]",
    "//form[contains(@action, 'wp-comments-post')]",
)


def wordpress_post_id(doc: Document) -> str | None:
    """The WordPress post id of an article page (JSON alternate link, shortlink, body class, …)."""
    for xpath, pattern in _POST_ID_XPATHS:
        for value in doc.tree.xpath(xpath):
            match = re.search(pattern, str(value))
            if match:
                return match.group(1)
    return None


def wordpress_rest_url(doc: Document) -> str | None:
    """`…/wp-json/wp/v2/comments?post=ID&per_page=100` for a WordPress post page, else None."""
    if not any(any_match(doc.tree, sign) for sign in _WORDPRESS_SIGNS):
        return None
    post_id = wordpress_post_id(doc)
    if post_id is None:
        return None
    api_root = next(iter(doc.tree.xpath("//link[@rel='https://api.w.org/']/@href")), None)
    api_root = absolute_url(doc.url, str(api_root)) if api_root else None
    if api_root and "rest_route=" in api_root:
        # Sites without pretty permalinks: ?rest_route=/wp/v2/comments&post=…
        parts = urlsplit(api_root)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "rest_route"]
        query += [("rest_route", "/wp/v2/comments"), ("post", post_id), ("per_page", str(PER_PAGE))]
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, safe="/"), ""))
    root = api_root or absolute_url(doc.url, "/wp-json/")
    if root is None:
        return None
    return f"{root.rstrip('/')}/wp/v2/comments?post={post_id}&per_page={PER_PAGE}"


def rest_page_url(rest_url: str, page: int) -> str:
    """Page `page` (1-based) of the comments endpoint; read `X-WP-TotalPages` for the last one."""
    parts = urlsplit(rest_url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "page"]
    if page > 1:
        query.append(("page", str(page)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, safe="/"), ""))


def comments_from_rest(json_pages: list[Any]) -> list[dict[str, Any]]:
    """Comment records from the decoded JSON of every endpoint page, approved only, in WordPress's
    display order (oldest first, threaded). Error objects (API closed) give nothing."""
    items: list[dict[str, Any]] = []
    for page in json_pages:
        if isinstance(page, list):
            items.extend(item for item in page if isinstance(item, dict))
    records = [r for r in (_rest_record(item) for item in items) if r is not None]
    records.sort(key=lambda r: (r.pop("_sort"), int(r["id"]) if r["id"].isdigit() else 0))
    return thread_order(records)


def _rest_record(item: dict[str, Any]) -> dict[str, Any] | None:
    if item.get("id") is None or item.get("status", "approved") not in ("approved", "approve"):
        return None
    link = item.get("link") if isinstance(item.get("link"), str) else ""
    rendered = (item.get("content") or {}).get("rendered", "") if isinstance(item.get("content"), dict) else ""
    text, html = fragment_text_and_html(rendered, link or "http://localhost/")
    local, gmt = str(item.get("date") or ""), str(item.get("date_gmt") or "")
    published = with_offset(local, gmt) if local and gmt else iso_date(local) if local else None
    parent = str(item.get("parent") or "0")
    return {
        "id": str(item["id"]),
        "parent_id": None if parent == "0" else parent,
        "depth": 1,
        "author": {"name": item.get("author_name") or None,
                   "url": absolute_url(link or "http://localhost/", item.get("author_url") or None)},
        "published": published,
        "text": text,
        "html": html,
        "permalink": absolute_url("http://localhost/", link) if link else None,
        "type": item.get("type") if item.get("type") in ("pingback", "trackback") else "comment",
        "_sort": gmt or local,
    }


def reconcile(html_comments: list[dict[str, Any]], rest_comments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """HTML comments completed and cross-checked with the API's: the API's parent wins (it is the
    database's), missing offsets/author URLs are filled, comments only the API has are added in
    thread position. With no API comments the HTML list comes back unchanged."""
    if not rest_comments:
        return html_comments
    api = {c["id"]: c for c in rest_comments}
    merged: list[dict[str, Any]] = []
    for comment in html_comments:
        twin = api.get(comment["id"])
        merged.append(_completed(comment, twin) if twin else comment)
    have = {c["id"] for c in merged}
    merged.extend(c for c in rest_comments if c["id"] not in have)
    return thread_order(_display_sorted(merged, len(html_comments), rest_comments))


def _completed(comment: dict[str, Any], twin: dict[str, Any]) -> dict[str, Any]:
    result = {**comment, "parent_id": twin["parent_id"]}
    published = comment.get("published")
    if not published or (len(published) <= 19 and twin.get("published")):
        result["published"] = twin["published"]
    author = dict(comment.get("author") or {})
    author.setdefault("name", None)
    if not author.get("name"):
        author["name"] = twin["author"]["name"]
    if not author.get("url"):
        author["url"] = twin["author"]["url"]
    result["author"] = author
    for key in ("text", "html", "permalink"):
        if not result.get(key):
            result[key] = twin.get(key)
    return result


def _display_sorted(
    comments: list[dict[str, Any]], html_count: int, rest_comments: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """HTML order for comments the HTML has; an API-only comment slots in after the HTML comment
    that precedes it in the API's chronological order."""
    position = {c["id"]: float(index) for index, c in enumerate(comments[:html_count])}
    last, step = -1.0, 0
    for comment in rest_comments:
        if comment["id"] in position and position[comment["id"]] == int(position[comment["id"]]):
            last, step = position[comment["id"]], 0
        elif comment["id"] not in position:
            step += 1
            position[comment["id"]] = last + step / (len(rest_comments) + 2)
    return sorted(comments, key=lambda c: position.get(c["id"], float(len(comments))))
