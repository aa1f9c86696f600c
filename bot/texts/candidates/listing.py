"""Candidates listed: `/metode kandidater` in pages, one candidate's card, the summary's lines on
open candidates and who owns what, App Home's counts, and the team's scope."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.overview.candidates import CandidateView, Counts
from bot.texts.blockfit import fit_lines
from bot.texts.blockkit import Block, Message, button, context, fallback, section, shorten
from bot.texts.candidates.lines import SHOW, candidate_blocks, mention, plain_title, title
from bot.texts.catalogue import SOURCE_NAME, Language, local_time, number, term
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean
from bot.watchlist import Scope

PAGE = 20  # candidates per page of `/metode kandidater`
NAMES = 1500  # characters of names on one line of the summary at most
# Characters of names on all the summary's lines together (it is one message of about 12,000):
# with many owners each line gets its share, so every owner keeps a line.
ALL_NAMES = 8000


def pages(count: int) -> int:
    """How many pages `count` open candidates take (at least one)."""
    return max(1, -(-count // PAGE))


def render_list(
    views: Sequence[CandidateView], *, page: int, taken: int, language: Language
) -> Message:
    """One page of the open candidates, each with a "Vis" button; the way to the next page."""
    heading = t(
        language,
        "candidates_list_title",
        count=number(len(views), language),
        taken=number(taken, language),
    )
    if not views:
        return Message(
            heading, [section(f"*{heading}*"), section(t(language, "candidates_list_empty"))]
        )
    last = pages(len(views))
    page = min(max(page, 1), last)
    shown = views[(page - 1) * PAGE : page * PAGE]
    blocks: list[Block] = [section(f"*{heading}*")]
    blocks += [_list_entry(view, language) for view in shown]
    nav = "candidates_list_page" if page < last else "candidates_list_last"
    blocks.append(context(t(language, nav, page=page, pages=last, next=page + 1)))
    return Message(fallback(heading), blocks)


def _list_entry(view: CandidateView, language: Language) -> Block:
    sources = ", ".join(dict.fromkeys(term(SOURCE_NAME, e.source, language) for e in view.evidence))
    owner = t(language, "candidate_owner", user=mention(view.owner)) if view.owner else ""
    line = " · ".join(part for part in (title(view, language), sources, owner) if part)
    show = button(SHOW, t(language, "button_show_candidate"), str(view.id))
    return section(shorten(line, 2000)) | {"accessory": show}


def render_card(view: CandidateView, language: Language) -> Message:
    """One candidate: its evidence, what is expected, its triage and buttons."""
    return Message(fallback(plain_title(view, language)), candidate_blocks(view, language))


def render_summary(views: Sequence[CandidateView], counts: Counts, language: Language) -> Message:
    """The summary's reply: open candidates and who owns what, within one message."""
    heading = t(
        language,
        "candidates_summary_title",
        count=number(counts.open, language),
        taken=number(counts.taken, language),
    )
    owners: dict[str, list[str]] = {}
    for view in views:
        owners.setdefault(view.owner or "", []).append(clean(view.substance, limit=80))
    share = max(200, min(NAMES, ALL_NAMES // max(1, len(owners))))
    lines = [
        t(
            language,
            "candidates_summary_owner",
            user=mention(owner),
            names=joined(names, share, language),
        )
        for owner, names in sorted(owners.items())
        if owner
    ]
    if owners.get(""):
        names = joined(owners[""], share, language)
        lines.append(t(language, "candidates_summary_unowned", names=names))
    blocks = fit_lines(lines, language=language, heading=[section(heading)])
    return Message(fallback(heading.replace("*", "")), blocks)


def joined(items: list[str], limit: int, language: Language) -> str:
    """`items` (already escaped) joined by commas, as many whole ones as fit in about `limit`
    characters, then how many were left out ("… og 12 til")."""
    shown: list[str] = []
    used = 0
    for item in items:
        if shown and used + len(item) + 2 > limit:
            left = t(language, "more_left_out", count=number(len(items) - len(shown), language))
            return f"{', '.join(shown)} {left}"
        shown.append(item)
        used += len(item) + 2
    return ", ".join(shown)


def home_line(counts: Counts, language: Language) -> str:
    """App Home's line: open (taken), followed, not relevant."""
    return t(
        language,
        "home_candidates",
        count=number(counts.open, language),
        taken=number(counts.taken, language),
        followed=number(counts.followed, language),
        dismissed=number(counts.dismissed, language),
    )


def render_scope(
    scope: Scope | None,
    *,
    changed_by: str | None,
    changed_at: datetime | None,
    language: Language,
    zone: ZoneInfo,
) -> Message:
    """The team's scope, where it comes from, and how to change it."""
    if scope is None:
        lines = [t(language, "scope_none")]
    else:
        lines = [t(language, "scope_title"), *_scope_lines(scope, language)]
        if changed_by and changed_at:
            when = local_time(changed_at, zone, language)
            lines.append(t(language, "scope_from_slack", user=mention(changed_by), when=when))
        else:
            lines.append(t(language, "scope_from_file"))
    lines.append(t(language, "scope_usage"))
    text = "\n".join(lines)
    return Message(fallback(text.replace("*", "")), [section(shorten(text, 3000))])


def _scope_lines(scope: Scope, language: Language) -> list[str]:
    empty = t(language, "scope_empty")
    return [
        t(
            language,
            f"scope_{name}",
            values=joined([clean(value, limit=80) for value in values], 1000, language) or empty,
        )
        for name, values in (
            ("atc", scope.atc),
            ("conditions", scope.conditions),
            ("ignore", scope.ignore),
        )
    ]
