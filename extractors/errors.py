"""The extractors' exception family; each carries an Indonesian reason a clerk can read."""

from __future__ import annotations


class IzinflowError(Exception):
    """Base of izinflow's own errors. ``reason`` is an Indonesian sentence for the clerk."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BundleError(IzinflowError):
    """The bundle itself cannot be opened (bad zip, no manifest, no readable document)."""


class PageReadError(IzinflowError):
    """One page could not be read (OCR failed or timed out, image undecodable)."""
