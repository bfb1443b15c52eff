"""JavaScript comment embeds — Disqus, Facebook, Commento, Discourse and friends. Their comments are
not in the HTML: we record which system the page uses and the identifiers of its thread (so the
thread can be fetched later), plus `json_url` where a public endpoint needs no key (Discourse).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from archiver.extract.comments.comment_dates import parse_date
from archiver.extract.comments.dom import first
from archiver.extract.comments.found import Found
from archiver.extract.comments.text import fragment_text_and_html
from archiver.extract.comments.tree import thread_order
from archiver.extract.document import Document


def _script_text(doc: Document) -> str:
    """All inline scripts plus script src URLs: where embed configurations live."""
    cached = doc._cache.get("comment_scripts")
    if cached is None:
        parts = []
        for script in doc.tree.iter("script"):
            parts.append(script.get("src") or "")
            parts.append(script.text or "")
        cached = doc._cache["comment_scripts"] = "\n".join(parts)
    return str(cached)


def _js_value(source: str, *names: str) -> str | None:
    """A string/number assigned to one of `names` in JS or JSON (`var x = '…'`, `"x":"…"`,
    `this.page.x = …`)."""
    for name in names:
        if name not in source:  # the regex below is costly on long inline scripts
            continue
        pattern = (rf"""(?:\b|["']){re.escape(name)}["']?\s*[:=]\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'"""
                   rf"""|(\d+))""")
        match = re.search(pattern, source)
        if match:
            raw = next(group for group in match.groups() if group is not None)
            try:
                return str(json.loads(f'"{raw}"'))
            except ValueError:
                return raw
    return None


def disqus(doc: Document) -> Found | None:
    scripts = _script_text(doc)
    holder = first(doc.tree, "//*[@id='disqus_thread']")
    shortname = _js_value(scripts, "disqus_shortname", "disqusShortname")
    embed_host = re.search(r"//([\w-]+)\.disqus\.com/(?:embed|count)\.js", scripts)
    if holder is None and embed_host is None and not shortname:
        return None
    if embed_host and not shortname:
        shortname = embed_host.group(1)
    thread = {
        "shortname": shortname,
        "identifier": _js_value(scripts, "disqus_identifier", "disqusIdentifier",
                                "this.page.identifier"),
        "url": _js_value(scripts, "disqus_url", "disqusUrl", "this.page.url"),
        "title": _js_value(scripts, "disqus_title", "disqusTitle"),
    }
    if holder is not None and holder.get("data-disqus-identifier"):
        thread["identifier"] = holder.get("data-disqus-identifier")
    return Found(system="disqus", nodes=[holder] if holder is not None else [], thread=_clean(thread))


def facebook(doc: Document) -> Found | None:
    box = first(doc.tree, "//*[contains(concat(' ', @class, ' '), ' fb-comments ')] | //*[name()='fb:comments']")
    if box is None:
        frame = first(doc.tree, "//iframe[contains(@src, 'facebook.com/plugins/comments')]")
        if frame is None:
            return None
        href = parse_qs(urlsplit(frame.get("src") or "").query).get("href", [None])[0]
        return Found(system="facebook", nodes=[frame], thread=_clean({"href": href}))
    thread = {"href": box.get("data-href") or box.get("href") or doc.url,
              "numposts": box.get("data-numposts"), "order_by": box.get("data-order-by")}
    return Found(system="facebook", nodes=[box], thread=_clean(thread))


def commento(doc: Document) -> Found | None:
    script = first(doc.tree, "//script[contains(@src, 'commento')]")
    holder = first(doc.tree, "//*[@id='commento']")
    if script is None and holder is None:
        return None
    src = script.get("src") if script is not None else None
    thread = {
        "host": f"{urlsplit(src).scheme}://{urlsplit(src).netloc}" if src else None,
        "page_id": (script.get("data-page-id") if script is not None else None) or urlsplit(doc.url).path,
    }
    return Found(system="commento", nodes=[holder] if holder is not None else [], thread=_clean(thread))


def discourse(doc: Document) -> Found | None:
    scripts = _script_text(doc)
    holder = first(doc.tree, "//*[@id='discourse-comments']")
    if holder is None and "DiscourseEmbed" not in scripts:
        return None
    base = _js_value(scripts, "discourseUrl")
    topic = _js_value(scripts, "topicId")
    thread = {"url": base, "embed_url": _js_value(scripts, "discourseEmbedUrl") or doc.url,
              "topic_id": topic}
    if base and topic:
        # Public, keyless: the topic's posts as JSON.
        thread["json_url"] = urljoin(base if base.endswith("/") else base + "/", f"t/{topic}.json")
    return Found(system="discourse", nodes=[holder] if holder is not None else [], thread=_clean(thread))


def _simple(system: str, xpath: str) -> Callable[[Document], Found | None]:
    def detect(doc: Document) -> Found | None:
        node = first(doc.tree, xpath)
        return Found(system=system, nodes=[node]) if node is not None else None
    return detect


def _scripted(system: str, xpath: str, script: str, words: tuple[str, ...]) -> Callable[[Document], Found | None]:
    """A widget known by its holder element or, when the holder has no telling name, by its
    loader (a script URL of the provider or its start-up call; a site-wide config that only
    mentions the provider does not count) — the page then names the system even though the
    comments themselves arrive by JavaScript later."""
    pattern = re.compile(script)
    by_holder = _simple(system, xpath)
    # `words`: one of them is in every match. `in` on the script text costs far less than a
    # regex search, and most pages carry none of them.

    def detect(doc: Document) -> Found | None:
        found = by_holder(doc)
        if found is not None:
            return found
        text = _script_text(doc)
        if not any(word in text for word in words):
            return None
        return Found(system=system) if pattern.search(text) else None
    return detect


DETECTORS: tuple[Callable[[Document], Found | None], ...] = (
    disqus, facebook, commento, discourse,
    _simple("hyvor", "//*[@id='hyvor-talk-view'] | //hyvor-talk-comments"),
    _simple("utterances", "//script[contains(@src, 'utteranc.es')]"),
    _simple("giscus", "//script[contains(@src, 'giscus.app')]"),
    _simple("isso", "//*[@id='isso-thread'] | //script[@data-isso]"),
    _simple("remark42", "//*[@id='remark42']"),
    _simple("cusdis", "//*[@id='cusdis_thread']"),
    _simple("vuukle", "//*[contains(@class, 'vuukle-comments') or @id='vuukle-comments']"),
    _scripted("openweb", "//*[@data-spotim-module] | //*[@data-openweb-module] | //*[@id='openweb-conversation']"
              " | //*[@data-spot-id]", r"launcher\.spot\.im|launcher\.openweb\.com|\bSPOTIM\b",
              ("spot.im", "openweb.com", "SPOTIM")),
    _scripted("viafoura", "//*[contains(@class, 'viafoura')] | //vf-conversations"
              " | //*[contains(@class, 'vf3-comments')]", r"viafoura\.(?:net|co|com)/[^\s\"\']*\.js",
              ("viafoura",)),
    _scripted("coral", "//*[@id='coral_thread' or @id='coral-thread' or @id='coral_talk_stream'"
              " or @id='coral-comments' or @id='coral_comments']",
              r"Coral\.(?:createStreamEmbed|Talk\.render)|coralproject\.net",
              ("Coral.", "coralproject")),
    _scripted("livefyre", "//*[@id='livefyre-comments' or @id='livefyre' or @id='lf_comment_stream']"
              " | //*[contains(concat(' ', @class, ' '), ' fyre ')] | //*[@data-lf-app]",
              r"livefyre\.com/[^\s\"\']*\.js|fyre\.conv\.load|Livefyre\.require",
              ("livefyre", "fyre.conv", "Livefyre")),
    _scripted("intensedebate", "//*[@id='idc-container' or @id='IDCommentsPostTitle']",
              r"intensedebate\.com/[^\s\"\']*\.js|idcomments_acct",
              ("intensedebate", "idcomments_acct")),
    _scripted("graphcomment", "//*[@id='graphcomment']", r"graphcomment\.com/[^\s\"\']*\.js|__semio__params",
              ("graphcomment", "__semio__")),
    _scripted("insticator", "//*[@id='insticator-commenting']", r"insticator\.com/[^\s\"\']*comment",
              ("insticator",)),
    _scripted("cackle", "//*[@id='mc-container']", r"cackle_widget|cackle\.me",
              ("cackle",)),
    _scripted("hypercomments", "//*[@id='hypercomments_widget']", r"_hcwp\b|hypercomments\.com/[^\s\"\']*\.js",
              ("_hcwp", "hypercomments")),
    _scripted("talkyard", "//*[contains(@class, 'talkyard-comments')]", r"talkyard-comments(?:\.min)?\.js",
              ("talkyard-comments",)),
    _scripted("muut", "//a[contains(concat(' ', @class, ' '), ' muut ')]", r"muut\.com/(?:js|embed)",
              ("muut.com",)),
)


def find(doc: Document) -> Found | None:
    """The first JavaScript comment embed the page carries, with its thread identifiers."""
    for detect in DETECTORS:
        found = detect(doc)
        if found is not None:
            return found
    return None


def _clean(thread: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in thread.items() if value not in (None, "")}



def comments_from_discourse(topic: Any, base_url: str) -> list[dict[str, Any]]:
    """Comment records from a Discourse topic's public JSON (`thread["json_url"]`), replies after the
    first post (which is the embedded article itself), parents from `reply_to_post_number`."""
    posts = ((topic or {}).get("post_stream") or {}).get("posts") if isinstance(topic, dict) else None
    records = []
    for post in posts if isinstance(posts, list) else []:
        number = post.get("post_number") if isinstance(post, dict) else None
        if not isinstance(number, int) or number <= 1 or post.get("hidden") or post.get("deleted_at"):
            continue
        text, html = fragment_text_and_html(post.get('cooked') or '', base_url)
        parent = post.get("reply_to_post_number")
        username = post.get("username")
        records.append({
            "id": str(number), "parent_id": str(parent) if isinstance(parent, int) and parent > 1 else None,
            "depth": 1,
            "author": {"name": post.get("name") or username or None,
                       "url": urljoin(base_url, f"/u/{username}") if username else None},
            "published": parse_date(str(post.get("created_at") or "")), "text": text, "html": html,
            "permalink": urljoin(base_url, f"/t/{topic.get('slug') or '-'}/{topic.get('id')}/{number}"),
            "type": "comment",
        })
    return thread_order(records)
