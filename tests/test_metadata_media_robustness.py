"""Malformed and hostile HTML never makes extract_metadata / extract_media raise, and what they
return always fits the record schema (hypothesis builds pages from the constructs they read)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver.extract.document import Document
from archiver.extract.media import extract_media
from archiver.extract.metadata import extract_metadata
from archiver.items import empty_record
from archiver.schema import record_errors

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_ATTR_VALUE = st.one_of(
    _TEXT,
    st.sampled_from(["", " ", "data:image/gif;base64,AA", "//cdn.x/a.jpg", "javascript:alert(1)",
                     "http://", "https://[::1", "a.jpg 100w, b.jpg 2x,, ,", "0", "-5", "99999999",
                     "2021-13-45T99:99", "1574168580000", "By , and &", "http://a b/c d.jpg",
                     "background-image:url('/h-1200x600.jpg')", "background:url(", "image.php?src=/a.jpg&w=1",
                     "https://www.facebook.com/sharer/sharer.php?u=x", "mailto:?x", "sponsored",
                     "https://platform.twitter.com/embed/Tweet.html?id=12", "728", "90"]),
)
_TAG = st.sampled_from(["img", "picture", "source", "video", "audio", "iframe", "embed", "object",
                        "figure", "figcaption", "noscript", "blockquote", "time", "a", "meta",
                        "span", "div", "article", "p", "h1", "h3", "title", "link", "script"])
_ATTR = st.sampled_from(["src", "srcset", "data-src", "data-srcset", "data-lazy-src", "width",
                         "height", "alt", "class", "id", "rel", "href", "itemprop", "itemscope",
                         "itemtype", "content", "property", "name", "datetime", "poster", "type",
                         "cite", "data-href", "lang", "data-instgrm-permalink", "style",
                         "data-litespeed-src", "data-src-large", "data-src-mini", "data-tweet-id"])
_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), _TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(
                                ["@type", "@graph", "@id", "headline", "author", "name", "url",
                                 "datePublished", "dateModified", "image", "keywords",
                                 "articleSection", "inLanguage", "publisher"]), inner, max_size=4)),
    max_leaves=10,
)


@st.composite
def _element(draw: Any) -> str:
    tag = draw(_TAG)
    attrs = draw(st.dictionaries(_ATTR, _ATTR_VALUE, max_size=4))
    rendered = " ".join(f'{name}="{value.replace(chr(34), "&quot;")}"' for name, value in attrs.items())
    if tag == "script":
        body = json.dumps(draw(_JSON))
        return f'<script type="application/ld+json">{body}</script>'
    inner = draw(st.one_of(_TEXT, st.just("")))
    closing = draw(st.sampled_from([f"</{tag}>", "", "</div>", "<"]))
    return f"<{tag} {rendered}>{inner}{closing}"


@st.composite
def _page(draw: Any) -> str:
    parts = draw(st.lists(_element(), max_size=25))
    prefix = draw(st.sampled_from(["", "<html><head>", "<!doctype html><html lang='x_Y'><body>",
                                   "<?xml version='1.0'?>", "\x00\x01"]))
    return prefix + "".join(parts)


def _check(html: str) -> None:
    doc = Document.from_html(html, "https://example.com/2021/05/03/post/")
    record = empty_record(doc.url)
    record.update(extract_metadata(doc))
    body_candidates = doc.tree.xpath("//article | //div")
    record["media"] = extract_media(doc, body_candidates[0] if body_candidates else None)
    record["media"] += extract_media(doc, None)
    errors = [e for e in record_errors(record) if not e.startswith(("body", "comments"))]
    assert not errors, errors


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_page())
def test_generated_pages_never_raise(html: str) -> None:
    _check(html)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    _check(text)


def test_known_nasty_inputs() -> None:
    for html in ["", "<", "<img>", "<img src>", '<img srcset=",,,">', "<video><source></video>",
                 '<script type="application/ld+json">{"@graph": [[[[]]]]}</script>',
                 '<script type="application/ld+json">{"author": {"@id": 5}}</script>',
                 '<time datetime="9999-99-99">', '<meta property="og:image" content="ftp://x">',
                 '<div itemscope itemtype="http://schema.org/Article"><div itemprop="author" '
                 'itemscope><div itemprop="author" itemscope></div></div></div>',
                 '<blockquote class="twitter-tweet"></blockquote>', "<iframe src=' '></iframe>"]:
        _check(html)
