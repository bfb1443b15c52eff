"""Scrapy settings of the archiver project: every setting we add, with its default, in one place.

Override any of them with `-s NAME=VALUE`, in a cron job's `settings` table, or in your own
settings module.
"""

from archiver import __version__

BOT_NAME = "archiver"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# Our `crawl` command wraps Scrapy's: clean one-line argument errors and a truthful exit code.
COMMANDS_MODULE = "archiver.commands"

# --- Output -------------------------------------------------------------------------------------
# Root of all crawl directories; each run writes into ARCHIVE_DIR/<crawl-id>/.
ARCHIVE_DIR = "output"
# Crawl id (directory name); empty = a fresh timestamped id per run.
CRAWL_ID = ""
# Rotate JSONL files after this many records / bytes (0 = never).
JSONL_MAX_RECORDS = 10_000
JSONL_MAX_BYTES = 256 * 1024 * 1024
# Write records-*.jsonl.gz instead of plain .jsonl.
JSONL_GZIP = False

# --- Politeness and identity --------------------------------------------------------------------
# Contact shown in the User-Agent (an e-mail or URL) so site owners can reach the operator.
ARCHIVER_CONTACT = ""
USER_AGENT = f"archiver/{__version__} (+https://github.com/archiver/archiver)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
# Scrapy starts this many asyncio tasks for every callback's output, however little it yields; a page
# gives one record and a few requests, and our pipelines are synchronous, so 100 (the default) only
# costs task churn in the reactor (the top cost of a profiled crawl after link filtering).
CONCURRENT_ITEMS = 16
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# The spider's errback logs the one error line per failed URL; Scrapy's own give-up line is noise.
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"
# 429/503 with Retry-After: wait that long before the retry (RetryAfterMiddleware) ...
RETRY_AFTER_ENABLED = True
# ... unless it asks for more than this (seconds).
RETRY_AFTER_MAX_DELAY = 120.0
# Refuse private/loopback/link-local targets: True, False, or "auto" (on for site crawls of public
# hosts); PRIVATE_NETWORKS_ALLOW lists addresses/CIDRs exempted (tests allow 127.0.0.1).
BLOCK_PRIVATE_NETWORKS = "auto"
PRIVATE_NETWORKS_ALLOW: list[str] = []
# URL-trap guard (TrapGuardMiddleware): on or off ...
TRAP_GUARD_ENABLED = True
# ... close a URL family after this many fetched pages without an article ...
TRAP_UNPRODUCTIVE_PAGES = 100
# ... or once it reaches this many distinct URLs.
TRAP_MAX_PER_SHAPE = 5000
# Decompressed size may not exceed compressed size x this ratio (real HTML: 5-20x) ...
DECOMPRESSION_MAX_RATIO = 200
# ... except below this many bytes, which any response may inflate to (DOWNLOAD_MAXSIZE still caps).
DECOMPRESSION_MIN_LIMIT = 8 * 1024 * 1024
# Largest response we accept (bytes, after decompression) and the size we warn at. Real article
# pages are well under 5 MB; a 50 MB page costs ~45 s and ~750 MB of memory to extract.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- Scope (spider arguments of the same name override these) -----------------------------------
# Extra hosts a crawl may visit besides the hosts of its seeds (comma-separated or list).
ALLOWED_HOSTS: list[str] = []
# Only URLs matching INCLUDE (if set) and not matching EXCLUDE are followed (regexes).
INCLUDE_URLS: list[str] = []
EXCLUDE_URLS: list[str] = []
# A cap on pages fetched by one crawl (0 = unlimited); comment pages and sitemaps don't count.
MAX_PAGES = 0

# --- Crawl outcome ------------------------------------------------------------------------------
# `scrapy crawl` exits non-zero when errors exceed this share of responses (0.0-1.0)...
ERROR_RATE_THRESHOLD = 0.2
# ... or when the crawl wrote no record although it had inputs.
FAIL_ON_EMPTY = True

