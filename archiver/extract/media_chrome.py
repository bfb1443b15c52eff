"""Images that sit inside the article container but are page furniture: share buttons, ad
banners and teaser cards of other stories.

Class names of such widgets vary without end, so these rules read what the markup DOES rather
than what it is called: where the image's link goes (a share endpoint, an ad click, another
story), the shape an ad slot has, and whether the image is one of a group of linked cards.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from urllib.parse import urlsplit

import lxml.html

from archiver.extract.media_filters import attribute_words
from archiver.values import join_url

# Link targets of share buttons: the "share this" endpoints of social networks and mail/messaging.
SHARE_LINK_FRAGMENTS = (
    "facebook.com/sharer", "facebook.com/share.php", "facebook.com/dialog/share", "twitter.com/intent",
    "twitter.com/share", "x.com/intent", "x.com/share", "pinterest.com/pin/create", "linkedin.com/share",
    "linkedin.com/cws/share", "reddit.com/submit", "wa.me/", "api.whatsapp.com/send", "whatsapp://",
    "t.me/share", "telegram.me/share", "tumblr.com/share", "tumblr.com/widgets/share", "vk.com/share",
    "getpocket.com/save", "getpocket.com/edit", "news.ycombinator.com/submitlink", "plus.google.com/share",
    "buffer.com/add", "bufferapp.com/add", "flipboard.com/bookmarklet", "addtoany.com/share",
    "line.me/r/msg", "xing.com/spi/shares", "threads.net/intent", "bsky.app/intent", "mix.com/add",
    "ok.ru/offer", "connect.ok.ru/offer", "digg.com/submit", "stumbleupon.com/submit",
)
_SHARE_SCHEMES = ("mailto:", "sms:", "whatsapp:", "fb-messenger:", "viber:", "tg:")
# Where ad links go: click trackers of ad servers, and affiliate networks' redirect links.
AD_LINK_FRAGMENTS = (
    "/aclk?", "adclick", "doubleclick.net", "/adserver", "clickserve", "/click?", "/clk?", "adform.net",
    "/ads/click", "banner_click", "ad.atdmt.com", "amzn.to/", "amzn.eu/", "go.skimresources.com",
    "click.linksynergy.com", "shareasale.com/r.cfm", "awin1.com/cread", "prf.hn/click",
    "redirect.viglink.com", "anrdoezrs.net", "tkqlhce.com", "jdoqocy.com", "dpbolvw.net", "kqzyfj.com",
)
# IAB ad-unit shapes (width, height): a declared size of one of these is an ad slot.
# Only the strips and towers: squares and rectangles (300x250, 200x200) are thumbnail sizes too.
AD_UNIT_SIZES = frozenset({
    (728, 90), (970, 90), (970, 250), (468, 60), (234, 60), (320, 50), (320, 100), (300, 50),
    (160, 600), (120, 600), (300, 600), (300, 1050),
})
_LINK_LEVELS = 5
_PLAYER_WORDS = frozenset({"video", "player", "video-player", "jwplayer", "vjs", "brightcove"})
_GROUP_LEVELS = 4
# A teaser group is mostly link text (titles); an article paragraph with two linked images is not.
_TEASER_LINK_DENSITY = 0.5
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp", ".tif", ".tiff")


def enclosing_link(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The <a href> around a media element (a few levels up at most)."""
    for ancestor in itertools.islice(element.iterancestors(), _LINK_LEVELS):
        if ancestor.tag == "a" and ancestor.get("href"):
            return ancestor
    return None


def is_share_link(href: str) -> bool:
    lowered = href.strip().lower()
    return lowered.startswith(_SHARE_SCHEMES) or any(part in lowered for part in SHARE_LINK_FRAGMENTS)


def is_ad_link(link: lxml.html.HtmlElement) -> bool:
    """A link that is an advertisement: marked sponsored, or going through an ad click tracker."""
    rel = (link.get("rel") or "").lower().split()
    href = (link.get("href") or "").lower()
    return "sponsored" in rel or any(part in href for part in AD_LINK_FRAGMENTS)


