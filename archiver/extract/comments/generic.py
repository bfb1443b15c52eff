"""Comments in unknown markup: repeated sibling-like blocks, inside a comment-ish area, that each carry
an author, a date and text. Nesting comes from DOM containment, indent classes (`level-2`, `depth-3`,
`indent-1`) or `margin-left`/`padding-left` styles, resolved by `tree.link_parents`."""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from functools import lru_cache

from archiver.extract.comments.comment_dates import iso_date, text_date
from archiver.extract.comments.dom import (
    Element,
    absolute_url,
    class_tokens,
    comment_section,
    element_date,
    parent_attribute,
    text_of,
)
from archiver.extract.comments.found import Found
from archiver.extract.comments.model import RawComment, content_id, distinct_ids, is_content_id
from archiver.extract.comments.text import block_text, safe_html, strip_noise
from archiver.extract.comments.wordpress import author_of, own
from archiver.extract.document import Document

# A comment area: class/id words. Widgets listing other posts' comments are not threads.
_AREA = re.compile(r"comment|discussion|repl(?:y|ies)|respons|reaction|feedback|kommentar|"
                   r"commentaire|comentario|opinion|forum", re.I)
_NOT_AREA = re.compile(r"widget|recent|latest|popular|most-|sidebar|form|respond|count|share|"
                       r"comment-link|comments-link|menu|nav|teaser|excerpt|snippet", re.I)
_AUTHOR = re.compile(r"author|autor|auteur|autore|user|(?:^|[\s_-])name|nick|byline|poster|(?:^|\s)fn(?:\s|$)|"
                     r"commenter|who|(?:^|[\s_-])(?:qui|wer|quien)(?:$|[\s_-])", re.I)
_DATE = re.compile(r"date|datum|fecha|data|time|zeit|posted|ago|when|published", re.I)
_CONTENT = re.compile(r"content|text|body|message|entry|comment-copy|msg", re.I)
_LEVEL = re.compile(r"(?:^|[\s_-])(?:level|depth|indent|ind|lvl|nest(?:ed|ing)?)[-_]?(\d{1,3})(?:$|\s)", re.I)
_STYLE_INDENT = re.compile(r"(?:margin|padding)-left\s*:\s*(\d+(?:\.\d+)?)\s*(px|em|rem)", re.I)
_VOLATILE = re.compile(r"\d|^(?:odd|even|alt|parent|child|thread-\w+|byuser|bypostauthor|"
                       r"first|last|new|highlighted?|selected|active)$", re.I)
# Class tokens that mark a reply without saying how deep: a level-2 comment of a flat list.
_REPLY_TOKENS = frozenset({
    "reply", "is-reply", "comment-reply", "comment--reply", "comment__reply", "reply-comment", "child",
    "is-child", "child-comment", "comment-child", "comment--child", "sub-comment", "subcomment",
    "comment-sub", "nested-comment", "comment--nested", "answer", "comment-answer", "response",
})
# Utility-CSS indentation (Tailwind/Bootstrap spacing: ml-8, pl-4, ms-3, ps-5): steps, not pixels.
_UTILITY_INDENT = re.compile(r"(?:^|\s)(?:[a-z]{1,3}:)?(?:ml|pl|ms|ps)-(\d{1,2})(?:$|\s)")
# Paths of member profile pages, in the languages the area words cover.
_PROFILE_PATH = re.compile(r"/(?:user|users|u|member|members|profile|profiles|people|benutzer|usuario|"
                           r"utilisateur|utente|membre|mitglied)/[^/?#]", re.I)
_ID_ATTRIBUTES = ("data-comment-id", "data-id", "id", "data-commentid")
_COMMENT_ID = re.compile(r"(?:comment|forum|message|msg|reply)[-_]?(?:\w+[-_])?(\d+)$", re.I)
_LEVEL_ATTRIBUTES = ("data-depth", "data-level", "aria-level", "data-indent", "data-nesting")
_BLOCK_TAGS = ("div", "li", "article", "section", "tr", "dd", "blockquote")
_MAX_AREA_UP = 8
_STOP = ("body", "html")


def find(doc: Document) -> Found | None:
    """The best group of comment-like blocks, or None when the page has none."""
    blocks = _best_group(doc)
    if not blocks:
        return None
    nodes = {id(b) for b in blocks}
    comments = [c for c in (_comment(b, nodes, doc.url) for b in blocks) if c]
    distinct_ids(comments)
    if _excerpts_of_other_discussions(comments, doc.url):
        return None
    _assign_levels(comments)
    section = comment_section(blocks)
    return Found(system="generic", comments=comments, nodes=[section] if section is not None else blocks)


