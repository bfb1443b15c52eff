"""Downstream loading of archives (README, "From Python"): records, the archived pages behind them, threads.

    from archiver import load
    for rec in load.records("output/", latest_only=True):
        html = load.page_html(rec)
        for depth, node in load.walk(load.comments_tree(rec)):
            ...

Everything streams: memory does not grow with the size of the archive.
"""

from archiver.load.files import JsonlFile, discover
from archiver.load.pages import PageResponse, page_html, page_response
from archiver.load.records import LoadedRecord, LoadError, records, site_filter
from archiver.load.threads import CommentNode, comments_tree, walk
from archiver.load.typed import Comment, Media, Person, Record, SrcsetEntry, WarcPointer

__all__ = [
    "Comment", "CommentNode", "JsonlFile", "LoadError", "LoadedRecord", "Media", "PageResponse", "Person",
    "Record", "SrcsetEntry", "WarcPointer", "comments_tree", "discover", "page_html", "page_response",
    "records", "site_filter", "walk",
]
