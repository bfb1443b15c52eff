"""Make warcio (and so cdxj-indexer and wacz) read `Content-Encoding: br` with Google's brotli.

warcio 1.8 expects the `brotlipy` module and sets `unused_data` on its decompressor; the `brotli`
package we depend on (Scrapy uses it) has a C decompressor that refuses new attributes, so any
warcio reader that decodes a br payload crashes (webrecorder/warcio#73). This registers a thin
wrapper with the interface warcio uses. Import-time side effect, idempotent.
"""

from __future__ import annotations

import brotli
from warcio.bufferedreaders import BufferedReader


class _BrotliDecompressor:
    """brotli.Decompressor with the zlib-like surface warcio reads (`decompress`, `unused_data`)."""

    def __init__(self) -> None:
        self._inner = brotli.Decompressor()
        self.unused_data = b""
        self.unconsumed_tail = b""

    def decompress(self, data: bytes, *args: object) -> bytes:
        return self._inner.process(data)  # type: ignore[no-any-return]

    def flush(self) -> bytes:
        return b""


def install() -> None:
    """Register the wrapper for `br` in warcio's table of content decoders."""
    BufferedReader.DECOMPRESSORS["br"] = _BrotliDecompressor


install()
