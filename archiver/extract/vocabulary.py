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
