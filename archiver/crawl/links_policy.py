"""Which discovered links a `site` crawl follows: skip binaries, feeds, admin pages and URL traps."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.linkextractors import IGNORED_EXTENSIONS

_IGNORED_SUFFIXES = tuple("." + ext for ext in IGNORED_EXTENSIONS) + (".xml", ".json", ".rss")

# Links that never lead to new articles, or that multiply one page into endless variants.
TRAP_PATTERNS = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"[?&](replytocom|share|action|like_comment|_wpnonce|sessionid|sid|phpsessid|jsessionid)=",
    r"[?&](s|q|search|orderby|order|filter|sort)=",
    r"/(wp-login\.php|wp-admin/|xmlrpc\.php|wp-json/|wp-content/|wp-includes/|cdn-cgi/)",
    r"/(feed|rss|atom|embed|trackback|amp)/?$",
    r"/comment-page-\d+/?|[?&]cpage=\d+",
    r"/(login|logout|register|signin|signup|cart|checkout|account|print)(/|$|\?)",
    r"((?:/[^/?#]+){1,3})\1{2,}",  # path segments repeated 3 times: a relative-link loop
))
MAX_URL_LENGTH = 500
MAX_QUERY_PARAMS = 6


def is_followable(url: str) -> bool:
    """True for links that may be article or listing pages worth fetching in a site crawl."""
    if len(url) > MAX_URL_LENGTH:
        return False
    parts = urlsplit(url)
    if parts.path.lower().endswith(_IGNORED_SUFFIXES):
        return False
    if parts.query.count("&") + 1 > MAX_QUERY_PARAMS:
        return False
    return not any(pattern.search(url) for pattern in TRAP_PATTERNS)
