"""Running the bot: the worker and its declared schedule, the summary and the week's candidates
queued on their crons, the `status` report, `doctor` (every source read once through the real
gates, and Slack checked), and the offline demo.
"""

__all__ = ["candidates", "demo", "doctor", "report", "slackcheck", "status", "summary", "worker"]
