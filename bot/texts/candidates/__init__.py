"""Candidates in words: a candidate's lines and buttons, the weekly "Nye kandidater" in parts,
`/metode kandidater`, the summary's and App Home's counts, the team's scope. Pure rendering of
what bot.overview.candidates decided; everything a source or a user wrote is escaped.
"""

__all__ = ["lines", "listing", "weekly"]
