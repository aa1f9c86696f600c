"""Everything a Slack user reads: the message catalogue (bokmål and English), mrkdwn escaping and
links, and the pure rendering of Block Kit and plain text for alerts, status cards, the lookup
card, the summary, the list and App Home, notices and candidates; Slack's limits and fitting
within them (`blockkit`, `blockfit`). No I/O: renderers receive what they show.
"""

__all__ = [
    "alerts",
    "blockfit",
    "blockkit",
    "candidates",
    "catalogue",
    "digest",
    "listing",
    "lookupcard",
    "mrkdwn",
    "notices",
    "nyemetoder",
    "outlook",
    "statuscard",
]