def is_ad_shape(width: int | None, height: int | None) -> bool:
    """An IAB ad-unit size, or a strip far wider than tall (leaderboards, dividers)."""
    if width is None or height is None:
        return False
    return (width, height) in AD_UNIT_SIZES or (height <= 120 and width >= 6 * max(height, 1))


@lru_cache(maxsize=8192)
def _opens_picture(href: str, page_url: str) -> bool:
    target = (join_url(page_url, href.strip()) or "").lower()
    return target.split("?", 1)[0].endswith(_IMAGE_EXTENSIONS) or "attachment" in target


@lru_cache(maxsize=8192)
def _is_other_page(href: str, page_url: str) -> bool:
    """A link to another HTML page of any site: not the picture itself, not this page or its
    children (WordPress attachment pages), not an anchor."""
    target = join_url(page_url, href.strip())
    if not target or target.startswith(("mailto:", "javascript:")):
        return False
    try:
        path = urlsplit(target).path.lower()
        page = urlsplit(page_url)
    except ValueError:
        return False
    if path.endswith(_IMAGE_EXTENSIONS) or "attachment" in target.lower():
        return False
    page_path = page.path.rstrip("/")
    same_host = urlsplit(target).netloc == page.netloc
    return not (same_host and page_path and path.rstrip("/").startswith(page_path))


@lru_cache(maxsize=8192)
def _page_of(href: str, page_url: str) -> str:
    """The page a link opens, without query and fragment: a gallery's `?id=1`, `?id=2` links
    open one page (this story's gallery); teaser cards open different stories."""
    target = join_url(page_url, href.strip()) or href
    return target.split("#", 1)[0].split("?", 1)[0]


def _is_teaser_group(container: lxml.html.HtmlElement, page_url: str) -> bool:
    """At least two linked images to other pages with distinct targets, in mostly link text."""
    linked_images = container.xpath(".//a[@href][.//img]")
    if len(linked_images) < 2:
        return False
    targets = {
        _page_of(link.get("href"), page_url) for link in linked_images
        if _is_other_page(link.get("href"), page_url)
    }
    if len(targets) < 2:
        return False
    text = len(container.text_content().strip())
    linked = sum(len(link.text_content().strip()) for link in container.iter("a"))
    return text > 0 and linked >= _TEASER_LINK_DENSITY * text


def is_furniture_image(element: lxml.html.HtmlElement, page_url: str,
                       width: int | None, height: int | None,
                       groups: dict[lxml.html.HtmlElement, bool] | None = None) -> bool:
    """True for share buttons, ad banners and teaser-card thumbnails inside the article.
    `groups` memoizes the teaser-group answer per container across the images of one page."""
    if is_ad_shape(width, height):
        return True
    link = enclosing_link(element)
    if link is None:
        return False
    href = link.get("href") or ""
    if is_share_link(href) or is_ad_link(link):
        return True
    if _opens_picture(href, page_url):
        return False  # a lightbox / attachment link: the picture itself
    # (a card may link to this very page: the current story listed among the others)
    if _in_player(element):
        return False  # a video player's poster, linking to the video's page: the article's video
    target = _page_of(href, page_url)
    ancestors = list(itertools.islice(link.iterancestors(), _GROUP_LEVELS))
    memo = {} if groups is None else groups
    for ancestor in ancestors:
        if _is_card(ancestor, target, page_url):
            return True
        if ancestor not in memo:
            memo[ancestor] = _is_teaser_group(ancestor, page_url)
        if memo[ancestor]:
            return True
    return False


def _in_player(element: lxml.html.HtmlElement) -> bool:
    return any(attribute_words(ancestor.get("class")) & _PLAYER_WORDS
               for ancestor in itertools.islice(element.iterancestors(), _LINK_LEVELS + 1))


def _is_card(container: lxml.html.HtmlElement, target: str, page_url: str) -> bool:
    """A teaser card: the picture's link and a heading's link open the same page (a story
    promoted inside or beside the text: picture, title, standfirst)."""
    return any(
        _page_of(link.get("href") or "", page_url) == target
        for heading in container.iter("h2", "h3", "h4", "h5", "h6")
        for link in heading.iter("a")
    )
