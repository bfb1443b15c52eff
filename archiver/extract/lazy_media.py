"""Where a lazy-loaded element keeps its real URL.

Lazy loaders leave `src` empty, `about:blank` or a placeholder and put the real URL in an
attribute their script copies over later. The well-known names (`data-src`, `data-lazy-src`,
`data-original`, ...) are listed in vocabulary.py, best first; every other loader (LiteSpeed's
`data-litespeed-src`, Cloudflare's `data-cfsrc`, Ezoic's `data-ezsrc`, WP Rocket, page builders)
follows the same shape — a `data-` attribute whose name says `src` — so any such attribute is
read after the listed ones and a real `src` rather than adding each plugin by name.
"""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html

from archiver.extract.vocabulary import LAZY_SRC_ATTRS, LAZY_SRCSET_ATTRS

_KNOWN_SRC = frozenset(LAZY_SRC_ATTRS)
_KNOWN_SRCSET = frozenset(LAZY_SRCSET_ATTRS)
# Attributes named like a source that hold something else.
_SIZE_WORDS = ("full", "orig", "xxlarge", "xlarge", "large", "big", "hires", "hi-res", "retina",
               "medium", "xsmall", "small", "mini", "thumb", "tiny", "low", "lqip", "placeholder")
_UNSIZED = _SIZE_WORDS.index("medium")
_NOT_A_SOURCE = frozenset({"data-src-type", "data-srcset-sizes", "data-source", "data-src-mode"})


def src_candidates(element: lxml.html.HtmlElement) -> Iterator[str]:
    """Values that may hold the element's real single URL, best first: the listed lazy
    attributes, then `src` (callers skip placeholders), then any other `data-…src…` attribute."""
    for attribute in LAZY_SRC_ATTRS:
        value = element.get(attribute)
        if value:
            yield value
    value = element.get("src")
    if value:
        yield value  # a real src beats an unknown attribute (`data-src-small` of a responsive set)
    others = [(name, value) for name, value in element.items() if _is_other_lazy_src(name) and value]
    for _name, value in sorted(others, key=lambda pair: _size_rank(pair[0])):
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


def _size_rank(name: str) -> int:
    """Responsive sets name one attribute per size (`data-src-mini` … `data-src-full16x9`):
    the largest first, names without a size word in the middle."""
    for rank, word in enumerate(_SIZE_WORDS):
        if word in name:
            return rank if rank < _UNSIZED else rank + 1
    return _UNSIZED


def _is_other_lazy_src(name: str) -> bool:
    return (name.startswith("data-") and "src" in name and "srcset" not in name
            and name not in _KNOWN_SRC and name not in _NOT_A_SOURCE)
