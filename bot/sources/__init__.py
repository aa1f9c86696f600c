"""The sources the bot reads: one package per registry, each turning bytes into records.

A source plans its requests for the watchlist (batched), parses answers purely (bytes in,
`Record`s out, `ParseError` when a gate fails), and declares its own change rules: what counts as
a change and how important it is, its vocabularies, how its records are named
(`<registry>/changes.py`). A source that reads a change feed plans from the state polling hands
it (`cursor`). A source may also scan its answers for candidates (`scanning`: the team's scope
in, `evidence` out beside the records). Nothing here does I/O: no HTTP, no database, no Slack, no
clock. Sources are registered in `bot.runtime.registered_sources`.
"""

__all__ = [
    "base",
    "changes",
    "clinicaltrials",
    "cursor",
    "drift",
    "ema",
    "evidence",
    "names",
    "news",
    "nyemetoder",
    "openfda",
    "plaintext",
    "scanning",
]
