"""A local site whose article comments load by JavaScript, in the shapes of Disqus, Coral and Viafoura.

Served from 127.0.0.1 (`widget_site()` yields the base URL). Each system has an article page with
its public embed snippet, a widget script (tests/fixtures/render/) that builds the thread the way
the real one does (Disqus: an iframe with `disqus-threadData`, then `listPostsThreaded` pages by
cursor; Coral: an iframe asking GraphQL, "Load More" and "Show all replies"; Viafoura: the v4
livecomments API with paging and reply lists), and the JSON answers. Scripts and JSON go out
gzip-encoded, as CDNs send them. `/hang/` pages wait forever for their widget script, `/crash/`
pages are Disqus pages whose widget script tests/servers/browser_faults.py answers by crashing the
browser, and
`/plain/N` pages have no widget (for the benchmark and the render=auto tests). `latency_seconds`
(a handler attribute, like `hang_seconds`) delays every answer, as a distant server does;
`widget_host_name` (e.g. "localhost") makes the Disqus page load its embed, and so its thread frame,
from that name on the same port: a third-party host, as disqus.com is for a real publisher.

`DISQUS_POSTS`, `CORAL_COMMENTS` and `VIAFOURA_COMMENTS` are the truth the tests compare against.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

SCRIPTS = Path(__file__).resolve().parent.parent / "fixtures" / "render"
PROSE = "".join(f"<p>Paragraph {n} of an article whose readers discuss it in a widget that only "
                f"JavaScript draws. It has enough running text to be read as the article body.</p>"
                for n in range(1, 6))


def _post(pid: int, parent: int | None, name: str, day: int, text: str, deleted: bool = False) -> dict[str, Any]:
    return {"id": str(pid), "parent": parent, "forum": "example", "thread": "7001",
            "author": {"name": name, "username": name.lower().replace(" ", ""),
                       "profileUrl": f"https://disqus.com/by/{name.lower().replace(' ', '')}/"},
            "createdAt": f"2024-05-{day:02d}T10:{pid % 60:02d}:00", "message": f"<p>{text}</p>",
            "isDeleted": deleted, "isSpam": False, "likes": pid % 3, "dislikes": 0}


# Page 1 is in the embed's threadData; page 2 comes from listPostsThreaded (replies to page 1 too).
DISQUS_PAGES = [
    [_post(1001, None, "Ada Lovelace", 1, "The first comment on the article."),
     _post(1002, 1001, "Charles Babbage", 1, "A reply to Ada."),
     _post(1003, 1002, "Ada Lovelace", 2, "A reply to the reply, <b>with markup</b>."),
     _post(1004, None, "Grace Hopper", 2, "A second top-level comment."),
     _post(1005, 1001, "Alan Turing", 3, "Another reply to the first comment."),
     _post(1006, None, "Edsger Dijkstra", 3, "Third top-level comment."),
     _post(1007, None, "Someone", 3, "This was removed.", deleted=True),
     _post(1008, 1007, "Barbara Liskov", 4, "A reply to a deleted comment stays.")],
    [_post(1009, None, "Donald Knuth", 5, "A comment from the second page."),
     _post(1010, 1004, "Margaret Hamilton", 5, "A late reply to Grace, on page two."),
     _post(1011, 1010, "Grace Hopper", 6, "An answer on page two."),
     _post(1012, None, "Ken Thompson", 6, "The last comment.")],
]
DISQUS_POSTS = [post for page in DISQUS_PAGES for post in page if not post["isDeleted"]]


def _coral(cid: str, parent: str | None, user: str, day: int, text: str) -> dict[str, Any]:
    return {"id": cid, "parent": parent, "username": user, "createdAt": f"2024-06-{day:02d}T08:30:00.000Z",
            "body": f"<p>{text}</p>"}


CORAL_COMMENTS = [
    _coral("c-1", None, "reader_one", 1, "Coral top-level one."),
    _coral("c-1a", "c-1", "reader_two", 1, "First reply, shown with the comment."),
    _coral("c-1b", "c-1", "reader_three", 2, "Second reply, behind Show all replies."),
    _coral("c-1b1", "c-1b", "reader_one", 2, "A reply to the second reply."),
    _coral("c-2", None, "reader_four", 3, "Coral top-level two."),
    _coral("c-3", None, "reader_five", 3, "Coral top-level three."),
    _coral("c-4", None, "reader_six", 4, "Coral top-level four, behind Load More."),
    _coral("c-4a", "c-4", "reader_two", 5, "A reply on the second page."),
]


def _vf(uuid: str, parent: str, name: str, ms: int, text: str) -> dict[str, Any]:
    return {"content_uuid": uuid, "parent_uuid": parent, "content_container_uuid": VF_CONTAINER,
            "thread_uuid": uuid, "actor_uuid": f"actor-{name.lower()}", "actor": {"name": name},
            "content": text, "date_created": ms, "status": "visible", "total_replies": 0}


VF_SECTION, VF_CONTAINER = "00000000-0000-4000-8000-00000000abcd", "article-77"
VIAFOURA_COMMENTS = [
    _vf("v-1", VF_CONTAINER, "Alice", 1717200000000, "Viafoura first."),
    _vf("v-1a", "v-1", "Bob", 1717200600000, "Reply to Alice."),
    _vf("v-1a1", "v-1a", "Carol", 1717201200000, "Reply to Bob."),
    _vf("v-2", VF_CONTAINER, "Dave", 1717203000000, "Viafoura second."),
    _vf("v-3", VF_CONTAINER, "Erin", 1717204000000, "Viafoura third."),
    _vf("v-4", VF_CONTAINER, "Frank", 1717205000000, "Viafoura fourth, second page."),
]


class WidgetSiteHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hang_seconds = 120.0
    latency_seconds = 0.0  # time to first byte of every answer (the benchmark's "real site")
    widget_host_name = ""  # another name of this server for the Disqus embed ("" = the page's host)

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server interface
        self._route(None)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self._route(self.rfile.read(length))

    def _route(self, body: bytes | None) -> None:
        if self.latency_seconds:
            time.sleep(self.latency_seconds)
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/robots.txt":
            return self._send("User-agent: *\nAllow: /\n", "text/plain")
        if path.startswith("/hang/") and path.endswith(".js"):
            time.sleep(self.hang_seconds)
            return self._send("", "application/javascript")
        if path.endswith(".js") and (SCRIPTS / Path(path).name).exists():
            # Widget bundles are cacheable, as their CDNs send them; everything else is no-store.
            return self._send((SCRIPTS / Path(path).name).read_text(), "application/javascript", gzipped=True,
                              cache_control="public, max-age=600")
        handler = ROUTES.get(path)
        if handler is None and path.startswith("/v4/livecomments/"):
            handler = viafoura_api
        if handler is None and path.startswith("/plain/"):
            handler = plain_page
        if handler is None and path.startswith("/disqus/") and path.endswith(".html"):
            handler = disqus_article  # /disqus/N.html: more pages with the same thread
        if handler is None:
            return self._send("not found", "text/plain", status=404)
        content, content_type = handler(self, path, query, body)
        self._send(content, content_type, gzipped="json" in content_type)

    def _send(self, content: str, content_type: str, status: int = 200, gzipped: bool = False,
              cache_control: str = "no-store") -> None:
        data = content.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        if gzipped and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            data = gzip.compress(data)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", cache_control)
        self.end_headers()
        self.wfile.write(data)


def _article(title: str, widget: str, head: str = "") -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:type" content="article">{head}</head><body><article><h1>{title}</h1>'
            f'<p class="byline">By <span class="author">Test Writer</span></p>{PROSE}</article>'
            f'<section class="comments-area">{widget}</section></body></html>')


def disqus_article(handler: Any, path: str, query: Any, body: Any) -> tuple[str, str]:
    """The article with Disqus' universal embed code (shortname `example`)."""
    host = handler.headers.get("Host")
    script = {"/hang/": "/hang/embed.js", "/crash/": "/crash/disqus-embed.js"}.get(
        path[: path.find("/", 1) + 1], "/disqus-embed.js")
    if handler.widget_host_name:
        script = f"http://{handler.widget_host_name}:{handler.server.server_port}{script}"
    widget = (f'<div id="disqus_thread"></div><script>var disqus_shortname = "example";'
              f'var disqus_config = function () {{ this.page.url = "http://{host}{path}";'
              f' this.page.identifier = "post-42"; }};'
              f'(function() {{ var d = document, s = d.createElement("script"); s.src = "{script}";'
              f' s.setAttribute("data-timestamp", +new Date()); (d.head || d.body).appendChild(s); }})();'
              f'</script><noscript>Please enable JavaScript to view the comments.</noscript>')
    return _article("An article with Disqus comments", widget), "text/html"


