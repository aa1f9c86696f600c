"""The synthetic registries' contents: answers generated on demand, and the change script."""

from __future__ import annotations

import json
import random
import re
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench import applications, payloads, scopeworld
from bench.nyeworld import NyeMetoder
from bench.payloads import Watched
from bench.trials import BASE_UPDATED, BadRequestError, Trials

__all__ = ["BASE_UPDATED", "DEFAULT_PER_DAY", "JSON", "RSS", "Answer", "Registries", "search_terms"]

JSON = "application/json"
RSS = "application/rss+xml; charset=utf-8"
MEDICINE_STATUSES = ("Withdrawn", "Suspended", "Authorised")
# What the change script changes, in rotation; each is one alert for one method.
KINDS = ("trial", "application", "medicine", "new_trial", "decision")
# Studies of the registry that no method watches, updated a day (issue 10: "a few thousand").
DEFAULT_PER_DAY = 3000

# openFDA's grouped syntax as the bot sends it: field:(a OR b) or field:("a" OR "b").
_GROUP = re.compile(r"(application_number|openfda\.generic_name):\(([^)]*)\)")


def search_terms(search: str) -> list[tuple[str, str]]:
    """(field, value) of every term in an openFDA `search` the bot builds."""
    return [
        (field, value.strip().strip('"'))
        for field, group in _GROUP.findall(search)
        for value in group.split(" OR ")
    ]


@dataclass(frozen=True)
class Answer:
    """What a registry answers to one request."""

    status: int
    body: bytes
    content_type: str = JSON


def _json(document: Any, *, status: int = 200) -> Answer:
    return Answer(status, json.dumps(document, ensure_ascii=False).encode("utf-8"))


