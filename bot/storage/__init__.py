"""Storage: the engine and its migrations, the tables, the queries, the poller's lease, and the
audited watchlist changes made in Slack. The only package that defines tables.
"""

__all__ = ["admin", "db", "lease", "seeding", "store", "tables"]
