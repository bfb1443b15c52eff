"""Query gating: skip or shorten a document-wide XPath when the page's markup cannot satisfy it.

Comment detection asks each page for dozens of class names, ids and attribute values, and most pages
have none of them. Inside `reading(tree)`, `plan(tree, branch)` returns what to run: the branch
itself, the branch without the `or` alternatives that cannot match, or None when nothing in it can
match. Both are exact, never guesses: an alternative is dropped only when none of its words occurs
in any attribute value or tag name of the page, or, for `@id='x'`, when the page has no such id
(libxml2 indexes ids while parsing, so that test is one hash lookup).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import lxml.etree

_LITERAL = re.compile(r"'([^']*)'|\"([^\"]*)\"")
_ID_TERM = re.compile(r"@id\s*=\s*'([^'\s]+)'")
_PREFIX = re.compile(r"//(?:\*|[A-Za-z][\w:-]*)")
# Tests whose words need not appear in the markup: negations, case folding, text and inequalities.
_OPEN_ENDED = ("not(", "translate(", "text()", "(.)", "normalize-space()", "string(", "contains(.",
               "!=", "<", ">")
_ID_LOOKUP = lxml.etree.XPath("id($value)")


def markup_words(tree: Any) -> str:
    """Tag names and distinct attribute values of the whole document, joined: the only places a
    (text()-free) detection query's words can match, in a string a fraction of the page's size."""
    parts: set[str] = set()  # pages repeat the same classes hundreds of times
    for element in tree.iter():
        if isinstance(element.tag, str):
            parts.add(element.tag)
            parts.update(element.values())
    return "\n".join(parts)


@dataclass
class _Page:
    tree: Any
    words: str
    known: dict[str, bool] = field(default_factory=dict)

    def has_word(self, word: str) -> bool:
        present = self.known.get(word)
        if present is None:
            present = self.known[word] = word in self.words
        return present

    def has_id(self, value: str) -> bool:
        key = "#" + value  # words never start with '#' in the cache: ids get their own entries
        present = self.known.get(key)
        if present is None:
            present = self.known[key] = bool(_ID_LOOKUP(self.tree, value=value))
        return present


_PAGE: ContextVar[_Page | None] = ContextVar("comment_page", default=None)


@contextmanager
def reading(tree: Any) -> Iterator[None]:
    """Within this block, document-wide queries on `tree` go through `plan`."""
    token = _PAGE.set(_Page(tree, markup_words(tree)))
    try:
        yield
    finally:
        _PAGE.reset(token)


@dataclass(frozen=True)
class _Term:
    """One `or` alternative of a branch's first predicate and what it needs from the page."""

    text: str
    id_value: str | None  # `@id='x'`: needs that id
    words: tuple[str, ...]  # needs one of these words; () = needs nothing (always kept)


@dataclass(frozen=True)
class _Shape:
    words: tuple[str, ...]  # the whole branch needs one of these; () = no such rule
    prefix: str = ""
    terms: tuple[_Term, ...] = ()
    suffix: str = ""


def plan(element: Any, branch: str) -> str | None:
    """The query to run for `branch` on `element` (None: it cannot match). Only whole-document
    queries on the tree being read are planned; anything else runs as written."""
    page = _PAGE.get()
    if page is None or page.tree is not element:
        return branch
    shape = _shape(branch)
    if shape.words and not any(page.has_word(word) for word in shape.words):
        return None
    if not shape.terms:
        return branch
    live = [term for term in shape.terms if _may_hold(page, term)]
    if not live:
        return None
    if len(live) == len(shape.terms):
        return branch
    return f"{shape.prefix}[{' or '.join(term.text for term in live)}]{shape.suffix}"


def _may_hold(page: _Page, term: _Term) -> bool:
    if term.id_value is not None:
        return page.has_id(term.id_value)
    return not term.words or any(page.has_word(word) for word in term.words)


@lru_cache(maxsize=1024)
def _shape(branch: str) -> _Shape:
    words = _needed_words(branch)
    prefix = _PREFIX.match(branch)
    if prefix is None or branch[prefix.end():prefix.end() + 1] != "[":
        return _Shape(words)
    end = _closing_bracket(branch, prefix.end())
    if end is None:
        return _Shape(words)
    terms = tuple(_term(text) for text in _split_or(branch[prefix.end() + 1:end]))
    if len(terms) < 2 and not (terms and terms[0].id_value):
        return _Shape(words)  # a single word test: the whole-branch rule already covers it
    return _Shape(words, prefix.group(), terms, branch[end + 1:])


def _needed_words(text: str) -> tuple[str, ...]:
    """Words one of which must occur in the markup for `text` to hold; () when it has open-ended tests."""
    if any(marker in text for marker in _OPEN_ENDED):
        return ()
    return tuple(word.strip() for pair in _LITERAL.findall(text) for word in pair if word.strip())


def _term(text: str) -> _Term:
    text = text.strip()
    identifier = _ID_TERM.fullmatch(text)
    if identifier:
        return _Term(text, identifier.group(1), ())
    return _Term(text, None, _needed_words(text))


def _closing_bracket(text: str, start: int) -> int | None:
    """Index of the `]` closing the `[` at `start` (quotes and nesting respected)."""
    depth, quote = 0, ""
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
            if depth == 0:
                return index if char == "]" else None
    return None


def _split_or(predicate: str) -> list[str]:
    """`a or b or (c or d)` -> ['a', 'b', '(c or d)']: top-level alternatives only."""
    parts, depth, quote, start = [], 0, "", 0
    index = 0
    while index < len(predicate):
        char = predicate[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif depth == 0 and predicate.startswith(" or ", index):
            parts.append(predicate[start:index])
            index += 4
            start = index
            continue
        index += 1
    parts.append(predicate[start:])
    return parts
