"""Running the bot: the worker and its declared schedule, the summary queued on its cron, the
`status` report, and the offline demo.
"""

__all__ = ["demo", "status", "summary", "worker"]
