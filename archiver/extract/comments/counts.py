"""What a page says about its comments: the claimed count ("37 thoughts on …", "12 Responses",
JSON-LD commentCount) and whether new comments are accepted (reply form vs "Comments are closed.")."""

from __future__ import annotations

import re
from typing import Any

from archiver.extract.comments.dom import Element, first, matches, text_of
from archiver.extract.document import Document, json_ld_types

_NOUNS = (
    r"comments?|responses?|replies|reply|thoughts?|reactions?|tanggapan|komentar|kommentare?|"
    r"commentaires?|comentarios?|comentários?|commenti|reacties|reakcj[ei]|антwort|комментари[ейя]*|"
    r"antworten|réponses?|respuestas?|risposte|opinions?|pingbacks?|discussion|leserkommentare|"
    r"gedanken?|réflexions?|pensieri|pensiero|pensamientos?|reflexiones|reacciones|comentaris?"
)
_NUMBER_FIRST = re.compile(rf"(?<![\w.])(\d{{1,3}}(?:[,.\s]\d{{3}})+|\d+)\s*(?:{_NOUNS})\b", re.I)
_NOUN_FIRST = re.compile(rf"\b(?:{_NOUNS})\s*[:(\[]\s*(\d[\d,.]*)\s*[)\]]?", re.I)
_WORD_NUMBERS = {
    "no": 0, "zero": 0, "one": 1, "a single": 1, "satu": 1, "ein": 1, "eine": 1, "un": 1, "une": 1,
    "uno": 1, "una": 1, "um": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}
_WORD_FIRST = re.compile(
    r"^\s*(" + "|".join(sorted(map(re.escape, _WORD_NUMBERS), key=len, reverse=True)) +
    rf")\s+(?:{_NOUNS})\b", re.I,
)
# Headings and labels that state a count.
COUNT_XPATH = (
    "//*[contains(@class, 'comments-title') or contains(@class, 'comment-count')"
    " or contains(@class, 'comments-count') or contains(@class, 'wp-block-comments-title')"
    " or contains(@class, 'wpd-thread-info') or @id='comments-title' or @id='comments'"
    " or contains(@class, 'comments-header')]"
)
CLOSED_TEXT = re.compile(
    r"comments?\s+(?:are|is)\s+(?:now\s+)?closed|closed\s+for\s+comments|commenting\s+(?:is\s+)?"
    r"(?:closed|disabled)|kommentare\s+(?:sind\s+)?(?:geschlossen|deaktiviert)|"
    r"commentaires\s+sont\s+(?:fermés|clos)|comentarios\s+(?:están\s+)?cerrados|"
    r"komentar\s+(?:sudah\s+)?ditutup|discussion\s+(?:is\s+)?closed|commenti\s+sono\s+chiusi|"
    r"reacties\s+zijn\s+gesloten|coment[áa]rios\s+(?:est[ãa]o\s+)?(?:encerrados|fechados)",
    re.I,
)
CLOSED_XPATH = (
    "//*[contains(@class, 'no-comments') or contains(@class, 'nocomments')"
    " or contains(@class, 'comments-closed') or contains(@class, 'comments_closed')"
    " or contains(@class, 'comment-closed')]"
)
FORM_XPATH = (
    "//*[@id='respond' or @id='commentform' or @id='comment-form' or @id='wpd-main-form-wrapper']"
    " | //form[contains(@action, 'wp-comments-post') or contains(@class, 'comment-form')"
    " or starts-with(@id, 'comment-form')]"
    " | //*[contains(@class, 'wp-block-post-comments-form') or contains(@class, 'comment-respond')"
    " or contains(@class, 'wpd-form') or contains(@class, 'comment-form-wrapper')]"
    " | //iframe[contains(@class, 'jetpack_remote_comment') or contains(@id, 'comment-editor')]"
    " | //*[@id='comment-editor' or @id='comment-holder' or contains(@class, 'must-log-in')]"
)


def parse_count(text: str) -> int | None:
    """The number in "37 thoughts on …", "One Response to …", "Comments (12)"; None if absent."""
    if not text or len(text) > 300:
        return None
    word = _WORD_FIRST.match(text)
    if word:
        return _WORD_NUMBERS[word.group(1).lower()]
    for pattern in (_NUMBER_FIRST, _NOUN_FIRST):
        match = pattern.search(text)
        if match:
            return int(re.sub(r"\D", "", match.group(1)))
    return None


