"""Shared XPath/CSS vocabulary: the class and id words that mark page regions, readable in one go."""

from __future__ import annotations

# JSON-LD / schema.org types that mean "this page is one article".
ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "BlogPosting", "Report", "ScholarlyArticle", "TechArticle",
    "AnalysisNewsArticle", "OpinionNewsArticle", "ReportageNewsArticle", "ReviewNewsArticle",
    "BackgroundNewsArticle", "LiveBlogPosting", "SocialMediaPosting", "DiscussionForumPosting",
    "Review", "AdvertiserContentArticle", "SatiricalArticle", "MedicalScholarlyArticle",
    "QAPage", "Question",
})

# og:type values of article pages.
ARTICLE_OG_TYPES = frozenset({"article", "blog", "news", "blogposting", "newsarticle"})

# Words in class/id that mark a byline / author element.
AUTHOR_CLASS_WORDS = ("byline", "author", "writer", "contributor")

# Phrases before author names to strip.
BYLINE_PREFIX = r"^\s*(?:by|von|par|por|di|door|af|av|автор|posted by|written by|words by)\s*[:\-]?\s+"

# ---- metadata -------------------------------------------------------------------------------

# <meta> names/properties, best first, for each date; read by archiver.extract.article_dates.
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "datepublished", "publishdate",
    "publish-date", "publish_date", "pubdate", "parsely-pub-date", "sailthru.date",
    "dc.date.issued", "dcterms.issued", "dcterms.created", "dc.date.created", "dc.date",
    "citation_publication_date", "citation_date", "article.published", "date", "article_date_original",
    "originalpublicationdate", "cxenseparse:recs:publishtime", "og:published_time",
)
MODIFIED_META = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified",
    "dcterms.modified", "dc.date.modified", "last-modified", "lastmod", "article.updated",
    "cxenseparse:recs:updatetime", "revised",
)
AUTHOR_META = (
    "author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
    "dcterms.creator", "citation_author", "byl", "twitter:creator:name",
)

# ---- page regions -----------------------------------------------------------------------------

# class/id prefixes of comment sections and other non-article regions (whole class tokens).
NON_ARTICLE_REGION_PREFIXES = (
    "comments-", "comment-list", "commentlist", "comment-respond", "wp-block-comments",
    "wp-block-comment-template", "disqus", "sharedaddy", "share-", "social-share", "jp-relatedposts",
    "related-", "yarpp", "crp_related", "newsletter-", "author-box", "author-bio", "adsbygoogle",
    "rollover", "tooltip", "hovercard", "popover", "modal",
    # share/follow widgets of the common plugins (AddToAny, ShareThis, Shareaholic, Simple Share
    # Buttons, Easy Social Share Buttons, Heateor, Ultimate Social Icons); not "social-": that
    # also starts "social-embed", a tweet shown in the article
    "a2a_", "addtoany", "sharethis", "shareaholic", "ssba", "essb_", "heateor", "sfsi",
)

# class/id fragments of regions whose media are not the article's: sharing, author boxes, related
# posts, ads, newsletters, navigation. Matched against whole words of class/id (words the prefixes
# above or NON_ARTICLE_REGION_PATTERN below already match, such as "social-share" or "next-post",
# are not repeated here).
NON_ARTICLE_REGION_WORDS = frozenset({
    "share", "sharing", "sharedaddy", "addtoany", "author-box", "authorbox", "author-bio",
    "author-info", "about-author", "byline", "related", "related-posts", "recommended", "recirc",
    "promo", "newsletter", "subscribe", "sponsored", "advert", "advertisement", "ad", "ads",
    "adsbygoogle", "taboola", "outbrain", "widget", "sidebar", "breadcrumb", "breadcrumbs", "menu",
    "nav", "navigation", "pagination", "post-navigation", "footer", "masthead", "site-header",
    "most-popular", "trending", "more-stories", "read-more", "comments", "comment", "respond",
    "comment-list", "commentlist", "comments-area", "disqus_thread", "nocontent",
    "social", "socials", "social-icons", "social-links", "social-buttons", "social-bar",
    "social-follow", "social-media-icons", "social-media-links", "follow-us", "more-from",
    "also-read", "read-also", "you-may-like", "you-might-like", "further-reading", "most-read",
    "mostread", "editors-picks", "top-stories", "latest-news", "latest-posts", "recent-posts",
    "post-nav",
})

