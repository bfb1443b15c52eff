"""Capture HTTP/1.1 exchanges as they cross the wire, inside Scrapy's own HTTP/1.1 handler.

Scrapy builds `response.headers` from Twisted's parsed headers: original case, interleaved order
and the connection headers (`Content-Length`, `Transfer-Encoding`, `Connection`) are gone by then.
`WireHTTP11DownloadHandler` is Scrapy's handler with two taps:

* the response parser keeps every status/header line as received (Scrapy already swaps the parser
  class the same way for its lenient parser);
* the request's `writeTo` writes through a tee, so the request bytes are the bytes sent.

The capture travels to the WARC middleware in `request.meta[WIRE_KEY]` (a `WireCapture`).
Bodies are not teed: Twisted hands Scrapy the de-chunked, still content-encoded body, which is
exactly the payload the archive stores.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from scrapy import Request
from scrapy.core.downloader.handlers import http11
from scrapy.exceptions import ResponseDataLossError
from scrapy.utils._download_handlers import get_dataloss_msg, wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.web._newclient import HEADER, STATUS

from archiver.defaults import setting_bool
from archiver.request_meta import WIRE_KEY


@dataclass
class WireCapture:
    """Bytes of one exchange: request as sent (head + body), response head as received."""

    request_bytes: bytearray = field(default_factory=bytearray)
    response_head: bytearray = field(default_factory=bytearray)
    sent_at: float | None = None  # epoch seconds of the first byte written


class _TeeTransport:
    """Forwards everything to the real transport and copies what is written."""

    def __init__(self, transport: Any, capture: WireCapture) -> None:
        self._transport = transport
        self._capture = capture

    def write(self, data: bytes) -> None:
        if self._capture.sent_at is None:
            self._capture.sent_at = time.time()
        self._capture.request_bytes += data
        self._transport.write(data)

    def writeSequence(self, data: list[bytes]) -> None:  # noqa: N802 - Twisted interface
        for chunk in data:
            self.write(chunk)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class _WireParser(http11._LenientHTTPClientParser):
    """Scrapy's lenient parser, recording the raw status and header lines first."""

    def lineReceived(self, line: bytes) -> None:  # noqa: N802 - Twisted interface
        if self.state in (STATUS, HEADER):
            capture: WireCapture | None = getattr(self.request, "_archiver_capture", None)
            if capture is not None:
                capture.response_head += line + b"\n"
        super().lineReceived(line)


class _WireProtocol(http11._LenientHTTP11ClientProtocol):
    def request(self, request: Any) -> Deferred[Any]:
        capture = WireCapture()
        request._archiver_capture = capture
        write_to = request.writeTo
        request.writeTo = lambda transport: write_to(_TeeTransport(transport, capture))
        d = super().request(request)
        if self._parser is not None:
            self._parser.__class__ = _WireParser

        def attach(response: Any) -> Any:
            # txresponse.request is a read-only proxy; carry the capture on the response.
            response._archiver_capture = capture
            return response

        d.addCallback(attach)
        return d


class _WireFactory(http11._LenientHTTP11ClientFactory):
    def buildProtocol(self, addr: Any) -> Any:  # noqa: N802 - Twisted interface
        return _WireProtocol(self._quiescentCallback)


class _WireAgent(http11._ScrapyAgent):
    def _cb_bodyready(self, txresponse: Any, request: Request) -> Any:
        capture = getattr(txresponse, "_archiver_capture", None)
        if capture is not None:
            request.meta[WIRE_KEY] = capture
        return super()._cb_bodyready(txresponse, request)


class WireHTTP11DownloadHandler(http11.HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler whose connections record the exchanged bytes.

    With WARC_ENABLED off it is exactly Scrapy's handler: nothing would consume the captures.
    """

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self._capture = setting_bool(crawler.settings, "WARC_ENABLED")
        if self._capture:
            self._pool._factory = _WireFactory

    async def download_request(self, request: Request) -> Any:
        if not self._capture:
            return await super().download_request(request)
        # Same as the parent's, with the capturing agent (the parent hard-codes its class).
        agent = _WireAgent(
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=self._default_maxsize,
            warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        request.meta.pop(WIRE_KEY, None)  # never reuse a capture copied by a redirect
        try:
            with wrap_twisted_exceptions():
                return await maybe_deferred_to_future(agent.download_request(request))
        except BaseException as exc:
            # No response: drop the capture so a retried request never carries it (meta must stay
            # serializable for disk and Redis queues).
            request.meta.pop(WIRE_KEY, None)
            if isinstance(exc, ResponseDataLossError) and not self._fail_on_dataloss_warned:
                http11.logger.warning(get_dataloss_msg(request.url))
                self._fail_on_dataloss_warned = True
            raise
