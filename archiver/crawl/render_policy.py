"""When a page is rendered in the browser (`-a render=auto|always|never`, setting RENDER).

`auto` renders a page only when what the crawler already knows says the HTML lacks comments a
browser would show: the page embeds a JavaScript comment system and no comment was found, or the
page claims more comments than were found. Pure functions: the decision needs no I/O.
"""

from __future__ import annotations

from typing import Any

from archiver.defaults import default, setting

RENDER_MODES = ("auto", "always", "never")

# Comment systems whose threads are drawn by JavaScript and that `auto` renders. A subset of what
# archiver.extract.comments.javascript_systems names: the systems named there later (Livefyre,
# IntenseDebate, GraphComment, Insticator, Cackle, HyperComments, Talkyard, Muut) are not rendered yet.
JS_SYSTEMS = frozenset({
    "disqus", "facebook", "commento", "discourse", "hyvor", "utterances", "giscus", "isso",
    "remark42", "cusdis", "vuukle", "openweb", "viafoura", "coral",
})


class RenderModeError(ValueError):
    """A RENDER value that is not one of RENDER_MODES (the message is one line for the user)."""


def render_mode(value: Any) -> str:
    """`value` (spider argument or setting) as one of RENDER_MODES; RenderModeError otherwise."""
    mode = str(value if value not in (None, "") else default("RENDER")).strip().lower()
    if mode not in RENDER_MODES:
        raise RenderModeError(f"render: expected one of {', '.join(RENDER_MODES)}, got {value!r}")
    return mode


def setting_problem(settings: Any) -> str | None:
    """A one-line complaint about the RENDER setting, or None when it is valid (crawl pre-flight)."""
    try:
        render_mode(setting(settings, "RENDER"))
    except RenderModeError as exc:
        return f"RENDER setting: {str(exc).removeprefix('render: ')}"
    return None


def needs_render(mode: str, record: dict[str, Any]) -> bool:
    """Whether the page of `record` (comments already completed from HTML pages/REST/JSON) is rendered."""
    if mode == "always":
        return True
    if mode != "auto":
        return False
    found = len(record.get("comments") or [])
    if record.get("comments_system") in JS_SYSTEMS and not found:
        return True
    claimed = record.get("comment_count")
    return isinstance(claimed, int) and claimed > found
