"""The WARC library (no Scrapy, like warcio): records, files, revisit dedupe, indexes, verification.

Public seams: `pointer_for(response)` for spiders, `read_response(dir, pointer)` for loaders,
`index.write_indexes` and `checker.verify_warcs` for the CLI. The Scrapy components that feed it
live with their kind: `archiver.middlewares.warc_capture.WarcCaptureMiddleware` (DOWNLOADER_MIDDLEWARES
950) and `archiver.download_handlers.wire.WireHTTP11DownloadHandler` (DOWNLOAD_HANDLERS http/https);
WACZ packaging is `archiver.tools.wacz.write_wacz`.
"""

from archiver.request_meta import pointer_for
from archiver.warc import compat  # noqa: F401 - warcio readers in this process decode br
from archiver.warc.responses import StoredResponse, decode_content, read_response

__all__ = ["StoredResponse", "decode_content", "pointer_for", "read_response"]
