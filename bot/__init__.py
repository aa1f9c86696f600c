"""Metodevakt: watches EMA, FDA and ClinicalTrials.gov for the methods on a watchlist."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("metodevakt")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
