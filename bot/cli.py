"""The `metodevakt` command line: one sub-command per entry of the public contract."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from bot import __version__

if TYPE_CHECKING:
    from bot.polling.poll import PollResult
    from bot.runtime import Runtime
    from bot.settings import Settings
    from bot.watchlist import Scope

# Every command imports what it needs when it runs: `metodevakt --help` loads no database,
# HTTP, Slack or scheduler library, and `metodevakt lookup` none of the HTTP, Slack or feeds.

app = typer.Typer(
    help="Metodevakt: watches EMA, FDA and ClinicalTrials.gov for the methods on a watchlist "
    "and posts status changes to Slack.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
watchlist_app = typer.Typer(help="Validate or export the watchlist.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(watchlist_app, name="watchlist")
app.add_typer(db_app, name="db")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"metodevakt {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Bolt logs the whole body of a request with a bad signature at INFO (response_url is a
    # bearer capability): keep it quiet.
    logging.getLogger("slack_bolt").setLevel(logging.WARNING)
    # httpx logs every request's full URL at INFO; ours (bot.polling.fetch) logs host and path only.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def _settings() -> Settings:
    from bot.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        _fail(str(exc), code=2)


def _fail(message: str, *, code: int = 1) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


@contextmanager
def _runtime(*, seed_watchlist: bool = True) -> Iterator[Runtime]:
    from bot.runtime import open_runtime
    from bot.watchlist import WatchlistError

    settings = _settings()
    try:
        runtime = open_runtime(settings, seed_watchlist=seed_watchlist)
    except WatchlistError as exc:
        _fail(f"watchlist is not valid:\n{exc}")
    try:
        yield runtime
    finally:
        runtime.close()


def _not_yet(command: str) -> NoReturn:
    _fail(f"metodevakt {command}: not available yet", code=2)


@watchlist_app.command("check")
def watchlist_check(
    file: Annotated[Path | None, typer.Argument(help="Default: $WATCHLIST_FILE.")] = None,
) -> None:
    """Validate the watchlist; errors name the file, line and field."""
    from bot.watchlist import WatchlistError, read_watchlist

    path = file or _settings().watchlist_file
    try:
        found = read_watchlist(path)
    except WatchlistError as exc:
        _fail(str(exc))
    count = len(found.methods)
    typer.echo(f"ok: {count} method{'' if count == 1 else 's'}{_scope_note(found.scope)}")


def _scope_note(scope: Scope | None) -> str:
    if scope is None:
        return ", no scope (no candidates are proposed)"
    counts = [
        _plural(len(scope.atc), "ATC prefix", "ATC prefixes"),
        _plural(len(scope.conditions), "condition", "conditions"),
        f"{len(scope.ignore)} ignored",
    ]
    return f", a scope ({', '.join(counts)})"


def _plural(count: int, one: str, several: str) -> str:
    return f"{count} {one if count == 1 else several}"


@watchlist_app.command("export")
def watchlist_export(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Default: stdout.")] = None,
) -> None:
    """Write the active watchlist (file + methods added in Slack, and the scope) as YAML."""
    import yaml

    from bot.storage import store
    from bot.storage.scope import active_scope

    with _runtime() as runtime, runtime.sessions() as session:
        methods = store.active_methods(session)
        scope = active_scope(session)
    document: dict[str, Any] = {
        "methods": [m.model_dump(mode="json", exclude_none=True) for m in methods]
    }
    if scope is not None:
        document["scope"] = scope.definition()
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations (every command also does it on start)."""
    from bot.storage import db

    settings = _settings()
    engine = db.make_engine(settings.database_url)
    try:
        db.upgrade(engine)
        typer.echo(f"database at revision {db.current_revision(engine)}")
    finally:
        engine.dispose()


@app.command()
def run() -> None:
    """Everything in one process: scheduler + Slack app (Socket Mode with SLACK_APP_TOKEN)."""
    from bot.ops.worker import Worker
    from bot.slack.app import build_app, connect_socket_mode

    with _runtime() as runtime:
        try:
            app = build_app(runtime)
        except ValueError as exc:
            _fail(str(exc), code=2)
        worker = Worker(runtime)
        token = runtime.settings.slack_app_token
        if token is not None:
            connect_socket_mode(app, token.get_secret_value())
            worker.install_signal_handlers()
            worker.run(_digest_job(runtime))
        else:
            _serve_with_worker(runtime, app, worker)


def _serve_with_worker(runtime: Runtime, app: object, worker: object) -> None:
    """HTTP mode: gunicorn's one worker process also runs the scheduler (started after fork)."""
    from bot.ops.worker import Worker
    from bot.slack.web import Server, wsgi_app

    assert isinstance(worker, Worker)
    application = wsgi_app(runtime, app)  # type: ignore[arg-type]
    runtime.engine.dispose()  # no pooled connection may cross the fork
    Server(
        application,
        port=runtime.settings.port,
        on_worker_start=lambda: worker.start(_digest_job(runtime)),
        on_worker_exit=worker.stopping.set,
    ).run()


