"""Everything a Slack user reads: the message catalogue (bokmål and English), mrkdwn escaping and
links, and the pure rendering of Block Kit and plain text for alerts, status cards, the lookup
card, the summary and notices. No I/O: renderers receive what they show.
"""

__all__ = [
    "alerts",
    "blocks",
    "catalogue",
    "digest",
    "lookupcard",
    "mrkdwn",
    "notices",
    "nyemetoder",
    "statuscard",
]
