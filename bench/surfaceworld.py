"""A watchlist of any size in a database, as the poll would leave it, without HTTP: for measuring
and testing what Slack is shown (summary, liste, App Home, cards) at 1, 300 and 2,000 methods.

The methods are the benchmark's (`bench.payloads.watched`: 5 trials, one FDA application, one EMA
product, Nye metoder IDs and page, and a `discover` condition each), with longer Norwegian titles
and an area. Every method links its Nye metoder page (the heaviest card). Their records are the
synthetic registries' answers (`bench.registries`, Nye metoder's pages and workbook among them)
read by the bot's own parsers
and stored as snapshots; then `apply_changes(changes)` runs and the second reading's changes are
found by the bot's own detection and stored as events, with their alerts queued, as a poll would.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert

from bench import payloads
from bench.registries import Answer, Registries
from bot.delivery import outbox
from bot.detection.detect import Change, Known, detect
from bot.sources.base import LinkedDocument, Query, Record, Source
from bot.sources.clinicaltrials import ClinicalTrials
from bot.sources.ema import EmaMedicines, EmaPostAuthorisation
from bot.sources.nyemetoder import Decisions, MethodPages
from bot.sources.openfda import OpenFda
from bot.storage import db, store
from bot.storage.tables import Snapshot, SnapshotMethod
from bot.watchlist import Discovery, Method

TRIALS = 5
TEMPLATES = 6  # methods read through the parsers; the others copy one of them
BASE = "https://bench.invalid"
SITE = "https://www.nyemetoder.no/metoder/"
AREAS = (
    "Onkologi",
    "Nevrologi",
    "Barn og unge, hud",
    "Hjerte og kar",
    "Revmatologi",
    "Hematologi",
    "Infeksjon",
    "Endokrinologi",
    "Lunge",
    "Psykiatri",
    "Sjeldne sykdommer",
    None,
)
CONDITIONS = (
    "atopisk eksem hos pasienter fra 12-17 år",
    "tidligere behandlet metastatisk ikke-småcellet lungekreft",
    "relapserende-remitterende multippel sklerose hos voksne",
    "alvorlig astma med type 2-inflammasjon & eosinofili",
    "kronisk hjertesvikt med redusert ejeksjonsfraksjon",
)


@dataclass(frozen=True)
class World:
    """What was seeded: the methods, and the events of the scripted changes."""

    methods: list[Method]
    events: int
    changed: list[str]


def method(index: int) -> Method:
    """Method `index` of the world (its identities from `bench.payloads.watched`)."""
    w = payloads.watched(index, trials=TRIALS)
    return Method(
        id=w.method_id,
        title=f"{w.substance} ({w.trade_name}) til behandling av {CONDITIONS[index % 5]}",
        substance=w.substance,
        trade_names=[w.trade_name],
        area=AREAS[index % len(AREAS)],
        trials=list(w.trials),
        fda_applications=[w.application],
        ema_products=[w.product],
        nye_metoder=list(w.nye_ids),
        nye_metoder_url=[f"{SITE}{w.page_slug}/"],
        discover=Discovery(condition="atopic dermatitis"),
    )


def seed(
    sessions: db.SessionFactory,
    *,
    methods: int,
    changes: int = 37,
    now: datetime,
    channel: str = "C0123ABCD",
) -> World:
    """Store `methods` methods with their records, then the events of `changes` changes (at
    most one per method).

    Reading every method through the parsers costs seconds at 2,000 methods, so only a few
    methods and the changed ones are read; the others' records are copies of a read one with
    the identities (names, NCT IDs, application and product numbers) replaced.
    """
    before = Registries(methods=methods, trials=TRIALS, ema_rows=methods)
    after = Registries(methods=methods, trials=TRIALS, ema_rows=methods)
    changes = min(changes, methods)
    # The kinds a read of the watched records sees (a newly registered trial needs the feed).
    kinds = ("trial", "application", "medicine")
    changed = after.apply_changes(changes, seed=37, kinds=kinds) if changes else []
    watch = [method(i) for i in range(methods)]
    touched = {description.split()[0] for description in changed}
    read = watch[:TEMPLATES] + [m for m in watch[TEMPLATES:] if m.id in touched]
    sources = _sources()
    with db.transaction(sessions) as session:
        store.sync_file_methods(session, watch, now=now)
        for source in sources:
            records = _read(before, source, read)
            _store_snapshots(session, records + _copies(records, methods, read), now=now)
            store.source_state(session, source.name).last_success_at = now
    found: list[Change] = []
    with sessions() as session:
        edited = [m for m in watch if m.id in touched]
        for source in sources:
            found += _changes(session, source, _read(after, source, edited), watch)
    with db.transaction(sessions) as session:
        events = store.add_events(session, found, now=now)
        by_id = {m.id: m for m in watch}
        outbox.queue_alerts(session, events, by_id, default_channel=channel, now=now)
    return World(watch, len(events), changed)


def _copies(records: list[Record], methods: int, read: list[Method]) -> list[Record]:
    """Records of every method not read: a read template's, with its identities replaced."""
    done = {m.id for m in read}
    templates = [m for m in read[:TEMPLATES]]
    by_method: dict[str, list[Record]] = {}
    for record in records:
        for owner in record.method_ids:
            by_method.setdefault(owner, []).append(record)
    copies = []
    for index in range(methods):
        target = payloads.watched(index, trials=TRIALS)
        if target.method_id in done:
            continue
        template = templates[index % len(templates)]
        source = payloads.watched(int(template.id.split("-")[1]), trials=TRIALS)
        copies += [_renamed(r, source, target) for r in by_method.get(template.id, [])]
    return copies


