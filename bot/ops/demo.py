"""`metodevakt demo`: the whole pipeline, offline, on bundled data and a temporary database."""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.delivery.deliverer import Deliverer
from bot.delivery.poster import ConsolePoster
from bot.lookup.answers import answer
from bot.ops.demoserver import (
    DATA,
    DECIDED,
    FDA_PRESS,
    NYE_WORKBOOK,
    OPENFDA,
    WATCHED,
    DemoSources,
)
from bot.polling.poll import PollResult
from bot.settings import Settings
from bot.texts.catalogue import SOURCE_NAME, Language, term
from bot.texts.catalogue import text as t
from bot.texts.lookupcard import as_terminal_text

QUERY = "dupilumab"
TRIAL = "NCT02612454"
PRESS_LINK = "https://www.fda.gov/news-events/press-announcements/metodevakt-demo"
if TYPE_CHECKING:
    from bot.runtime import Runtime

# Loggers whose INFO lines (migrations, each fetch) are not what the demo is about.
QUIET = ("bot", "alembic")


def run_demo(
    out: TextIO, *, open_runtime: Callable[[Settings], Runtime], language: Language = "nb"
) -> None:
    """Baseline, a scripted change, its alerts, the summary and the `/metode` card, printed.

    `open_runtime` is the composition root's (bot.runtime.open_runtime).
    """
    with (
        _quiet_logs(),
        tempfile.TemporaryDirectory(prefix="metodevakt-demo-") as folder,
        DemoSources() as sources,
    ):
        runtime = open_runtime(demo_settings(Path(folder), sources.url, language))
        try:
            _show(runtime, sources, out, language)
        finally:
            runtime.close()
    out.write(f"\n{t(language, 'demo_done')}\n")


def demo_settings(folder: Path, url: str, language: Language) -> Settings:
    """Every field given explicitly, so nothing is read from the environment or `.env`."""
    watchlist = folder / "watchlist.yaml"
    watchlist.write_bytes((DATA / "watchlist.yaml").read_bytes())
    values: dict[str, Any] = {name: f.default for name, f in Settings.model_fields.items()}
    values |= {name: 0 for name in values if name.endswith("_min_interval")}
    values |= {
        "slack_api_url": url + "/slack/",
        "ctgov_api_url": url + "/api/v2",
        "openfda_api_url": url,
        "ema_base_url": url + "/ema",
        "fda_base_url": url + "/fda",
        "nyemetoder_base_url": url,
        "database_url": f"sqlite:///{folder / 'demo.db'}",
        "watchlist_file": watchlist,
        "language": language,
    }
    return Settings(_env_file=None, **values)


def _show(runtime: Runtime, sources: DemoSources, out: TextIO, language: Language) -> None:
    deliverer = _deliverer(runtime, out)
    out.write(t(language, "demo_intro") + "\n")
    _heading(out, t(language, "demo_baseline"))
    _poll(runtime, deliverer, out)
    out.write(t(language, "demo_baseline_done") + "\n")
    _change(sources, out, language)
    _heading(out, t(language, "demo_alerts"))
    _poll(runtime, deliverer, out)
    _heading(out, t(language, "demo_digest"))
    runtime.digest()
    deliverer.run()
    _heading(out, t(language, "demo_lookup", query=QUERY))
    out.write(_lookup(runtime) + "\n")


def _deliverer(runtime: Runtime, out: TextIO) -> Deliverer:
    """Delivery as the runtime builds it without a Slack token, but printing to `out`."""
    settings = runtime.settings
    return Deliverer(
        runtime.sessions,
        ConsolePoster(stream=out),
        settings.language,
        admin_channel=settings.admin_channel,
        min_interval=settings.slack_min_interval,
    )


def _poll(runtime: Runtime, deliverer: Deliverer, out: TextIO) -> None:
    """One cycle of every source, a line each, then delivery of whatever it queued."""
    for result in runtime.poll():
        out.write(f"  {_source_line(result, runtime.settings.language)}\n")
    deliverer.run()


def _change(sources: DemoSources, out: TextIO, language: Language) -> None:
    _heading(out, t(language, "demo_change"))
    now = datetime.now(UTC)
    sources.edit(WATCHED, partial(_complete_trial, now=now))
    sources.edit(OPENFDA, partial(_approve_supplement, now=now))
    sources.edit(FDA_PRESS, partial(_add_press_release, now=now))
    sources.edit(NYE_WORKBOOK, lambda _before: (DATA / DECIDED).read_bytes())
    for key in ("demo_change_trial", "demo_change_fda", "demo_change_press", "demo_change_nye"):
        out.write(f"  • {t(language, key)}\n")


def _complete_trial(body: bytes, *, now: datetime) -> bytes:
    document = json.loads(body)
    for study in document["studies"]:
        if study["protocolSection"]["identificationModule"]["nctId"] == TRIAL:
            module = study["protocolSection"]["statusModule"]
            module["overallStatus"] = "COMPLETED"
            module["lastUpdatePostDateStruct"] = {"date": f"{now:%Y-%m-%d}", "type": "ACTUAL"}
    return json.dumps(document).encode()


def _approve_supplement(body: bytes, *, now: datetime) -> bytes:
    document = json.loads(body)
    submissions = document["results"][0]["submissions"]
    submissions.append(
        {
            "submission_type": "SUPPL",
            "submission_number": str(1 + max(int(s["submission_number"]) for s in submissions)),
            "submission_status": "AP",
            "submission_status_date": f"{now:%Y%m%d}",
            "review_priority": "STANDARD",
            "submission_class_code": "EFFICACY",
            "submission_class_code_description": "Efficacy",
        }
    )
    return json.dumps(document).encode()


def _add_press_release(feed: bytes, *, now: datetime) -> bytes:
    item = (
        "<item><title>FDA approves Dupixent for a new use (Metodevakt demo)</title>"
        f"<link>{PRESS_LINK}</link><guid>{PRESS_LINK}</guid>"
        "<description>Dupixent (dupilumab): an invented press release for the demo.</description>"
        f"<pubDate>{format_datetime(now)}</pubDate></item>"
    )
    return feed.replace(b"<item>", item.encode() + b"<item>", 1)


def _source_line(result: PollResult, language: Language) -> str:
    source = term(SOURCE_NAME, result.source, language)
    if not result.ok:
        return t(language, "demo_source_failed", source=source, reason=result.reason)
    if result.requests and result.not_modified == result.requests:
        return t(language, "demo_source_unchanged", source=source)
    return t(language, "demo_source", source=source, records=result.records, events=result.events)


def _lookup(runtime: Runtime) -> str:
    settings = runtime.settings
    with runtime.sessions() as session:
        found = answer(session, QUERY, language=settings.language, zone=settings.zone)
    return as_terminal_text(found.message)


def _heading(out: TextIO, title: str) -> None:
    out.write(f"\n{title}\n{'─' * min(len(title), 80)}\n")
    out.flush()


@contextmanager
def _quiet_logs() -> Iterator[None]:
    """The pipeline's INFO lines would drown what the demo shows; warnings still get through."""
    loggers = [logging.getLogger(name) for name in QUIET]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
