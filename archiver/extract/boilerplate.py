"""What boilerplate looks like: tag names, class/id words and visibility rules, readable in one go.

Body extraction asks these predicates about elements inside the chosen article container; they are
pure (no tree statistics), so the decision "is this big enough to be article text anyway" stays in
body.py where the per-node text lengths live.
"""

from __future__ import annotations

import re

import lxml.html

# Never text of the article, whatever their size.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object",
    "embed", "video", "audio", "map", "button", "select", "input", "textarea", "option", "label",
    "form", "nav", "aside", "footer", "dialog", "head", "title", "meta", "link",
})

# Block-level elements: they start a new paragraph. Every other element (span, a, em, custom
# elements such as <hl-trusted-source>) is inline: its text belongs to the paragraph around it.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu",
    "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul", "legend", "listing", "xmp", "plaintext",
})


HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# Words a heading's class uses to say it is a heading ("wp-block-heading", "section-header"):
# on a box they mark its title bar as furniture, on the heading itself they say nothing.
_HEADING_SELF_WORDS = frozenset({"heading", "header", "subheading", "title", "headline"})


def is_inline(tag: object) -> bool:
    """Inline text-level element (not block, not furniture that is never text)."""
    return tag not in BLOCK_TAGS and tag not in SKIP_TAGS