# --- Pipelines ----------------------------------------------------------------------------------
ITEM_PIPELINES = {
    "archiver.pipelines.normalize.NormalizePipeline": 100,
    "archiver.pipelines.dedupe.DedupePipeline": 200,
    # INCREMENTAL only: drop unchanged articles, set version/previous_digest/new_comment_count.
    "archiver.incremental.pipelines.IncrementalPipeline": 250,
    "archiver.pipelines.validate.ValidatePipeline": 300,
    # One WARC metadata record per article, after validation, before the JSONL line is written.
    "archiver.pipelines.warcmeta.WarcMetadataPipeline": 700,
    # Fetch the article's images/audio/video into the WARC when ARCHIVE_MEDIA is on.
    "archiver.pipelines.media_capture.MediaCapturePipeline": 710,
    "archiver.pipelines.jsonl.JsonlWriterPipeline": 800,
    # INCREMENTAL only: the crawl state learns of a record once its JSONL line is written.
    "archiver.incremental.pipelines.IncrementalCommitPipeline": 900,
}
DOWNLOADER_MIDDLEWARES = {
    "archiver.middlewares.scope.ScopeMiddleware": 50,
    # SSRF guard: drops requests/redirects to private or loopback addresses (BLOCK_PRIVATE_NETWORKS).
    "archiver.middlewares.private_networks.PrivateNetworksMiddleware": 55,
    # Drops discovered-link families (calendars, session ids) that never yield articles.
    "archiver.middlewares.traps.TrapGuardMiddleware": 60,
    # Above RetryMiddleware (550): waits what Retry-After asks on 429/503 before retrying.
    "archiver.middlewares.retry_after.RetryAfterMiddleware": 560,
    # Above RedirectMiddleware (600): a redirect loop fails with one logged line, not silently.
    "archiver.middlewares.redirect_loops.RedirectLoopMiddleware": 610,
    # Scrapy's decompression plus a compression-ratio cap (zip bombs stop after a few MB).
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "archiver.middlewares.decompression.RatioGuardedHttpCompressionMiddleware": 590,
    # Above HttpCompression (590) and Redirect (600): archives raw bodies and 3xx responses.
    "archiver.middlewares.warc_capture.WarcCaptureMiddleware": 950,
    # INCREMENTAL only, below the capture and DownloaderStats (850): 304 / identical re-visits
    # are archived and counted, then stop here (no record).
    "archiver.incremental.middlewares.IncrementalDownloaderMiddleware": 840,
}
SPIDER_MIDDLEWARES = {
    # INCREMENTAL only: skip known articles that are not due, schedule the due ones.
    "archiver.incremental.middlewares.IncrementalSpiderMiddleware": 550,
}
EXTENSIONS = {
    # Masks API keys, tokens and URL passwords in every log line (built before Scrapy logs settings).
    "archiver.extensions.redact.SecretRedaction": 0,
    # Disk full / read-only while writing: stop at once with one clear line (archiver.crawl.disk_full).
    "archiver.extensions.diskfull.DiskFullGuard": 1,
    "archiver.extensions.summary.CrawlSummary": 500,
}

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# --- Extraction ---------------------------------------------------------------------------------
# Processes that run page extraction beside the reactor (-1 = one per spare core, 0 = in-process).
EXTRACT_WORKERS = -1
# Seconds one page's extraction may take in a worker before it is given up (logged, counted).
EXTRACT_TIMEOUT = 120.0

