"""Jetpack Comments (and WordPress.com "highlander" comments): the theme's WordPress comment list plus
a remote reply form in an iframe. Comments parse like WordPress; the system is named "jetpack"."""

from __future__ import annotations

from archiver.extract.comments import wordpress
from archiver.extract.comments.dom import any_match, first
from archiver.extract.comments.found import Found
from archiver.extract.document import Document

JETPACK_XPATH = (
    "//iframe[contains(@class, 'jetpack_remote_comment') or contains(@src, 'jetpack.wordpress.com"
    "/jetpack-comment')] | //*[@id='jetpack_remote_comment' or @id='highlander_comment_nonce']"
    " | //*[contains(@class, 'highlander-comment') or contains(@class, 'jetpack-comment')]"
    " | //input[@name='highlander_comment_nonce']"
)


def is_jetpack(doc: Document) -> bool:
    return any_match(doc.tree, JETPACK_XPATH)


def find(doc: Document) -> Found | None:
    """WordPress comments of a page whose comments are handled by Jetpack."""
    if not is_jetpack(doc):
        return None
    found = wordpress.find(doc, system="jetpack")
    if found is None:
        # The remote form alone still means the thread exists and is open.
        marker = first(doc.tree, JETPACK_XPATH)
        return Found(system="jetpack", nodes=[marker] if marker is not None else [], open=True)
    return found
