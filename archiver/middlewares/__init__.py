"""Downloader middlewares of the archiver."""
