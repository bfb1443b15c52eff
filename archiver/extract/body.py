"""Main article text (`body`) and its minimal clean HTML (`body_html`).

Three steps over the parsed tree, which is never mutated (so nothing is copied):
1. `density.compute_stats`: text, link and prose lengths of every element in one bottom-up pass;
2. `container.choose_container`: which element holds the article (readability-style scoring);
3. `cleanhtml.Renderer` walks that element and writes text and HTML, skipping whatever `_Pruner`
   calls furniture: never-text tags, class/id words (boilerplate.py), hidden or link-dense
   blocks, short ad labels and calls to action, runs of other stories' teaser cards after the
   story (teaser_runs.py), and the comment sections passed in `exclude`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

import lxml.html

from archiver.extract.boilerplate import (
    BLOCK_TAGS,
    DISCLOSURE_MAX,
    FURNITURE_ANYWHERE_MAX,
    FURNITURE_TEXT_MAX,
    SKIP_TAGS,
    class_words,
    is_byline,
    is_disclosure,
    is_furniture_note,
    is_furniture_text,
    is_hidden,
    is_shouting_link,
    looks_like_boilerplate,
)
from archiver.extract.cleanhtml import Renderer
from archiver.extract.comment_edges import comment_edges
from archiver.extract.container import choose_container
from archiver.extract.density import Stats, TreeStats, compute_stats, visible_text
from archiver.extract.document import Document
from archiver.extract.sites import site_of_host
from archiver.extract.structured import article_body
from archiver.extract.teaser_runs import teaser_run_cards
from archiver.values import join_url

_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th", "li", "caption"})
# A paragraph, heading or table cell that is all link is still content (a product heading linking
# to the shop); link-dense *containers* are link lists.
_LINK_DENSE_OK = _TABLE_PARTS | {"p", "h2", "h3", "h4", "h5", "h6"}
# Table parts and list items inherit their table's/list's fate; figures and their captions only
# reach body_html, where a "caption" or "gallery" class is exactly what they are.
_CLASS_WORDS_EXEMPT = _TABLE_PARTS | {"figure", "figcaption"}
_TEASER_LINK_SHARE = 0.8
# An element holding more than this share of the container's text is never pruned as furniture:
# a class word on the article's own wrapper ("post-content comments-open") must not empty it.
_KEEP_SHARE = 0.5
# ... nor one holding this share of its prose ("post category-news tag-x" around the text).
_KEEP_PROSE_SHARE = 0.4
# A paragraph that is one link to another page of the same site, and no longer than a headline,
# is a teaser of another story set between the paragraphs ("5 healthy eating tips for travelers");
# a headline has a few words, a one-word link ("Disclaimer") is a note of this article.
_STORY_LINK_MAX = 150
_STORY_LINK_MIN_WORDS = 4
_STORY_LINK_SHARE = 0.95
_CARD_MAX = 600
# An element that microdata marks as the article's publication/modification date, this short,
# is the date line (schema.org's properties), not text of the story.
_DATE_PROPS = frozenset({"datepublished", "datemodified", "datecreated", "uploaddate"})
_DATE_LINE_MAX = 80
_DATE_SLACK = 3
# A paragraph of this much prose says the story has begun (an <h1> after it is not its headline).
_PROSE_BEFORE_BOX = 80
# A short block holding a link classed "follow-button" or "subscribe-btn" is a call to action.
_CALL_WORDS = frozenset({"follow", "subscribe", "subscription", "signup", "newsletter"})
_CONTROL_WORDS = frozenset({"button", "btn"})
# Class words of the <blockquote> that Instagram's and TikTok's embed codes ship with the post.
_SOCIAL_POST_WORDS = frozenset({"instagram", "tiktok"})


@dataclass
class Body:
    text: str
    html: str
    # The element of `Document.tree` holding the article content (None when nothing was found);
    # media extraction uses it to decide `in_body`.
    node: lxml.html.HtmlElement | None


def _short_link_list(element: lxml.html.HtmlElement) -> bool:
    """One or two linked items between paragraphs ("Get it on Amazon for $39") belong to the
    text; link lists of related stories run longer."""
    return element.tag in ("ul", "ol") and len(element) <= 2


def _anchors(element: lxml.html.HtmlElement) -> int:
    return sum(1 for _ in element.iter("a"))


def _site(url: str) -> str:
    """The site (registrable domain) of `url`; "" when it has no host or cannot be parsed (a page
    saved under a malformed URL is still extracted)."""
    try:
        return site_of_host(urlsplit(url).hostname or "")
    except ValueError:
        return ""


def _holds_call_button(element: lxml.html.HtmlElement) -> bool:
    """A follow/subscribe button (a link or button classed as both, as social widgets and
    newsletter forms mark theirs) makes the short block around it a call to action, not text."""
    for control in element.iter("a", "button"):
        words = set(class_words(control))
        if words & _CALL_WORDS and words & _CONTROL_WORDS:
            return True
    return False


def _post_paragraphs(quote: lxml.html.HtmlElement) -> dict[lxml.html.HtmlElement, bool]:
    """For an embedded Instagram/TikTok post: every element under it, True for its paragraphs
    (the post's caption and its "A post shared by ... on <date>" line, quoted like a tweet's text)
    and the boxes leading to them; False for the rest (the "View this post" placeholder card)."""
    kept: set[lxml.html.HtmlElement] = set()
    for paragraph in quote.iter("p"):
        kept.add(paragraph)
        kept.update(paragraph.iterdescendants())
        for ancestor in paragraph.iterancestors():
            if ancestor is quote:
                break
            kept.add(ancestor)
    return {element: element in kept for element in quote.iterdescendants()}


def _boxes_titled_by_h1(stats: TreeStats, container: lxml.html.HtmlElement
                        ) -> set[lxml.html.HtmlElement]:
    """Short boxes that an <h1> titles after the story's prose has begun: a page has one
    headline, so a later top-level heading opens another unit (a donation appeal, a "next
    article" or "comment on this" box), not a section of the story. Each is the largest
    ancestor of that <h1> below the container with at most _CARD_MAX characters. None when the
    page uses <h1> for its sections (one stands among the story's paragraphs, in no short box)
    or when the boxes would hold half the container's text."""
    if container.find(".//h1") is None:
        return set()
    boxes: set[lxml.html.HtmlElement] = set()
    prose_seen = False
    for element in container.iter("p", "h1"):
        if element.tag == "p":
            prose_seen = prose_seen or stats.of(element).prose >= _PROSE_BEFORE_BOX
            continue
        if not prose_seen:
            continue
        box = _short_box(stats, element, container)
        if box is None:
            return set()
        boxes.add(box)
    boxed = sum(stats.of(box).text for box in boxes)
    return boxes if boxed <= _KEEP_SHARE * stats.of(container).text else set()


def _short_box(stats: TreeStats, heading: lxml.html.HtmlElement, container: lxml.html.HtmlElement
               ) -> lxml.html.HtmlElement | None:
    box = None
    for ancestor in heading.iterancestors():
        if ancestor is container or stats.of(ancestor).text > _CARD_MAX:
            break
        box = ancestor
    return box


def _is_social_post(quote: lxml.html.HtmlElement) -> bool:
    return bool(_SOCIAL_POST_WORDS.intersection(class_words(quote)))


def _holds_quoted_post(element: lxml.html.HtmlElement) -> bool:
    """An embedded tweet or Instagram/TikTok post is quoted article text even inside a
    "video"/"social" embed box or a wrapper made link-dense by the embed's links."""
    return any("tweet" in (quote.get("class") or "") or _is_social_post(quote)
               for quote in element.iter("blockquote"))


class _Pruner:
    """Decides, element by element inside the container, what is article content."""

    def __init__(self, stats: TreeStats, container: lxml.html.HtmlElement,
                 excluded: set[lxml.html.HtmlElement], url: str) -> None:
        self.stats = stats
        self.url = url
        self.page = url.split("#")[0]
        self.site = _site(url)
        self.excluded = excluded
        self.total = max(stats.of(container).text, 1)
        self.prose = max(stats.of(container).prose, 1)
        # The furniture header ("You may also like...") just dropped: the link-only paragraphs
        # following it are its teaser list.
        self.teaser_header: lxml.html.HtmlElement | None = None
        # Verdicts for the elements under an embedded social post, set when the post is met.
        self.post_parts: dict[lxml.html.HtmlElement, bool] = {}
        self.titled_boxes = _boxes_titled_by_h1(stats, container)
        self.teaser_runs = teaser_run_cards(stats, container, self._site_page)

    def _hover_card(self, element: lxml.html.HtmlElement, own: Stats) -> bool:
        """A hover card inside a paragraph: a portrait plus links to the person's stories. Only
        the innermost such span goes, so the name it decorates stays in the sentence."""
        if not self._portrait_links(element, own):
            return False
        return not any(self._portrait_links(span, self.stats.of(span))
                       for span in element.iterdescendants("span"))

    @staticmethod
    def _portrait_links(element: lxml.html.HtmlElement, own: Stats) -> bool:
        return own.links * 2 >= own.text > 0 and element.find(".//img") is not None

    def _in_teaser_list(self, element: lxml.html.HtmlElement, own: Stats) -> bool:
        header = self.teaser_header
        if header is None or element is header or element.getparent() is not header.getparent():
            return False
        if own.text and own.links >= _TEASER_LINK_SHARE * own.text:
            return True
        self.teaser_header = None
        return False

    def _story_teaser(self, element: lxml.html.HtmlElement, own: Stats) -> bool:
        """A paragraph that is nothing but one link to another page of this site (any of its
        subdomains: a news site's money.* or edition.* section is the same publisher)."""
        if element.tag != "p" or not 0 < own.text <= _STORY_LINK_MAX \
                or own.links < _STORY_LINK_SHARE * own.text:
            return False
        anchors = list(element.iter("a"))
        if len(anchors) != 1 or len(visible_text(element).split()) < _STORY_LINK_MIN_WORDS:
            return False
        return self._site_page(anchors[0].get("href")) is not None

    def _site_page(self, href: str | None) -> str | None:
        """`href` made absolute when it leads to another page of this site (any of its
        subdomains) other than the home page, else None."""
        target = self._other_page(href)
        if not target or not self.site or _site(target) != self.site:
            return None
        return target if urlsplit(target).path.strip("/") != "" else None

    def _teaser_card(self, element: lxml.html.HtmlElement, own: Stats) -> bool:
        """A short box of another story: its headline link, an excerpt, and a closing "read
        more" link (a furniture phrase) to that story."""
        if element.tag not in ("div", "section", "article") or not 0 < own.text <= _CARD_MAX:
            return False
        anchors = [a for a in element.iter("a") if visible_text(a).strip()]
        if len(anchors) < 2:
            return False
        last = anchors[-1]
        return self._other_page(last.get("href")) is not None and is_furniture_text(visible_text(last).strip())

    def _other_page(self, href: str | None) -> str | None:
        """`href` made absolute when it leads to another page than this one (not merely to
        another place on it), else None."""
        target = join_url(self.url, href)
        return target if target is not None and target.split("#")[0] != self.page else None

    def _date_line(self, element: lxml.html.HtmlElement) -> bool:
        """A short date element standing as its own line; one inside a sentence ("Updated on
        <time>5 May</time> after ...") is part of the sentence."""
        length = self.stats.of(element).text
        if length > _DATE_LINE_MAX:
            return False
        if element.tag in BLOCK_TAGS:
            return True
        block = next((a for a in element.iterancestors() if a.tag in BLOCK_TAGS), None)
        return block is None or self.stats.of(block).inline_text <= length + _DATE_SLACK

    def _share(self, element: lxml.html.HtmlElement) -> float:
        return self.stats.of(element).text / self.total

    def __call__(self, element: lxml.html.HtmlElement) -> bool:
        tag = element.tag
        if not isinstance(tag, str) or element in self.excluded:
            return False
        if element in self.post_parts:
            return self.post_parts[element]
        if element in self.titled_boxes or element in self.teaser_runs:
            return False
        if tag == "blockquote" and _is_social_post(element):
            self.post_parts.update(_post_paragraphs(element))
        if tag in SKIP_TAGS:
            return tag in ("form", "aside", "footer") and self._share(element) > _KEEP_SHARE
        if (element.get("itemprop") or "").lower() in _DATE_PROPS and self._date_line(element):
            return False
        if tag not in BLOCK_TAGS and tag != "span":
            return tag != "a" or not is_hidden(element)
        own = self.stats.of(element)
        share = own.text / self.total
        if tag == "h1":
            return False
        if is_hidden(element):
            return share > _KEEP_SHARE
        if tag not in _CLASS_WORDS_EXEMPT and looks_like_boilerplate(element):
            return (share > _KEEP_SHARE or own.prose > _KEEP_PROSE_SHARE * self.prose
                    or _holds_quoted_post(element)
                    or (own.text <= DISCLOSURE_MAX and is_disclosure(visible_text(element))))
        if tag == "span":
            return not self._hover_card(element, own)
        if self._in_teaser_list(element, own) or self._story_teaser(element, own) \
                or self._teaser_card(element, own):
            return False
        if 0 < own.text <= FURNITURE_TEXT_MAX and tag not in _TABLE_PARTS:
            text = visible_text(element)
            if is_furniture_text(text):
                self.teaser_header = element
                return False
            if is_shouting_link(text, own.links / own.text) or is_byline(text):
                return False
        if 0 < own.text <= FURNITURE_ANYWHERE_MAX and tag not in _TABLE_PARTS \
                and (is_furniture_note(visible_text(element)) or _holds_call_button(element)):
            return False
        if own.text and own.links / own.text > 0.5 and tag not in _LINK_DENSE_OK \
                and not _short_link_list(element) and not _holds_quoted_post(element):
            return False
        if tag in ("td", "th") and own.links > 0.8 * own.text > 0 and _anchors(element) >= 3:
            return False  # the navigation column of a table layout
        return True


def _from_structured_data(doc: Document) -> Body:
    """Pages that render their text by script still often publish it as JSON-LD articleBody."""
    published = article_body(doc) or ""
    paragraphs = [" ".join(line.split()) for line in published.splitlines()]
    paragraphs = [p for p in paragraphs if p]
    html = "".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs)
    return Body(text="\n\n".join(paragraphs), html=html, node=None)


def extract_body(doc: Document, exclude: Sequence[lxml.html.HtmlElement] = ()) -> Body:
    """The article text of `doc` as plain paragraphs and minimal clean HTML; `exclude` (comment
    sections found by the comment extractor) never contributes text."""
    body = doc.tree.find("body")
    if body is None:
        return _from_structured_data(doc)
    excluded = set(exclude)
    stats = compute_stats(body)
    container = choose_container(stats, excluded)
    if container is None:
        return _from_structured_data(doc)
    excluded |= comment_edges(stats, container, exclude)
    renderer = Renderer(doc.url, _Pruner(stats, container, excluded, doc.url))
    # Loose text runs ("Advertisement" between two <p>) never met the pruner as elements.
    # Loose inline runs (a <small> date line, a <span> editor credit) get the same word checks.
    blocks = [block for block in renderer.render([container])
              if not is_furniture_text(block.text) and not is_furniture_note(block.text)]
    text = "\n\n".join(block.text for block in blocks if block.text)
    html = "".join(block.html for block in blocks)
    return Body(text=text, html=html, node=container)
