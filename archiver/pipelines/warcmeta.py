"""One WARC `metadata` record per article: what we extracted from which response record.

Its WARC-Target-URI is `metadata://archiver/<page url>`, never the page URL itself: pywb and
cdxj-indexer index metadata records under their target URI, and a record under the page's own
URI could shadow the page in replay.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import NotConfigured

from archiver.defaults import setting_bool
from archiver.middlewares.warc_capture import archive_for
from archiver.warc.archive import WarcArchive

METADATA_SCHEME = "metadata://archiver/"


def metadata_target(url: str) -> str:
    """Target URI of an article's metadata record (distinct from the page URL)."""
    return METADATA_SCHEME + url


def metadata_content(record: dict[str, Any]) -> dict[str, Any]:
    """The JSON body: extractor, page url/digest, response record id, linked resources."""
    media = [m.get("url") for m in record.get("media") or [] if m.get("url")]
    authors = [a.get("url") for a in record.get("authors") or [] if a.get("url")]
    comments = [c.get("permalink") for c in record.get("comments") or [] if c.get("permalink")]
    return {
        "extractor": record.get("extractor"),
        "url": record.get("url"),
        "canonical_url": record.get("canonical_url"),
        "digest": record.get("digest"),
        "response_record_id": (record.get("warc") or {}).get("record_id"),
        "fetched_at": record.get("fetched_at"),
        "comment_count": len(record.get("comments") or []),
        "outlinks": sorted({*media, *authors, *comments}),
    }


class WarcMetadataPipeline:
    """Writes the metadata record into the crawl's shared WARC archive."""

    def __init__(self, archive: WarcArchive) -> None:
        self.archive = archive

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcMetadataPipeline:
        if not setting_bool(crawler.settings, "WARC_ENABLED"):
            raise NotConfigured("WARC_ENABLED is off")
        return cls(archive_for(crawler))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        record = dict(item)
        pointer = record.get("warc") or {}
        if pointer.get("record_id") and record.get("url"):
            self.archive.write_metadata(
                metadata_target(record["url"]), metadata_content(record), pointer["record_id"])
        return item
