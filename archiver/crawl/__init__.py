"""What the `article` spider leans on to run one crawl, none of it a Scrapy component.

inputs (spider arguments) and url_scope (which URLs may be fetched); discovery (sitemaps, feeds,
robots.txt) and links_policy (which links a site crawl follows); comment_pages (fetching the rest
of a thread) and extraction_pool (extraction off the reactor); preflight (checks before start),
disk_full (stopping cleanly when writes fail), failures (which failed requests are errors) and
outcome (the exit code of a finished crawl).
"""
