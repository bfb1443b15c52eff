"""A parsed page: decoded text plus one lxml tree shared by every extractor (parse once)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import lxml.etree
import lxml.html

from archiver.extract.charset import decode_html

# Characters XML/lxml refuses (control chars other than tab/newline/CR, U+FFFE, U+FFFF) — pages do
# contain them. One list, three forms: a regex for str, single UTF-8 bytes, multi-byte sequences.
_INVALID_XML_CODES = (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)
_INVALID_XML_CHARS = re.compile("[" + "".join(map(chr, _INVALID_XML_CODES)) + "]")
_INVALID_XML_BYTES = bytes(code for code in _INVALID_XML_CODES if code < 0x80)
_INVALID_XML_SEQUENCES = tuple(chr(code).encode() for code in _INVALID_XML_CODES if code >= 0x80)
_XML_DECLARATION = re.compile(r"\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DECLARATION_WINDOW = 4096


class _FastHtmlParser(lxml.html.HTMLParser):
    """lxml.html's parser with a C-level class lookup: every node is an HtmlElement (or
    HtmlComment, ...). lxml.html's own lookup is a Python method run each time Python touches an
    element (thousands of times per page); the form-specific subclasses it picks are never used here."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.set_element_class_lookup(lxml.etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))


def _empty_tree() -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring("<html><head></head><body></body></html>")


def parse_html(text: str) -> lxml.html.HtmlElement:
    """Parse any string into an HTML tree; never raises (garbage gives an empty document)."""
    # An XML declaration (lxml refuses one in a str) can only open the page: look in the head only.
    head = _INVALID_XML_CHARS.sub("", text[:_DECLARATION_WINDOW])
    declaration = _XML_DECLARATION.match(head)
    if declaration:
        head = head[declaration.end():]
    data = _xml_safe_utf8(head + text[_DECLARATION_WINDOW:])
    if not data.strip() or text.isspace():
        return _empty_tree()
    try:
        parser = _FastHtmlParser(encoding="utf-8", remove_comments=True, huge_tree=True)
        root = lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return _empty_tree()
    if root is None or not isinstance(root, lxml.html.HtmlElement):
        return _empty_tree()
    return root


def _xml_safe_utf8(text: str) -> bytes:
    """UTF-8 of `text` without the characters lxml refuses. Done on bytes: the control characters
    are single bytes in UTF-8 and U+FFFE/U+FFFF unique 3-byte sequences, and bytes.translate and
    `in` run at memory speed where a regex over the page's characters costs half a millisecond."""
    data = text.encode("utf-8", "replace").translate(None, _INVALID_XML_BYTES)
    for sequence in _INVALID_XML_SEQUENCES:
        if sequence in data:
            data = data.replace(sequence, b"")
    return data


@dataclass
class Document:
    """One page to extract from. Extractors read `tree`; nobody mutates it (copy first)."""

    url: str
    text: str
    tree: lxml.html.HtmlElement
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_html(cls, html: str | bytes, url: str, content_type: str | None = None) -> Document:
        text = decode_html(html, content_type) if isinstance(html, bytes) else html
        return cls(url=url, text=text, tree=parse_html(text))

    @cached_property
    def json_ld(self) -> list[dict[str, Any]]:
        """Every JSON-LD object of the page, @graph members flattened, unparsable blocks skipped."""
        objects: list[dict[str, Any]] = []
        for script in self.tree.iter("script"):
            if (script.get("type") or "").strip().lower() != "application/ld+json":
                continue
            raw = (script.text or "").strip()
            if not raw:
                continue
            try:
                data = json.loads(raw, strict=False)
            except ValueError:
                continue
            _flatten_json_ld(data, objects)
        return objects

    @cached_property
    def meta(self) -> dict[str, list[str]]:
        """<meta> values by lower-cased name/property/itemprop, in document order."""
        values: dict[str, list[str]] = {}
        for element in self.tree.iter("meta"):
            key = element.get("property") or element.get("name") or element.get("itemprop")
            content = element.get("content")
            if key and content is not None and content.strip():
                values.setdefault(key.strip().lower(), []).append(content.strip())
        return values

    def meta_first(self, *keys: str) -> str | None:
        for key in keys:
            found = self.meta.get(key)
            if found:
                return found[0]
        return None


def _flatten_json_ld(data: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > 20:
        return
    if isinstance(data, list):
        for item in data:
            _flatten_json_ld(item, out, depth + 1)
    elif isinstance(data, dict):
        graph = data.get("@graph")
        if isinstance(graph, list):
            _flatten_json_ld(graph, out, depth + 1)
        if "@type" in data:
            out.append(data)


def json_ld_types(obj: dict[str, Any]) -> set[str]:
    """The @type of a JSON-LD object as a set of bare names ("NewsArticle", ...)."""
    raw = obj.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return {str(n).rsplit("/", 1)[-1] for n in names if n}


def element_text(element: lxml.html.HtmlElement) -> str:
    """Visible text of an element with whitespace collapsed."""
    return " ".join(element.text_content().split())
