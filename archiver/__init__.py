"""Article archiver: clean article records with full comment threads plus faithful WARC files."""

__version__ = "0.1.0"
