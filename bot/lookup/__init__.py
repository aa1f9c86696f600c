"""The `/metode` answer (and `metodevakt lookup`): finding methods from what a user typed, and
the answer for a search, a list or help, from the local database only.
"""

__all__ = ["answers", "cache", "index", "search"]
