"""Scrapy spiders of the archiver project (SPIDER_MODULES = ["spiders"])."""