# The same regions matched inside compound class names ("recommended-stories-module",
# "article-author-image"): one of these words between separators marks the element.
NON_ARTICLE_REGION_PATTERN = (
    r"(?:^|[\s_-])(?:related|recommended|recirc|promo|newsletter|sharing|share|sponsor|"
    r"sponsored|outbrain|taboola|advert|advertisement|ad|ads|author|byline|avatar|comments?|"
    r"disqus|breadcrumbs?|subscribe|paywall|popular|trending|more-stories|read-next|up-next|"
    r"sidebar|widget|rollover|tooltip|hovercard|popover|modal|donate|donation|donations|support-us|next-prev|prev-next|next-(?:post|story|article)s?|"
    r"prev(?:ious)?-(?:post|story|article)s?)(?:$|[\s_-])"
)

# Tags whose subtree never holds article media.
NON_MEDIA_TAGS = frozenset({"script", "style", "template", "nav", "aside", "form", "button",
                            "select", "svg", "math", "head", "title"})

# ---- media ------------------------------------------------------------------------------------

# Attributes lazy-loading scripts read the real image URL from, best first.
LAZY_SRC_ATTRS = (
    "data-src", "data-lazy-src", "data-original", "data-lazy", "data-url", "data-hi-res-src",
    "data-full-src", "data-echo", "data-img", "data-image", "data-actualsrc", "data-native-src",
)
LAZY_SRCSET_ATTRS = ("data-srcset", "data-lazy-srcset", "data-original-srcset", "data-src-set")

# Markup of a post's featured/lead image outside the body (WordPress themes and common CMSes).
FEATURED_IMAGE_XPATH = (
    '//img[contains(@class, "wp-post-image") or ancestor::*[position() <= 4][not(self::body)]'
    '[contains(@class, "post-thumbnail") or contains(@class, "featured-image")'
    ' or contains(@class, "featured-media")]]'
)
# class fragments of featured-image containers: the body walk leaves them to the lead image.
FEATURED_REGION = r"(?:^|\s)(?:post-thumbnail|wp-block-post-featured-image|featured-image|entry-featured-image)(?:$|\s)"

# Words in an image's class/id/alt/src that mark decoration rather than content.
DECORATIVE_IMAGE_WORDS = frozenset({
    "avatar", "gravatar", "logo", "icon", "icons", "emoji", "smiley", "wp-smiley", "sprite",
    "spacer", "badge", "spinner", "favicon", "author-photo", "profile-pic", "userpic",
})

# Hosts (or host+path fragments) of tracking beacons and counters.
TRACKING_URL_FRAGMENTS = (
    "doubleclick.net", "google-analytics.com", "googletagmanager.com", "scorecardresearch.com",
    "quantserve.com", "facebook.com/tr?", "facebook.com/tr/", "facebook.net", "pixel.wp.com", "stats.wp.com",
    "chartbeat.net", "mathtag.com", "bat.bing.com", "t.co/i/adsct", "analytics.twitter.com",
    "pixel.quantserve", "adsrvr.org", "demdex.net", "krxd.net", "omtrdc.net", "2o7.net",
    "parsely.com/plogger", "imrworldwide.com", "bluekai.com", "linkedin.com/px", "ads.linkedin.com",
    "sb.scorecardresearch", "amazon-adsystem.com", "gravatar.com", "/wp-includes/images/smilies/",
    "s.w.org/images/core/emoji", "feedburner.com/~r/", "feeds.feedburner.com", "/pixel.gif",
    "/spacer.gif", "/blank.gif", "/clear.gif", "/transparent.gif", "/1x1.", "://counter.",
    # ad servers: their <img>/<iframe> are banners, not article media
    "/adserver/", "/ads/", "://adserver.", "/delivery/avw", "/delivery/lg.php", "://adclick.",
    "googlesyndication.com", "/banners/", "ad.atdmt.com", "/adview", "pagead2.", "zdbb.net",
)

# class words marking a photo credit inside a figure or caption.
CREDIT_CLASS_WORDS = ("credit", "copyright", "photographer", "attribution", "image-source",
                      "photo-source", "courtesy")

# Page chrome around an article: metadata read from markup (bylines, dates, tag links) is ignored
# inside these (whole class/id tokens), so sidebars and comment threads never leak into the record.
CHROME_REGION_WORDS = frozenset({
    "comments", "comment", "respond", "comment-list", "commentlist", "comments-area", "widget",
    "sidebar", "site-footer", "colophon", "menu", "navigation", "breadcrumb", "breadcrumbs",
    "related", "related-posts", "tagcloud", "wp-block-tag-cloud", "recent-posts", "most-popular",
    "trending", "footer-widgets", "widget-area", "wp-block-latest-posts", "wp-block-latest-comments",
    "disqus_thread", "site-header", "masthead", "topbar", "top-bar", "site-branding", "ticker",
})
CHROME_TAGS = frozenset({"aside", "nav"})
