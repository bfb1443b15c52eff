"""The rendered DOM of a page as a WARC `conversion` record linked to the page's response.

`WARC-Refers-To` names the response record the DOM was rendered from. The target URI is
`rendered://archiver/<page url>`, never the page URL: pywb and cdxj-indexer index conversion records
under their target URI, and one under the page's URL could replace the page in replay (the plain
response must stay the capture of its URL; see archiver.pipelines.warcmeta for the same rule).
"""

from __future__ import annotations

from typing import Any

from archiver.warc.archive import WarcArchive
from archiver.warc.digests import sha1_digest
from archiver.warc.record_builder import WarcRecord, warc_date

RENDERED_SCHEME = "rendered://archiver/"


def rendered_target(url: str) -> str:
    """Target URI of a page's rendered-DOM record (distinct from the page URL)."""
    return RENDERED_SCHEME + url


def conversion_record(page_url: str, dom_html: str, *, record_id: str, date: str,
                      refers_to: str) -> WarcRecord:
    """A `conversion` record holding the serialized DOM (UTF-8 HTML) rendered from `refers_to`."""
    block = dom_html.encode("utf-8", "replace")
    fields = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("WARC-Refers-To", refers_to),
        ("WARC-Payload-Digest", sha1_digest(block)),
        ("WARC-Block-Digest", sha1_digest(block)),
    ]
    return WarcRecord("conversion", record_id, date, rendered_target(page_url), block, fields)


def write_rendered_dom(archive: WarcArchive, page_url: str, dom_html: str,
                       refers_to: str) -> dict[str, Any]:
    """Append the DOM record to the crawl's WARC; returns its pointer (as for responses)."""
    record = conversion_record(page_url, dom_html, record_id=archive.ids.make_id(),
                               date=warc_date(archive.ids.now()), refers_to=refers_to)
    written = archive.writer.write([record])[0]
    archive.counts["conversion"] = archive.counts.get("conversion", 0) + 1
    return {"filename": written.filename, "offset": written.offset, "length": written.length,
            "record_id": record.record_id, "date": record.date}
