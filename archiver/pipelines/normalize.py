"""Normalize records before validation: canonical URLs, NFC text, ISO dates, BCP 47 languages.

Extractors already try to emit clean values; this pipeline is the single place that guarantees
it for every record, whatever extractor or comment system produced it.
"""

from __future__ import annotations

from typing import Any

from archiver.items import WRITTEN_KEYS
from archiver.values import (
    clean_block,
    clean_inline,
    iso_datetime,
    normalize_language,
    normalize_url,
    safe_absolute_url,
)

_INLINE_KEYS = ("title", "site_name", "description")


def _person(person: Any) -> dict[str, Any] | None:
    if not isinstance(person, dict):
        return None
    name = clean_inline(person.get("name"))
    url = safe_absolute_url(person.get("url"))
    return {"name": name, "url": url} if name or url else None


def _strings(values: Any) -> list[str]:
    out: list[str] = []
    for value in values or []:
        text = clean_inline(str(value)) if value is not None else None
        if text and text not in out:
            out.append(text)
    return out


def normalize_comment(comment: dict[str, Any]) -> dict[str, Any]:
    comment = dict(comment)
    comment["author"] = _person(comment.get("author")) or {"name": None, "url": None}
    comment["published"] = iso_datetime(comment.get("published"))
    comment["text"] = clean_block(comment.get("text") or "")
    comment["permalink"] = safe_absolute_url(comment.get("permalink"))
    return comment


def normalize_record(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of `record` with every field in its normal form and the contract keys in order."""
    out = {key: record.get(key) for key in WRITTEN_KEYS}
    out.update({k: v for k, v in record.items() if k not in out})
    out["url"] = safe_absolute_url(record.get("url")) or record.get("url")
    out["canonical_url"] = normalize_url(record.get("canonical_url"))
    out["image"] = safe_absolute_url(record.get("image"))
    for key in _INLINE_KEYS:
        out[key] = clean_inline(record.get(key))
    out["published"] = iso_datetime(record.get("published"))
    out["modified"] = iso_datetime(record.get("modified"))
    out["language"] = normalize_language(record.get("language"))
    out["authors"] = [p for p in (_person(a) for a in record.get("authors") or []) if p]
    out["categories"] = _strings(record.get("categories"))
    out["tags"] = _strings(record.get("tags"))
    out["body"] = clean_block(record.get("body") or "")
    out["body_html"] = record.get("body_html") or ""
    out["media"] = list(record.get("media") or [])
    out["comments"] = [normalize_comment(c) for c in record.get("comments") or []]
    return out


class NormalizePipeline:
    def process_item(self, item: Any) -> Any:
        return normalize_record(dict(item))
