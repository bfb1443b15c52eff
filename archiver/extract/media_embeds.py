"""Third-party embeds: which provider an iframe URL belongs to, and script-driven blockquote embeds.

Providers are recognised by host (and a path prefix where one host serves several things, such as
google.com/maps), so an unknown host is simply "generic" rather than a guess.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import lxml.html

from archiver.values import join_url, safe_absolute_url

# (host suffix, path prefix, provider name); first match wins, so specific entries go first.
_PROVIDERS: tuple[tuple[str, str, str], ...] = (
    ("youtube.com", "", "YouTube"),
    ("youtube-nocookie.com", "", "YouTube"),
    ("youtu.be", "", "YouTube"),
    ("vimeo.com", "", "Vimeo"),
    ("twitter.com", "", "Twitter"),
    ("x.com", "", "Twitter"),
    ("twimg.com", "", "Twitter"),
    ("instagram.com", "", "Instagram"),
    ("tiktok.com", "", "TikTok"),
    ("soundcloud.com", "", "SoundCloud"),
    ("spotify.com", "", "Spotify"),
    ("facebook.com", "", "Facebook"),
    ("fb.watch", "", "Facebook"),
    ("google.com", "/maps", "Google Maps"),
    ("maps.google.com", "", "Google Maps"),
    ("datawrapper.de", "", "Datawrapper"),
    ("dwcdn.net", "", "Datawrapper"),
    ("dailymotion.com", "", "Dailymotion"),
    ("dai.ly", "", "Dailymotion"),
    ("twitch.tv", "", "Twitch"),
    ("reddit.com", "", "Reddit"),
    ("redditmedia.com", "", "Reddit"),
    ("giphy.com", "", "Giphy"),
    ("flickr.com", "", "Flickr"),
    ("imgur.com", "", "Imgur"),
    ("pinterest.com", "", "Pinterest"),
    ("linkedin.com", "", "LinkedIn"),
    ("bandcamp.com", "", "Bandcamp"),
    ("mixcloud.com", "", "Mixcloud"),
    ("podcasts.apple.com", "", "Apple Podcasts"),
    ("music.apple.com", "", "Apple Music"),
    ("jwplayer.com", "", "JW Player"),
    ("jwplatform.com", "", "JW Player"),
    ("brightcove.net", "", "Brightcove"),
    ("players.brightcove.net", "", "Brightcove"),
    ("flourish.studio", "", "Flourish"),
    ("flo.uri.sh", "", "Flourish"),
    ("infogram.com", "", "Infogram"),
    ("scribd.com", "", "Scribd"),
    ("documentcloud.org", "", "DocumentCloud"),
    ("codepen.io", "", "CodePen"),
    ("gist.github.com", "", "GitHub Gist"),
    ("slideshare.net", "", "SlideShare"),
    ("archive.org", "", "Internet Archive"),
    ("ted.com", "", "TED"),
    ("wistia.com", "", "Wistia"),
    ("wistia.net", "", "Wistia"),
)

# Hosts whose iframes are advertising or tracking, never article media.
AD_IFRAME_HOSTS = (
    "doubleclick.net", "googlesyndication.com", "googleadservices.com", "adnxs.com",
    "amazon-adsystem.com", "taboola.com", "outbrain.com", "criteo.com", "rubiconproject.com",
    "pubmatic.com", "casalemedia.com", "moatads.com", "facebook.com/tr?", "disqus.com",
    "googletagmanager.com", "serving-sys.com", "adsafeprotected.com", "smartadserver.com",
    "platform.twitter.com/widgets/follow_button", "facebook.com/plugins/like",
    "facebook.com/plugins/share_button", "facebook.com/plugins/page", "newsletter",
    "platform.twitter.com/widgets/tweet_button", "/plugins/like.php", "/plugins/share_button.php",
    "/api/ads?", "/ads?", "/adframe", "/ad-frame", "adserver",
)

# Script-driven embeds written as blockquotes/divs: class word -> provider.
BLOCKQUOTE_EMBEDS = {
    "twitter-tweet": "Twitter",
    "twitter-video": "Twitter",
    "twitter-timeline": "Twitter",
    "instagram-media": "Instagram",
    "tiktok-embed": "TikTok",
    "reddit-card": "Reddit",
    "reddit-embed-bq": "Reddit",
    "imgur-embed-pub": "Imgur",
    "fb-post": "Facebook",
    "fb-video": "Facebook",
    "bluesky-embed": "Bluesky",
    "mastodon-embed": "Mastodon",
    "threads-post": "Threads",
}

# A tweet's permalink from its numeric id (the `i` path works for any account).
TWEET_STATUS_URL = "https://twitter.com/i/status/{}"
_TWEET_URL = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/[^/]+/status(?:es)?/\d+")


def provider_for(url: str) -> str:
    """The provider name of an embed URL; "generic" when the host is not a known provider."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = parts.path.lower()
    for suffix, prefix, name in _PROVIDERS:
        if (host == suffix or host.endswith("." + suffix)) and path.startswith(prefix):
            return name
    return "generic"


