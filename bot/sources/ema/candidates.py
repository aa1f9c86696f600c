"""Candidates in EMA's data files: medicines and procedures in the team's scope, not watched.

The medicines file lists every centrally evaluated product with its ATC code (`atc_code_human`),
its indication (`therapeutic_indication`) and MeSH area (`therapeutic_area_mesh`), so a row is in
scope by an ATC prefix or a condition, and its recent events are evidence: evaluation started,
CHMP opinion, EC decision. The whole file also says which substances are in scope at all, which
is how other sources (FDA, trials) are matched to the scope.

The post-authorisation file documents no procedure type (sources.md §3b), so a procedure with a
recent opinion is evidence of *a* post-authorisation opinion for a product in scope: often an
extension of indication, but it may be another variation.

A row that cannot be read (a bad date in a row no one watches) is skipped here: EMA's business,
never a reason to fail the file for the methods that are watched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from bot.sources.base import ParseError
from bot.sources.ema.changes import MEDICINES, POST_AUTHORISATION
from bot.sources.ema.rows import Row, ema_link, medicine_fields, procedure_fields, text
from bot.sources.evidence import Evidence, Term, substance_key
from bot.sources.names import fold
from bot.sources.plaintext import truncate
from bot.sources.scanning import ScanContext

# The medicines file's dated events, by the field that dates them.
MEDICINE_EVENTS = (
    ("start_of_evaluation_date", "ema_evaluation"),
    ("opinion_adopted_date", "ema_opinion"),
    ("ec_decision_date", "ema_decision"),
)
Search = Callable[[str | None], str]
_SHOWN = ("name", "product_number", "holder", "medicine_status", "opinion_status", "atc")


def medicine_evidence(
    rows: list[Any], context: ScanContext, *, search: Search
) -> tuple[list[Evidence], dict[str, Term]]:
    """Evidence from the medicines file's recent events in scope, and every substance in scope
    (folded) with its term. `search(name)` is the link for a row without a page of its own."""
    found: list[Evidence] = []
    in_scope: dict[str, Term] = {}
    for row in _human(rows):
        fields = _readable(row)
        substance = fields and (fields["inn"] or fields["active_substance"])
        if not fields or not substance or context.excluded(_names(fields)):
            continue
        mesh = text(row.get("therapeutic_area_mesh"))
        term = context.term_for(atc=fields["atc"], texts=[fields["therapeutic_indication"], mesh])
        if term is None:
            continue
        in_scope.setdefault(substance_key(substance), term)
        url = ema_link(row.get("medicine_url")) or search(fields["name"])
        found += _medicine_events(fields, substance, term, context, url=url)
    return found, in_scope


def _medicine_events(
    fields: dict[str, Any], substance: str, term: Term, context: ScanContext, *, url: str
) -> list[Evidence]:
    shown = {name: fields.get(name) for name in _SHOWN}
    shown["indication"] = truncate(fields.get("therapeutic_indication") or "", 400) or None
    return [
        Evidence(
            MEDICINES,
            str(fields["product_number"]),
            kind,
            substance,
            term,
            fields[name],
            url,
            shown | {"date": fields[name]},
        )
        for name, kind in MEDICINE_EVENTS
        if context.recent(fields[name])
    ]


def procedure_evidence(rows: list[Any], context: ScanContext, *, search: Search) -> list[Evidence]:
    """Evidence from post-authorisation procedures with a recent CHMP opinion, for products in
    scope by their ATC code, their MeSH area, or a substance the medicines file put in scope."""
    found = []
    for row in _human(rows):
        procedure = _procedure(row)
        if procedure is None or not context.recent(procedure["opinion_date"]):
            continue
        substance = procedure["substance"]
        if not substance or context.excluded(_names(procedure)):
            continue
        term = _procedure_term(row, substance, context)
        if term is None:
            continue
        url = procedure["url"] or search(procedure["name"])
        found.append(_procedure_evidence(procedure, substance, term, url=url))
    return found


def _procedure_term(row: Row, substance: str, context: ScanContext) -> Term | None:
    known = context.known.get(substance_key(substance))
    mesh = text(row.get("therapeutic_area_mesh"))
    return known or context.term_for(atc=text(row.get("atc_code_human")), texts=[mesh])


def _procedure_evidence(
    procedure: dict[str, Any], substance: str, term: Term, *, url: str
) -> Evidence:
    # Identified by product, first publication and opinion date: no procedure number is
    # documented for this file, and these do not change once published.
    key = f"{procedure['product_number']} {procedure['first_published_date']}"
    key += f" {procedure['opinion_date']}"
    facts = {name: value for name, value in procedure.items() if name != "url"}
    facts["date"] = procedure["opinion_date"]
    kind = "ema_procedure_opinion"
    return Evidence(
        POST_AUTHORISATION, key, kind, substance, term, procedure["opinion_date"], url, facts
    )


def _human(rows: list[Any]) -> Iterator[Row]:
    for row in rows:
        if isinstance(row, dict) and fold(_text(row.get("category")) or "") == "human":
            yield row


def _readable(row: Row) -> dict[str, Any] | None:
    try:
        fields = medicine_fields(row)
    except (ParseError, KeyError):
        return None
    return fields if fields["product_number"] and fields["name"] else None


def _procedure(row: Row) -> dict[str, Any] | None:
    """The row as the procedures source reads it, with the substance and holder a candidate
    names (its update date left out: a candidate's facts do not change with a republication)."""
    try:
        procedure = procedure_fields(row)
        substance = text(row.get("international_non_proprietary_name_common_name"))
        procedure |= {
            "substance": substance or text(row.get("active_substance")),
            "active_substance": text(row.get("active_substance")),
            "holder": text(row.get("marketing_authorisation_developer_applicant_holder")),
        }
    except (ParseError, KeyError):
        return None
    del procedure["last_updated_date"]
    return procedure if procedure["product_number"] and procedure["name"] else None


def _names(fields: dict[str, Any]) -> list[str | None]:
    keys = ("inn", "substance", "active_substance", "name")
    return [fields.get(key) for key in keys]


def _text(value: Any) -> str | None:
    try:
        return text(value)
    except ParseError:
        return None