def disqus_frame(handler: Any, path: str, query: Any, body: Any) -> tuple[str, str]:
    """The embed iframe: the first page of the thread as threadData, and the thread app."""
    thread = {"id": "7001", "forum": "example", "identifiers": [query.get("t_i", [""])[0]],
              "link": query.get("t_u", [""])[0], "posts": len(DISQUS_POSTS)}
    data = {"code": 0, "response": {"thread": thread, "posts": DISQUS_PAGES[0], "order": "asc"},
            "cursor": {"hasNext": True, "next": "2:0:0", "hasPrev": False, "prev": None}}
    html = ('<!doctype html><html><head><meta charset="utf-8"><title>Disqus Comments</title></head><body>'
            '<div id="posts"><ul id="post-list" class="post-list"></ul>'
            '<a href="#" id="load-more" class="load-more__button">Load more comments</a></div>'
            f'<script type="text/json" id="disqus-threadData">{json.dumps(data)}</script>'
            '<script src="/disqus-frame.js"></script></body></html>')
    return html, "text/html"


def disqus_posts_threaded(handler: Any, path: str, query: Any, body: Any) -> tuple[str, str]:
    """api/3.0/threads/listPostsThreaded: the page the cursor names."""
    page = int(query.get("cursor", ["1:0:0"])[0].split(":")[0])
    posts = DISQUS_PAGES[page - 1] if 1 <= page <= len(DISQUS_PAGES) else []
    has_next = page < len(DISQUS_PAGES)
    answer = {"code": 0, "response": posts,
              "cursor": {"hasNext": has_next, "next": f"{page + 1}:0:0" if has_next else None,
                         "hasPrev": page > 1, "prev": f"{page - 1}:0:0"}}
    return json.dumps(answer), "application/json"


