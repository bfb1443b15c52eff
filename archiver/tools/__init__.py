"""Backends of the `archiver` commands that read finished archives: verify, export, show, stats.

Each is a library function the CLI wraps thinly (`archiver.cli`); progressbar draws their
progress on a terminal. They read archives through `archiver.load` and `archiver.warc`.
"""
