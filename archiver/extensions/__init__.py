"""Scrapy extensions of the archiver."""
