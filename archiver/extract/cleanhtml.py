"""Render an article subtree as plain-text paragraphs and minimal sanitized HTML in one walk.

The walk reads the original tree (never mutates it) and asks a `keep` predicate, supplied by the
body extractor, whether each element is article content. Output HTML uses a small allow-list
(p, h2-h6, ul/ol/li, blockquote, pre, code, figure, figcaption, img, a, em, strong, table/tr/td/th),
rebuilt from text rather than copied, so no attribute other than href/src/alt can leak through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape

import lxml.html

from archiver.extract.boilerplate import is_inline
from archiver.values import join_url, safe_absolute_url

Keep = Callable[[lxml.html.HtmlElement], bool]

# Whitespace, and the invisible marks editors paste in (zero-width space/joiners, word joiner, a
# stray byte-order mark): a line of only these is empty.
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b\u200c\u200d\u2060\ufeff\u2028\u2029]+|\n")
_BREAK, _SOFT_BREAK = "\x00", "\x01"
_PARAGRAPH_BREAK = re.compile("\x00(?:[ \t\r\n\f\u00a0]*\x00)+")
_ANY_BREAK = re.compile("[\x00\x01]")
_INLINE_HTML = {"em": "em", "i": "em", "strong": "strong", "b": "strong", "code": "code",
                "kbd": "code", "tt": "code", "samp": "code"}
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_BLOCKISH = frozenset({"p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                       "blockquote", "pre", "section", "article", "figure", "dl", "li", "tr"})


@dataclass
class Block:
    """One paragraph-level unit: its plain text ('' when it only shows in HTML) and its HTML."""

    text: str
    html: str


@dataclass
class _Inline:
    """Inline content being collected for the current paragraph. Line breaks are kept as markers:
    _BREAK for a <br> directly in the block (two in a row end a paragraph, as in Blogger posts),
    _SOFT_BREAK for one inside an inline element (always just a line break)."""

    text: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    depth: int = 0

    def add(self, text: str, html: str | None = None) -> None:
        self.text.append(text)
        self.html.append(escape(text, quote=False) if html is None else html)

    def take(self) -> list[tuple[str, str]]:
        """The collected paragraphs as (text, html) pairs; empties dropped."""
        if not self.text and not self.html:
            return []  # most flushes: nothing collected since the last block
        texts = _PARAGRAPH_BREAK.split("".join(self.text))
        htmls = _PARAGRAPH_BREAK.split("".join(self.html))
        self.text.clear()
        self.html.clear()
        if len(texts) != len(htmls):
            texts, htmls = [" ".join(texts)], [" ".join(htmls)]
        paragraphs = []
        for raw_text, raw_html in zip(texts, htmls, strict=True):
            text = _clean_lines(raw_text)
            html = _clean_lines(raw_html).replace("\n", "<br>")
            if text or "<img" in html:
                paragraphs.append((text, html))
        return paragraphs

    def take_one(self) -> tuple[str, str]:
        """Everything collected as one run (table cells, captions)."""
        paragraphs = self.take()
        return ("\n".join(t for t, _ in paragraphs if t), "<br>".join(h for _, h in paragraphs))


def _clean_lines(raw: str) -> str:
    """Collapse whitespace inside lines; keep explicit line breaks (from <br>) as single newlines."""
    lines = (" ".join(_SPACES.sub(" ", line).split()) for line in _ANY_BREAK.split(raw))
    return "\n".join(line for line in lines if line)


def _tag(element: lxml.html.HtmlElement) -> str:
    return element.tag if isinstance(element.tag, str) else ""


class Renderer:
    """Turns kept elements under the given roots into `Block`s."""

    def __init__(self, base_url: str, keep: Keep) -> None:
        self.base_url = base_url
        self.keep = keep

    def render(self, roots: Iterable[lxml.html.HtmlElement]) -> list[Block]:
        blocks: list[Block] = []
        for root in roots:
            self._container(root, blocks, "p")
        return blocks

    # -- block level -------------------------------------------------------------------------

    def _container(self, element: lxml.html.HtmlElement, out: list[Block], kind: str) -> None:
        """Render a block element's children: inline runs become `kind` paragraphs."""
        inline = _Inline()
        if element.text:
            inline.add(element.text)
        for child in element:
            tag = _tag(child)
            if tag and self.keep(child):
                if is_inline(tag) and not _has_block(child):
                    self._inline(child, inline)
                else:
                    self._flush(inline, out, kind)
                    self._block(child, out)
            if child.tail:
                inline.add(child.tail)
        self._flush(inline, out, kind)

    def _flush(self, inline: _Inline, out: list[Block], kind: str) -> None:
        for text, html in inline.take():
            if text:
                out.append(Block(text, f"<{kind}>{html}</{kind}>"))
            else:
                out.append(Block("", f"<figure>{html}</figure>"))

    def _block(self, element: lxml.html.HtmlElement, out: list[Block]) -> None:
        tag = _tag(element)
        if tag in _HEADINGS:
            self._container(element, out, tag)
        elif tag in ("ul", "ol"):
            self._list(element, out, tag)
        elif tag == "blockquote":
            self._quote(element, out)
        elif tag == "pre":
            self._pre(element, out)
        elif tag == "table" and not _is_layout_table(element):
            self._table(element, out)
        elif tag == "figure":
            self._figure(element, out)
        elif tag == "figcaption":
            caption = self._caption_html(element)
            if caption:
                out.append(Block("", f"<figure><figcaption>{caption}</figcaption></figure>"))
        elif tag != "br" and tag != "hr":
            self._container(element, out, "p")

    def _list(self, element: lxml.html.HtmlElement, out: list[Block], tag: str) -> None:
        items: list[Block] = []
        for item in element.iter("li"):
            if not self._kept_chain(item, element):
                continue
            if any(_tag(d) == "li" for d in item.iterdescendants("li")):
                inner: list[Block] = []
                self._container_without_lists(item, inner)
            else:
                inner = []
                self._container(item, inner, "p")
            text = "\n".join(b.text for b in inner if b.text)
            if text:
                items.append(Block(text, "<li>" + _unwrap_p("".join(b.html for b in inner)) + "</li>"))
        if items:
            out.append(Block("\n".join(i.text for i in items),
                             f"<{tag}>" + "".join(i.html for i in items) + f"</{tag}>"))

    def _container_without_lists(self, item: lxml.html.HtmlElement, out: list[Block]) -> None:
        """A list item holding a nested list: its own text only (nested items are listed after)."""
        inline = _Inline()
        if item.text:
            inline.add(item.text)
        for child in item:
            if is_inline(_tag(child)) and self.keep(child):
                self._inline(child, inline)
            if child.tail and _tag(child) not in ("ul", "ol"):
                inline.add(child.tail)
        self._flush(inline, out, "p")

    def _kept_chain(self, element: lxml.html.HtmlElement, stop: lxml.html.HtmlElement) -> bool:
        node: lxml.html.HtmlElement | None = element
        while node is not None and node is not stop:
            if not self.keep(node):
                return False
            node = node.getparent()
        return True

    def _quote(self, element: lxml.html.HtmlElement, out: list[Block]) -> None:
        inner: list[Block] = []
        self._container(element, inner, "p")
        text = "\n\n".join(b.text for b in inner if b.text)
        if text:
            out.append(Block(text, "<blockquote>" + "".join(b.html for b in inner) + "</blockquote>"))

    def _pre(self, element: lxml.html.HtmlElement, out: list[Block]) -> None:
        raw = element.text_content().strip("\n")
        text = "\n".join(line.rstrip() for line in raw.splitlines() if line.strip())
        if text:
            out.append(Block(text, f"<pre>{escape(raw, quote=False)}</pre>"))

    def _table(self, element: lxml.html.HtmlElement, out: list[Block]) -> None:
        rows_text: list[str] = []
        rows_html: list[str] = []
        for row in element.iter("tr"):
            if not self._kept_chain(row, element):
                continue
            cells_text, cells_html = [], []
            for cell in row:
                if _tag(cell) not in ("td", "th") or not self.keep(cell):
                    continue
                inline = _Inline()
                self._inline_all(cell, inline)
                text, html = inline.take_one()
                cells_text.append(text.replace("\n", " "))
                cells_html.append(f"<{cell.tag}>{html}</{cell.tag}>")
            if any(cells_text):
                rows_text.append(" ".join(t for t in cells_text if t))
                rows_html.append("<tr>" + "".join(cells_html) + "</tr>")
        if rows_text:
            out.append(Block("\n".join(rows_text), "<table>" + "".join(rows_html) + "</table>"))

    def _figure(self, element: lxml.html.HtmlElement, out: list[Block]) -> None:
        """Images and caption go to HTML only; other blocks inside (embedded quotes) stay text."""
        images: list[str] = []
        caption = ""
        inner: list[Block] = []
        for child in element:
            if not self.keep(child):
                continue
            tag = _tag(child)
            if tag == "figcaption":
                caption = self._caption_html(child)
            elif tag in ("img", "picture", "a", "span", "div", "noscript"):
                images.extend(self._image_html(img) for img in child.iter("img"))
                if tag == "div" and _has_block(child):
                    self._container(child, inner, "p")
            elif tag:
                self._block(child, inner)
        images = [i for i in images if i]
        out.extend(b for b in inner if b.text)
        if images or caption:
            fig = "".join(images) + (f"<figcaption>{caption}</figcaption>" if caption else "")
            out.append(Block("", f"<figure>{fig}</figure>"))

    def _caption_html(self, element: lxml.html.HtmlElement) -> str:
        inline = _Inline()
        self._inline_all(element, inline)
        return inline.take_one()[1]

    # -- inline level ------------------------------------------------------------------------

    def _inline_all(self, element: lxml.html.HtmlElement, inline: _Inline) -> None:
        """All kept text under `element` as one inline run (used for table cells and captions)."""
        if element.text:
            inline.add(element.text)
        for child in element:
            if _tag(child) and self.keep(child):
                if _tag(child) in _BLOCKISH:
                    inline.add(" ")
                self._inline(child, inline)
            if child.tail:
                inline.add(child.tail)

    def _inline(self, element: lxml.html.HtmlElement, inline: _Inline) -> None:
        tag = _tag(element)
        if tag == "br":
            marker = _BREAK if inline.depth == 0 else _SOFT_BREAK
            inline.add(marker, marker)
            return
        if tag == "img":
            inline.html.append(self._image_html(element))
            return
        start = len(inline.html)
        # Only wrappers that become HTML tags make a <br><br> inside them a mere line break (a
        # paragraph split there would unbalance the tag); <font> or <span> are transparent.
        wraps = tag == "a" or tag in _INLINE_HTML
        inline.depth += wraps
        self._inline_all(element, inline)
        inline.depth -= wraps
        wrapper = _INLINE_HTML.get(tag)
        if tag == "a":
            href = self._href(element.get("href"))
            if href:
                inline.html.insert(start, f'<a href="{escape(href)}">')
                inline.html.append("</a>")
        elif wrapper and len(inline.html) > start:
            inline.html.insert(start, f"<{wrapper}>")
            inline.html.append(f"</{wrapper}>")

    def _href(self, raw: str | None) -> str | None:
        if not raw or raw.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
            return None
        return safe_absolute_url(join_url(self.base_url, raw.strip()))

    def _image_html(self, img: lxml.html.HtmlElement) -> str:
        src = img.get("data-src") or img.get("data-lazy-src") or img.get("src")
        url = self._href(src) if src else None
        if not url:
            return ""
        alt = " ".join((img.get("alt") or "").split())
        return f'<img src="{escape(url)}" alt="{escape(alt)}">'


def _has_block(element: lxml.html.HtmlElement) -> bool:
    """Holds a block with text: then it must be walked as a block. An empty spacer <div> inside
    a <strong> must not split "Game D|ay" into two paragraphs."""
    return any(_tag(d) in _BLOCKISH and d.text_content().strip() for d in element.iterdescendants())


def _is_layout_table(table: lxml.html.HtmlElement) -> bool:
    """Old sites lay whole pages out in tables; those are containers, not data: cells hold
    blocks, nested tables or several <br>-separated paragraphs."""
    for descendant in table.iterdescendants("table", "p", "div", "ul", "ol", "h2", "h3",
                                            "blockquote", "article"):
        if _tag(descendant):
            return True
    return any(sum(1 for child in cell if _tag(child) == "br") >= 2
               for cell in table.iterdescendants("td"))


def _unwrap_p(html: str) -> str:
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
