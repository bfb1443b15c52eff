"""Which element of the page holds the article: readability-style scoring over one stats pass.

Each block of prose gives points to its parent (full), grandparent (half) and great-grandparent
(a sixth); a block of <br>-separated text (Blogger, old CMSs) also scores itself. Class/id words,
semantic tags and `itemprop=articleBody` weight the candidates, link density discounts them and the
square root of the prose underneath rewards volume. The winner then absorbs article sections that
the page split apart (same-classed siblings, near-equal rivals under one ancestor), but never
separate items such as forum posts or comments.
"""

from __future__ import annotations

import re

import lxml.html

from archiver.extract.boilerplate import BLOCK_TAGS, SKIP_TAGS, class_weight
from archiver.extract.density import Stats, TreeStats

_TAG_BONUS = {"article": 10, "main": 5, "div": 5, "section": 3, "td": 3, "blockquote": 3,
              "pre": 3, "form": -3, "ol": -3, "ul": -3, "li": -3, "dl": -3, "dd": -3,
              "h1": -5, "h2": -5, "h3": -5, "h4": -5, "th": -5, "header": -5, "footer": -10,
              "nav": -20, "aside": -20}
_CANDIDATE_SKIP = SKIP_TAGS | {"h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "dt", "caption"}
# Blocks that are one paragraph however many <br> they hold (a layout <td> full of <br>-separated
# text is a container, so td is not listed).
_TEXT_BLOCK_TAGS = frozenset({"p", "pre", "blockquote", "li", "dd"})
_ARTICLE_MARKERS = (("itemprop", "articlebody"), ("itemprop", "text"))
# Readability's points cap each paragraph's length; the square root of all prose underneath keeps
# a 95-character "content" box from beating a 3,000-character article with a busy link density.
_PROSE_WEIGHT = 0.35
# A rival within this share of the winner's score is "near-equal" (readability uses 0.75 too).
_RIVAL_SHARE = 0.75
# Sections split apart by ads sit a few levels up from each other (wrappers of wrappers).
_SECTION_SEARCH_LEVELS = 7
# Near-equal rivals are sections of one article only when they and the winner hold this share
# of the prose of the ancestor that would join them.
_JOIN_COVER = 0.5
_SECTION_MIN_PROSE = 200
_NUMBERED_ID = re.compile(r"\d{3,}")
# A candidate in page chrome, or at most this many levels inside an item of a listing of at least
# _LISTING_ITEMS alike items with prose, counts for _ASIDE_SHARE of its score.
_LISTING_LEVELS = 5
_ITEM_TAGS = frozenset({"li", "article"})
_HEADLINE_WORDS = 4
_LISTING_ITEMS = 3
_LISTING_ITEM_PROSE = 100
_ASIDE_SHARE = 0.5
_CHROME_TAGS = frozenset({"footer", "nav", "aside"})


def choose_container(stats: TreeStats, excluded: set[lxml.html.HtmlElement]
                     ) -> lxml.html.HtmlElement | None:
    """The element holding the article, or None when no block of prose was found."""
    scores = _score_candidates(stats)
    items = _listing_items(stats)
    ranked = sorted(
        ((element, score * (_ASIDE_SHARE if _outside_article(element, items) else 1.0))
         for element, score in scores.items()
         if element.tag not in _CANDIDATE_SKIP and element not in excluded
         and not _inside(element, excluded)),
        key=lambda item: -item[1])
    if not ranked or ranked[0][1] <= 0:
        return None
    top, top_score = ranked[0]
    top = _common_ancestor_of_rivals(top, top_score, ranked[1:6], stats)
    return _join_sections(top, stats)


def _listing_items(stats: TreeStats) -> set[lxml.html.HtmlElement]:
    """<li> and <article> elements with prose and a headline link whose tag and class repeat at
    least _LISTING_ITEMS times on the page: the items of a listing (related stories, "don't miss",
    a teaser column), except one that outweighs all the others together."""
    by_kind: dict[tuple[str, str], list[lxml.html.HtmlElement]] = {}
    for element in stats.order:
        if element.tag in _ITEM_TAGS and stats.of(element).prose >= _LISTING_ITEM_PROSE \
                and _headline_link(element):
            by_kind.setdefault((str(element.tag), " ".join((element.get("class") or "").split())), []).append(element)
    listed: set[lxml.html.HtmlElement] = set()
    for items in by_kind.values():
        if len(items) < _LISTING_ITEMS:
            continue
        total = sum(stats.of(item).prose for item in items)
        # One item holding most of the prose is the page's article among small alike teasers
        # (<article> for the story and for each "more stories" card): not a listing item.
        listed.update(item for item in items if stats.of(item).prose * 2 <= total)
    return listed


def _headline_link(item: lxml.html.HtmlElement) -> bool:
    """Whether `item` opens with a link to another page worded like a headline (four words or
    more in its text or title, within its first two links): a teaser card. A forum post opens
    with its author's one- or two-word name; the posts of a thread are not a listing."""
    opening = [link for link in item.iter("a") if (link.get("href") or "#")[:1] != "#"][:2]
    return any(max(len(link.text_content().split()), len((link.get("title") or "").split())) >= _HEADLINE_WORDS
               for link in opening)


def _outside_article(element: lxml.html.HtmlElement, items: set[lxml.html.HtmlElement]) -> bool:
    """Whether `element` lies in a <footer>, <nav> or <aside>, or (a few levels deep) in one item
    of a listing. A box there can outscore a short article by its class words alone (a footer
    contact box named "textpic-text", a teaser's "entry-content"), but the page's article is
    neither page chrome nor one of several alike items."""
    for level, node in enumerate([element, *element.iterancestors()]):
        if node.tag in ("body", "html"):
            break
        if node.tag in _CHROME_TAGS or (level <= _LISTING_LEVELS and node in items):
            return True
    return False


def _paragraph_score(stats: Stats) -> float:
    """Points one paragraph is worth: longer and comma-rich prose scores more, links less."""
    density = stats.inline_links / stats.inline_text if stats.inline_text else 1.0
    if density > 0.5:
        return 0.0
    return (1 + min(stats.commas, 20) + min(stats.inline_text / 100, 3)) * (1 - density)


def _br_count(element: lxml.html.HtmlElement) -> int:
    """<br> that break this block's own text, also inside inline wrappers such as <font>."""
    count = 0
    for child in element:
        if child.tag == "br":
            count += 1
        elif isinstance(child.tag, str) and child.tag not in BLOCK_TAGS:
            count += _br_count(child)
    return count


def _initial_score(element: lxml.html.HtmlElement) -> float:
    tag = element.tag
    score = float(_TAG_BONUS.get(tag, 0)) + 25 * class_weight(element)
    for attribute, value in _ARTICLE_MARKERS:
        if (element.get(attribute) or "").lower() == value:
            score += 50
    return score


def _score_candidates(stats: TreeStats) -> dict[lxml.html.HtmlElement, float]:
    scores: dict[lxml.html.HtmlElement, float] = {}
    for element in stats.order:
        tag = element.tag
        if tag not in BLOCK_TAGS or tag in SKIP_TAGS:
            continue
        own = stats.by_element[element]
        if own.inline_text < 25:
            continue
        points = _paragraph_score(own)
        if not points:
            continue
        # A div that holds several <br>-separated runs of text (Blogger, old CMSs) is itself the
        # article container; any other block of text is a paragraph scoring its ancestors.
        targets = [element] if tag not in _TEXT_BLOCK_TAGS and _br_count(element) >= 2 else []
        ancestor = element.getparent()
        level_targets: list[lxml.html.HtmlElement] = []
        while ancestor is not None and len(level_targets) < 3:
            level_targets.append(ancestor)
            ancestor = ancestor.getparent()
        targets += level_targets
        levels = [0] * (len(targets) - len(level_targets)) + list(range(len(level_targets)))
        for level, target in zip(levels, targets, strict=True):
            if target not in scores:
                scores[target] = _initial_score(target)
            scores[target] += points / (1 if level == 0 else 2 if level == 1 else level * 3)
    for element, score in scores.items():
        own = stats.by_element.get(element) or Stats()
        density = own.links / own.text if own.text else 1.0
        scores[element] = score * (1 - density) + _PROSE_WEIGHT * own.prose ** 0.5
    return scores


def _common_ancestor_of_rivals(top: lxml.html.HtmlElement, top_score: float,
                                     others: list[tuple[lxml.html.HtmlElement, float]],
                                     stats: TreeStats) -> lxml.html.HtmlElement:
    """Articles split into sibling sections score each section alone; when three near-equal
    candidates share an ancestor with the winner, and they hold most of its prose, that ancestor
    is the article. Teaser intros scattered over the page score like the story's sections too,
    but the ancestor they share is the whole page, full of other prose."""
    top_ancestors = set(top.iterancestors())
    close = [element for element, score in others if score >= _RIVAL_SHARE * top_score
             and element not in top_ancestors and top not in element.iterancestors()]
    if len(close) < 2:
        return top
    ancestor_sets = [set(element.iterancestors()) for element in close]
    for ancestor in top.iterancestors():
        if ancestor.tag in ("body", "html"):
            break
        sharing = [element for element, ancestors in zip(close, ancestor_sets, strict=True)
                   if ancestor in ancestors]
        if len(sharing) >= 2:
            if any(_separate_items(top, element) for element in sharing):
                return top
            joined = stats.of(top).prose + sum(stats.of(element).prose for element in sharing)
            return ancestor if joined >= _JOIN_COVER * stats.of(ancestor).prose else top
    return top


def _unit(ancestor: lxml.html.HtmlElement, element: lxml.html.HtmlElement
          ) -> lxml.html.HtmlElement:
    """The child of `ancestor` on the way down to `element`."""
    node = element
    while (parent := node.getparent()) is not None and parent is not ancestor:
        node = parent
    return node


def _separate_items(first: lxml.html.HtmlElement, second: lxml.html.HtmlElement) -> bool:
    """Forum posts, comments and listing teasers repeat the same markup too, but each is its own
    item: an <article> of its own or a numbered id (post-1001). Those are never joined."""
    first_ancestors = set(first.iterancestors())
    ancestor = next((a for a in second.iterancestors() if a in first_ancestors), None)
    if ancestor is None:
        return False
    unit_a, unit_b = _unit(ancestor, first), _unit(ancestor, second)
    if unit_a is unit_b:
        return False
    if unit_a.tag == "article" and unit_b.tag == "article":
        return True
    return bool(_NUMBERED_ID.search(unit_a.get("id") or "")
                and _NUMBERED_ID.search(unit_b.get("id") or ""))


def _join_sections(top: lxml.html.HtmlElement, stats: TreeStats) -> lxml.html.HtmlElement:
    """Articles split into same-classed sections (ads or embeds between them) score each section
    alone: take the nearest ancestor that also holds the other sections with prose in them."""
    signature = top.get("class")
    if not signature:
        return top
    best = top
    ancestor = top.getparent()
    for _level in range(_SECTION_SEARCH_LEVELS):
        if ancestor is None or ancestor.tag in ("body", "html"):
            break
        prose = sum(stats.of(element).prose for element in ancestor.iter(top.tag)
                    if element is not top and element.get("class") == signature
                    and top not in element.iterancestors() and element not in top.iterancestors()
                    and not _separate_items(top, element))
        if prose >= _SECTION_MIN_PROSE:
            best = ancestor
        ancestor = ancestor.getparent()
    return best


def _inside(element: lxml.html.HtmlElement, nodes: set[lxml.html.HtmlElement]) -> bool:
    if not nodes:
        return False
    return any(ancestor in nodes for ancestor in element.iterancestors())
