"""The weekly "Nye kandidater": a short head in the channel, the candidates in its thread.

The head counts the candidates by source; the thread holds them grouped by source, each with its
evidence, what is expected and its buttons, in as many messages as Slack's limits need. Which
candidates go in which message is decided when the week's message is queued (`plan_parts`), with
room to spare, because each message is written again when it is sent: by then a candidate may
have been taken or decided, and its buttons replaced by who and how.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.overview.candidates import CandidateView
from bot.texts.blockkit import MESSAGE, Block, Budget, Message, fallback, fits, section
from bot.texts.candidates.lines import candidate_blocks
from bot.texts.catalogue import SOURCE_NAME, Language, counted, number, term
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean

# The order of the groups: the EU road first, then the FDA, then trials.
SOURCES = ("ema_medicines", "ema_post_authorisation", "openfda", "clinicaltrials")
# Room kept in each planned message for what changes before it is sent.
PLANNED = Budget(MESSAGE.blocks - 8, (MESSAGE.size or 0) * 3 // 4)
# A candidate's blocks at most (its section, a triage line once taken, its buttons): the blocks
# are planned for the worst case, since shorter evidence never saves a block.
MOST_BLOCKS = 3
SHORT = 2  # evidence lines per candidate when a message grew past Slack's limits


@dataclass(frozen=True)
class Part:
    """One message of the thread: candidates of one source (`continued`: not its first)."""

    source: str
    ids: list[int]
    continued: bool = False


def grouped(views: Sequence[CandidateView]) -> dict[str, list[CandidateView]]:
    """The candidates by the source of their newest evidence, sources in SOURCES order."""
    order = {source: index for index, source in enumerate(SOURCES)}
    found: dict[str, list[CandidateView]] = {}
    for view in sorted(views, key=lambda v: order.get(v.source, len(order))):
        found.setdefault(view.source, []).append(view)
    return found


def render_head(views: Sequence[CandidateView], language: Language) -> Message:
    """The message in the channel: how many, from which sources; the rest is in its thread."""
    intro = t(language, "candidates_intro", count=counted(len(views), "candidate", language))
    lines = [
        "• "
        + t(
            language,
            "candidates_source_count",
            source=term(SOURCE_NAME, source, language),
            count=number(len(group), language),
        )
        for source, group in grouped(views).items()
    ]
    heading = f"*{t(language, 'candidates_title')}*\n{intro}"
    blocks: list[Block] = [section(heading), section("\n".join(lines))]
    return Message(fallback(f"{t(language, 'candidates_title')}: {len(views)}"), blocks)


def plan_parts(views: Sequence[CandidateView], language: Language) -> list[Part]:
    """The thread's messages: each source's candidates in as few messages as fit, with room."""
    parts: list[Part] = []
    for source, group in grouped(views).items():
        current: list[CandidateView] = []
        for view in group:
            continued = _continued(parts, source)
            trial = render_part(source, [*current, view], continued=continued, language=language)
            worst = 1 + MOST_BLOCKS * (len(current) + 1)
            if current and (not fits(trial.blocks, PLANNED) or worst > MESSAGE.blocks):
                parts.append(Part(source, [v.id for v in current], _continued(parts, source)))
                current = []
            current.append(view)
        parts.append(Part(source, [v.id for v in current], _continued(parts, source)))
    return parts


def _continued(parts: list[Part], source: str) -> bool:
    return bool(parts) and parts[-1].source == source


def render_part(
    source: str, views: Sequence[CandidateView], *, continued: bool, language: Language
) -> Message:
    """One message of the thread: the source's name, then each candidate with its buttons."""
    key = "candidates_part_more" if continued else "candidates_part"
    heading = t(language, key, source=term(SOURCE_NAME, source, language))
    blocks = [section(heading)] + [b for v in views for b in candidate_blocks(v, language)]
    if not fits(blocks):  # grown since it was planned: shorter evidence, never fewer buttons
        blocks = [section(heading)] + [
            b for v in views for b in candidate_blocks(v, language, most=SHORT)
        ]
    names = ", ".join(clean(view.substance, limit=80) for view in views)
    return Message(fallback(f"{heading.replace('*', '')}: {names}"), blocks)
