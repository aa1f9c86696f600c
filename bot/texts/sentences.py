"""Sentences about changes: each event kind's values for its catalogue sentence, in the team's
words (statuses, FDA submission types and classes), dates as in prose or as in tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.overview.state import Event
from bot.texts.catalogue import (
    DATE_TYPE,
    EMA_STATUS,
    FDA_CLASS,
    FDA_STATUS,
    FDA_SUBMISSION_TYPE,
    OPINION,
    PHASE,
    PROCEDURE_STATUS,
    SOURCE_NAME,
    TRIAL_STATUS,
    Language,
    folded_term,
    prose_date,
    table_date,
    term,
)
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean
from bot.texts.nyemetoder import NYE_METODER_VALUES

Fields = dict[str, Any]


def describe(event: Event, language: Language, *, table: bool = False) -> str:
    """One escaped sentence saying what changed (old → new) and for which record; dates as in
    prose (`4. juni 2018`), or as in tables (`04.06.2018`) for lines that start with a date."""
    old, new = event.old or {}, event.new or {}
    words = Words(language, table=table)
    values = _VALUES.get(event.kind, _no_values)(old, new, words)
    values["subject"] = clean(event.subject, limit=200)
    if event.kind == "no_longer_listed":
        values["source"] = term(SOURCE_NAME, event.source, language)
    return t(language, _sentence_key(event.kind, new), **values)


def _sentence_key(kind: str, new: Fields) -> str:
    """The catalogue entry of an event kind, by what the event holds."""
    if kind == "fda_submission_new" and (new.get("submission") or {}).get("status") != "AP":
        return "fda_submission_other"
    if kind == "ema_opinion" and not new.get("opinion_status"):
        return "ema_opinion_plain"
    return kind


@dataclass(frozen=True)
class Words:
    """How a sentence is worded: its language, and its dates as in prose or as in tables."""

    language: Language
    table: bool = False

    def date(self, iso: str | None) -> str:
        """A date in this sentence's style."""
        return (table_date if self.table else prose_date)(iso, self.language)

    @property
    def unknown(self) -> str:
        """ "ukjent"."""
        return t(self.language, "unknown")


def _no_values(_old: Fields, _new: Fields, _words: Words) -> Fields:
    return {}


def _status(old: Fields, new: Fields, words: Words) -> Fields:
    language = words.language
    return {
        "old": term(TRIAL_STATUS, old.get("overall_status"), language),
        "new": term(TRIAL_STATUS, new.get("overall_status"), language),
        "status": term(TRIAL_STATUS, new.get("overall_status"), language),
    }


def _results(_old: Fields, new: Fields, words: Words) -> Fields:
    return {"date": words.date(new.get("results_first_posted"))}


def _trial_date(old: Fields, new: Fields, words: Words) -> Fields:
    (field,) = new.keys()
    return {
        "which": t(words.language, field),
        "old": _dated(old.get(field), words),
        "new": _dated(new.get(field), words),
    }


def _dated(struct: Fields | None, words: Words) -> str:
    struct = struct or {}
    when = words.date(struct.get("date"))
    kind = struct.get("type")
    return f"{when} ({term(DATE_TYPE, kind, words.language)})" if kind else when


def _enrollment(old: Fields, new: Fields, words: Words) -> Fields:
    return {
        "old": _count(old.get("enrollment"), words),
        "new": _count(new.get("enrollment"), words),
    }


def _count(enrollment: Fields | None, words: Words) -> str:
    enrollment = enrollment or {}
    count = enrollment.get("count")
    shown = str(count) if count is not None else words.unknown
    kind = enrollment.get("type")
    return f"{shown} ({term(DATE_TYPE, kind, words.language)})" if kind else shown


def _phase(old: Fields, new: Fields, words: Words) -> Fields:
    return {
        "old": _phases(old.get("phases"), words.language),
        "new": _phases(new.get("phases"), words.language),
    }


def _phases(phases: list[str] | None, language: Language) -> str:
    if not phases:
        return t(language, "none")
    return "/".join(term(PHASE, phase, language) for phase in phases)


