"""Where a lazy-loaded element keeps its real URL.

Lazy loaders leave `src` empty, `about:blank` or a placeholder and put the real URL in an
attribute their script copies over later. The well-known names (`data-src`, `data-lazy-src`,
`data-original`, ...) are listed in vocabulary.py, best first; every other loader (LiteSpeed's
`data-litespeed-src`, Cloudflare's `data-cfsrc`, Ezoic's `data-ezsrc`, WP Rocket, page builders)
follows the same shape — a `data-` attribute whose name says `src` — so any such attribute is
read after the listed ones rather than adding each plugin by name.
"""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html

from archiver.extract.vocabulary import LAZY_SRC_ATTRS, LAZY_SRCSET_ATTRS

_KNOWN_SRC = frozenset(LAZY_SRC_ATTRS)
_KNOWN_SRCSET = frozenset(LAZY_SRCSET_ATTRS)
# Attributes named like a source that hold something else.
_NOT_A_SOURCE = frozenset({"data-src-type", "data-srcset-sizes", "data-source", "data-src-mode"})


def src_candidates(element: lxml.html.HtmlElement) -> Iterator[str]:
    """Values that may hold the element's real single URL, best first: the listed lazy
    attributes, then any other `data-…src…` attribute, then `src`."""
    for attribute in LAZY_SRC_ATTRS:
        value = element.get(attribute)
        if value:
            yield value
    for name, value in element.items():
        if _is_other_lazy_src(name) and value:
            yield value
    value = element.get("src")
    if value:
        yield value


def srcset_candidates(element: lxml.html.HtmlElement) -> Iterator[str]:
    """Values that may hold the element's srcset, best first (lazy ones, then `srcset`)."""
    for attribute in LAZY_SRCSET_ATTRS:
        value = element.get(attribute)
        if value:
            yield value
    for name, value in element.items():
        if name.startswith("data-") and "srcset" in name and name not in _KNOWN_SRCSET and value:
            yield value
    value = element.get("srcset")
    if value:
        yield value


def _is_other_lazy_src(name: str) -> bool:
    return (name.startswith("data-") and "src" in name and "srcset" not in name
            and name not in _KNOWN_SRC and name not in _NOT_A_SOURCE)
