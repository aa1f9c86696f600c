"""The outlook in words: the full line (status card, /metode, summary) and the short one (lists,
App Home, the summary's quiet methods). Both show the one decision of `bot.overview.outlook`."""

from __future__ import annotations

from bot.overview.evidence import Fact
from bot.overview.outlook import Milestone, Outlook
from bot.texts.catalogue import OUTLOOK, OUTLOOK_REASON, PUBLISHER, TEXT, Language, table_date
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean

NEWS_TITLE_LIMIT = 120


def outlook_line(outlook: Outlook, language: Language) -> str:
    """`*Tidsperspektiv MT i Norge:* Om 6 mnd (…). Grunnlag: CHMP-uttalelse 27.06.2019 (EMA).
    EU-kommisjonens vedtak ventes senest 02.09.2019 …`: label, state, deciding fact, dates."""
    reason = OUTLOOK_REASON[outlook.reason][language]
    if outlook.kind == "extension":
        reason = t(language, "outlook_extension", reason=reason)
    head = t(language, "card_outlook", label=OUTLOOK[outlook.label][language], reason=reason)
    rest = []
    if outlook.fact is not None:
        source = PUBLISHER.get(outlook.fact.source, outlook.fact.source)
        fact = fact_text(outlook.fact, language)
        rest.append(t(language, "outlook_basis", fact=fact, source=source))
    rest += [_milestone(m, "milestone", language) for m in outlook.expected]
    return f"{head}. {' '.join(rest)}" if rest else head


def outlook_short(outlook: Outlook, language: Language) -> str:
    """`Om 6 mnd (CHMP-uttalelse 27.06.2019, vedtak ventes senest 02.09.2019)`, or the label."""
    label = OUTLOOK[outlook.label][language]
    if outlook.fact is None:
        return label
    details = [fact_text(outlook.fact, language)]
    details += [_milestone(m, "short", language) for m in outlook.expected]
    return t(language, "outlook_short", label=label, details=", ".join(details))


def fact_text(fact: Fact, language: Language) -> str:
    """The deciding fact in words, dated as in tables (`EU-kommisjonens vedtak 01.08.2019`)."""
    subject = clean(fact.subject, limit=NEWS_TITLE_LIMIT)
    key = f"fact_{fact.kind}"
    if fact.date is None and f"{key}_undated" in TEXT:
        key += "_undated"
    return t(language, key, subject=subject, date=table_date(fact.date, language))


def _milestone(milestone: Milestone, style: str, language: Language) -> str:
    kind = "overdue" if milestone.overdue else milestone.kind
    return t(language, f"{style}_{kind}", by=table_date(milestone.by, language))
