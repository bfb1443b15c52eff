"""embeds comments (to be written)."""

from __future__ import annotations

from archiver.extract.comments.found import Found
from archiver.extract.document import Document


def find(doc: Document) -> Found | None:
    return None
