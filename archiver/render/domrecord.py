"""The rendered DOM of a page as a WARC `conversion` record linked to the page's response.

`WARC-Refers-To` names the response record the DOM was rendered from. The target URI is
`rendered://archiver/<page url>`, never the page URL: pywb and cdxj-indexer index conversion records
under their target URI, and one under the page's URL could replace the page in replay (the plain
response must stay the capture of its URL; see archiver.pipelines.warcmeta for the same rule).
"""

from __future__ import annotations

from typing import Any

from archiver.warc.archive import WarcArchive

RENDERED_SCHEME = "rendered://archiver/"


def rendered_target(url: str) -> str:
    """Target URI of a page's rendered-DOM record (distinct from the page URL)."""
    return RENDERED_SCHEME + url


def write_rendered_dom(archive: WarcArchive, page_url: str, dom_html: str,
                       refers_to: str) -> dict[str, Any]:
    """Append the DOM record to the crawl's WARC; returns its pointer (as for responses)."""
    return archive.write_conversion(rendered_target(page_url), dom_html, refers_to)
