"""The spider's entry point: render an article when the policy says so and complete its thread.

Whatever happens in the browser, the record built from the plain response is kept: a failed
render is one logged line and counted (`archiver/render/error/<kind>` and `archiver/errors`), and
rendered comments replace the record's only when they are more than it had.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.http import Response

from archiver.crawl.render_policy import needs_render
from archiver.defaults import setting_bool
from archiver.extract.comments.rendered import comments_from_rendered
from archiver.middlewares.warc_capture import archive_for
from archiver.render.domrecord import write_rendered_dom
from archiver.render.network import NetworkLog
from archiver.render.renderer import Renderer, RenderError

logger = logging.getLogger(__name__)


async def render_comments(crawler: Any, mode: str, response: Response,
                          record: dict[str, Any]) -> dict[str, Any]:
    """`record` with the thread the browser shows, when `mode` (auto/always/never) calls for a
    render of `response`'s page; the DOM is archived beside the page's response."""
    if not needs_render(mode, record):
        return record
    renderer = Renderer.for_crawler(crawler)
    stats = crawler.stats
    try:
        page, network = await renderer.render(response)
    except RenderError as exc:
        _count_failure(crawler, mode, response.url, exc)
        return record
    finally:
        stats.set_value("archiver/render/browser_launches", renderer.pool.launches)
    stats.inc_value("archiver/render/pages")
    _count_network(stats, network)
    pointer = record.get("warc")  # the page's response record, set by the spider
    if pointer and setting_bool(crawler.settings, "WARC_ENABLED"):
        write_rendered_dom(archive_for(crawler), response.url, page.dom, pointer["record_id"])
    thread = comments_from_rendered(page, record.get("comments_system"))
    if len(thread.comments) > len(record.get("comments") or []):
        record["comments"] = thread.comments
        record["comments_source"] = thread.source
        record["comments_system"] = record.get("comments_system") or thread.system
        stats.inc_value("archiver/render/comment_threads")
        stats.inc_value("archiver/render/comments", len(thread.comments))
    return record


def _count_failure(crawler: Any, mode: str, url: str, exc: RenderError) -> None:
    stats = crawler.stats
    if exc.kind == "unavailable" and mode == "auto":
        # No browser on this machine: say it once; auto mode then crawls as render=never.
        if not stats.get_value("archiver/render/unavailable"):
            logger.warning("Not rendering JavaScript comments: %s", exc)
        stats.inc_value("archiver/render/unavailable")
        return
    logger.error("Render failed for %s: %s: %s", url, exc.kind, exc)
    stats.inc_value(f"archiver/render/error/{exc.kind}")
    stats.inc_value("archiver/render/errors")
    stats.inc_value("archiver/errors")


def _count_network(stats: Any, network: NetworkLog) -> None:
    stats.inc_value("archiver/render/requests", network.fetched)
    if network.cached:
        stats.inc_value("archiver/render/requests_cached", network.cached)
    if network.failed:
        stats.inc_value("archiver/render/requests_failed", network.failed)
    if network.blocked:
        stats.inc_value("archiver/render/requests_blocked", network.blocked)
