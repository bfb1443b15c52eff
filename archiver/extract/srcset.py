"""Parse `srcset` attributes into `{"url", "width"}` entries (pure, no I/O).

Why not `str.split(",")`: URLs in srcset may themselves contain commas (Cloudinary/imgix transforms such
as `w_300,h_200`), so we follow the HTML spec's tokenizer: a URL runs to the next whitespace, and a
descriptor list runs to the next comma.
"""

from __future__ import annotations

import re

from archiver.values import join_url, safe_absolute_url

_WIDTH = re.compile(r"^(\d+)w$", re.IGNORECASE)


def _tokens(srcset: str) -> list[tuple[str, str]]:
    """(url, descriptor) pairs per the HTML srcset grammar, tolerant of sloppy spacing."""
    pairs: list[tuple[str, str]] = []
    position, length = 0, len(srcset)
    while position < length:
        while position < length and (srcset[position].isspace() or srcset[position] == ","):
            position += 1
        start = position
        while position < length and not srcset[position].isspace():
            position += 1
        url = srcset[start:position]
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            end = srcset.find(",", position)
            end = length if end == -1 else end
            descriptor = srcset[position:end].strip()
            position = end + 1
        if url:
            pairs.append((url, descriptor))
    return pairs


def parse_srcset(srcset: str | None, base_url: str) -> list[dict[str, object]]:
    """Absolute candidates of a srcset in source order; `width` is the `w` descriptor or None.

    Density descriptors (`2x`) carry no width, so they map to None rather than a guess.
    """
    if not srcset or srcset.lstrip().startswith("data:"):
        return []
    entries: list[dict[str, object]] = []
    seen: set[str] = set()
    for raw_url, descriptor in _tokens(srcset):
        if raw_url.startswith("data:"):
            continue
        url = safe_absolute_url(join_url(base_url, raw_url))
        if not url or url in seen:
            continue
        seen.add(url)
        width = None
        for part in descriptor.split():
            match = _WIDTH.match(part)
            if match:
                width = int(match.group(1))
        entries.append({"url": url, "width": width})
    return entries


def largest_candidate(entries: list[dict[str, object]]) -> str | None:
    """The URL of the widest srcset candidate (first one when no widths are given)."""
    if not entries:
        return None
    best = max(entries, key=lambda entry: entry["width"] if isinstance(entry["width"], int) else -1)
    return str(best["url"])