def _renamed(record: Record, old: payloads.Watched, new: payloads.Watched) -> Record:
    text = json.dumps([record.key, record.fields, record.url], ensure_ascii=False)
    for before, after in _identities(old, new):
        text = text.replace(before, after)
    key, fields, url = json.loads(text)
    return Record(record.source, key, fields, url, (new.method_id,))


def _identities(old: payloads.Watched, new: payloads.Watched) -> list[tuple[str, str]]:
    pairs = [
        (old.method_id, new.method_id),
        (old.substance, new.substance),
        (old.trade_name, new.trade_name),
        (old.application, new.application),
        (old.product, new.product),
        (old.page_slug, new.page_slug),
        *zip(old.nye_ids, new.nye_ids, strict=False),
        *zip(old.trials, new.trials, strict=True),
    ]
    return [
        variant
        for before, after in pairs
        for variant in (
            (before, after),
            (before.upper(), after.upper()),
            (before.lower(), after.lower()),
            (before.capitalize(), after.capitalize()),
        )
    ]


def _sources() -> list[Any]:
    return [
        ClinicalTrials(BASE),
        OpenFda(BASE),
        EmaMedicines(BASE),
        EmaPostAuthorisation(BASE),
        MethodPages(BASE),
        Decisions(BASE),
    ]


def _read(registries: Registries, source: Source, methods: Sequence[Method]) -> list[Record]:
    """The source's records for `methods`, from the synthetic registry's answers."""
    if not methods:
        return []
    if isinstance(source, MethodPages):
        return [
            record
            for query in source.plan(methods)
            for record in source.parse(
                query, 200, registries.nye.page(source.path_of(query)) or b"", methods
            ).records
        ]
    query, answer = _ask(registries, source, methods)
    return source.parse(query, answer.status, answer.body, methods).records


def _ask(registries: Registries, source: Source, methods: Sequence[Method]) -> tuple[Query, Answer]:
    if isinstance(source, ClinicalTrials):
        ids = ",".join(nct for m in methods for nct in m.trials)
        query = Query(source.name, source.url, (("filter.ids", ids),))
        return query, registries.studies(dict(query.params))
    if isinstance(source, OpenFda):
        numbers = " OR ".join(n for m in methods for n in m.fda_applications)
        query = Query(source.name, source.url, (("search", f"application_number:({numbers})"),))
        return query, registries.applications(dict(query.params))
    if isinstance(source, Decisions):
        path = registries.nye.workbook_path
        workbook = LinkedDocument(source.name, BASE + path, expect="xlsx", page=2)
        return workbook, Answer(200, registries.nye.workbook(path) or b"")
    (query,) = source.plan(methods)
    answer = registries.medicines() if source.name == EmaMedicines.name else None
    return query, answer or registries.procedures()


def _store_snapshots(session: Any, records: list[Record], *, now: datetime) -> None:
    rows = [
        {
            "source": r.source,
            "key": r.key,
            "fields": r.fields,
            "content_hash": r.content_hash(),
            "url": r.url,
            "method_ids": list(r.method_ids),
            "first_seen": now,
            "last_seen": now,
            "missing_since": None,
            "missing_count": 0,
        }
        for r in records
    ]
    links = [
        {"method_id": method_id, "source": r.source, "key": r.key}
        for r in records
        for method_id in r.method_ids
    ]
    for start in range(0, len(rows), 2000):
        session.execute(insert(Snapshot.__table__), rows[start : start + 2000])
    # The method index a poll keeps beside the snapshots (bot.storage.store.save_record).
    for start in range(0, len(links), 2000):
        session.execute(insert(SnapshotMethod.__table__), links[start : start + 2000])


def _changes(
    session: Any, source: Source, records: list[Record], methods: list[Method]
) -> list[Change]:
    keys = [record.key for record in records]
    previous = {
        key: Known(row.fields, row.url, tuple(row.method_ids or []), row.missing_count)
        for key, row in store.snapshots_of(session, source.name, keys=keys).items()
    }
    baselined = frozenset(m.id for m in methods)
    found = detect(source.rules, previous, records, expected_keys=frozenset(), baselined=baselined)
    return found.changes