def _submission(old: Fields, new: Fields, words: Words) -> Fields:
    after = new.get("submission") or {}
    before = old.get("submission") or {}
    language = words.language
    return {
        "submission": submission_words(after, language),
        "date": words.date(after.get("status_date")),
        "old": term(FDA_STATUS, before.get("status"), language),
        "new": term(FDA_STATUS, after.get("status"), language),
        "status": term(FDA_STATUS, after.get("status"), language),
    }


def submission_words(submission: Fields, language: Language) -> str:
    """`tilleggssøknad (ny indikasjon eller dosering)`: an FDA submission's type and class."""
    kind = term(FDA_SUBMISSION_TYPE, submission.get("type"), language)
    code = submission.get("class_code")
    if code in FDA_CLASS:
        return t(language, "fda_submission", type=kind, kind=FDA_CLASS[code][language])
    described = submission.get("class_description") or code
    return (
        t(language, "fda_submission", type=kind, kind=clean(str(described))) if described else kind
    )


def _application(_old: Fields, new: Fields, words: Words) -> Fields:
    return {"sponsor": clean(str(new.get("sponsor_name") or words.unknown))}


def _ema_status(old: Fields, new: Fields, words: Words) -> Fields:
    language = words.language
    return {
        "old": folded_term(EMA_STATUS, old.get("medicine_status"), language),
        "new": folded_term(EMA_STATUS, new.get("medicine_status"), language),
        "status": folded_term(
            EMA_STATUS, new.get("medicine_status") or new.get("opinion_status"), language
        ),
    }


def _ema_opinion(_old: Fields, new: Fields, words: Words) -> Fields:
    return {
        "date": words.date(new.get("opinion_adopted_date")),
        "opinion": folded_term(OPINION, new.get("opinion_status"), words.language),
    }


def _ema_decision(_old: Fields, new: Fields, words: Words) -> Fields:
    return {"date": words.date(new.get("ec_decision_date"))}


def _revision(_old: Fields, new: Fields, words: Words) -> Fields:
    return {"new": clean(str(new.get("revision_number") or words.unknown))}


def _procedure(old: Fields, new: Fields, words: Words) -> Fields:
    return {
        "old": _procedure_state(old, words),
        "new": _procedure_state(new, words),
        "status": _procedure_state(new, words),
    }


def _procedure_state(fields: Fields, words: Words) -> str:
    """`venter på EU-kommisjonens vedtak (positiv CHMP-uttalelse 27. juni 2019)`."""
    language = words.language
    status = folded_term(PROCEDURE_STATUS, fields.get("procedure_status"), language)
    if not fields.get("opinion_date"):
        return status
    opinion = folded_term(OPINION, fields.get("opinion_status"), language)
    if not fields.get("opinion_status"):
        opinion = ""
    line = t(
        language,
        "procedure_opinion",
        status=status,
        opinion=opinion,
        date=words.date(fields["opinion_date"]),
    )
    return " ".join(line.split())


def _news(_old: Fields, new: Fields, _words: Words) -> Fields:
    return {
        "publisher": clean(str(new.get("publisher") or "")),
        "title": clean(str(new.get("title") or ""), limit=300),
    }


def _in_language(
    values: Callable[[Fields, Fields, Language], Fields],
) -> Callable[[Fields, Fields, Words], Fields]:
    """A sentence's values that depend on the language only (not on the date style)."""
    return lambda old, new, words: values(old, new, words.language)


_VALUES: dict[str, Callable[[Fields, Fields, Words], Fields]] = {
    "trial_status": _status,
    "trial_new": _status,
    "trial_results": _results,
    "trial_date": _trial_date,
    "trial_enrollment": _enrollment,
    "trial_phase": _phase,
    "fda_submission_new": _submission,
    "fda_submission_status": _submission,
    "fda_application_new": _application,
    "ema_new_product": _ema_status,
    "ema_status": _ema_status,
    "ema_opinion": _ema_opinion,
    "ema_decision": _ema_decision,
    "ema_revision": _revision,
    "ema_procedure_new": _procedure,
    "ema_procedure_opinion": _procedure,
    "news": _news,
    # Nye metoder's own sentences (its dates are always written as the site writes them).
    **{kind: _in_language(values) for kind, values in NYE_METODER_VALUES.items()},
}
