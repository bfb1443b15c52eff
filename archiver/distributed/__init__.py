"""Distributed crawling on Redis (scrapy-redis): many workers, one crawl, no duplicates, nothing lost.

Enabled by `-s DISTRIBUTED=redis://host:6379/0` (plus a `CRAWL_ID` shared by every worker); the
addon in `addon.py` then switches the scheduler and the dupefilter to scrapy-redis and wires the
pieces of this package:

* `serializer.py`  requests in Redis as JSON, never pickle (untrusted data is not executed)
* `queue.py`       a reliable priority queue: a pop moves the request into this worker's in-flight hash
* `tracker.py`     acknowledges a request once its callback output and items are done
* `registry.py`    worker heartbeats, reclaiming a dead worker's requests, "is the crawl done?"
* `coordinator.py` the extension that beats, reaps and keeps workers alive while others have work
* `middlewares.py` the start gate (one worker seeds), the crawl-wide MAX_PAGES budget and the
                   acknowledgement hooks
* `seed.py`        `archiver seed`: push a job's start requests from a coordinator machine
* `dedupe.py`      one record per article across all workers; `digests.py` a shared digest index
* `summary.py`     `crawl-<worker>.json` per worker, so shards never overwrite each other;
                   `merge.py` merges them into the crawl's `crawl.json`

See docs/distributed.md.
"""
