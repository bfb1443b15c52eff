"""The shape of a page's markup, for the page classifier: running text versus repeated teasers.

An article page is one headline over a block of running text; a listing is a run of teasers, each a
heading that links to another page, maybe with an excerpt. Body extraction has already found the
block of running text (`Body.node`), so the questions here are cheap: how much text is there, do
teaser titles (headings and headline links to other pages of the site) sit inside the block and
around it, and is the page a form (login, contact) rather than text.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urldefrag

import lxml.html

from archiver.extract.document import Document, element_text
from archiver.extract.sites import site_of_host
from archiver.values import join_url

_HEADINGS = ("h1", "h2", "h3", "h4")
# A headline link outside a heading: this many words, between these lengths, standing alone in
# one of these blocks (or wrapping one).
_HEADLINE_WORDS = 4
_HEADLINE_CHARS = (20, 250)
_TITLE_BLOCKS = frozenset({"div", "header"})
# Levels above the body block searched for the heading over it (wrapper of a wrapper of a card).
_HEADLINE_LEVELS = 3
# Share of a heading's text that must be link text for the heading to be a teaser title.
_LINKED_SHARE = 0.6
# Text before a card's title: a kicker ("Politics", "Opinion | Analysis") at most.
_KICKER_CHARS = 30
# Form fields a person fills in (a search box or a newsletter field alone is not a form page).
_FIELD_XPATH = (".//input[not(@type) or @type='text' or @type='email' or @type='password' "
                "or @type='tel']|.//textarea")


@dataclass(frozen=True)
class PageShape:
    """What the markup says, in numbers the classifier compares (see pagetype.py)."""

    text_chars: int  # body text outside figure captions
    headline: str  # the heading over the body text: "plain", "teaser" (links elsewhere) or "none"
    headline_words: int  # words of the first <h1> (else <h2>) that is not a teaser title (0: none)
    repeated: bool  # that teaser sits among sibling teasers (a run of cards)
    body_teasers: int  # teaser titles inside the body block
    body_teaser_share: float  # share of the body block's text inside those teasers
    form_page: bool  # a login or contact form of several fields outside the comment section


def _normalized(url: str) -> str:
    url = urldefrag(url)[0].split("://", 1)[-1]
    return url.removeprefix("www.").rstrip("/")


def _own_urls(doc: Document) -> set[str]:
    """The page's own addresses, and the site's home page (a heading linking home is the site's
    name): a headline linking to one of these is not a teaser."""
    declared = [*doc.tree.xpath("//link[@rel='canonical']/@href"), doc.meta_first("og:url") or ""]
    urls = {_normalized(doc.url)} | {url for url in (_joined(doc, href.strip()) for href in declared) if url}
    return urls | {url.split("/", 1)[0] for url in urls}


def _site(normalized_url: str) -> str:
    """The site a normalized URL ("host/path", no scheme) belongs to (sites.site_of_host)."""
    return site_of_host(normalized_url.split("/", 1)[0])


def _link_target(heading: lxml.html.HtmlElement, doc: Document) -> str | None:
    """Where a heading links to when it is (mostly) a link, else None."""
    text_length = len(element_text(heading))
    if not text_length:
        return None
    wrapping = next(heading.iterancestors("a"), None)
    if wrapping is not None and wrapping.get("href"):
        href = wrapping.get("href") or ""
    else:
        anchors = [a for a in heading.iter("a") if a.get("href")]
        if not anchors or sum(len(element_text(a)) for a in anchors) < _LINKED_SHARE * text_length:
            return None
        href = anchors[0].get("href") or ""
    return _href_target(doc, href)


def _href_target(doc: Document, href: str) -> str | None:
    """The normalized page a link leads to; None for in-page and script links."""
    href = href.strip()
    if href.startswith(("#", "javascript:")):
        return None
    return _joined(doc, href)


def _joined(doc: Document, href: str) -> str | None:
    """`href` resolved against the page and normalized; None when empty or unparsable
    (`http://[broken`: one bad link must not cost the page its record)."""
    target = join_url(doc.url, href) if href else None
    return _normalized(target) if target else None


def teaser_titles(doc: Document, own: set[str], sites: set[str]) -> dict[lxml.html.HtmlElement, str]:
    """Titles of teasers and the page each links to: headings that link to another page than the
    page's `own` addresses, and headline links outside headings (`<div class="title"><a>…</a></div>`,
    `<a><div>…</div></a>`) that lead to one of the page's `sites`."""
    # A link standing alone outside a heading is a teaser title only when it leads to the site's
    # own pages: "Full results at <other site>" in an article is a reference.
    titles: dict[lxml.html.HtmlElement, str] = {}
    for heading in doc.tree.iter(*_HEADINGS):
        target = _link_target(heading, doc)
        if target is not None and target not in own:
            titles[heading] = target
    for anchor in doc.tree.iter("a"):
        title = _headline_link(anchor)
        if title is None or title in titles or next(title.iterancestors(*_HEADINGS), None) is not None:
            continue
        target = _href_target(doc, anchor.get("href") or "")
        if target is not None and target not in own and _site(target) in sites:
            titles[title] = target
    return titles


