"""JSON serializer for requests in the scrapy-redis queue (`SCHEDULER_SERIALIZER`): never pickle.

scrapy-redis pickles requests by default, so anyone who can write to Redis can run code on every
worker. Here a request dict (`Request.to_dict`) becomes plain JSON and `loads` refuses anything
that is not a request we would have written ourselves: unknown versions, request classes outside
a short allow-list, callbacks that are not `parse*` / `on_*` spider methods, non-http(s) URLs.
Meta values that JSON cannot hold (per-process objects such as wire-capture state) are dropped:
they mean nothing in another process anyway.

Module-level `loads` / `dumps` because scrapy-redis imports the serializer as a module.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from typing import Any

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
# Request classes a worker will rebuild; `_class` names anything else -> rejected.
SAFE_CLASSES = frozenset({
    "scrapy.http.request.Request",
    "scrapy.http.request.form.FormRequest",
    "scrapy.http.request.json_request.JsonRequest",
})
# Spider methods a stored request may name as callback / errback.
CALLBACK_NAME = re.compile(r"^(parse|on_)[A-Za-z0-9_]*$")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
_BYTES_TAG = "$b64"
_DROP = object()


class UnsafeRequest(ValueError):
    """Stored data that is not a request this project writes; the worker skips it."""


def _to_json(value: Any) -> Any:
    """A JSON-able copy of `value`; bytes are tagged base64, unknown objects become _DROP."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes):
        return {_BYTES_TAG: base64.b64encode(value).decode("ascii")}
    if isinstance(value, list | tuple):
        return [item for item in (_to_json(v) for v in value) if item is not _DROP]
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            encoded = _to_json(item)
            if isinstance(key, str) and encoded is not _DROP:
                result[key] = encoded
        return result
    return _DROP


def _from_json(value: Any) -> Any:
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {_BYTES_TAG}:
            return base64.b64decode(value[_BYTES_TAG])
        return {key: _from_json(item) for key, item in value.items()}
    return value


def _latin1(data: bytes | str) -> str:
    return data.decode("latin-1") if isinstance(data, bytes) else data


def dumps(request: dict[str, Any]) -> str:
    """One request dict (from `Request.to_dict`) as compact, deterministic JSON."""
    data = dict(request)
    headers = data.pop("headers", {}) or {}
    body = data.pop("body", b"") or b""
    meta = data.pop("meta", {}) or {}
    encoded_meta = _to_json(meta)
    dropped = sorted(set(meta) - set(encoded_meta))
    if dropped:
        logger.debug("Not stored in Redis (not JSON): meta %s of %s", dropped, data.get("url"))
    document = {key: _to_json(value) for key, value in data.items()}
    document.update({
        "v": FORMAT_VERSION,
        "headers": [[_latin1(name), [_latin1(v) for v in values]] for name, values in headers.items()],
        "body": base64.b64encode(body if isinstance(body, bytes) else body.encode()).decode("ascii"),
        "meta": encoded_meta,
    })
    return json.dumps(document, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def _check(document: Any) -> dict[str, Any]:
    if not isinstance(document, dict) or document.get("v") != FORMAT_VERSION:
        raise UnsafeRequest("not a request of format version 1")
    url = document.get("url")
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise UnsafeRequest(f"not an http(s) URL: {url!r}")
    if document.get("_class", "scrapy.http.request.Request") not in SAFE_CLASSES:
        raise UnsafeRequest(f"request class not allowed: {document.get('_class')!r}")
    for name in ("callback", "errback"):
        value = document.get(name)
        if value is not None and (not isinstance(value, str) or not CALLBACK_NAME.match(value)):
            raise UnsafeRequest(f"{name} not allowed: {value!r}")
    if str(document.get("method", "GET")).upper() not in METHODS:
        raise UnsafeRequest(f"method not allowed: {document.get('method')!r}")
    if not isinstance(document.get("meta", {}), dict) or not isinstance(document.get("headers", []), list):
        raise UnsafeRequest("meta must be an object and headers a list")
    return document


def loads(data: bytes | str) -> dict[str, Any]:
    """The request dict stored by `dumps`; UnsafeRequest for anything else (never executes data)."""
    try:
        document = _check(json.loads(data))
    except (ValueError, TypeError) as exc:
        if isinstance(exc, UnsafeRequest):
            raise
        raise UnsafeRequest(f"not JSON: {exc}") from None
    request = {key: _from_json(value) for key, value in document.items()
               if key not in ("v", "headers", "body")}
    request["headers"] = {name.encode("latin-1"): [v.encode("latin-1") for v in values]
                          for name, values in document.get("headers", [])}
    request["body"] = base64.b64decode(document.get("body", ""))
    return request
