"""`metodevakt demo`: the whole pipeline, offline, on bundled data and a temporary database."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from bot.answers import answer
from bot.deliver import Deliverer
from bot.demoserver import DATA, DemoSources
from bot.lookupcard import as_terminal_text
from bot.messages import SOURCE_NAME, Language, term
from bot.messages import text as t
from bot.poll import PollResult
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from bot.slackpost import ConsolePoster

QUERY = "dupilumab"
# Loggers whose INFO lines (migrations, each fetch) are not what the demo is about.
QUIET = ("bot", "alembic")


def run_demo(out: TextIO, *, language: Language = "nb") -> None:
    """Baseline, a scripted change, its alerts, the summary and the `/metode` card, printed."""
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
        "database_url": f"sqlite:///{folder / 'demo.db'}",
        "watchlist_file": watchlist,
        "language": language,
    }
    return Settings(_env_file=None, **values)


def _show(runtime: Runtime, sources: DemoSources, out: TextIO, language: Language) -> None:
    out.write(t(language, "demo_intro") + "\n")
    _heading(out, t(language, "demo_baseline"))
    _report(runtime.poll(), out, language)
    out.write(t(language, "demo_baseline_done") + "\n")
    _heading(out, t(language, "demo_change"))
    sources.change(datetime.now(UTC))
    for key in ("demo_change_trial", "demo_change_fda", "demo_change_press"):
        out.write(f"  • {t(language, key)}\n")
    _heading(out, t(language, "demo_alerts"))
    _report(runtime.poll(), out, language)
    deliverer = _deliverer(runtime, out)
    deliverer.run()
    _heading(out, t(language, "demo_digest"))
    runtime.digest()
    deliverer.run()
    _heading(out, t(language, "demo_lookup", query=QUERY))
    out.write(_lookup(runtime) + "\n")


def _deliverer(runtime: Runtime, out: TextIO) -> Deliverer:
    """Delivery as the runtime builds it, but printing to `out`."""
    settings = runtime.settings
    poster = ConsolePoster(stream=out)
    return Deliverer(runtime.sessions, poster, settings.language, min_interval=0)


def _report(results: list[PollResult], out: TextIO, language: Language) -> None:
    for result in results:
        out.write(f"  {_source_line(result, language)}\n")


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