class Registries:
    """ClinicalTrials.gov, openFDA and EMA's data files for `methods` synthetic methods.

    Every method has `trials` trials, one application and one EMA product; the EMA files hold
    `ema_rows` medicines (the watched products among them) and as many procedures; the
    registry of trials posts `per_day` updates of other studies a day on a clock that starts
    at `now`; `fda_recent` applications have a submission of the last 30 days.
    """

    def __init__(
        self,
        *,
        methods: int,
        trials: int,
        ema_rows: int,
        per_day: int = DEFAULT_PER_DAY,
        now: datetime | None = None,
        fda_recent: int = applications.FDA_RECENT,
    ) -> None:
        self.methods, self.trials = methods, trials
        self.fda_recent = fda_recent
        self.ema_rows = max(ema_rows, methods)
        self.owners = [payloads.watched(i, trials=trials) for i in range(methods)]
        self.registry = Trials(self.owners, trials, per_day, now or datetime.now(UTC))
        self._by_substance = {w.substance.upper(): w.index for w in self.owners}
        self.nye = NyeMetoder(self.owners)
        self._supplements: dict[int, list[date]] = {}
        self._medicine_changes: dict[int, int] = {}
        self._files: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def studies(self, params: dict[str, str]) -> Answer:
        """`/studies`: watched IDs, a discovery search or the change feed (400 for others)."""
        with self._lock:
            try:
                return _json(self.registry.answer(params))
            except BadRequestError as exc:
                return _json({"error": str(exc)}, status=400)

    def advance(self, hours: float) -> str:
        """Move the registry's clock on; returns the new time (ISO 8601)."""
        with self._lock:
            self.registry.now += timedelta(hours=hours)
            return self.registry.now.isoformat()

    def applications(self, params: dict[str, str]) -> Answer:
        """`drugsfda.json`: the applications the `search` terms name, or those with a
        submission dated in the candidates query's window; 404 NOT_FOUND for none."""
        dates = applications.window(params.get("search", ""))
        if dates is not None:
            return self._recent(*dates, skip=int(params.get("skip") or 0))
        named = {self._term(*term) for term in search_terms(params.get("search", ""))}
        indexes = sorted(i for i in named if i is not None)
        if not indexes:
            return Answer(404, applications.not_found())
        with self._lock:
            results = [self._application(self.owners[i]) for i in indexes]
        return _json(applications.openfda_page(results))

    def medicines(self) -> Answer:
        """The medicines data file (cached until a medicine changes)."""
        return Answer(200, self._file("medicines", self._medicine_rows))

    def procedures(self) -> Answer:
        """The post-authorisation data file (it never changes here)."""
        return Answer(200, self._file("procedures", self._procedure_rows))

    def apply_changes(self, n: int, seed: int, *, kinds: tuple[str, ...] = KINDS) -> list[str]:
        """Change `n` watched records of `n` different methods, each in one way the bot alerts
        on (trial status, new efficacy supplement, EMA medicine status, a newly registered
        trial its discovery finds, a Beslutningsforum decision of a method "til beslutning";
        `kinds` in rotation); say what changed."""
        if not 0 <= n <= self.methods:
            raise ValueError(f"can change 0 to {self.methods} methods, not {n}")
        rng = random.Random(seed)
        order = rng.sample(range(self.methods), self.methods)
        with self._lock:
            changed = []
            for k in range(n):
                kind = kinds[k % len(kinds)]
                index = next((i for i in order if self._may(kind, i)), None)
                if index is None:
                    raise ValueError(f"no method left for a change of kind {kind!r}")
                order.remove(index)
                changed.append(self._change(kind, self.owners[index], rng))
            return changed

    def _may(self, kind: str, index: int) -> bool:
        return kind != "decision" or self.nye.eligible(index)

    def _change(self, kind: str, owner: Watched, rng: random.Random) -> str:
        if kind == "trial":
            return self.registry.change_status(owner, rng.randrange(len(owner.trials)))
        if kind == "new_trial":
            return self.registry.register(owner)
        if kind == "decision":
            return self.nye.decide(owner, self.registry.now.date())
        if kind == "application":
            self._supplements.setdefault(owner.index, []).append(self.registry.now.date())
            return f"{owner.method_id} {owner.application} new efficacy supplement"
        self._medicine_changes[owner.index] = self._medicine_changes.get(owner.index, 0) + 1
        self._files.pop("medicines", None)
        return f"{owner.method_id} {owner.product} -> {self._medicine_status(owner.index)}"

    def _term(self, field: str, value: str) -> int | None:
        if field == "openfda.generic_name":
            return self._by_substance.get(value.upper())
        digits = value[3:]
        index = int(digits) - payloads.APPLICATION_BASE if digits.isdigit() else -1
        return index if 0 <= index < self.methods and value.startswith("BLA") else None

    def _application(self, owner: Watched) -> dict[str, Any]:
        extra = self._supplements.get(owner.index, [])
        return applications.application(owner, extra_supplements=extra)

    def _recent(self, first: date, last: date, *, skip: int) -> Answer:
        """Every application with a submission dated from `first` to `last`, a page of 1,000."""
        with self._lock:
            today = self.registry.now.date()
            fillers = [payloads.filler_substance(row) for row in range(self.methods, self.ema_rows)]
            found = [
                applications.recent_application(k, today=today, fillers=fillers)
                for k in range(self.fda_recent)
            ]
            found += [self._application(self.owners[i]) for i in sorted(self._supplements)]
        found = [a for a in found if _dated_within(a, first, last)]
        if not found:
            return Answer(404, applications.not_found())
        page = applications.openfda_page(found[skip : skip + applications.OPENFDA_LIMIT])
        page["meta"]["results"] |= {"skip": skip, "total": len(found)}
        return _json(page)

    def _medicine_status(self, index: int) -> str:
        count = self._medicine_changes.get(index, 0)
        if count == 0:
            return payloads.BASE_MEDICINE_STATUS
        return MEDICINE_STATUSES[(count - 1) % len(MEDICINE_STATUSES)]

    def _file(self, name: str, rows: Any) -> bytes:
        with self._lock:
            if name not in self._files:
                # Stamped when (re)generated, as EMA does: fresh, and never older than before.
                stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                document = payloads.envelope(rows(), stamp=stamp)
                self._files[name] = json.dumps(document, ensure_ascii=False).encode("utf-8")
            return self._files[name]

    def _owner_of_row(self, row: int) -> Watched | None:
        return self.owners[row] if row < self.methods else None

    def _medicine_rows(self) -> list[dict[str, Any]]:
        today = self.registry.now.date()
        rows = []
        for row in range(self.ema_rows):
            owner = self._owner_of_row(row)
            record = payloads.medicine_row(row, owner, status=self._medicine_status(row))
            if owner is None:
                scopeworld.recent_medicine(row, record, today=today)
            rows.append(record)
        return rows

    def _procedure_rows(self) -> list[dict[str, Any]]:
        today = self.registry.now.date()
        rows = []
        for row in range(self.ema_rows):
            owner = self._owner_of_row(row)
            record = payloads.procedure_row(row, owner)
            if owner is None:
                scopeworld.recent_procedure(row, record, today=today)
            rows.append(record)
        return rows


def _dated_within(application: dict[str, Any], first: date, last: date) -> bool:
    span = (first.strftime("%Y%m%d"), last.strftime("%Y%m%d"))
    dates = (s["submission_status_date"] for s in application["submissions"])
    return any(span[0] <= day <= span[1] for day in dates)
