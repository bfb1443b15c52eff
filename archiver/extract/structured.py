"""Structured-data hints for body extraction: the JSON-LD `articleBody` some pages publish.

It is rarely the exact text (often truncated to a teaser, quotes dropped), so it never replaces
text found in the DOM; it stands in only when the DOM yields no article at all (pages that render
their text by script).
"""

from __future__ import annotations

from archiver.extract.document import Document

_MIN_CHARS = 200


def article_body(doc: Document) -> str | None:
    """The longest JSON-LD articleBody of the page (None when there is none worth using)."""
    bodies = [obj["articleBody"] for obj in doc.json_ld
              if isinstance(obj.get("articleBody"), str) and len(obj["articleBody"]) >= _MIN_CHARS]
    return max(bodies, key=len) if bodies else None
