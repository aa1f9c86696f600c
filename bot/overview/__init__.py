"""A method's current state, read from the local database: its records from every source, the
outlook (*Tidsperspektiv MT i Norge*), its way through Nye metoder, what is due in the next six
months, and what a summary holds. Decisions only: the texts render them.
"""

__all__ = ["nyemetoder", "read", "state", "summary", "upcoming"]
