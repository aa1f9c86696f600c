"""Running the bot: the worker and its declared schedule, the summary queued on its cron, the
`status` report, `doctor` (every source read once through the real gates, and Slack checked),
and the offline demo.
"""

__all__ = ["demo", "doctor", "report", "slackcheck", "status", "summary", "worker"]
