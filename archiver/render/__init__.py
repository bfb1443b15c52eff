"""Browser capture mode: pages whose comments load by JavaScript, rendered in headless Chromium.

* `browser`   the Chromium process(es): started lazily, N pages at a time, restarted
* `network`   every browser request downloaded through Scrapy (so the WARC gets it as received)
* `interact`  scroll, press "load more", wait until the widget settles
* `renderer`  one bounded render of a page -> `RenderedPage` (DOM, frames, JSON answers)
* `domrecord` the rendered DOM as a WARC conversion record linked to the page's response
* `thread`    the spider's entry point: render when needed, complete the record's thread

When a page is rendered (`-a render=auto|always|never`, setting RENDER) is decided by
`archiver.crawl.render_policy`, which the spider's argument parsing also reads.

The comment parsers for what the browser saw are pure and live with the others in
`archiver.extract.comments` (`rendered`, `disqus_json`, `coral_graphql`, `viafoura_json`).
"""