def claimed_count(doc: Document, sections: list[Element] | None = None) -> int | None:
    """The comment count the page states: a comments heading (by class/id, or a heading inside the
    comment section) first, then JSON-LD/microdata."""
    headings = [h for s in sections or [] if s is not None
                for h in [*s.xpath(".//h2 | .//h3 | .//h4"), *_heading_before(s)]]
    for node in [*matches(doc.tree, COUNT_XPATH), *headings]:
        if node.tag in ("form", "textarea"):
            continue
        data_count = node.get("data-comments-count") or node.get("data-count")
        if data_count and data_count.strip().isdigit():
            return int(data_count.strip())
        found = parse_count(text_of(node))
        if found is not None:
            return found
    return structured_count(doc)


def _heading_before(section: Element) -> list[Element]:
    """The heading right before a comment list that carries no comment-ish name ("27 commentaires"
    above `<ul class="forum">`): the closest element before the list or before its wrapper."""
    for node in (section, section.getparent()):
        if node is None:
            break
        previous = next((s for s in node.itersiblings(preceding=True) if isinstance(s.tag, str)), None)
        if previous is not None:
            return [previous] if previous.tag in ("h2", "h3", "h4") else []
    return []


def structured_count(doc: Document) -> int | None:
    """commentCount or a CommentAction interactionStatistic from JSON-LD, or microdata."""
    for obj in doc.json_ld:
        if json_ld_types(obj) & {"WebPage", "WebSite", "Organization", "Person", "BreadcrumbList"}:
            continue
        count = _int(obj.get("commentCount"))
        if count is None:
            count = _interaction_count(obj.get("interactionStatistic"))
        if count is not None:
            return count
    for node in doc.tree.xpath("//*[@itemprop='commentCount']"):
        count = _int(node.get("content") or text_of(node))
        if count is not None:
            return count
    return None


def _interaction_count(stats: Any) -> int | None:
    for stat in stats if isinstance(stats, list) else [stats]:
        if not isinstance(stat, dict):
            continue
        kind = stat.get("interactionType")
        kind_name = kind.get("@type") if isinstance(kind, dict) else kind
        if isinstance(kind_name, str) and kind_name.rsplit("/", 1)[-1] == "CommentAction":
            return _int(stat.get("userInteractionCount"))
    return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def has_closed_notice(doc: Document) -> bool:
    """A "Comments are closed." style notice (by class, or a short element saying it)."""
    for node in matches(doc.tree, CLOSED_XPATH):
        if node.tag not in ("body", "html") and len(text_of(node)) < 200:
            return True
    if not _may_say_closed(_page_text(doc)):
        return False  # no element can say it if the whole page does not (skips a costly scan)
    short = "[string-length(normalize-space(.)) > 8 and string-length(normalize-space(.)) < 120]"
    for node in doc.tree.xpath(f"//p{short} | //div[not(*)]{short} | //span[not(*)]{short} | //h3{short}"
                               f" | //h4{short} | //em{short} | //strong{short}"):
        text = text_of(node)
        if text and len(text) < 120 and CLOSED_TEXT.search(text):
            return True
    return False


# A word every CLOSED_TEXT phrase contains; plain substring tests are far cheaper than the regex.
# Distinctive ones: "disabled" would also hit every inline script's `disabled` flags.
_CLOSED_HINTS = ("closed", "commenting", "kommentare", "commentaires sont", "cerrados", "ditutup", "chiusi",
                 "gesloten", "encerrados", "fechados")


def _may_say_closed(page_text: str) -> bool:
    """Whether the page text says comments are closed: the regex runs only in windows around the
    hint words (over a whole page, its case-folded alternation costs milliseconds)."""
    lowered = page_text.lower()
    for hint in _CLOSED_HINTS:
        at = lowered.find(hint)
        while at >= 0:
            if CLOSED_TEXT.search(page_text, max(0, at - 80), at + 80):
                return True
            at = lowered.find(hint, at + 1)
    return False


def _page_text(doc: Document) -> str:
    """All text the page shows outside <head> (cached): every candidate element's text is a substring
    of it. <head> only holds title, styles and scripts, often most of a page's characters."""
    cached = doc._cache.get("page_text")
    if cached is None:
        root = doc.tree
        cached = doc._cache["page_text"] = "".join(
            child.text_content() if isinstance(child.tag, str) and child.tag != "head" else ""
            for child in root
        )
    return str(cached)


def reply_form(doc: Document) -> Element | None:
    """The page's comment/reply form (or its container), if it has one."""
    return first(doc.tree, FORM_XPATH)


def comments_open(doc: Document, has_section: bool) -> bool | None:
    """False for a closed notice, True for a reply form, False for a comment section without a
    form (block themes print no notice), None when the page shows nothing about comments."""
    if has_closed_notice(doc):
        return False
    if reply_form(doc) is not None:
        return True
    return False if has_section else None
