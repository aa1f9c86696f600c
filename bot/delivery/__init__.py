"""Delivery: the outbox (which events are posted, where, grouped) and sending it to Slack
effectively once (claim → post with the key in metadata → record), composing each message from
the stored state at sending time (candidates' weekly message and its thread too), editing status
cards, pacing; the console without a token.
"""

__all__ = ["candidates", "deliverer", "outbox", "poster"]