def coral_article(handler: Any, path: str, query: Any, body: Any) -> tuple[str, str]:
    """The article with Coral's embed code (rootURL = this site)."""
    host = handler.headers.get("Host")
    widget = ('<div id="coral_thread"></div><script type="text/javascript">(function() {'
              'var d = document, s = d.createElement("script"); s.src = "/assets/js/coral-embed.js";'
              ' s.async = false; s.defer = true; s.onload = function() { Coral.createStreamEmbed({'
              f' id: "coral_thread", autoRender: true, rootURL: "http://{host}", storyID: "story-9",'
              f' storyURL: "http://{host}{path}" }}); }}; (d.head || d.body).appendChild(s); }})();</script>')
    return _article("An article with Coral comments", widget), "text/html"


def coral_frame(handler: Any, path: str, query: Any, body: Any) -> tuple[str, str]:
    return ('<!doctype html><html><head><meta charset="utf-8"><title>Coral</title></head><body>'
            '<div id="stream"></div><button id="load-more" style="display:none">Load More</button>'
            '<script src="/assets/js/coral-frame.js"></script></body></html>'), "text/html"


def _coral_node(comment: dict[str, Any], with_parent: bool) -> dict[str, Any]:
    replies = [c for c in CORAL_COMMENTS if c["parent"] == comment["id"]]
    node: dict[str, Any] = {"id": comment["id"], "body": comment["body"], "createdAt": comment["createdAt"],
                            "status": "APPROVED", "author": {"id": "u-" + comment["username"],
                                                             "username": comment["username"]},
                            "replyCount": len(replies)}
    if with_parent:
        node["parent"] = {"id": comment["parent"]}
    return node


