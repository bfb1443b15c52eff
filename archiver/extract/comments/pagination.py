"""Comment pages of one article: links to the other pages, and which page this one is.

WordPress pages comments as `/comment-page-N/` (pretty permalinks) or `?cpage=N`; with "newest page
first" the article URL itself shows the highest N. Classic themes link only the neighbours ("Older
Comments"), block themes list every page (`wp-block-comments-pagination`); the spider follows the
links of every fetched page until no new one appears.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from archiver.extract.comments.dom import absolute_url, matches, text_of
from archiver.extract.document import Document

_PATH_PAGE = re.compile(r"/comment-page-(\d+)/?$")
_QUERY_KEYS = ("cpage", "comment-page", "comments_page", "commentPage")
_PAGER_XPATH = (
    "//*[contains(@class, 'comment-navigation') or contains(@class, 'comments-pagination')"
    " or contains(@class, 'comment-nav') or contains(@class, 'wp-block-comments-pagination')"
    " or contains(@class, 'comments-nav')]"
)
_OLDER = re.compile(r"older|previous|prev|«|‹|←|ältere|anciens|anteriores|lama", re.I)
_NEWER = re.compile(r"newer|next|»|›|→|neuere|récents|recientes|baru", re.I)


def split_page(url: str) -> tuple[str, int | None]:
    """(article URL without comment-page part and fragment, page number or None)."""
    parts = urlsplit(url)
    path, number = parts.path, None
    match = _PATH_PAGE.search(path)
    if match:
        number = int(match.group(1))
        path = path[: match.start()] + "/"
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key in _QUERY_KEYS and value.isdigit():
            number = int(value)
        else:
            query.append((key, value))
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), "")), number


# Query parameters that identify a post on sites without pretty permalinks; others (tracking, AMP)
# do not make a different article.
_POST_KEYS = ("p", "page_id", "post", "id", "item", "story", "article")


def article_key(url: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """What identifies the article a (comment page) URL belongs to: host, path, post-id parameters."""
    base, _number = split_page(url)
    parts = urlsplit(base)
    ids = tuple(sorted((k, v) for k, v in parse_qsl(parts.query) if k in _POST_KEYS))
    host = parts.netloc.lower().removeprefix("www.")
    return host, parts.path.rstrip("/") or "/", ids


_PAGE_MARKERS = ("comment-page", *_QUERY_KEYS)
_MARKED_LINKS_XPATH = "//a[" + " or ".join(f"contains(@href, '{marker}')" for marker in _QUERY_KEYS) + "]"


def comment_page_number(url: str) -> int | None:
    """The comment page a URL addresses (`/comment-page-3/` or `?cpage=3`), None for the article."""
    if not any(marker in url for marker in _PAGE_MARKERS):  # most URLs: skip the parse
        return None
    return split_page(url)[1]


def page_links(doc: Document) -> dict[int, str]:
    """Comment page number -> absolute URL, for every comment-page link of this article."""
    cached = doc._cache.get("comment_page_links")
    if cached is None:
        cached = doc._cache["comment_page_links"] = _page_links(doc)
    return dict(cached)


def _page_links(doc: Document) -> dict[int, str]:
    article = article_key(doc.url)
    found: dict[int, str] = {}
    # Only a link whose href (or, for relative links, this page's URL) names a comment page can
    # resolve to one; most of a page's hundreds of links are skipped without being parsed.
    base_names_page = any(marker in doc.url for marker in _PAGE_MARKERS)
    for anchor in matches(doc.tree, "//a[@href]" if base_names_page else _MARKED_LINKS_XPATH):
        href = anchor.get("href") or ""
        if "replytocom" in href:
            continue
        if not any(marker in href for marker in _PAGE_MARKERS) and not (
                base_names_page and "://" not in href):
            continue
        url = absolute_url(doc.url, href)
        if url is None:
            continue
        number = comment_page_number(url)
        if number is None or article_key(url) != article:
            continue
        found.setdefault(number, url.split("#", 1)[0])
    return found


def current_page(doc: Document) -> int | None:
    """Which comment page this document shows: from its URL, else its comments' permalinks, else
    the pager (current marker, or one beyond the older link / before the newer link)."""
    number = comment_page_number(doc.url)
    if number is not None:
        return number
    article = article_key(doc.url)
    permalink_pages: Counter[int] = Counter()
    for anchor in matches(doc.tree, "//a[contains(@href, '#comment-')]"):
        href = anchor.get("href") or ""
        if not any(marker in href for marker in _PAGE_MARKERS):
            continue  # a permalink on this very page names no other page
        url = absolute_url(doc.url, href)
        if url:
            number = comment_page_number(url)
            if number is not None and article_key(url) == article:
                permalink_pages[number] += 1
    if permalink_pages:
        return permalink_pages.most_common(1)[0][0]
    return _page_from_pager(doc)


def _page_from_pager(doc: Document) -> int | None:
    for pager in matches(doc.tree, _PAGER_XPATH):
        for marker in pager.xpath(".//*[@aria-current='page' or contains(@class, 'current')]"):
            if text_of(marker).isdigit():
                return int(text_of(marker))
    links = page_links(doc)
    for number, url in links.items():
        for anchor in doc.tree.xpath("//a[@href]"):
            if absolute_url(doc.url, anchor.get("href") or "") in (url, url + "#comments"):
                label = f"{text_of(anchor)} {anchor.get('class', '')} {anchor.get('rel', '')}"
                if _OLDER.search(label):
                    return number + 1
                if _NEWER.search(label):
                    return max(number - 1, 1)
    return None


def comment_page_urls(doc: Document, current: int | None) -> list[str]:
    """Absolute URLs of the article's other comment pages linked from this page, by page number."""
    own_url = doc.url.split("#", 1)[0]
    return [
        url for number, url in sorted(page_links(doc).items())
        if number != current and url != own_url
    ]
