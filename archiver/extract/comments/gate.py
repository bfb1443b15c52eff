"""Query gating: skip or shorten a document-wide XPath when the page's markup cannot satisfy it.

Comment detection asks each page for dozens of class names, ids and attribute values, and most pages
have none of them. Inside `reading(tree)`, `plan(tree, branch)` returns what to run: the branch
itself, the branch without the `or` alternatives that cannot match, or None when nothing in it can
match. Both are exact, never guesses: an alternative is dropped only when none of its words occurs
in any attribute value or tag name of the page, or, for `@id='x'`, when the page has no such id
(libxml2 indexes ids while parsing, so that test is one hash lookup). A query for a tag
(`//vf-conversations`) or an attribute's presence (`[@data-isso]`) needs that name in the page.
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
_HAS_ATTRIBUTE = re.compile(r"@([A-Za-z_][\w.:-]*)")
_PREFIX = re.compile(r"//(\*|[A-Za-z][\w:-]*)")
# Tests whose words need not appear in the markup: negations, case folding, text and inequalities.
_OPEN_ENDED = ("not(", "translate(", "text()", "(.)", "normalize-space()", "string(", "contains(.",
               "!=", "<", ">")
_ID_LOOKUP = lxml.etree.XPath("id($value)")


def markup_words(tree: Any) -> str:
    """Distinct tag names, attribute names and attribute values of the whole document, joined: the
    only places a (text()-free) detection query's words can match, in a string a fraction of the
    page's size (pages repeat the same classes hundreds of times)."""
    parts: set[Any] = set()
    add = parts.add
    for element in tree.iter():
        add(element.tag)  # a function for comments and processing instructions: dropped below
        for name, value in element.items():
            add(name)
            add(value)
    return "\n".join(part for part in parts if isinstance(part, str))


@dataclass
class _Page:
    tree: Any
    words: str
    known_words: dict[str, bool] = field(default_factory=dict)
    known_ids: dict[str, bool] = field(default_factory=dict)

    def has_word(self, word: str) -> bool:
        present = self.known_words.get(word)
        if present is None:
            present = self.known_words[word] = word in self.words
        return present

    def has_id(self, value: str) -> bool:
        present = self.known_ids.get(value)
        if present is None:
            present = self.known_ids[value] = bool(_ID_LOOKUP(self.tree, value=value))
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
    tag: str | None = None  # ... and this tag name
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
    if shape.tag is not None and not page.has_word(shape.tag):
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
    if prefix is None or "::" in prefix.group(1) or branch[prefix.end():prefix.end() + 1] == "(":
        return _Shape(words)  # an axis (//descendant::x) or a node test (//text()), not a tag name
    tag = prefix.group(1) if prefix.group(1) != "*" else None
    if branch[prefix.end():prefix.end() + 1] != "[":
        return _Shape(words, tag)
    end = _closing_bracket(branch, prefix.end())
    if end is None:
        return _Shape(words, tag)
    terms = tuple(_term(text) for text in _split_or(branch[prefix.end() + 1:end]))
    if len(terms) == 1 and terms[0].id_value is None and not _HAS_ATTRIBUTE.fullmatch(terms[0].text):
        return _Shape(words, tag)  # a single word test: the whole-branch rule already covers it
    return _Shape(words, tag, prefix.group(), terms, branch[end + 1:])


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
    attribute = _HAS_ATTRIBUTE.fullmatch(text)
    if attribute:
        return _Term(text, None, (attribute.group(1),))
    return _Term(text, None, _needed_words(text))


def _closing_bracket(text: str, start: int) -> int | None:
    """Index of the `]` closing the `[` at `start` (quotes and nesting respected)."""
    for index, char, depth in _unquoted(text, start):
        if char in "])" and depth == 1:
            return index if char == "]" else None
    return None


def _split_or(predicate: str) -> list[str]:
    """`a or b or (c or d)` -> ['a', 'b', '(c or d)']: top-level alternatives only."""
    parts, start = [], 0
    for index, _char, depth in _unquoted(predicate):
        if depth == 0 and predicate.startswith(" or ", index):
            parts.append(predicate[start:index])
            start = index + 4
    parts.append(predicate[start:])
    return parts


def _unquoted(text: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, bracket depth before it) of each character of `text` outside string literals."""
    depth, quote = 0, ""
    for index in range(start, len(text)):
        char = text[index]
        if quote or char in "'\"":
            quote = "" if char == quote else (quote or char)
            continue
        yield index, char, depth
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