def coral_graphql(handler: Any, path: str, query: Any, body: Any) -> tuple[str, str]:
    """POST /api/graphql: the story's comments (3 a page, first reply inline) or a comment's replies."""
    request = json.loads(body or b"{}")
    variables = request.get("variables") or {}
    if "LoadMoreReplies" in request.get("query", ""):
        replies = [c for c in CORAL_COMMENTS if c["parent"] == variables.get("id")]
        edges = [{"node": _coral_node(c, True), "cursor": c["id"]} for c in replies]
        data = {"comment": {"id": variables.get("id"),
                            "replies": {"edges": edges, "pageInfo": {"hasNextPage": False, "endCursor": None}}}}
        return json.dumps({"data": data}), "application/json"
    roots = [c for c in CORAL_COMMENTS if c["parent"] is None]
    start = int(variables.get("after") or 0)
    page = roots[start:start + 3]
    edges = []
    for comment in page:
        node = _coral_node(comment, False)
        first_reply = [c for c in CORAL_COMMENTS if c["parent"] == comment["id"]][:1]
        node["replies"] = {"edges": [{"node": _coral_node(c, False), "cursor": c["id"]} for c in first_reply],
                           "pageInfo": {"hasNextPage": node["replyCount"] > 1, "endCursor": None}}
        edges.append({"node": node, "cursor": comment["id"]})
    more = start + 3 < len(roots)
    story = {"id": "story-9", "url": variables.get("storyURL"),
             "comments": {"edges": edges, "pageInfo": {"hasNextPage": more,
                                                       "endCursor": str(start + 3) if more else None}}}
    return json.dumps({"data": {"story": story}}), "application/json"


def viafoura_article(handler: Any, path: str, query: Any, body: Any) -> tuple[str, str]:
    head = (f'<meta name="vf:section_uuid" content="{VF_SECTION}">'
            f'<meta name="vf:container_id" content="{VF_CONTAINER}">')
    widget = ('<div class="viafoura"><vf-conversations></vf-conversations></div>'
              '<script async src="/entry/viafoura-entry.js"></script>')
    return _article("An article with Viafoura comments", widget, head), "text/html"


def viafoura_api(handler: Any, path: str, query: Any, body: Any) -> tuple[str, str]:
    """/v4/livecomments/{section}/{container}/comments[/{uuid}/replies]."""
    def shaped(comment: dict[str, Any]) -> dict[str, Any]:
        replies = [c for c in VIAFOURA_COMMENTS if c["parent_uuid"] == comment["content_uuid"]]
        return {**comment, "total_replies": len(replies)}

    if path.endswith("/replies"):
        parent = path.rstrip("/").split("/")[-2]
        contents = [shaped(c) for c in VIAFOURA_COMMENTS if c["parent_uuid"] == parent]
        return json.dumps({"contents": contents, "more_available": False}), "application/json"
    roots = [c for c in VIAFOURA_COMMENTS if c["parent_uuid"] == VF_CONTAINER]
    start = int(query.get("page_key", ["0"])[0])
    page = roots[start:start + 3]
    more = start + 3 < len(roots)
    answer = {"contents": [shaped(c) for c in page], "more_available": more,
              "next_page_key": str(start + 3) if more else None}
    return json.dumps(answer), "application/json"


def plain_page(handler: Any, path: str, query: Any, body: Any) -> tuple[str, str]:
    """An article without any comment widget (the nine in ten of the benchmark)."""
    return _article(f"Plain article {path.rsplit('/', 1)[-1]}", "<p>No comments yet.</p>"), "text/html"


ROUTES = {
    "/disqus/article.html": disqus_article,
    "/hang/article.html": disqus_article,
    "/crash/article.html": disqus_article,
    "/embed/comments/": disqus_frame,
    "/api/3.0/threads/listPostsThreaded": disqus_posts_threaded,
    "/coral/article.html": coral_article,
    "/embed/stream": coral_frame,
    "/api/graphql": coral_graphql,
    "/viafoura/article.html": viafoura_article,
}


@contextmanager
def widget_site(**handler_attributes: Any) -> Iterator[str]:
    """Serve the site on 127.0.0.1 in a background thread; yields the base URL."""
    handler = type("Handler", (WidgetSiteHandler,), handler_attributes)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="widget-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
