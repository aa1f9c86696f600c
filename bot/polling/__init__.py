"""Polling: the one place for outbound source HTTP (fetch: deadlines, retries, politeness,
conditional GET, body gates), reading a source's answers for a cycle, and one poll of a source
(plan → fetch → parse → detect → store, all or nothing), with each source's health, and what a
source plans with (the methods fingerprinted once per cycle; a change feed's stored cursor).
"""

__all__ = ["fetch", "health", "planstate", "poll"]
