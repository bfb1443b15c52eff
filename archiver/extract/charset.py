"""Decoding page bytes: the declared charset when there is one, a detected one when there is not.

Browsers read a BOM, then the HTTP header, then a <meta> declaration. Pages that declare nothing
are common in legacy Cyrillic, Japanese, Chinese and Central European sites; decoding them as
UTF-8 (w3lib's default) turns every letter into U+FFFD, and as cp1252 into mojibake. So when
nothing is declared and the bytes are not valid UTF-8, the charset is detected statistically
(charset-normalizer) from the bytes themselves.

This is how saved bytes are decoded (`extract_page`, `archiver extract`, `load.page_html`). In a
crawl the spider hands the extractor Scrapy's `response.text`, whose fallback for undeclared bytes
is the same idea (ASCII, then UTF-8, then charset-normalizer over the whole body).
"""

from __future__ import annotations

import charset_normalizer
from w3lib.encoding import html_to_unicode

# Detection reads this much of the page: the body text of an article is well inside it, and the
# detector's cost grows with the input.
_DETECT_WINDOW = 64 * 1024
# A cut in the middle of a multi-byte character must not make valid UTF-8 look invalid.
_UTF8_TAIL = 3


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode page bytes the way browsers do: BOM, then HTTP header, then <meta>; undeclared
    bytes are UTF-8 when they are valid UTF-8, else whatever charset the bytes show."""
    return decode_html_with_encoding(body, content_type)[1]


def decode_html_with_encoding(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(encoding, text) of page bytes, decided as `decode_html` decides."""
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=detect_charset)
    return encoding, text


def detect_charset(body: bytes) -> str | None:
    """The charset of undeclared page bytes: "utf-8" when they decode as UTF-8 (ASCII too), else
    the detector's best guess; None when it has none (w3lib then falls back to UTF-8)."""
    if _is_utf8(body):
        return "utf-8"
    best = charset_normalizer.from_bytes(body[:_DETECT_WINDOW]).best()
    return best.encoding if best is not None else None


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        # Only a truncated final character is forgiven (a page cut by a size limit).
        return error.start >= len(body) - _UTF8_TAIL and error.reason == "unexpected end of data"
    return True
