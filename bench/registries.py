"""The synthetic registries' contents: answers generated on demand, and the change script."""

from __future__ import annotations

import json
import random
import re
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench import payloads
from bench.payloads import Watched

JSON = "application/json"
RSS = "application/rss+xml; charset=utf-8"
BASE_UPDATED = "2025-01-14"
# Each change moves a record to the next value; neighbours always differ, so every change of the
# same record alerts again, also when the script runs twice.
TRIAL_STATUSES = ("COMPLETED", "TERMINATED", "SUSPENDED", "RECRUITING", "ACTIVE_NOT_RECRUITING")
MEDICINE_STATUSES = ("Withdrawn", "Suspended", "Authorised")
KINDS = ("trial", "application", "medicine")

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
    `ema_rows` medicines (the watched products among them) and as many procedures.
    """

    def __init__(self, *, methods: int, trials: int, ema_rows: int) -> None:
        self.methods, self.trials = methods, trials
        self.ema_rows = max(ema_rows, methods)
        self.owners = [payloads.watched(i, trials=trials) for i in range(methods)]
        self._by_substance = {w.substance.upper(): w.index for w in self.owners}
        self._trial_changes: dict[str, int] = {}
        self._supplements: dict[int, int] = {}
        self._medicine_changes: dict[int, int] = {}
        self._files: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def studies(self, params: dict[str, str]) -> Answer:
        """`/studies`: one study per known ID of `filter.ids`; a search finds nothing new."""
        ids = [nct for nct in params.get("filter.ids", "").split(",") if nct]
        with self._lock:
            found = [self._study(nct) for nct in ids if self._trial_owner(nct) is not None]
        return _json({"studies": found})

    def applications(self, params: dict[str, str]) -> Answer:
        """`drugsfda.json`: the applications the `search` terms name; 404 NOT_FOUND for none."""
        named = {self._term(*term) for term in search_terms(params.get("search", ""))}
        indexes = sorted(i for i in named if i is not None)
        if not indexes:
            return Answer(404, payloads.not_found())
        with self._lock:
            results = [self._application(self.owners[i]) for i in indexes]
        return _json(payloads.openfda_page(results))

    def medicines(self) -> Answer:
        """The medicines data file (cached until a medicine changes)."""
        return Answer(200, self._file("medicines", self._medicine_rows))

    def procedures(self) -> Answer:
        """The post-authorisation data file (it never changes here)."""
        return Answer(200, self._file("procedures", self._procedure_rows))

    def apply_changes(self, n: int, seed: int) -> list[str]:
        """Change `n` watched records of `n` different methods, each in one way the bot alerts
        on (trial status, new efficacy supplement, EMA medicine status); say what changed."""
        if not 0 <= n <= self.methods:
            raise ValueError(f"can change 0 to {self.methods} methods, not {n}")
        rng = random.Random(seed)
        chosen = rng.sample(range(self.methods), n)
        with self._lock:
            return [self._change(KINDS[k % 3], self.owners[i], rng) for k, i in enumerate(chosen)]

    def _change(self, kind: str, owner: Watched, rng: random.Random) -> str:
        if kind == "trial":
            nct = owner.trials[rng.randrange(len(owner.trials))]
            self._trial_changes[nct] = self._trial_changes.get(nct, 0) + 1
            return f"{owner.method_id} trial {nct} -> {self._trial_status(nct)[0]}"
        if kind == "application":
            self._supplements[owner.index] = self._supplements.get(owner.index, 0) + 1
            return f"{owner.method_id} {owner.application} new efficacy supplement"
        self._medicine_changes[owner.index] = self._medicine_changes.get(owner.index, 0) + 1
        self._files.pop("medicines", None)
        return f"{owner.method_id} {owner.product} -> {self._medicine_status(owner.index)}"

    def _trial_owner(self, nct: str) -> Watched | None:
        serial = int(nct[3:]) - payloads.NCT_BASE if nct[3:].isdigit() else -1
        index = serial // self.trials if serial >= 0 else self.methods
        return self.owners[index] if index < self.methods else None

    def _study(self, nct: str) -> dict[str, Any]:
        owner = self._trial_owner(nct)
        assert owner is not None
        status, updated = self._trial_status(nct)
        return payloads.study(nct, owner, status=status, updated=updated)

    def _trial_status(self, nct: str) -> tuple[str, str]:
        count = self._trial_changes.get(nct, 0)
        if count == 0:
            return payloads.BASE_TRIAL_STATUS, BASE_UPDATED
        updated = date(2026, 1, 1) + timedelta(days=count)
        return TRIAL_STATUSES[(count - 1) % len(TRIAL_STATUSES)], updated.isoformat()

    def _term(self, field: str, value: str) -> int | None:
        if field == "openfda.generic_name":
            return self._by_substance.get(value.upper())
        digits = value[3:]
        index = int(digits) - payloads.APPLICATION_BASE if digits.isdigit() else -1
        return index if 0 <= index < self.methods and value.startswith("BLA") else None

    def _application(self, owner: Watched) -> dict[str, Any]:
        extra = self._supplements.get(owner.index, 0)
        return payloads.application(owner, extra_supplements=extra)

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
        return [
            payloads.medicine_row(row, self._owner_of_row(row), status=self._medicine_status(row))
            for row in range(self.ema_rows)
        ]

    def _procedure_rows(self) -> list[dict[str, Any]]:
        return [
            payloads.procedure_row(row, self._owner_of_row(row)) for row in range(self.ema_rows)
        ]
