"""The `request.meta` keys our components and the spider pass between them: one place for all.

A request's meta is how the spider, the middlewares, the download handler and the pipelines talk
about one request without knowing each other; a key spelt twice is a key that can drift. Keys that
start with `_` are private to the two components named beside them. No Scrapy import: `pointer_for`
only reads `response.meta`, so library code (and `archiver.warc`) can offer it.
"""

from __future__ import annotations

from typing import Any

# --- Set by the spider (and comment_pages) -------------------------------------------------------
ROLE_KEY = "archiver_role"  # what the request is for: one of the ROLE_* values below
ROLE_PAGE = "page"  # a page that may be an article (counted against MAX_PAGES)
ROLE_DISCOVERY = "discovery"  # robots.txt, sitemaps, feeds
ROLE_COMMENTS = "comments"  # comment pages, REST comments and posts of an article
ROLE_RENDER = "render"  # a request of the headless browser (archiver/render/)
DEPTH_KEY = "archiver_depth"  # link depth from the seeds (0 = a seed)
OFFSITE_OK_KEY = "archiver_offsite_ok"  # exempt from the scope middleware (embedded comments, media)

# --- Set by the WARC capture middleware (archiver.middlewares.warc_capture) ---------------------
POINTER_KEY = "archiver_warc"  # the record's `warc` pointer
DIGEST_KEY = "archiver_digest"  # the archived payload's digest
RECORD_TYPE_KEY = "archiver_warc_type"  # "response" | "revisit"
NO_CONDITIONAL_KEY = "archiver_no_conditional"  # spiders/middlewares set it to force a full GET
CONDITIONAL_KEY = "_archiver_conditional"  # process_request -> process_response of the capture

# --- Others ---------------------------------------------------------------------------------------
WIRE_KEY = "_archiver_wire"  # wire download handler -> capture middleware: the WireCapture
REVISIT_KEY = "archiver_revisit"  # incremental: a scheduled re-visit of a known article
MEDIA_KEY = "archiver_media"  # media capture pipeline: a media fetch, not a page
INFLIGHT_KEY = "archiver_inflight"  # distributed: the in-flight entry of a request


def pointer_for(response: Any) -> tuple[dict[str, Any] | None, str | None]:
    """(warc pointer, payload digest) of the response record archived for `response`."""
    try:
        meta = response.meta
    except AttributeError:  # a response built outside a crawl has no request
        return None, None
    return meta.get(POINTER_KEY), meta.get(DIGEST_KEY)


def is_discovered_page(meta: dict[str, Any]) -> bool:
    """A page found by following links or sitemaps/feeds (not a seed, not a discovery file)."""
    return meta.get(ROLE_KEY) == ROLE_PAGE and int(meta.get(DEPTH_KEY, 0) or 0) > 0
