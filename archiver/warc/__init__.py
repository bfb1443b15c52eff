"""Faithful WARC archives: wire capture, records, files, dedupe, indexes, WACZ, verification.

Public seams: `pointer_for(response)` for spiders, `read_response(dir, pointer)` for loaders,
`WarcCaptureMiddleware` (DOWNLOADER_MIDDLEWARES 950) and `WireHTTP11DownloadHandler`
(DOWNLOAD_HANDLERS http/https) for the crawl, `index.write_indexes`, `wacz.write_wacz` and
`verify.verify_warcs` for the CLI.
"""

from archiver.request_meta import pointer_for
from archiver.warc import compat  # noqa: F401 - warcio readers in this process decode br
from archiver.warc.responses import StoredResponse, decode_content, read_response

__all__ = ["StoredResponse", "decode_content", "pointer_for", "read_response"]
