"""Body extraction never raises on hostile input and its HTML never carries active content."""

from __future__ import annotations

import re

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver.extract.body import extract_body
from archiver.extract.document import Document

_ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
_TAGS = ["p", "div", "span", "a", "article", "main", "section", "ul", "ol", "li", "table", "tr",
         "td", "th", "pre", "code", "blockquote", "figure", "figcaption", "img", "br", "h1", "h2",
         "h3", "script", "style", "nav", "aside", "footer", "form", "iframe", "svg", "b", "em",
         "noscript", "template", "html", "body", "head", "title", "meta", "video", "source"]
_ATTRIBUTES = ['class="article-body"', 'class="share related"', 'id="comments"', "hidden",
               'style="display:none"', 'href="javascript:alert(1)"', 'href="/x"', 'src="a.jpg"',
               'onclick="evil()"', 'itemprop="articleBody"', 'aria-hidden="true"', 'href="http://["',
               'src="data:image/png;base64,AAAA"', 'class="post-body"', 'role="navigation"']
_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80)


@st.composite
def html_soups(draw: st.DrawFn) -> str:
    """Tag soup: unbalanced open/close tags, attributes, entities, control characters, prose."""
    pieces = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 5))
        tag = draw(st.sampled_from(_TAGS))
        if kind == 0:
            attributes = " ".join(draw(st.lists(st.sampled_from(_ATTRIBUTES), max_size=3)))
            pieces.append(f"<{tag} {attributes}>")
        elif kind == 1:
            pieces.append(f"</{tag}>")
        elif kind == 2:
            pieces.append(draw(_TEXT))
        elif kind == 3:
            pieces.append(draw(st.sampled_from(["&amp;", "&#0;", "&#x110000;", "&nbsp;", "<!--",
                                                "-->", "<![CDATA[", "<?xml version='1.0'?>",
                                                "\x00", "\x0b", "<", ">", "<br/><br/>"])))
        else:
            pieces.append("Long enough prose, with commas, to be taken for article text. " * 3)
    return "".join(pieces)


def _active_url(value: str) -> bool:
    """Browsers drop control characters and spaces inside a URL scheme (`java\tscript:` runs)."""
    return re.sub(r"[\x00-\x20]", "", value).lower().startswith(_ACTIVE_SCHEMES)


def _active_content(body_html: str) -> list[str]:
    """Scripts, event handlers and javascript: URLs in the output markup (prose may name them)."""
    if not body_html.strip():
        return []
    found = []
    for element in lxml.html.fragment_fromstring(body_html, create_parent="div").iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ("script", "iframe", "object", "embed"):
            found.append(element.tag)
        for name, value in element.attrib.items():
            if name.lower().startswith("on") or _active_url(value):
                found.append(f"{name}={value}")
    return found


def test_active_content_check_sees_attributes_not_prose() -> None:
    assert _active_content('<p>Type JAVASCRIPT: once=1 in the box</p>') == []
    assert _active_content('<p><a href=" javascript:alert(1)">x</a></p>') == ['href= javascript:alert(1)']
    assert _active_content('<p onclick="x()">x</p><script>y</script>') == ["onclick=x()", "script"]
    assert _active_content('<p><a href="java\tscript:x()">x</a><a href="VBScript:y">y</a></p>') != []


def _check(html: str | bytes) -> None:
    doc = Document.from_html(html, "https://example.com/a/b.html")
    body = extract_body(doc)
    assert isinstance(body.text, str) and isinstance(body.html, str)
    assert "\n\n\n" not in body.text
    assert body.text == body.text.strip()
    assert _active_content(body.html) == []
    assert body.node is None or body.node.getroottree().getroot() is doc.tree


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_soups())
def test_tag_soup_never_raises(html: str) -> None:
    _check(html)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(raw: bytes) -> None:
    _check(raw)


def test_empty_and_bodyless_documents() -> None:
    for html in ("", "   ", "<html></html>", "<head><title>x</title></head>", "\x00\x00"):
        body = extract_body(Document.from_html(html, "https://example.com/"))
        assert (body.text, body.html, body.node) == ("", "", None)


def test_a_malformed_page_url_does_not_stop_extraction() -> None:
    """`archiver extract --url` takes what the user typed; urlsplit raises on an unclosed IPv6 host."""
    html = ("<html><body><h1>Title</h1>" + "<p>" + "A sentence of running article text. " * 12 + "</p>"
            + '<p><a href="/other/story-one">A headline link to another story of the site</a></p></body></html>')
    body = extract_body(Document.from_html(html, "http://[broken/a"))
    assert "running article text" in body.text