def _headline_link(anchor: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The element a headline link stands for: a block holding only the link, or the link itself
    when it wraps a block; None for links inside text and short labels ("More", "Sports")."""
    if not anchor.get("href"):
        return None
    parent = anchor.getparent()
    if any(child.tag in _TITLE_BLOCKS for child in anchor):
        title = anchor
    elif parent is not None and parent.tag in _TITLE_BLOCKS and len(parent) == 1 \
            and not (parent.text or "").strip() and not (anchor.tail or "").strip():
        title = parent
    else:  # the structural test first: most links of a page are menus and links inside text
        return None
    text = element_text(anchor)
    if not _HEADLINE_CHARS[0] <= len(text) <= _HEADLINE_CHARS[1] or text.count(" ") < _HEADLINE_WORDS - 1:
        return None
    return title


def _title_counts(titles: dict[lxml.html.HtmlElement, str]) -> dict[lxml.html.HtmlElement, int]:
    """For every ancestor of a teaser title, how many teasers it holds: titles linking to
    different pages (a card's image, title and "Continue reading" link are one teaser)."""
    targets: dict[lxml.html.HtmlElement, set[str]] = {}
    for title, target in titles.items():
        for ancestor in title.iterancestors():
            targets.setdefault(ancestor, set()).add(target)
    return {ancestor: len(held) for ancestor, held in targets.items()}


def _card(title: lxml.html.HtmlElement, counts: dict[lxml.html.HtmlElement, int],
          stops: set[lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    """The card of a teaser title: its largest ancestor holding no other title, below `stops`
    (the body block, or the block and its ancestors when the card is outside it)."""
    card = title
    for ancestor in title.iterancestors():
        if counts.get(ancestor, 0) > 1 or ancestor in stops or ancestor.tag in ("body", "html"):
            break
        card = ancestor
    return card


def _card_chars(title: lxml.html.HtmlElement, counts: dict[lxml.html.HtmlElement, int],
                stops: set[lxml.html.HtmlElement], titles: set[lxml.html.HtmlElement]) -> int:
    """Characters of a title's card when the title opens it (a teaser, or a whole post on a blog's
    home page); a section of an article that merely holds a link title counts the title only."""
    card = _card(title, counts, stops)
    if card is title or _leads(card, titles):
        return len(element_text(card))
    return len(element_text(title))


def _body_card(node: lxml.html.HtmlElement, counts: dict[lxml.html.HtmlElement, int],
               titles: set[lxml.html.HtmlElement]) -> lxml.html.HtmlElement | None:
    """The teaser card the body block is the excerpt of, or None.

    The nearest ancestor of the block (a few levels up) that holds a title must hold exactly one,
    placed before the block and outside it, and no plain <h1>: an article's headline is not a
    link to another page, and a video box or "more on" box inside the text is not its title.
    """
    if counts.get(node, 0) == 1 and _leads(node, titles):
        return node
    ancestor = node.getparent()
    for _level in range(_HEADLINE_LEVELS):
        if ancestor is None or ancestor.tag in ("body", "html"):
            return None
        held = counts.get(ancestor, 0)
        if held > 1:
            return None
        if held == 1:
            return ancestor if _titles_block(ancestor, node, titles) else None
        ancestor = ancestor.getparent()
    return None


def _leads(node: lxml.html.HtmlElement, titles: set[lxml.html.HtmlElement]) -> bool:
    """The block itself is a card: its one title opens it (a kicker at most before it), at most
    two levels down (`<article><header><h2><a>`), not inside a box of its own such as a video."""
    before = 0
    for element in node.iter():
        if element in titles:
            depth = sum(1 for _ in itertools.takewhile(lambda a: a is not node, element.iterancestors()))
            return depth <= 1
        if not isinstance(element.tag, str):
            continue
        before += len((element.text or "").strip()) + len((element.tail or "").strip())
        if before > _KICKER_CHARS:
            return False
    return False


def _titles_block(card: lxml.html.HtmlElement, node: lxml.html.HtmlElement,
                  titles: set[lxml.html.HtmlElement]) -> bool:
    """In document order the card's title comes before the block, with no plain h1 anywhere and
    no plain heading of the title's rank or higher between them."""
    title_rank = 0
    for element in card.iter():
        if element is node:
            return bool(title_rank)
        if element in titles:
            title_rank = int(element.tag[1]) if element.tag in _HEADINGS else 9
        elif element.tag == "h1" or (title_rank and element.tag in _HEADINGS
                                     and int(element.tag[1]) <= title_rank):
            return False  # a headline of the card's own rank after its title: the article's
    return False


def _repeated(card: lxml.html.HtmlElement, counts: dict[lxml.html.HtmlElement, int],
              titles: set[lxml.html.HtmlElement]) -> bool:
    """Two more siblings of the card's kind that hold titles: a run of cards."""
    parent = card.getparent()
    if parent is None:
        return False
    like = [sibling for sibling in parent if sibling is not card and sibling.tag == card.tag
            and (counts.get(sibling, 0) >= 1 or sibling in titles)]
    return len(like) >= 2


def _first_plain(doc: Document, tag: str, titles: set[lxml.html.HtmlElement]) -> lxml.html.HtmlElement | None:
    """The first heading of this rank that is not a teaser title (pages without <h1> put their
    headline, or their section label, in the first <h2>)."""
    return next((h for h in doc.tree.iter(tag) if h not in titles and element_text(h)), None)


def _leads_home(card: lxml.html.HtmlElement, titles: dict[lxml.html.HtmlElement, str],
                sites: set[str]) -> bool:
    """The card's title leads to a page of this site (a teaser), not elsewhere (a link post)."""
    title = next((element for element in card.iter() if element in titles), None)
    if title is None:
        return False
    return _site(titles[title]) in sites


def _walk_up(element: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    yield element
    yield from element.iterancestors()


def _caption_chars(node: lxml.html.HtmlElement) -> int:
    return sum(len(element_text(caption)) for caption in node.iter("figcaption"))


def _form_page(doc: Document, comment_nodes: set[lxml.html.HtmlElement]) -> bool:
    for form in doc.tree.iter("form"):
        if len(form.xpath(_FIELD_XPATH)) < 2:
            continue
        markers, in_comments = [], False
        for element in _walk_up(form):
            markers.append(f"{element.get('id') or ''} {element.get('class') or ''}")
            in_comments = in_comments or element in comment_nodes
        label = " ".join(markers).lower()
        if "comment" in label or "respond" in label or in_comments:
            continue
        return True
    return False


def page_shape(doc: Document, body_text: str, body_node: lxml.html.HtmlElement | None,
               comment_nodes: set[lxml.html.HtmlElement] | None = None) -> PageShape:
    """Measure the page around its extracted body (`body_text` found in `body_node`)."""
    own = _own_urls(doc)
    sites = {_site(url) for url in own}
    titles = teaser_titles(doc, own, sites)
    counts = _title_counts(titles)
    title_set = set(titles)
    inside: set[lxml.html.HtmlElement] = set(body_node.iter()) if body_node is not None else set()
    body_titles = [title for title in titles if title in inside]
    node_chars = len(element_text(body_node)) if body_node is not None else 0
    node_stop = {body_node} if body_node is not None else set()
    in_cards = sum(_card_chars(t, counts, node_stop, title_set) for t in body_titles)
    headline, repeated = "none", False
    plain_h1 = _first_plain(doc, "h1", title_set)
    if plain_h1 is None:
        plain_h1 = _first_plain(doc, "h2", title_set)
    if body_node is not None:
        card = _body_card(body_node, counts, title_set)
        repeated = card is not None and _repeated(card, counts, title_set)
        if card is not None and (repeated or _leads_home(card, titles, sites)):
            headline = "teaser"
        elif plain_h1 is not None or card is not None:
            headline = "plain"  # a link post: one title leading to another site, over its text
    captions = _caption_chars(body_node) if body_node is not None else 0
    return PageShape(
        text_chars=max(len(body_text) - captions, 0),
        headline=headline,
        headline_words=len(element_text(plain_h1).split()) if plain_h1 is not None else 0,
        repeated=repeated,
        body_teasers=len(body_titles),
        body_teaser_share=min(in_cards / node_chars, 1.0) if node_chars else 0.0,
        form_page=_form_page(doc, comment_nodes or set()),
    )
