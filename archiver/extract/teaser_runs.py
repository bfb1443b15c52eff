"""Runs of teaser cards after a post: the "next post" / "more stories" thumbnails of a blog.

A card is a short box that opens with a heading linking to another page of this site, over an
excerpt (often with a picture linking to that page too); a run is two or more such boxes side by
side under one parent. Linked section headings of an article look the same, so a run counts as
teasers only when its excerpts say they are cut short: most end in an ellipsis ("[…]", "…") or
close with a second link to the card's page ("Read more", "READ THE REST", in any wording). A run
is dropped only once the story's prose has begun before it, so a listing page, which is all
cards, keeps its text for the page classifier.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import lxml.html

from archiver.extract.density import TreeStats, visible_text

# Headings that title a card (an <h1> is the page's own headline).
_CARD_HEADINGS = ("h2", "h3", "h4")
# Share of a heading's text that must be link text for it to be a card's title.
_LINKED_SHARE = 0.6
# A card is short; the text before its title a kicker ("Politics") at most.
_CARD_MAX = 600
_KICKER_CHARS = 30
# A paragraph of this much prose says the story has begun.
_PROSE_BEFORE_RUN = 80
# How an excerpt says it was cut: an ellipsis at its end, bracketed or not.
_CUT_MARKS = ("…", "...", "[…]", "[...]")

# The page a link leads to, made absolute, when it is another page of this site; else None.
Target = Callable[[str | None], str | None]


def teaser_run_cards(stats: TreeStats, container: lxml.html.HtmlElement,
                     target_of: Target) -> set[lxml.html.HtmlElement]:
    """The cards of every teaser run in `container` that follows the story's prose; `target_of`
    says where a link of this site leads (None for this page, other sites, non-links)."""
    titles = _card_titles(stats, container, target_of)
    if len(titles) < 2:
        return set()
    held = _targets_held(titles, container)
    runs: dict[lxml.html.HtmlElement, list[tuple[lxml.html.HtmlElement, str]]] = defaultdict(list)
    for title, target in titles.items():
        card = _card_of(stats, title, container, held)
        parent = card.getparent() if card is not None else None
        if card is not None and parent is not None and _opens_with(card, title):
            runs[parent].append((card, target))
    dropped: set[lxml.html.HtmlElement] = set()
    for members in runs.values():
        cards = _same_kind(members)
        if len(cards) >= 2 and _cut_short_run(cards, target_of) \
                and _after_prose(stats, container, cards[0][0]):
            dropped.update(card for card, _target in cards)
    return dropped


def _card_titles(stats: TreeStats, container: lxml.html.HtmlElement,
                 target_of: Target) -> dict[lxml.html.HtmlElement, str]:
    """Headings in `container` that are (mostly) a link to another page of this site, with the
    page each leads to (a link wrapping the heading counts too)."""
    titles: dict[lxml.html.HtmlElement, str] = {}
    for heading in container.iter(*_CARD_HEADINGS):
        own = stats.of(heading)
        wrapping = next(heading.iterancestors("a"), None)
        if wrapping is not None:
            href = wrapping.get("href")
        elif own.text and own.links >= _LINKED_SHARE * own.text:
            href = next((a.get("href") for a in heading.iter("a") if a.get("href")), None)
        else:
            continue
        target = target_of(href)
        if target is not None:
            titles[heading] = same_page_key(target)
    return titles


def _targets_held(titles: dict[lxml.html.HtmlElement, str], container: lxml.html.HtmlElement
                  ) -> dict[lxml.html.HtmlElement, set[str]]:
    """For every element between a title and the container, the pages its titles lead to."""
    held: dict[lxml.html.HtmlElement, set[str]] = defaultdict(set)
    for title, target in titles.items():
        for ancestor in title.iterancestors():
            if ancestor is container:
                break
            held[ancestor].add(target)
    return held


def _card_of(stats: TreeStats, title: lxml.html.HtmlElement, container: lxml.html.HtmlElement,
             held: dict[lxml.html.HtmlElement, set[str]]) -> lxml.html.HtmlElement | None:
    """The title's card: its largest ancestor below the container that leads to no other page and
    is short; None when the title stands alone (a linked section heading among paragraphs)."""
    card = None
    for ancestor in title.iterancestors():
        if ancestor is container or len(held.get(ancestor, ())) > 1 \
                or stats.of(ancestor).text > _CARD_MAX:
            break
        card = ancestor
    if card is None or card.tag == "a":
        return None
    return card


def _opens_with(card: lxml.html.HtmlElement, title: lxml.html.HtmlElement) -> bool:
    """No more than a kicker's text comes before the title inside the card."""
    before = 0
    around = set(title.iterancestors())
    for element in card.iter():
        if element is title:
            return True
        if not isinstance(element.tag, str):
            continue
        before += len((element.text or "").strip())
        if element not in around:
            before += len((element.tail or "").strip())
        if before > _KICKER_CHARS:
            return False
    return False


def _same_kind(members: list[tuple[lxml.html.HtmlElement, str]]
               ) -> list[tuple[lxml.html.HtmlElement, str]]:
    """The siblings of the most common tag among one parent's cards, each leading elsewhere."""
    by_tag: dict[str, list[tuple[lxml.html.HtmlElement, str]]] = defaultdict(list)
    seen: set[lxml.html.HtmlElement] = set()
    for card, target in members:
        if card not in seen:
            seen.add(card)
            by_tag[card.tag].append((card, target))
    cards = max(by_tag.values(), key=len)
    return cards if len({target for _card, target in cards}) == len(cards) else []


def _cut_short_run(cards: list[tuple[lxml.html.HtmlElement, str]], target_of: Target) -> bool:
    """At least two cards, and more than half of them, show an excerpt cut short (one ellipsis
    in an article's linked sections is a quotation trailing off)."""
    cut = sum(1 for card, target in cards if _cut_short(card, target, target_of))
    return cut >= 2 and 2 * cut > len(cards)


def _cut_short(card: lxml.html.HtmlElement, target: str, target_of: Target) -> bool:
    """The card's text ends in an ellipsis, or its last text link leads to the title's page."""
    if visible_text(card).endswith(_CUT_MARKS):
        return True
    anchors = [a for a in card.iter("a") if visible_text(a)]
    if len(anchors) < 2:
        return False
    last = target_of(anchors[-1].get("href"))
    return last is not None and same_page_key(last) == target


def _after_prose(stats: TreeStats, container: lxml.html.HtmlElement,
                 first_card: lxml.html.HtmlElement) -> bool:
    """A paragraph of prose outside the run comes before its first card."""
    inside = set(first_card.iterancestors())
    for paragraph in container.iter("p", first_card.tag):
        if paragraph is first_card:
            return False
        if paragraph.tag == "p" and paragraph not in inside \
                and stats.of(paragraph).prose >= _PROSE_BEFORE_RUN:
            return True
    return False


def same_page_key(url: str) -> str:
    """`url` without its fragment, tracking parameters (utm_*) and trailing slash: the title's
    link and the "read more" link of one card often differ only there."""
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not k.lower().startswith("utm_")])
    host = (parts.hostname or "").removeprefix("www.")
    return urlunsplit(("", host, parts.path.rstrip("/"), query, ""))