def _excerpts_of_other_discussions(comments: list[RawComment], page_url: str) -> bool:
    """Whether the blocks are excerpts of OTHER threads ("latest from the forums", "recent
    comments" boxes): their permalinks, or their first links, open two or more different pages
    that are not this one. Replies of this article's own forum thread all open that one thread
    and stay comments."""
    page = _page_of(page_url)
    elsewhere = []
    for comment in comments:
        target = comment.permalink or _first_link(comment.element, page_url, comment.author_url)
        own_id = None if is_content_id(comment.id) else comment.id
        if own_id and target and re.search(rf"(?<!\d){re.escape(own_id)}(?!\d)", target):
            continue  # the comment's own page (`/comment/123`, `/c/123/`): still this thread
        target_page = _page_of(target) if target else None
        if target_page is not None and target_page != page:
            elsewhere.append(target_page)
    # Each excerpt links to its thread; readers' links inside a few comments of a real thread do not
    # make most blocks point away from the page.
    return len(set(elsewhere)) >= 2 and len(elsewhere) * 3 >= len(comments) * 2


def _first_link(block: Element | None, base_url: str, author_url: str | None) -> str | None:
    for link in block.iter("a") if block is not None else ():
        url = absolute_url(base_url, link.get("href"))
        if url and url != author_url:
            return url
    return None


def _page_of(url: str) -> str:
    return url.split("#", 1)[0].split("?", 1)[0].rstrip("/")


def _best_group(doc: Document) -> list[Element]:
    groups: dict[tuple[str, frozenset[str]], list[Element]] = defaultdict(list)
    in_area: dict[tuple[str, frozenset[str]], list[Element]] = defaultdict(list)
    area_memo: dict[Element, _Nearest] = {}
    for element in doc.tree.iter(*_BLOCK_TAGS):
        if _in_comment_area(element, area_memo):
            signature = _signature(element)
            in_area[signature].append(element)
            if _looks_like_comment(element):
                groups[signature].append(element)
    best: list[Element] = []
    for members in groups.values():
        if len(members) < 2:
            continue  # one block proves no repetition; a lone match is usually page chrome
        if len(members) > len(best) or (len(members) == len(best) and best and _encloses(members, best)):
            best = members
    return _with_anonymous(in_area[_signature(best[0])], best) if best else best


def _with_anonymous(alike: list[Element], best: list[Element]) -> list[Element]:
    """The chosen group plus the blocks of the same markup in the comment area (`alike`, in page
    order) that lack only an author: an anonymous reader's comment has a date and text but no name."""
    chosen = {id(b) for b in best}
    return [element for element in alike if id(element) in chosen or (
        element.find(".//h1") is None and element.find(".//form") is None
        and _find_date(element) is not None and len(text_of(element)) > 20)]


def _signature(element: Element) -> tuple[str, frozenset[str]]:
    """Tag and stable class tokens: replies and top-level comments of one thread share it (the
    tokens that say depth or reply are left out)."""
    tokens = (element.get("class") or "").lower().split()
    return str(element.tag), frozenset(t for t in tokens if not _VOLATILE.search(t) and t not in _REPLY_TOKENS)


def _kind_of(node: Element) -> str:
    return _marker_kind(f"{node.get('class', '')} {node.get('id', '')}")


@lru_cache(maxsize=4096)
def _marker_kind(marker: str) -> str:
    """"area" (a comment area), "widget" (comment-ish but not a thread) or "" for a class+id marker
    (pages repeat the same few hundred markers)."""
    if not marker.strip() or not _AREA.search(marker):
        return ""
    return "widget" if _NOT_AREA.search(marker) else "area"


_Nearest = tuple[str, int] | None


def _in_comment_area(element: Element, memo: dict[Element, _Nearest] | None = None) -> bool:
    """Whether the nearest comment-ish marker at or above `element` (at most _MAX_AREA_UP steps, below
    <body>) names a comment area; a widget marker above it says no, its own widget marker is ignored."""
    if element.tag in _STOP:
        return False
    if _kind_of(element) == "area":
        return True
    parent = element.getparent()
    if parent is None:
        return False
    nearest = _nearest_kind(parent, {} if memo is None else memo)
    return nearest is not None and nearest[0] == "area" and nearest[1] + 1 <= _MAX_AREA_UP


