"""Main article text (`body`) and its minimal clean HTML (`body_html`).

Three steps over the parsed tree, which is never mutated:
1. `density.compute_stats`: text and link lengths of every element in one bottom-up pass;
2. `_choose_container`: readability-style scoring — each paragraph gives points to its parent and
   grandparent, weighted by class/id words, semantic tags and structured-data hints, discounted
   by link density — then siblings of the winner that look like more of the same are added;
3. `cleanhtml.Renderer`: walks the container, skipping what `_Pruner` calls boilerplate (furniture
   tags, class/id words, hidden or link-dense blocks, comment sections), and writes text and HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import lxml.html

from archiver.extract.boilerplate import (
    BLOCK_TAGS,
    SKIP_TAGS,
    FURNITURE_TEXT_MAX,
    class_weight,
    is_furniture_text,
    is_shouting_link,
    is_hidden,
    looks_like_boilerplate,
)
from archiver.extract.cleanhtml import Block, Renderer
from archiver.extract.density import Stats, TreeStats, compute_stats, visible_text
from archiver.extract.document import Document

_TAG_BONUS = {"article": 10, "main": 5, "div": 5, "section": 3, "td": 3, "blockquote": 3,
              "pre": 3, "form": -3, "ol": -3, "ul": -3, "li": -3, "dl": -3, "dd": -3,
              "h1": -5, "h2": -5, "h3": -5, "h4": -5, "th": -5, "header": -5, "footer": -10,
              "nav": -20, "aside": -20}
_CANDIDATE_SKIP = SKIP_TAGS | {"h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "dt", "caption"}
_CLIMB_MIN_PROSE = 200
# Readability's points cap each paragraph's length; the square root of all prose underneath keeps
# a 95-character "content" box from beating a 3,000-character article with a busy link density.
_PROSE_WEIGHT = 0.35
_SECTION_SEARCH_LEVELS = 7
_CLIMB_PROSE_SHARE = 0.6
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th", "li", "caption"})
_NUMBERED_ID = re.compile(r"\d{3,}")
# A paragraph, heading or table cell that is all link is still content (a product heading linking
# to the shop); link-dense *containers* are link lists.
_LINK_DENSE_OK = _TABLE_PARTS | {"p", "h2", "h3", "h4", "h5", "h6"}
_PARAGRAPH_TAGS = frozenset({"p", "pre", "td", "blockquote", "li", "dd"})
_ARTICLE_MARKERS = (("itemprop", "articlebody"), ("itemprop", "text"))


@dataclass
class Body:
    text: str
    html: str
    # The element of `Document.tree` holding the article content (None when nothing was found);
    # media extraction uses it to decide `in_body`.
    node: lxml.html.HtmlElement | None


def _paragraph_score(stats: Stats) -> float:
    """Points one paragraph is worth: longer and comma-rich prose scores more, links less."""
    density = stats.inline_links / stats.inline_text if stats.inline_text else 1.0
    if density > 0.5:
        return 0.0
    return (1 + min(stats.commas, 20) + min(stats.inline_text / 100, 3)) * (1 - density)


def _br_count(element: lxml.html.HtmlElement) -> int:
    return sum(1 for child in element if child.tag == "br")


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
        targets = [element] if tag not in _PARAGRAPH_TAGS and _br_count(element) >= 2 else []
        ancestor = element.getparent()
        level_targets = []
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


def _choose_container(stats: TreeStats, excluded: set[lxml.html.HtmlElement]
                      ) -> tuple[lxml.html.HtmlElement | None, list[lxml.html.HtmlElement]]:
    """The element holding the article and the roots to render (it, or it plus good siblings)."""
    scores = _score_candidates(stats)
    ranked = sorted(
        (item for item in scores.items()
         if item[0].tag not in _CANDIDATE_SKIP and item[0] not in excluded
         and not _inside(item[0], excluded)),
        key=lambda item: -item[1])
    if not ranked or ranked[0][1] <= 0:
        return None, []
    top, top_score = ranked[0]
    top = _common_ancestor_of_alternatives(top, top_score, ranked[1:6])
    top = _join_sections(top, stats)
    roots = [top]  # _with_siblings(top, scores, stats, excluded)
    return (top if len(roots) == 1 else top.getparent()), roots


def _common_ancestor_of_alternatives(top: lxml.html.HtmlElement, top_score: float,
                                     others: list[tuple[lxml.html.HtmlElement, float]]
                                     ) -> lxml.html.HtmlElement:
    """Articles split into sibling sections score each section alone; when three near-equal
    candidates share an ancestor with the winner, that ancestor is the article."""
    top_ancestors = set(top.iterancestors())
    close = [element for element, score in others if score >= 0.75 * top_score
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
            return ancestor
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


def _climb(top: lxml.html.HtmlElement, scores: dict[lxml.html.HtmlElement, float]
           ) -> lxml.html.HtmlElement:
    """Move up while a scored parent is worth more than the child (readability's rule), and out of
    wrappers that are their parent's only child."""
    last = scores.get(top, 0.0)
    threshold = last / 3
    parent = top.getparent()
    while parent is not None and parent.tag not in ("body", "html"):
        if parent in scores:
            parent_score = scores[parent]
            if parent_score < threshold:
                break
            if parent_score > last:
                top = parent
                break
            last = parent_score
        parent = parent.getparent()
    while (parent := top.getparent()) is not None and parent.tag not in ("body", "html") \
            and len(parent) == 1:
        top = parent
    return top


def _climb_to_prose(top: lxml.html.HtmlElement, stats: TreeStats) -> lxml.html.HtmlElement:
    """Articles split into sections (ads between them) leave prose outside the winner: move up
    while an ancestor adds a substantial amount of text and that text is mostly prose."""
    own = stats.of(top)
    parent = top.getparent()
    while parent is not None and parent.tag not in ("body", "html"):
        up = stats.of(parent)
        extra_text = up.text - own.text
        extra_prose = up.prose - own.prose
        if extra_prose < max(_CLIMB_MIN_PROSE, 0.15 * own.prose):
            if extra_text > own.text:
                break
        elif extra_prose >= _CLIMB_PROSE_SHARE * extra_text:
            top, own = parent, up
        else:
            break
        parent = parent.getparent()
    return top


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
        if prose >= _CLIMB_MIN_PROSE:
            best = ancestor
        ancestor = ancestor.getparent()
    return best


def _with_siblings(top: lxml.html.HtmlElement, scores: dict[lxml.html.HtmlElement, float],
                   stats: TreeStats, excluded: set[lxml.html.HtmlElement]
                   ) -> list[lxml.html.HtmlElement]:
    """The winner plus siblings that score like content (lead paragraphs kept outside it)."""
    parent = top.getparent()
    if parent is None or parent.tag in ("html",):
        return [top]
    top_score = scores.get(top, 0.0)
    threshold = max(10.0, top_score * 0.2)
    top_class = top.get("class")
    roots = []
    for sibling in parent:
        if sibling is top:
            roots.append(sibling)
            continue
        if not isinstance(sibling.tag, str) or sibling in excluded or sibling.tag in SKIP_TAGS:
            continue
        bonus = top_score * 0.2 if top_class and sibling.get("class") == top_class else 0.0
        if sibling in scores and scores[sibling] + bonus >= threshold:
            roots.append(sibling)
        elif sibling.tag == "p" and _good_paragraph(stats.of(sibling)):
            roots.append(sibling)
    return roots


def _good_paragraph(own: Stats) -> bool:
    density = own.links / own.text if own.text else 1.0
    return (own.text > 80 and density < 0.25) or (0 < own.text <= 80 and density == 0)


def _inside(element: lxml.html.HtmlElement, nodes: set[lxml.html.HtmlElement]) -> bool:
    if not nodes:
        return False
    return any(ancestor in nodes for ancestor in element.iterancestors())


def _holds_quoted_post(element: lxml.html.HtmlElement) -> bool:
    """An embedded tweet is quoted article text even inside a "video"/"social" embed box."""
    return any("tweet" in (quote.get("class") or "") for quote in element.iter("blockquote"))


class _Pruner:
    """Decides, element by element inside the container, what is article content."""

    def __init__(self, stats: TreeStats, container: lxml.html.HtmlElement,
                 excluded: set[lxml.html.HtmlElement]) -> None:
        self.stats = stats
        self.excluded = excluded
        self.total = max(stats.of(container).text, 1)

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

    def _share(self, element: lxml.html.HtmlElement) -> float:
        return self.stats.of(element).text / self.total

    def __call__(self, element: lxml.html.HtmlElement) -> bool:
        tag = element.tag
        if not isinstance(tag, str) or element in self.excluded:
            return False
        if tag in SKIP_TAGS:
            return tag in ("form", "aside", "footer") and self._share(element) > 0.5
        if tag not in BLOCK_TAGS and tag != "span":
            return tag != "a" or not is_hidden(element)
        own = self.stats.of(element)
        share = own.text / self.total
        if tag == "h1":
            return False
        if is_hidden(element):
            return share > 0.5
        if tag not in _TABLE_PARTS and looks_like_boilerplate(element):
            return share > 0.5 or _holds_quoted_post(element)
        if tag == "span":
            return not self._hover_card(element, own)
        if 0 < own.text <= FURNITURE_TEXT_MAX and tag not in _TABLE_PARTS:
            text = visible_text(element)
            if is_furniture_text(text) or is_shouting_link(text, own.links / own.text):
                return False
        if own.text and own.links / own.text > 0.5 and tag not in _LINK_DENSE_OK:
            return False
        return True


def _render(doc: Document, container: lxml.html.HtmlElement,
            roots: list[lxml.html.HtmlElement], stats: TreeStats,
            excluded: set[lxml.html.HtmlElement]) -> list[Block]:
    renderer = Renderer(doc.url, _Pruner(stats, container, excluded))
    return renderer.render(roots)


def extract_body(doc: Document, exclude: Sequence[lxml.html.HtmlElement] = ()) -> Body:
    """The article text of `doc` as plain paragraphs and minimal clean HTML; `exclude` (comment
    sections found by the comment extractor) never contributes text."""
    body = doc.tree.find("body")
    if body is None:
        return Body(text="", html="", node=None)
    excluded = set(exclude)
    stats = compute_stats(body)
    container, roots = _choose_container(stats, excluded)
    if container is None:
        return Body(text="", html="", node=None)
    blocks = _render(doc, container, roots, stats, excluded)
    text = "\n\n".join(block.text for block in blocks if block.text)
    html = "".join(block.html for block in blocks)
    return Body(text=text, html=html, node=container)
