"""A method's current state, read from the local database: its records from every source, the
outlook (*Tidsperspektiv MT i Norge*, decided once in `outlook` from the facts of `evidence`
and the EMA `history`), its way through Nye metoder, what is due in the next six months, what a
summary holds, and the candidates with their evidence and expected timeline. Decisions only: the
texts render them.
"""

__all__ = [
    "candidates",
    "evidence",
    "nyemetoder",
    "outlook",
    "read",
    "state",
    "summary",
    "upcoming",
]