def _nearest_kind(node: Element, memo: dict[Element, _Nearest]) -> _Nearest:
    """(kind, steps up) of the nearest node at or above `node` with a comment-ish marker; None when
    <body> comes first. Memoized for every node on the way, so the blocks of a page cost one
    walk over their shared ancestors instead of one walk each."""
    path: list[Element] = []
    answer: _Nearest = None
    current: Element | None = node
    while current is not None:
        if current in memo:
            answer = memo[current]
            break
        if current.tag in _STOP:
            memo[current] = None
            break
        kind = _kind_of(current)
        if kind:
            answer = memo[current] = (kind, 0)
            break
        path.append(current)
        current = current.getparent()
    for steps, passed in enumerate(reversed(path), start=1):
        memo[passed] = None if answer is None else (answer[0], answer[1] + steps)
    return memo[node]


def _looks_like_comment(element: Element) -> bool:
    if element.find(".//h1") is not None or element.find(".//form") is not None:
        return False  # the article itself or a reply form, not a comment
    author = _find_class(element, _AUTHOR, max_len=80)
    if author is None:
        author = _profile_link(element, set())
    dated = _find_date(element)
    if author is None or dated is None:
        return False
    text = text_of(element)
    return len(text) > len(text_of(author)) + 10 and len(text) < 100_000


def _find_class(element: Element, pattern: re.Pattern[str], max_len: int) -> Element | None:
    for node in element.iterdescendants():
        marker = f"{node.get('class', '')} {node.get('itemprop', '')} {node.get('rel', '')}"
        if marker.strip() and pattern.search(marker):
            text = text_of(node)
            if text and len(text) <= max_len:
                return node
    return None


def _find_date(element: Element) -> Element | None:
    for node in element.iterdescendants("time"):
        return node
    marked = _find_class(element, _DATE, max_len=80)
    return marked if marked is not None else _dated_text(element, set())


def _dated_text(block: Element, nodes: set[int]) -> Element | None:
    """The first short element (outside nested comments) whose own words are a written date
    ("(22 juin 2018 @11h13)", "March 3, 2021 at 10:15 am"), for themes that give the date no
    telling class or <time>. Written dates only: a bare number is no date."""
    for node in block.iterdescendants():
        if id(node) in nodes or not isinstance(node.tag, str) or node.tag in ("a", "script", "style"):
            continue
        own_words = " ".join((node.text or "").split())
        if not own_words or len(text_of(node)) > 80:
            continue
        if any(id(a) in nodes for a in _ancestors_until(node, block)):
            continue
        if text_date(own_words) or iso_date(own_words):
            return node
    return None


def _profile_link(block: Element, nodes: set[int]) -> Element | None:
    """The author as a link to a member profile (`/user/8466-name`, `/members/jo`) with a short
    text, for themes that give the name no telling class; outside nested comments."""
    for link in block.iter("a"):
        href = link.get("href") or ""
        if not _PROFILE_PATH.search(href) or any(id(a) in nodes for a in _ancestors_until(link, block)):
            continue
        text = text_of(link)
        if text and len(text) <= 80:
            return link
    return None


def _encloses(outer: list[Element], inner: list[Element]) -> bool:
    """Each block of `outer` is an ancestor of the matching block of `inner` (a wrapper group)."""
    return all(any(a is o for a in i.iterancestors()) for o, i in zip(outer, inner, strict=False))


def _comment(block: Element, nodes: set[int], base_url: str) -> RawComment | None:
    if re.search(r"awaiting moderation|pending approval|wartet auf freischaltung", text_of(block), re.I) \
            and len(text_of(block)) < 400:
        return None
    author_node = _own_match(block, _AUTHOR, nodes, 80)
    if author_node is None:
        author_node = _profile_link(block, nodes)
    name, url = author_of(author_node, base_url)
    date_node = own(block, ".//time", nodes)
    if date_node is None:
        date_node = _own_match(block, _DATE, nodes, 80)
    if date_node is None:
        date_node = _dated_text(block, nodes)
    content = _own_match(block, _CONTENT, nodes, 100_000, longest=True)
    if content is None or content is author_node or content is date_node:
        content = _without(block, nodes, [author_node, date_node])
    else:
        content = strip_noise(content)
    link = _permalink(block, date_node, nodes)
    published = element_date(date_node)
    text = block_text(content)
    comment_id = _block_id(block) or content_id(name, published, text)
    return RawComment(
        id=comment_id,
        element=block,
        parent_id=parent_attribute(block, comment_id),
        level=_level(block),
        author_name=name,
        author_url=url,
        published=published,
        text=text,
        html=safe_html(content, base_url),
        permalink=absolute_url(base_url, link.get("href")) if link is not None else None,
    )


