"""Comments of a page rendered in a browser: from the widget's JSON answers where the system has a
documented shape, else from the DOM of the widget's frames (pure: captured data in, records out).

`RenderedPage` is what the browser saw (archiver.render fills it): the page's DOM after scripts
ran, the HTML of every child frame, and the parsed JSON bodies the page fetched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from archiver.extract.comments import coral_graphql, disqus_json, viafoura_json

JsonParser = Callable[[Sequence[Any], str], list[dict[str, Any]]]


@dataclass(frozen=True)
class RenderedPage:
    url: str
    dom: str = ""
    frames: tuple[tuple[str, str], ...] = ()  # (url, html) of each child frame
    payloads: tuple[tuple[str, Any], ...] = ()  # (url, parsed JSON) of the page's JSON answers


@dataclass
class RenderedThread:
    system: str | None = None
    comments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def source(self) -> str | None:
        """The record's `comments_source` for this thread: "rendered" when it has comments."""
        return "rendered" if self.comments else None


def _disqus(page: RenderedPage) -> list[dict[str, Any]]:
    embedded = [disqus_json.thread_data(html) for _url, html in page.frames]
    payloads = [p for p in embedded if p is not None] + [data for _url, data in page.payloads]
    return disqus_json.comments_from_disqus(payloads, page.url)


def _json(parser: JsonParser) -> Callable[[RenderedPage], list[dict[str, Any]]]:
    return lambda page: parser([data for _url, data in page.payloads], page.url)


# System name -> parser of its documented data, most distinctive shapes first.
JSON_SYSTEMS: dict[str, Callable[[RenderedPage], list[dict[str, Any]]]] = {
    "disqus": _disqus,
    "coral": _json(coral_graphql.comments_from_coral),
    "viafoura": _json(viafoura_json.comments_from_viafoura),
}


def comments_from_rendered(page: RenderedPage, system: str | None) -> RenderedThread:
    """The thread of a rendered page: the named system's parser first, then every other known
    shape (a page may embed a system the HTML did not name), then the frames' DOM."""
    order = [system] if system in JSON_SYSTEMS else []
    order += [name for name in JSON_SYSTEMS if name != system]
    for name in order:
        assert name is not None
        comments = JSON_SYSTEMS[name](page)
        if comments:
            return RenderedThread(system=name, comments=comments)
    return _from_frames(page, system)


def _from_frames(page: RenderedPage, system: str | None) -> RenderedThread:
    """Comments drawn in the frames' DOM (or the main DOM), read by the HTML comment parsers."""
    from archiver.extract.comments import extract_comments
    from archiver.extract.document import Document

    for url, html in [*page.frames, (page.url, page.dom)]:
        if not html:
            continue
        thread = extract_comments(Document.from_html(html, url))
        if thread.comments:
            return RenderedThread(system=system or thread.system, comments=thread.comments)
    return RenderedThread(system=system)
