"""Publication and modification dates of the article, most explicit source first.

Order (first hit wins): structured data (JSON-LD, microdata) -> <meta> tags -> dated markup of the
article (itemprop, hAtom `published`/`updated` classes, <time datetime>, outside comments and
sidebars) -> a date in the URL -> htmldate. htmldate is the slow, heuristic last resort, so it runs
only when everything else found nothing. `modified` is never guessed: no explicit statement -> None.
"""

from __future__ import annotations

import re
from typing import Any

from archiver.extract.document import Document
from archiver.extract.regions import article_elements
from archiver.extract.vocabulary import MODIFIED_META, PUBLISHED_META
from archiver.values import iso_datetime

_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|[-_.]|$)"
)
# contains() keeps the XPath a single fast pass; _has_class then checks whole class tokens.
_PUBLISHED_MARKUP = (
    '//*[@itemprop="datePublished" or @itemprop="dateCreated"] | //time[@pubdate]'
    ' | //*[contains(@class, "published") or contains(@class, "entry-date")'
    ' or contains(@class, "wp-block-post-date")]'
)
_PUBLISHED_CLASSES = frozenset({"published", "entry-date", "wp-block-post-date"})
_MODIFIED_MARKUP = (
    '//*[@itemprop="dateModified"]'
    ' | //*[contains(@class, "updated") or contains(@class, "modified")]'
)
_DATELINE_XPATH = (
    '//*[contains(@class, "date") or contains(@class, "byline") or contains(@class, "posted")'
    ' or contains(@class, "timestamp") or contains(@class, "dateline") or contains(@class, "meta")]'
)
_MAX_DATELINE_CHARS = 160
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?)?"
# Month-name dates (both orders), dotted/slashed day-month-year and ISO dates, each with a time.
_LEADING_TIME = r"(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}\s*)?,?\s+)?"
_HUMAN_DATE = re.compile(
    rf"\b{_LEADING_TIME}(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\.?\s+{_MONTH}"
    rf",?\s+\d{{4}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}){_TIME}",
    re.IGNORECASE,
)
_MODIFIED_CLASSES = frozenset({"updated", "modified", "entry-date-modified", "date-modified"})

def _structured(objects: list[dict[str, Any] | None], *keys: str) -> str | None:
    for obj in objects:
        if not obj:
            continue
        for key in keys:
            value = obj.get(key)
            if isinstance(value, list):
                value = value[0] if value else None
            found = iso_datetime(value) if isinstance(value, str | int | float) else None
            if found:
                return found
    return None


def _markup(doc: Document, xpath: str, classes: frozenset[str] = frozenset()) -> str | None:
    """The first parsable date of the matching elements outside comments and sidebars."""
    for element in article_elements(doc.tree.xpath(xpath)):
        tokens = (element.get("class") or "").split()
        if tokens and classes and not element.get("itemprop") and not classes & set(tokens):
            continue
        if element.tag != "time" and element.get("datetime") is None:
            inner = element.find(".//time[@datetime]")
            element = inner if inner is not None else element
        raw = element.get("datetime") or element.get("content") or element.get("title")
        if raw is None and (element.tag == "time" or len(element) == 0):
            raw = element.text_content()[:80]
        found = iso_datetime(raw) if raw else None
        if found:
            return found
    return None


def _first_time_element(doc: Document) -> str | None:
    return _markup(doc, "//time[@datetime]")


def _dateline_text(doc: Document) -> str | None:
    """A human date written in a byline/date line ("By Ann | May 3, 2021 14:20")."""
    for element in article_elements(doc.tree.xpath(_DATELINE_XPATH)):
        text = " ".join(element.text_content().split())
        if len(text) > _MAX_DATELINE_CHARS:
            continue
        match = _HUMAN_DATE.search(text)
        found = iso_datetime(match.group(0)) if match else None
        if found:
            return found
    return None


def url_date(url: str) -> str | None:
    """YYYY-MM-DD from URLs such as /2021/05/03/slug or /2021-05-03-slug."""
    match = _URL_DATE.search(url)
    return f"{match.group(1)}-{match.group(2)}-{match.group(3)}" if match else None


def htmldate_guess(doc: Document) -> str | None:
    """htmldate's original-date guess (date only); it deep-copies the tree, so ours stays intact."""
    from htmldate import find_date  # imported lazily: only pages with no explicit date pay for it

    try:
        found = find_date(doc.tree, original_date=True, extensive_search=True, url=doc.url)
    except Exception:  # htmldate raises assorted errors on odd pages; a guess is optional
        return None
    return iso_datetime(found) if found else None


def extract_dates(
    doc: Document, structured: list[dict[str, Any] | None]
) -> tuple[str | None, str | None]:
    """(published, modified) as ISO 8601; `structured` are the JSON-LD/microdata article objects."""
    published = (
        _structured(structured, "datePublished", "dateCreated", "uploadDate")
        or iso_datetime(doc.meta_first(*PUBLISHED_META))
        or _markup(doc, _PUBLISHED_MARKUP, _PUBLISHED_CLASSES)
        or _first_time_element(doc)
        or _dateline_text(doc)
        or url_date(doc.url)
    )
    modified = (
        _structured(structured, "dateModified")
        or iso_datetime(doc.meta_first(*MODIFIED_META))
        or _markup(doc, _MODIFIED_MARKUP, _MODIFIED_CLASSES)
    )
    if not published:
        published = htmldate_guess(doc)
    return published, modified
