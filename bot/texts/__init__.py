"""Everything a Slack user reads: the message catalogue (bokmål and English), mrkdwn escaping and
links, and the pure rendering of Block Kit and plain text for alerts, status cards, the lookup
card, the summary, notices and candidates. No I/O: renderers receive what they show.
"""

__all__ = [
    "alerts",
    "blocks",
    "candidates",
    "catalogue",
    "digest",
    "lookupcard",
    "mrkdwn",
    "notices",
    "outlook",
    "statuscard",
]
