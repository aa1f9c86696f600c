"""Drift: how an answer differs from the shape its parser reads (keys missing, renamed, retyped).

Pure; used by `metodevakt doctor` to tell an operator what changed at a source.
"""

from bot.sources.drift.report import MISSING, RENAMED, TYPE, DriftItem, describe_drift
from bot.sources.drift.shapes import SHAPES

__all__ = ["MISSING", "RENAMED", "SHAPES", "TYPE", "DriftItem", "describe_drift"]