@app.command()
def web() -> None:
    """The Slack HTTP endpoint only (POST /slack/events, GET /healthz), production server."""
    from bot.slack.app import build_app
    from bot.slack.web import Server, wsgi_app

    with _runtime() as runtime:
        try:
            application = wsgi_app(runtime, build_app(runtime))
        except ValueError as exc:
            _fail(str(exc), code=2)
        runtime.engine.dispose()  # the server forks: no pooled connection may cross it
        Server(application, port=runtime.settings.port).run()


@app.command()
def worker() -> None:
    """The scheduler only: polling, delivery, summaries. Run exactly one."""
    from bot.ops.worker import Worker

    with _runtime() as runtime:
        worker = Worker(runtime)
        worker.install_signal_handlers()
        worker.run(_digest_job(runtime))


def _digest_job(runtime: Runtime) -> Callable[[], None]:
    def job() -> None:
        runtime.digest()
        runtime.deliverer.run()

    return job


@app.command()
def poll(
    once: Annotated[bool, typer.Option("--once", help="One cycle of every source.")] = False,
) -> None:
    """One poll cycle of every source, then delivery of pending alerts.

    Exits 0 when the cycle ran, even if a source was down (that is reported, not fatal).
    """
    if not once:
        _fail("metodevakt poll: use --once (the scheduler is `metodevakt worker`)", code=2)
    with _runtime() as runtime:
        for result in runtime.poll():
            typer.echo(describe_poll(result), err=True)
        report = runtime.deliverer.run()
    typer.echo(
        f"delivery: {report.sent} sent, {report.waiting} waiting, {report.dead} dead", err=True
    )


def describe_poll(result: PollResult) -> str:
    """One terminal line per source."""
    if not result.ok:
        return f"{result.source}: FAILED ({result.reason}); nothing changed, retried next cycle"
    found = f", {result.evidence} new facts for candidates" if result.evidence else ""
    return (
        f"{result.source}: ok, {result.requests} requests ({result.not_modified} unchanged), "
        f"{result.records} records, {result.events} new events, {result.queued} alerts queued"
        f"{found}"
    )


@app.command()
def digest() -> None:
    """Build and deliver the summary now."""
    with _runtime() as runtime:
        queued = runtime.digest()
        report = runtime.deliverer.run()
    typer.echo(
        f"summary: {queued} queued; delivery: {report.sent} sent, {report.dead} dead", err=True
    )


@app.command()
def candidates() -> None:
    """Build and deliver the week's new candidates now (console without a token)."""
    with _runtime() as runtime:
        if runtime.scope() is None:
            typer.echo("candidates: no scope in the watchlist, so nothing is proposed", err=True)
            return
        proposed = runtime.candidates()
        report = runtime.deliverer.run()
    typer.echo(
        f"candidates: {proposed} proposed; delivery: {report.sent} sent, {report.dead} dead",
        err=True,
    )


@app.command()
def lookup(
    query: Annotated[str, typer.Argument(help="Substance, trade name, NCT ID, ...")],
) -> None:
    """The same answer as `/metode QUERY`, printed in the terminal."""
    from bot.lookup.answers import answer
    from bot.texts.lookupcard import as_terminal_text

    with _runtime() as runtime, runtime.sessions() as session:
        settings = runtime.settings
        found = answer(session, query, language=settings.language, zone=settings.zone)
    typer.echo(as_terminal_text(found.message))


@app.command()
def status() -> None:
    """Each source's health, last successful read, pending and dead alerts."""
    from bot.ops.status import status_lines

    with _runtime() as runtime, runtime.sessions() as session:
        settings = runtime.settings
        lines = status_lines(session, zone=settings.zone, language=settings.language)
    typer.echo("\n".join(lines))


@app.command()
def doctor(
    save: Annotated[
        Path | None,
        typer.Option("--save", metavar="DIR", help="Keep every raw answer in DIR (fixtures)."),
    ] = None,
) -> None:
    """On deployment: read every source once through the real gates, then check Slack.

    Exits 0 only when every source answered, parsed without drift, and Slack is in order.
    """
    from bot.ops.doctor import Saver, check_sources
    from bot.ops.report import report_lines
    from bot.ops.slackcheck import check_slack

    with _runtime() as runtime:
        saver = Saver(save) if save is not None else None
        checks = check_sources(runtime.sources(), runtime.methods(), runtime.fetcher, saver=saver)
        slack = check_slack(runtime.settings)
        typer.echo("\n".join(report_lines(checks, slack, runtime.settings.language)))
    if not (all(check.ok for check in checks) and slack.ok):
        raise typer.Exit(1)


@app.command()
def demo() -> None:
    """Offline: run the whole pipeline on bundled recorded data and show what would be posted."""
    from bot.ops.demo import run_demo
    from bot.runtime import open_runtime

    run_demo(sys.stdout, open_runtime=open_runtime, language=_settings().language)


def main() -> None:
    """Console-script entry point."""
    app()
