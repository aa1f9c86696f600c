"""Detection: the previous snapshot and a fresh answer in, the changes worth telling out (pure).

It applies a source's `SourceRules` (bot.sources.changes) with the rules users rely on: a silent
baseline, absence is not removal, schema drift is not a change, one dedupe key per change.
"""

__all__ = ["detect"]
