"""Scrapy download handlers (DOWNLOAD_HANDLERS): wire, Scrapy's HTTP/1.1 with byte-exact taps."""
