"""Pure normalisation helpers shared by the extractors and the normalize pipeline."""

from __future__ import annotations

import re
import unicodedata
import warnings
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from w3lib.url import canonicalize_url, safe_url_string

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_COMPACT_DATE = re.compile(r"^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$")
_EPOCH = re.compile(r"^1\d{9}(?:\d{3})?$")
_DOTTED_DATE = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b")
# Two defaults differing in every field: what differs between the two parses was not in the text.
_DEFAULT_A = datetime(1904, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(1908, 1, 1, 13, 37, 0)
_LANG = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|\d{3}))?\b")


def clean_inline(text: str | None) -> str | None:
    """One line of text: NFC, zero-width removed, whitespace collapsed; None when empty."""
    if text is None:
        return None
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text))
    text = " ".join(text.split())
    return text or None


def clean_block(text: str) -> str:
    """Multi-paragraph text: NFC, spaces collapsed per line, paragraphs separated by one blank line."""
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text)).replace("\r\n", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    joined = "\n".join(lines)
    return _MANY_NEWLINES.sub("\n\n", joined).strip()


def _absolute_http(url: str | None) -> str | None:
    """`url` stripped when it is an absolute http(s) URL with a host, else None."""
    url = url.strip() if url else ""
    return url if re.match(r"^https?://[^/\s]", url, re.IGNORECASE) else None


def normalize_url(url: str | None, *, keep_fragment: bool = False) -> str | None:
    """A safe absolute http(s) URL in canonical form (sorted query, percent-encoding fixed)."""
    url = _absolute_http(url)
    if url is None:
        return None
    try:
        return canonicalize_url(safe_url_string(url), keep_fragments=keep_fragment)
    except (ValueError, UnicodeError):
        return None


def join_url(base: str, href: str | None) -> str | None:
    """`href` resolved against `base`; None for what urljoin cannot parse (`http://[broken`)."""
    if href is None:
        return None
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def safe_absolute_url(url: str | None) -> str | None:
    """An absolute http(s) URL made safe (spaces/non-ASCII escaped) without reordering its query."""
    url = _absolute_http(url)
    if url is None:
        return None
    try:
        safe = safe_url_string(url)
    except (ValueError, UnicodeError):
        return None
    return safe if " " not in safe else None


def normalize_language(code: str | None) -> str | None:
    """A BCP 47 tag such as `en`, `en-US`, `zh-Hant` from `en_us`, `EN-us`, `en-US,en;q=0.9`."""
    if not code:
        return None
    match = _LANG.match(code.strip())
    if not match:
        return None
    language, script, region = match.groups()
    parts = [language.lower()]
    if script:
        parts.append(script.title())
    if region:
        parts.append(region.upper())
    return "-".join(parts)


def iso_datetime(value: Any) -> str | None:
    """An ISO 8601 string (offset kept when known) from ISO-ish strings, epochs or datetimes.

    Human dates ("May 3, 2021", "03.05.2021 14:20") are parsed too; a text without a time of day
    gives a bare date ("2021-05-03") rather than an invented midnight, and a text without a year
    gives None rather than a guessed year.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, int | float):
        return _epoch(float(value))
    text = " ".join(str(value).split())
    if not text or len(text) > 100:
        return None
    if _COMPACT_DATE.match(text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:8]}"
    elif _EPOCH.match(text):
        return _epoch(int(text) / (1000 if len(text) == 13 else 1))
    parsed = _parse_iso(text)
    if parsed is not None:
        return parsed
    return _parse_human(text)


def _epoch(seconds: float) -> str | None:
    try:
        return datetime.fromtimestamp(seconds, tz=UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def _parse_human(text: str) -> str | None:
    """dateutil parse, twice with different defaults to tell which parts the text really gave."""
    from dateutil import parser as dateparser  # scrapy/htmldate dependency

    dayfirst = bool(_DOTTED_DATE.search(text))
    try:
        with warnings.catch_warnings():
            # "IST", "ET"...: unknown zone names give a naive time, which is what we want.
            warnings.simplefilter("ignore", dateparser.UnknownTimezoneWarning)
            first = dateparser.parse(text, default=_DEFAULT_A, dayfirst=dayfirst)
            second = dateparser.parse(text, default=_DEFAULT_B, dayfirst=dayfirst)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
    if first.year != second.year or not 1900 <= first.year <= 2200:
        return None
    if (first.hour, first.minute) != (second.hour, second.minute):
        return first.date().isoformat()
    return first.isoformat()


def _parse_iso(text: str) -> str | None:
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    if candidate.endswith("Z"):
        candidate = candidate[:-1] + "+00:00"
    # "+0200" → "+02:00" so fromisoformat accepts it on every Python 3.11 input.
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)
    try:
        dt = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    if dt.year < 1900 or dt.year > 2200:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    return dt.isoformat()


def utc_now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