# --- Comments -----------------------------------------------------------------------------------
# Fetch the other comment pages of an article (/comment-page-N/, ?cpage=N) and merge the thread.
COMMENT_PAGES = True
# Complete/cross-check WordPress threads from /wp-json/wp/v2/comments when the API answers.
WP_REST_COMMENTS = True
# Read a WordPress post's exact published/modified times from /wp-json/wp/v2/posts/ID (themes often
# print no modification time).
WP_REST_POST = True
# Fetch comments of embedded systems from their public keyless JSON (Discourse topics), even on
# the forum's own host; other systems (Disqus, Facebook) are only identified in `comments_thread`.
FETCH_EMBEDDED_COMMENTS = True
# --- Browser capture of JavaScript comments (archiver/render/) ---------------------------------
# When to render a page in headless Chromium (-a render= overrides): "auto" = only pages whose HTML
# shows a JavaScript comment system without comments, or claims more comments than were found;
# "always"; "never".
RENDER = "auto"
# The browser binary (Debian: apt-get install chromium); "" = the first chromium found on PATH.
RENDER_BROWSER = ""
# Seconds one page's render may take in all (load, scrolling, "load more", settling).
RENDER_TIMEOUT = 30.0
# Pages open in the browser at the same time (each costs ~50-100 MB and a share of a core).
RENDER_CONCURRENT_PAGES = 2
# Restart the browser after this many pages (a crashed browser is restarted at once) ...
RENDER_RESTART_AFTER = 100
# ... or once the browser's processes hold more than this many MB (summed PSS; 0 = no limit).
RENDER_MAX_MEMORY_MB = 1024
# A page has settled once no browser request was in flight for this many seconds and then every
# frame's scripts report idle with still no new request (after loading, and after each "load
# more" press). The idle check covers a widget compiling a large bundle between two requests, or
# asking for its next part as soon as an answer arrives; the quiet window is for requests deferred
# by a short timer (a debounce of up to ~100 ms: tests/test_render_pool.py). Raise it for widgets
# that wait longer between their requests.
RENDER_SETTLE_TIME = 0.15
# MB of scripts and stylesheets kept between renders while their headers say they are fresh
# (Chromium's own cache is off for routed pages); 0 downloads them for every page.
RENDER_CACHE_MB = 64
# "Load more" / "show replies" presses per page, and the seconds they may take together.
RENDER_MAX_CLICKS = 20
RENDER_CLICK_TIME = 15.0
# Browser requests per page at most, and the resource types fetched for the comments (and for
# replaying them): images, media and fonts cost most of a page's bytes and never carry a thread.
RENDER_MAX_REQUESTS = 300
RENDER_RESOURCE_TYPES = ["document", "script", "xhr", "fetch", "stylesheet", "other"]
# Link depth of `site` crawls (0 = unlimited); MAX_PAGES above caps the page count.
MAX_DEPTH = 5
# Pages of a `site`/`sitemap` crawl that the classifier (archiver/extract/pagetype.py) judged not
# to be articles are counted by kind and reason in crawl.json; the first this many are also listed
# there by URL, so a user can see what was skipped (0 = count only). `-a keep=all` archives them.
PAGE_TYPE_REJECTED_LISTED = 100
DEPTH_LIMIT = 0  # Scrapy's own depth limit is off: comment pages must not count as depth

# --- WARC archive (archiver/warc/) --------------------------------------------------------------
# Write request/response records of every exchange to ARCHIVE_DIR/<crawl-id>/*.warc.gz.
WARC_ENABLED = True
# Rotate WARC files once they reach this many bytes (compressed).
WARC_MAX_SIZE = 1024**3
# File name prefix: PREFIX-YYYYMMDDhhmmssfff-SERIAL-HOST-PID.warc.gz.
WARC_PREFIX = "archiver"
# Store at most this many payload bytes per response, marking longer ones WARC-Truncated (0 = all).
WARC_MAX_RECORD_SIZE = 0
# Unchanged payloads (same URL + digest, this or an earlier crawl in ARCHIVE_DIR) become revisits.
WARC_DEDUPE = True
# Send If-None-Match / If-Modified-Since from the digest index; a 304 becomes a revisit record.
WARC_CONDITIONAL_REQUESTS = False
# Import path of `factory(settings, archive_dir)` returning the digest index; "" = SQLite file.
WARC_DIGEST_INDEX_FACTORY = ""
# Also archive each article's media (images, audio, video) — off by default.
ARCHIVE_MEDIA = False
# Media types fetched when ARCHIVE_MEDIA is on, and the largest file fetched (bytes).
ARCHIVE_MEDIA_TYPES = ["image", "audio", "video"]
ARCHIVE_MEDIA_MAX_SIZE = 20 * 1024 * 1024
# Wire capture: Scrapy's HTTP/1.1 handler plus taps that keep header case, order and repeats.
DOWNLOAD_HANDLERS = {
    "http": "archiver.download_handlers.wire.WireHTTP11DownloadHandler",
    "https": "archiver.download_handlers.wire.WireHTTP11DownloadHandler",
}
# Scrapy's defaults plus Accept-Encoding without zstd: warcio, pywb and cdxj-indexer cannot decode
# zstd payloads, and archived bodies stay content-encoded as sent.
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
    "Accept-Encoding": "gzip, deflate, br",
}