def is_ad_iframe(url: str) -> bool:
    """True for iframes that serve ads, trackers or social buttons rather than content."""
    lowered = url.lower()
    return any(marker in lowered for marker in AD_IFRAME_HOSTS)


def embed_class(element: lxml.html.HtmlElement) -> str | None:
    """The BLOCKQUOTE_EMBEDS class word carried by `element`, if any; a blockquote/div carrying
    a tweet id (`data-tweet-id`, used by CMSes that render tweets themselves) is a tweet."""
    classes = (element.get("class") or "").split()
    for word in classes:
        if word in BLOCKQUOTE_EMBEDS:
            return word
    if element.tag in ("blockquote", "div", "figure") and (element.get("data-tweet-id") or element.get("data-tweetid")):
        return "twitter-tweet"
    return None


_RENDERED_TWEET = re.compile(r"^https?://platform\.twitter\.com/embed/(?:index\.html|Tweet\.html)\?(?:.*&)?id=(\d+)")
_FACEBOOK_PLUGIN = re.compile(r"^https?://(?:www\.)?facebook\.com/plugins/(?:post|video)\.php\?(?:.*&)?href=([^&]+)")


def canonical_embed_url(url: str) -> str:
    """The post a rendered embed iframe shows: a tweet's iframe as its status URL, Facebook's
    post/video plugin as the post it wraps; any other URL unchanged."""
    tweet = _RENDERED_TWEET.match(url)
    if tweet:
        return TWEET_STATUS_URL.format(tweet.group(1))
    post = _FACEBOOK_PLUGIN.match(url)
    if post:
        target = unquote(post.group(1))
        if target.startswith(("http://", "https://")):
            return target
    return url


def blockquote_embed_url(element: lxml.html.HtmlElement, word: str, base_url: str) -> str | None:
    """The permalink a script-driven embed points at (tweet, Instagram post, TikTok video, ...)."""
    tweet_id = element.get("data-tweet-id") or element.get("data-tweetid") or ""
    candidates = [
        TWEET_STATUS_URL.format(tweet_id.strip()) if tweet_id.strip().isdigit() else None,
        element.get("data-instgrm-permalink"),
        element.get("data-href"),
        element.get("cite"),
        element.get("data-url"),
    ]
    links = [a.get("href") for a in element.iter("a") if a.get("href")]
    if word.startswith("twitter"):
        # The last link of a tweet blockquote is its permalink; earlier ones are mentions/hashtags.
        tweet_links = [link for link in links if _TWEET_URL.match(link)]
        candidates = tweet_links[-1:] + candidates + links[-1:]
    else:
        candidates += links[:1]
    for candidate in candidates:
        url = safe_absolute_url(join_url(base_url, candidate)) if candidate else None
        if url:
            return url
    return None
