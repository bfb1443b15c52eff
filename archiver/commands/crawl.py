"""`scrapy crawl` with clean argument errors and an exit code that tells the truth.

Scrapy's own command prints a traceback for bad spider arguments and exits 0 even when every
callback failed. This one checks arguments before Scrapy starts (one line on stderr, exit 2) and,
after the crawl, exits with the code the CrawlSummary extension computed from the stats.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from archiver.crawl.inputs import InputError
from archiver.crawl.outcome import FAILED, USAGE
from archiver.crawl.preflight import output_problem
from archiver.crawl.render_policy import setting_problem as render_setting_problem


def _fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(USAGE)


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. `scrapy crawl article -a url=URL`")
        assert self.settings is not None
        try:
            spider_class = get_spider_loader(self.settings).load(args[0])
        except KeyError:
            _fail(f"no spider named {args[0]!r} (see `scrapy list`)")
        check = getattr(spider_class, "check_arguments", None)
        if check is not None:
            try:
                check(dict(opts.spargs))
            except InputError as exc:
                _fail(str(exc))
        # read-only ARCHIVE_DIR, unsafe CRAWL_ID, a RENDER that is not auto/always/never
        problem = output_problem(self.settings) or render_setting_problem(self.settings)
        if problem:
            _fail(problem)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        summary = getattr(crawler, "_archiver_summary", None)
        if self.crawler_process.bootstrap_failed:
            self.exitcode = FAILED
        elif summary is not None:
            self.exitcode = summary.exit_code