# --- Incremental runs (archiver cron; archiver/incremental/) ------------------------------------
# Fetch only new URLs and due re-visits; unchanged articles write a WARC revisit and no record.
INCREMENTAL = False
# Crawl state database (SQLite, WAL), relative to ARCHIVE_DIR unless absolute.
STATE_DB = "cron-state.sqlite3"
# Import path of `factory(settings)` returning the page state; "" = the SQLite file STATE_DB.
# The distributed addon sets archiver.distributed.state.state_for (Redis).
STATE_FACTORY = ""
# Re-visit schedule, "AGE:EVERY" rules in order (age from publication): daily for a week,
# weekly for a month, then monthly. EVERY may be "never".
REVISIT_POLICY = ["7d:1d", "30d:7d", "*:30d"]
# A 304 or byte-identical article page means unchanged, without fetching its comment pages again;
# False for sites whose comment pages change while the article page stays byte-identical.
REVISIT_TRUST_UNCHANGED_PAGE = True
# The time incremental runs take as "now" (ISO 8601; empty = the clock): for tests and backfills.
INCREMENTAL_NOW = ""

# --- Distributed crawling on Redis (archiver/distributed/, docs/distributed.md) ------------------
# redis://[:password@]host:6379/0 of the shared queue; empty = a local crawl. Needs CRAWL_ID.
DISTRIBUTED = ""
# Installs the distributed setup when DISTRIBUTED is set (does nothing otherwise).
ADDONS = {"archiver.distributed.addon.DistributedAddon": 0}
# Prefix of every Redis key of a crawl: PREFIX:<CRAWL_ID>:requests, ...:dupefilter, ...
DISTRIBUTED_KEY_PREFIX = "archiver"
# A worker silent this long (seconds) is dead; its in-flight requests go back to the queue.
DISTRIBUTED_HEARTBEAT_TTL = 30.0
# How often (seconds) a worker beats, and an idle worker looks for new work in the queue.
DISTRIBUTED_POLL_INTERVAL = 0.5
# A worker that cannot reach Redis this long (seconds) stops (exit 1); run it again to resume.
DISTRIBUTED_REDIS_GRACE = 10.0
# Whether a worker may seed the crawl from its own start() (the first one to start does);
# False = workers only take requests pushed by `archiver seed`.
DISTRIBUTED_SEED = True
# Accept a pickle SCHEDULER_SERIALIZER (runs code from anyone who can write to Redis): don't.
DISTRIBUTED_ALLOW_PICKLE = False
# Name of the Redis digest index (archiver.distributed.digest_index) for WARC revisits, the distributed
# counterpart of ARCHIVE_DIR/warc-dedupe.sqlite3. Empty = this crawl only (revisits between its
# workers); give every crawl of one archive the same name to get revisits across crawls too.
DISTRIBUTED_DIGEST_NAMESPACE = ""
# Name of the Redis incremental page state (archiver.distributed.state), the distributed
# counterpart of ARCHIVE_DIR/cron-state.sqlite3: one per archive (never per crawl), so every run
# of a job sees what the previous ones archived. Several jobs on one Redis each need their own.
DISTRIBUTED_STATE_NAMESPACE = ""
