"""Outlinks: the fast path for plain URLs gives exactly what full w3lib normalisation gives."""

from __future__ import annotations

from urllib.parse import urldefrag

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.extract.document import Document
from archiver.extract.links import _absolute, outlinks
from archiver.values import join_url, safe_absolute_url

BASE = "https://base.test/dir/page.html"


def reference(href: str) -> str | None:
    """Full normalisation: join (None if unparsable, e.g. `//[]`), drop the fragment, w3lib-escape."""
    joined = join_url(BASE, href)
    if joined is None:
        return None
    try:
        return safe_absolute_url(urldefrag(joined)[0])
    except ValueError:
        return None


@pytest.mark.parametrize("href", [
    "/a b", "http://x.test/ü", "https://x.test/p?q=1&r=2#frag", "../up", "//cdn.test/x", "?page=2",
    "https://x.test/a%20b", "https://x.test/a|b", 'http://x.test/a"b', "http://X.TEST/Path", "https://x.test/a'b(c)",
    "//[]", "http://[broken", "https://", "http:///x",
])
def test_fast_path_matches_w3lib(href: str) -> None:
    assert _absolute(BASE, href) == reference(href)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_fast_path_matches_w3lib_on_any_href(href: str) -> None:
    assert _absolute(BASE, href.strip()) == reference(href.strip())


def test_outlinks_skip_non_http_and_duplicates() -> None:
    doc = Document.from_html(
        '<a href="/x">1</a><a href="/x#top">2</a><a href="javascript:void(0)">3</a><a href="mailto:a@b">4</a>'
        '<a href="#c">5</a><a href="https://other.test/y">6</a>', BASE)
    assert outlinks(doc) == ["https://base.test/x", "https://other.test/y"]
