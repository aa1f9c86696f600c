"""Storage: the engine and its migrations, the tables, the queries, the poller's lease, the
audited watchlist changes made in Slack, the team's scope, candidates with their evidence and
triage, what the last watchlist seeding saw, change counters that tell caches when to renew, and
the active methods kept parsed between reads. The only package that defines tables.
"""

__all__ = [
    "admin",
    "candidates",
    "counters",
    "db",
    "lease",
    "methodcache",
    "scope",
    "seeding",
    "store",
    "tables",
    "triage",
]