# Class/id words of page furniture (matched as whole words after splitting on -, _, camelCase).
_BOILERPLATE_WORDS = (
    "comment", "comments", "commentlist", "disqus", "respond", "reply", "replies",
    "share", "sharing", "shares", "sharebar", "sociable", "addthis", "sharedaddy",
    "shareaholic", "addtoany", "a2a", "follow", "sns",
    "related", "relatedposts", "recommended", "recommendations", "recirc", "recirculation",
    "trending", "popular", "outbrain", "taboola", "zergnet", "teaser", "teasers", "next",
    "previous", "prev", "newsletter", "subscribe", "subscription", "signup", "optin", "mailchimp",
    "ad", "ads", "adv", "advert", "advertisement", "advertising", "adsense", "adslot", "adunit",
    "dfp", "gpt", "sponsor", "sponsored", "promo", "promotion", "promoted", "banner", "affiliate",
    "cookie", "cookies", "consent", "gdpr", "author", "authors", "bio", "byline", "avatar",
    "profile", "nav", "navigation", "navbar", "menu", "breadcrumb", "breadcrumbs", "pagination",
    "pager", "sidebar", "widget", "widgets", "footer", "masthead", "toolbar", "tags", "tag",
    "taglist", "categories", "category", "meta", "postmeta", "postmetadata", "dateline", "timestamp", "date",
    "published", "print", "email", "popup", "modal", "overlay", "hidden", "hide", "sronly",
    "screen", "skip", "login", "btn", "button", "icon", "icons", "tools", "utility", "rating",
    "subscribe", "donate", "donation", "caption", "legend", "credit", "credits", "copyright", "nextpage",
    "video", "player", "gallery", "slideshow", "carousel", "slider", "jump", "toc",
    "kicker", "eyebrow", "header", "heading", "widget", "inline", "callout",
    "cta", "feedback", "survey", "poll", "alert", "notice", "notification", "ticker", "topics",
    "keywords", "hashtags", "breaking", "storyline", "timeline", "listen", "audio",
    "podcast", "facebook", "pinterest", "whatsapp", "linkedin",
)
# The few words that mark an inline element (a <span> inside a paragraph) as furniture.
INLINE_BOILERPLATE_WORDS = frozenset({
    "caption", "legend", "credit", "credits", "hidden", "sronly", "share", "sharing", "ad", "ads", "advert",
    "advertisement", "icon", "btn", "button", "tooltip", "popover", "hovercard", "visually", "offscreen",
})
_POSITIVE_WORDS = (
    "article", "articlebody", "body", "content", "entry", "main", "post", "story", "text",
    "blog", "news", "paragraph", "prose", "richtext", "markdown", "page", "single",
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")
BOILERPLATE_WORDS = frozenset(_BOILERPLATE_WORDS)
POSITIVE_WORDS = frozenset(_POSITIVE_WORDS)
# Words that alone say "this whole region is the article"; an element carrying one is never pruned.
ARTICLE_WORDS = frozenset({"articlebody", "entrycontent", "postcontent", "storybody",
                           "articlecontent", "postbody", "articletext", "storytext", "entrybody"})
# Whole short blocks that are page furniture in many languages: ad labels, "related" teasers,
# calls to follow/subscribe, reading-time notes, the labels of expand/collapse controls and of
# highlight boxes (their bullets are the story's summary and stay).
_FURNITURE_TEXT = re.compile(
    r"^(?:advert(?:isement|ising)?|sponsored(?: content)?|anzeige|werbung|publicit[ée]|"
    r"publicidad(?:e)?|pubblicit[àa]|реклама|iklan|広告|comments?|\d+ comments?|"
    r"you (?:may|might) also like\W*|don'?t miss\W*|more\W*|(?:read|see) (?:more|also)\b.*|"
    r"(?:also read|related|recommended|more from|filed under|tags?|categories|schlagw(?:orte|örter)|"
    r"stichw(?:orte|örter)|mots[- ]cl[ée]s|[ée]tiquettes|etiquetas|etichette|palavras[- ]chave|"
    r"trefwoorden)\b[^.!?]{0,60}:.*|"
    r"(?:see )?also\s*:.*|"
    r"listen\b.*\b(?:live|podcast|radio|on air|episode)\b.*|follow (?:us|me|him|her|them)\b.*|"
    r"(?:subscribe to|sign up for|like us on|join us on)\b.{0,80}|"
    r"(?:follow|subscribe|sign up|listen)\b.*(?:twitter|facebook|instagram|youtube|newsletter|"
    r"podcast|coverage|https?://|www\.|@\w).*|(?:last )?updated(?: on| at)?:? .{0,30}\d.{0,20}|"
    r"tell us what you think\W*|share (?:this|on)\b.*|(?:copyright|©|\(c\))\s.*|"
    r"(?:related|more|recommended|trending|popular|latest|top) (?:articles|stories|posts|news|"
    r"content|links|videos|coverage|reads|headlines|for you)\W*|most (?:read|popular|viewed)\W*|"
    r"(?:read|up) next\W*|what to read next\W*|you might also like\W*|"
    r"(?:show|view|load) (?:more|less|all)\W*|(?:mehr|weniger|alle) anzeigen\W*|"
    r"(?:story )?highlights\W*|key (?:points|takeaways)\W*|"
    r"(?:afficher|voir) (?:plus|moins)\W*|ver (?:más|menos)\W*|mostra (?:di )?(?:più|meno)\W*|"
    r"показать (?:ещё|больше)\W*|"
    r"(?:lesen sie auch|weiterlesen|mehr zum thema|lire aussi|[àa] lire aussi|lire la suite|"
    r"阅读下一篇|下一篇|上一篇|相关阅读|相关新闻|"
    r"lee también|leer más|leia também|leia mais|leggi anche|baca juga|lees ook|"
    r"читайте также)\b.*|"
    r"(?:tempo de leitura|reading time|lesezeit|temps de lecture)\s*:.*|\d+ min(?:ute)?s? read)$",
    re.IGNORECASE)
FURNITURE_TEXT_MAX = 120
# Found anywhere in a short block: reporter contact lines, bare timestamps, a call for readers'
# pictures ("Please share your photos at ..."), a closing "Follow us on Twitter @desk" call (an
# author's promo note ends with it), and the credit lines
# news desks close a story with ("Reporting by A; Editing by B", "A contributed to this report",
# "(Editor: A)", Chinese "（编辑：A）" / "【责任编辑：A】"): they name the staff, they are not the story.
_FURNITURE_ANYWHERE = re.compile(
    r"\b(?:can|may) be reached at\b|"
    r"^(?=.{0,60}$)(?=.*\b(?:19|20)\d\d\b)(?=.*\b\d{1,2}:\d\d\b).*$|"
    r"\bcontributed (?:reporting )?to this (?:report|story|article)\W*$|"
    r"(?:^|[.!?]\s)\s*(?:please )?(?:share|send)(?: us)? your (?:photos|pictures|videos|stories|tips)\b|"
    r"(?:^|[.!?]\s)\s*follow (?:us|me|him|her|them)\b[^!?]{0,80}"
    r"(?:twitter|facebook|instagram|linkedin|mastodon|bluesky|@\w)[^!?]{0,40}$|"
    r"^[(（【\[]\s*(?:责任)?编辑\s*[:：][^)）】\]]{1,60}[)）】\]]$|"
    r"^[(\[]\s*editors?\s*:[^)\]]{1,60}[)\]]$",
    re.IGNORECASE)
# "Reporting by Jane Doe in Paris; Editing by John Roe": after the opening credit, only names and
# these joining words (so "Reporting by the ministry showed..." stays prose).
_CREDIT_OPENING = re.compile(r"^\W{0,2}(?:additional\s+)?(?:reporting|writing|editing|compiled|edited)\s+by\s+",
                             re.IGNORECASE)
_CREDIT_GLUE = frozenset({"and", "by", "in", "from", "with", "additional", "reporting", "editing",
                          "writing"})
_CREDIT_WORD = re.compile(r"[\w'’.-]+")
FURNITURE_ANYWHERE_MAX = 250
_DISCLOSURE = re.compile(
    r"^\W*(?:disclosure|ftc|affiliate disclosure)\s*:|\baffiliate links?\b.*\b(?:commission|earn|earning)\b|"
    r"\b(?:commission|earn|earning)\b.*\baffiliate links?\b", re.IGNORECASE)
DISCLOSURE_MAX = 400
# A byline left in the text: "By Jane Doe", "BY JANE DOE AND JOHN ROE | Reuters" (case matters:
# "By taking off the top half..." is prose).
_NAME = r"[A-ZÀ-Ý][\w.'’-]*"
_BYLINE = re.compile(
    rf"^(?:By|BY|Written by|Posted by)\s+{_NAME}(?:\s+{_NAME}){{0,3}}"
    rf"(?:\s*(?:,|and|AND|&)\s*{_NAME}(?:\s+{_NAME}){{0,3}})*(?:\s*[|,·•—–-]\s*.{{0,60}})?$")
BYLINE_MAX = 100
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def class_words(element: lxml.html.HtmlElement) -> list[str]:
    """The class and id of `element` split into lower-case words ("relatedPosts" -> related, posts).
    A heading's id that spells two or more of its own words is left out: it is the anchor a table
    of contents links to ("nav_schredder_statt" on "Schredder statt Ofen"), not a name of what the
    element is."""
    element_id = element.get("id") or ""
    if element.tag in HEADING_TAGS and _is_slug_of_text(element_id, element):
        element_id = ""
    raw = f"{element.get('class') or ''} {element_id}"
    if not raw.strip():
        return []
    return [w for w in _SPLIT.split(_CAMEL.sub(" ", raw).lower()) if w]


def _is_slug_of_text(element_id: str, element: lxml.html.HtmlElement) -> bool:
    if not element_id:
        return False
    own_words = set(_SPLIT.split(element.text_content().lower()))
    return len(own_words.intersection(_SPLIT.split(element_id.lower())) - {""}) >= 2


def joined_class_names(element: lxml.html.HtmlElement) -> set[str]:
    """Each class/id name with its separators removed ("entry-content" -> "entrycontent")."""
    raw = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return {_SPLIT.sub("", name) for name in raw.split()}


def class_weight(element: lxml.html.HtmlElement) -> int:
    """Readability-style hint: > 0 when class/id words say "content", < 0 when they say furniture."""
    words = class_words(element)
    if not words:
        return 0
    if joined_class_names(element) & ARTICLE_WORDS:
        return 2
    weight = 0
    if any(w in POSITIVE_WORDS for w in words):
        weight += 1
    if any(w in BOILERPLATE_WORDS for w in words):
        weight -= 1
    return weight


def looks_like_boilerplate(element: lxml.html.HtmlElement) -> bool:
    """Class/id or ARIA role mark `element` as page furniture (and nothing marks it as content)."""
    role = (element.get("role") or "").lower()
    if role in ("navigation", "complementary", "banner", "contentinfo", "dialog", "alert", "menu"):
        return True
    words = class_words(element)
    if not words or joined_class_names(element) & ARTICLE_WORDS:
        return False
    vocabulary = BOILERPLATE_WORDS if element.tag in BLOCK_TAGS else INLINE_BOILERPLATE_WORDS
    if element.tag in HEADING_TAGS:
        words = [w for w in words if w not in _HEADING_SELF_WORDS]
    return any(w in vocabulary for w in words)


def is_hidden(element: lxml.html.HtmlElement) -> bool:
    """Hidden from readers by markup (hidden attribute, inline display:none). aria-hidden is not:
    it hides from screen readers only, typically a pull quote that repeats visible text."""
    if element.get("hidden") is not None:
        return True
    style = element.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def is_furniture_text(text: str) -> bool:
    """A short block whose words alone say it is an ad label, teaser header or call to action."""
    return len(text) <= FURNITURE_TEXT_MAX and bool(_FURNITURE_TEXT.match(text))


def is_byline(text: str) -> bool:
    """A short "By Name" line (with an optional role, agency or date after a separator)."""
    return len(text) <= BYLINE_MAX and bool(_BYLINE.match(text))


def is_furniture_note(text: str) -> bool:
    """A short block giving the reporter's contact, the staff credits, or only a timestamp."""
    if len(text) > FURNITURE_ANYWHERE_MAX:
        return False
    return bool(_FURNITURE_ANYWHERE.search(text)) or _is_credit_line(text)


def _is_credit_line(text: str) -> bool:
    opening = _CREDIT_OPENING.match(text)
    if opening is None:
        return False
    words = _CREDIT_WORD.findall(text[opening.end():])
    return bool(words) and all(word[0].isupper() or word.lower() in _CREDIT_GLUE for word in words)


def is_disclosure(text: str) -> bool:
    """A short affiliate/sponsorship disclosure ("FTC: We use income earning affiliate links",
    "Disclosure: we may earn a commission"): the publisher's statement about this article, kept
    as its text even when the box around it is classed "ad" or "affiliate"."""
    return len(text) <= DISCLOSURE_MAX and bool(_DISCLOSURE.search(text))


def is_shouting_link(text: str, link_share: float) -> bool:
    """An all-capitals line that is mostly a link: a promo for another story or an app."""
    return link_share >= 0.5 and len(text) >= 12 and text.isupper()
