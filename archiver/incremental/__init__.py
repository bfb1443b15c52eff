"""Incremental crawling: what runs inside one crawl when INCREMENTAL is on (docs/cron.md).

state (what we know of every URL, across crawls) → policy (when a known article is due) → context
(state, policy and clock of one crawler) → middlewares (what to fetch, what came back unchanged) →
pipelines (versions of changed records, committed once written) with changes (what makes two
captures of an article the same). `archiver.cron` runs these crawls on a schedule;
`archiver.distributed.state` keeps the same state in Redis.
"""
