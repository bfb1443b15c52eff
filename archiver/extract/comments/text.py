"""Comment text and HTML: chrome removed ("Reply", "says", votes, moderation notices), links absolute,
HTML reduced to a small safe tag set (no scripts, no event handlers, no javascript: URLs)."""

from __future__ import annotations

import copy
import html
import re

import lxml.etree
import lxml.html

from archiver.extract.document import parse_html
from archiver.values import join_url

# Class/id words of elements inside a comment that are controls or chrome, never comment text.
NOISE_WORDS = (
    "reply", "says", "comment-meta", "commentmetadata", "comment-metadata", "comment-author",
    "vcard", "avatar", "edit-link", "rating", "vote", "like", "report", "flag", "share",
    "awaiting-moderation", "moderation", "comment-actions", "comment-footer", "wpd-comment-footer",
    "comment-edit", "sharedaddy", "comment-header", "permalink", "comment-tools", "links inline",
    "comment-likes",
)
# Whole class tokens that hide an element (a substring test would also hit "field-label-hidden").
HIDDEN_TOKENS = {"hidden", "element-hidden", "element-invisible", "visually-hidden", "screen-reader-text",
                 "sr-only", "screen-reader", "d-none"}
_NOISE_TAGS = {"script", "style", "noscript", "template", "form", "button", "svg", "input",
               "select", "textarea", "iframe", "object", "embed", "canvas", "nav"}
_BLOCK_TAGS = {"p", "div", "blockquote", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5",
               "h6", "table", "tr", "section", "article", "figure", "figcaption", "dl", "dt", "dd",
               "header", "footer", "hr"}
_ALLOWED_TAGS = {"p", "br", "a", "em", "strong", "b", "i", "u", "s", "blockquote", "q", "cite",
                 "code", "pre", "ul", "ol", "li", "img", "sub", "sup", "del", "ins", "h2", "h3",
                 "h4", "h5", "h6", "hr", "span", "abbr", "figure", "figcaption"}
_ALLOWED_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"},
                  "abbr": {"title"}, "q": {"cite"}, "blockquote": {"cite"}}
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_NOISE_CLASS_RE = re.compile(
    r"(?:^|[\s_-])(?:" + "|".join(re.escape(w) for w in NOISE_WORDS) + r")(?:$|[\s_-])", re.I
)


def is_noise(element: lxml.html.HtmlElement) -> bool:
    """Controls and chrome found inside comments (reply links, vote widgets, avatars, notices)."""
    if not isinstance(element.tag, str):
        return True
    if element.tag in _NOISE_TAGS:
        return True
    classes = element.get("class") or ""
    if HIDDEN_TOKENS.intersection(classes.lower().split()) or element.get("hidden") is not None:
        return True
    marker = f"{classes} {element.get('id', '')}"
    return bool(marker.strip()) and bool(_NOISE_CLASS_RE.search(marker))


def strip_noise(element: lxml.html.HtmlElement, keep_classes: bool = False) -> lxml.html.HtmlElement:
    """A copy of `element` without noise descendants (the page tree is never modified)."""
    clone = copy.deepcopy(element)
    doomed = [e for e in clone.iterdescendants() if is_noise(e)]
    for node in doomed:
        _drop_keep_tail(node)
    return clone


def _drop_keep_tail(node: lxml.html.HtmlElement) -> None:
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    previous = node.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def block_text(element: lxml.html.HtmlElement) -> str:
    """Visible text with paragraphs separated by a blank line and whitespace collapsed inside them."""
    parts: list[str] = []
    for event, node in lxml.etree.iterwalk(element, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS:
                parts.append("\n\n")
            elif tag == "br":
                parts.append("\n")
            if node.text and tag not in _NOISE_TAGS:
                parts.append(node.text)
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n\n")
            if node.tail and node is not element:
                parts.append(node.tail)
    return normalize_text("".join(parts))


def normalize_text(raw: str) -> str:
    """Collapse spaces within lines, keep single line breaks, at most one blank line between blocks."""
    paragraphs = re.split(r"\n\s*\n", raw.replace("\xa0", " "))
    cleaned = []
    for paragraph in paragraphs:
        lines = [" ".join(line.split()) for line in paragraph.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            cleaned.append(joined)
    return "\n\n".join(cleaned)


def safe_html(element: lxml.html.HtmlElement, base_url: str) -> str:
    """Inner HTML of `element` restricted to a small tag/attribute set, URLs absolute and safe."""
    clone = copy.deepcopy(element)
    for node in list(clone.iterdescendants()):
        if not isinstance(node.tag, str) or node.tag in _NOISE_TAGS:
            _drop_keep_tail(node)
    for node in list(clone.iterdescendants()):
        allowed = _ALLOWED_ATTRS.get(node.tag, set())
        for name in list(node.attrib):
            if name not in allowed:
                del node.attrib[name]
        for name in ("href", "src", "cite"):
            if name in node.attrib:
                url = _safe_url(node.attrib[name], base_url)
                if url is None:
                    del node.attrib[name]
                else:
                    node.attrib[name] = url
        if node.tag not in _ALLOWED_TAGS or (node.tag == "span"):
            node.drop_tag()
    # The leading text is plain text: escape it, or "&lt;img onerror=…&gt;" would come back as markup.
    inner = html.escape(clone.text or "", quote=False) + "".join(
        lxml.html.tostring(child, encoding="unicode", with_tail=True) for child in clone
    )
    return inner.strip()


def _safe_url(value: str, base_url: str) -> str | None:
    url = join_url(base_url, value.strip())  # None for "http://[bad": drop the attribute, keep the comment
    return url if url and url.lower().startswith(_SAFE_SCHEMES) else None


def text_and_html(content: lxml.html.HtmlElement, base_url: str) -> tuple[str, str]:
    """Clean text and sanitized HTML of a comment's content element."""
    cleaned = strip_noise(content)
    return block_text(cleaned), safe_html(cleaned, base_url)


def fragment_text_and_html(markup: str, base_url: str) -> tuple[str, str]:
    """Clean text and sanitized HTML of a comment body that an API hands over as an HTML string."""
    container = parse_html(f"<div>{markup}</div>").find(".//body/div")
    return text_and_html(container, base_url) if container is not None else ("", "")


def nonempty_str(value: object) -> str | None:
    """A JSON value that is a non-empty string, else None (API fields may hold anything)."""
    return value if isinstance(value, str) and value else None
