"""Storage: the engine and its migrations, the tables, the queries, the poller's lease, the
audited watchlist changes made in Slack, the team's scope, and candidates with their evidence and
triage. The only package that defines tables.
"""

__all__ = ["admin", "candidates", "db", "lease", "scope", "store", "tables", "triage"]
