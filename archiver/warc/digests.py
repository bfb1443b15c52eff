"""WARC digests: `sha1:` + base32, the form warcio, pywb and cdxj-indexer compute and compare."""

from __future__ import annotations

import base64
import hashlib


def sha1_digest(data: bytes) -> str:
    """`sha1:BASE32` of `data` (WARC-Block-Digest / WARC-Payload-Digest value)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def is_sha1_digest(value: str) -> bool:
    """True for a well-formed `sha1:` base32 digest (32 characters of [A-Z2-7])."""
    if not value.startswith("sha1:") or len(value) != 37:
        return False
    return all(c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in value[5:])
