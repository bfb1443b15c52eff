"""What a failed request means for the crawl: which stats to count and which one line to log.

The spider's errback hands every failure here, so the rules live in one testable place: a 4xx on a
link discovered during a site crawl is web decay, not a crawl failure (counted, logged at INFO);
seeds, discovery files, 5xx and network errors are errors; drops that a middleware already logged
(off-scope, DOWNLOAD_MAXSIZE, incremental skips) are counted silently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from archiver.request_meta import is_discovered_page

# Drops already logged once by the middleware that made them (scope, size cap), or made on purpose
# (incremental runs stop unchanged and gone re-visits: archiver.incremental.middlewares).
_QUIET_DROPS = ("offsite:", "incremental:")


@dataclass(frozen=True)
class FailureVerdict:
    """Stats keys to increment, and the log line (none when `message` is empty)."""

    counts: tuple[str, ...]
    level: int = logging.INFO
    message: str = ""


def _errors(kind: str) -> tuple[str, ...]:
    return (f"archiver/error/{kind}", "archiver/errors")


def _requested_url(request: Any) -> str:
    """The request's URL, naming the URL that was asked for when redirects led elsewhere."""
    if request is None:
        return "?"
    redirects = request.meta.get("redirect_urls")
    return f"{request.url} (redirected from {redirects[0]})" if redirects else str(request.url)


def classify_failure(failure: Any) -> FailureVerdict:
    """The verdict for a Twisted `Failure` of a request (its `.request` as Scrapy sets it)."""
    request = getattr(failure, "request", None)
    url = _requested_url(request)
    meta = request.meta if request is not None else {}
    kind = failure.type.__name__ if failure.type else "Error"
    response = getattr(failure.value, "response", None)
    if kind == "IgnoreRequest":
        reason = failure.getErrorMessage()
        if reason.startswith(_QUIET_DROPS) or "DOWNLOAD_MAXSIZE" in reason:
            return FailureVerdict(("archiver/ignored",))
        # Obeying robots.txt is the polite default, not a problem: INFO, not WARNING.
        level = logging.INFO if "robots.txt" in reason else logging.WARNING
        return FailureVerdict(("archiver/ignored",), level, f"Not archived {url}: {reason}")
    if response is None:
        message = f"Download failed for {url}: {kind}: {failure.getErrorMessage()}"
        return FailureVerdict(_errors(kind), logging.ERROR, message)
    if response.status == 304:  # our own conditional request: unchanged, archived as a revisit
        return FailureVerdict(("archiver/not_modified",))
    if is_discovered_page(meta) and response.status < 500:
        message = f"HTTP {response.status} for {url} (linked page)"
        return FailureVerdict((f"archiver/linked_http/{response.status}",), logging.INFO, message)
    return FailureVerdict(_errors(f"http_{response.status}"), logging.WARNING, f"HTTP {response.status} for {url}")