def _permalink(block: Element, date_node: Element | None, nodes: set[int]) -> Element | None:
    """The link on the comment's date, or one pointing at the block's own anchor; never a reply link."""
    if date_node is not None:
        for node in [date_node, *date_node.iterancestors()]:
            if node is block:
                break
            if node.tag == "a" and node.get("href"):
                return node
        inner = date_node.find(".//a[@href]")
        if inner is not None:
            return inner
    anchor = block.get("id")
    if anchor:
        return own(block, f".//a[substring-after(@href, '#') = '{anchor}']", nodes)
    # A link that is its own anchor (`<a href="#forum123" id="forum123">`): the comment's permalink.
    return own(block, ".//a[@id and @href = concat('#', @id)]", nodes)


def _own_match(block: Element, pattern: re.Pattern[str], nodes: set[int], max_len: int,
               longest: bool = False) -> Element | None:
    best: Element | None = None
    for node in block.iterdescendants():
        if id(node) in nodes:
            continue
        marker = f"{node.get('class', '')} {node.get('itemprop', '')}"
        if not marker.strip() or not pattern.search(marker):
            continue
        if any(id(a) in nodes for a in _ancestors_until(node, block)):
            continue
        text = text_of(node)
        if not text or len(text) > max_len:
            continue
        if not longest:
            return node
        if best is None or len(text) > len(text_of(best)):
            best = node
    return best


def _ancestors_until(node: Element, stop: Element) -> list[Element]:
    found = []
    for ancestor in node.iterancestors():
        if ancestor is stop:
            break
        found.append(ancestor)
    return found


def _without(block: Element, nodes: set[int], parts: list[Element | None]) -> Element:
    """A copy of the block minus nested comments and the author/date parts (page tree untouched)."""
    marks = {id(n) for n in parts if n is not None} | (nodes - {id(block)})
    clone = copy.deepcopy(block)
    doomed = [copied for original, copied in zip(block.iter(), clone.iter(), strict=False)
              if id(original) in marks]
    for node in doomed:
        if node.getparent() is not None:
            node.drop_tree()
    return strip_noise(clone)


def _block_id(block: Element) -> str | None:
    """The site's own id of a comment block: its id-like attributes, else those of the first
    element inside it whose id names a comment (a wrapper around `<div id="sf_comment_123">`);
    None when the page gives none (the caller derives one from the comment's content)."""
    for attribute in _ID_ATTRIBUTES:
        value = block.get(attribute)
        if value:
            digits = re.search(r"(\d+)$", value)
            return digits.group(1) if digits else value
    for node in block.iterdescendants():
        own = node.get("data-comment-id") or node.get("data-commentid")
        digits = re.fullmatch(r"\s*(\d+)\s*", own) if own else _COMMENT_ID.search(node.get("id") or "")
        if digits:
            return digits.group(1)
    return None


def _level(block: Element) -> int | None:
    """The nesting level the markup gives a block: a depth attribute (`data-depth`, `aria-level`),
    a level class (`depth-3`, `level-2`), an indent (style margin, utility classes, stored as
    negative pixels for `_assign_levels`), else 2 for a reply marker (`reply`, `child`)."""
    for attribute in _LEVEL_ATTRIBUTES:
        value = (block.get(attribute) or "").strip()
        if value.isdigit():
            return _one_based(int(value))
    classes = block.get("class") or ""
    match = _LEVEL.search(classes)
    if match:
        return _one_based(int(match.group(1)))
    style = _STYLE_INDENT.search(block.get("style") or "")
    if style:
        return -int(float(style.group(1)) * (16 if style.group(2) != "px" else 1)) or None
    utility = _UTILITY_INDENT.search(classes)
    if utility:
        return -int(utility.group(1)) * 4 or None
    if class_tokens(block) & _REPLY_TOKENS:
        return 2
    return None


def _one_based(number: int) -> int:
    """A level as the markup numbers it; a 0 (`depth-0`, counting from zero) is level 1."""
    return number if number >= 1 else number + 1


def _assign_levels(comments: list[RawComment]) -> None:
    """Margins (stored as negative pixel counts) become levels: distinct indents sorted, 1-based;
    an unindented block among indented ones is level 1."""
    if any(c.level is not None and c.level > 0 for c in comments):
        for comment in comments:
            if comment.level is None:
                comment.level = 1  # beside `reply`-marked (level 2) blocks, an unmarked one is top level
    indents = sorted({-c.level for c in comments if c.level is not None and c.level < 0})
    if not indents:
        return
    rank = {px: position + 2 for position, px in enumerate(indents)}
    for comment in comments:
        if comment.level is None:
            comment.level = 1
        elif comment.level < 0:
            comment.level = rank[-comment.level]
