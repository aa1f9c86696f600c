"""Mutation check: break each of the bot's promises, one at a time, and name the tests that notice.

    uv run python -m bench.mutations                  # all (and TEST_DATABASE_URL: see below)
    uv run python -m bench.mutations --only mute-ignored,escape
    uv run python -m bench.mutations --check          # only: is every target text still there?

Each mutation replaces an exact text in one file with a broken version, in a scratch copy of the
repository (the tracked and untracked files of this checkout, with its own `uv sync --locked`
environment), then runs the test files listed for it (not the whole suite, to keep it fast) and
prints the tests that failed. A mutation that no test catches "survived": the command then exits
1. A target text that is missing or found twice stops the run before any test (the code moved:
update the table). Set TEST_DATABASE_URL as for pytest: without PostgreSQL its variants are
skipped and the advisory-lock mutation survives.

The table below is the only place that knows file paths and code: update it when modules move.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple


class Mutation(NamedTuple):
    """A named break of one promise: in `path`, each `old` text becomes its `new` text."""

    name: str
    path: str
    edits: tuple[tuple[str, str], ...]
    promise: str
    tests: tuple[str, ...]


SECURITY, SOURCES = "tests/test_catalogue_security.py", "tests/test_catalogue_sources.py"
# fmt: off
MUTATIONS: tuple[Mutation, ...] = (
    # Text bound for Slack --------------------------------------------------------------------
    Mutation("escape", "bot/texts/mrkdwn.py",
             (('return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")',
               "return value"),),
             "Text from sources and users is escaped (&, <, >) before Slack",
             (SECURITY, "tests/test_render.py")),
    Mutation("any-link", "bot/texts/mrkdwn.py",
             (('allowed = any(host == h or host.endswith("." + h) for h in ALLOWED_HOSTS)',
               "allowed = True"),),
             "Links go only to the sources' own sites",
             (SECURITY, "tests/test_render.py")),
    Mutation("unfurl-on", "bot/delivery/poster.py",
             (('"unfurl_links": False,', '"unfurl_links": True,'),),
             "Unfurling is off for every post",
             (SECURITY, "tests/test_timeline.py")),
    Mutation("catalogue-parity", "bot/texts/catalogue/admin.py",
             (('"en": "<@{user}> muted *{title}* in this channel until {until}. "',
               '"en": "<@{user}> muted *{title}* in this channel. "'),),
             "Every catalogue entry in both languages with the same placeholders",
             ("tests/test_messages.py",)),
    # Detection -------------------------------------------------------------------------------
    Mutation("baseline-alerts", "bot/detection/detect.py",
             (("        for method_id in record.method_ids\n        if method_id in baselined\n",
               "        for method_id in record.method_ids\n"),),
             "A method's first poll is its silent baseline",
             ("tests/test_detect.py", "tests/test_poll.py")),
    Mutation("absence-rule-2", "bot/detection/detect.py",
             (("ABSENCES_TO_REMOVE = 3", "ABSENCES_TO_REMOVE = 2"),),
             "Only three authoritative absences in a row remove a record",
             ("tests/test_detect.py", "tests/test_poll.py", SOURCES)),
    Mutation("implausible-loss-counted", "bot/detection/detect.py",
             (("if len(lost) >= SUSPICIOUS_LOSS and len(lost) > SUSPICIOUS_SHARE * len(listed):",
               "if False:"),),
             "An answer that lost implausibly many keys counts no absences",
             ("tests/test_detect.py", "tests/test_poll.py", SOURCES)),
    Mutation("drift-alerted", "bot/detection/detect.py",
             (("        if value in vocabulary:\n", "        if True:\n"),),
             "Unknown status values are schema drift: logged, not alerted",
             ("tests/test_detect.py", SOURCES)),
    # Reading sources -------------------------------------------------------------------------
    Mutation("older-data-accepted", "bot/polling/poll.py",
             (("        _check_not_older(fetched.data_timestamp, state.data_timestamp)\n", ""),),
             "Data older than what was already read is refused, not diffed",
             (SOURCES, "tests/test_poll.py")),
    Mutation("no-conditional-get", "bot/polling/reading.py",
             (("        answer = read.fetcher.fetch(query, _cached(stored))",
               "        answer = read.fetcher.fetch(query, None)"),),
             "Unchanged answers are asked for with conditional GET",
             ("tests/test_poll.py", SOURCES)),
    Mutation("redirect-any-host", "bot/polling/responses.py",
             (("    if target.host != response.url.host:\n", "    if False:\n"),),
             "A redirect to another host fails the source",
             ("tests/test_fetch.py", SOURCES)),
    Mutation("html-labelled-json", "bot/polling/responses.py",
             (('if kind == "text/html" or start.startswith(b"<"):', 'if kind == "text/html":'),),
             "An HTML page in place of JSON fails the source as such",
             ("tests/test_fetch.py", SOURCES)),
    Mutation("retry-anything", "bot/polling/fetch.py",
             (("if not error.retryable or tries >= self._max_tries:",
               "if tries >= self._max_tries:"),),
             "Only transient failures are retried",
             ("tests/test_fetch.py", SOURCES)),
    Mutation("retry-after-ignored", "bot/polling/fetch.py",
             (("        wait = error.retry_after\n", "        wait = None\n"),),
             "A 429's Retry-After is waited out",
             ("tests/test_fetch.py", SOURCES)),
    Mutation("deadline-not-mid-body", "bot/polling/fetch.py",
             (("            self._check_deadline(deadline)\n            chunks.append(chunk)",
               "            chunks.append(chunk)"),),
             "The per-request deadline cuts a dripping body",
             ("tests/test_fetch.py", SOURCES)),
    Mutation("deadline-not-in-timeouts", "bot/polling/fetch.py",
             (("            read=_at_most(base.read, left),", "            read=base.read,"),),
             "A silent server fails the request by the deadline, not the client's timeout",
             ("tests/test_fetch.py", SOURCES)),
    Mutation("stop-ignored", "bot/polling/fetch.py",
             (("        if self._stopping is not None and self._stopping.is_set():",
               "        if False:"),),
             "SIGTERM abandons the fetch in flight; nothing partial is stored",
             ("tests/test_fetch.py", "tests/test_worker.py")),
    Mutation("key-over-http", "bot/polling/fetch.py",
             (('return self._auth.get(url.host) if url.scheme == "https" else None',
               "return self._auth.get(url.host)"),),
             "The openFDA key is sent only over https",
             ("tests/test_fetch.py", SECURITY)),
    Mutation("entity-feed-parsed", "bot/sources/news/feeds.py",
             (("    if _ENTITY_DECLARATION.search(body):", "    if False:"),),
             "Feeds that declare XML entities are refused",
             ("tests/test_rss.py", SECURITY)),
    Mutation("down-after-one", "bot/polling/health.py",
             (("DOWN_AFTER = 3", "DOWN_AFTER = 1"),),
             "A source is down (and admins told) after three failed cycles",
             ("tests/test_health.py", SOURCES)),
    # Slack requests --------------------------------------------------------------------------
    Mutation("any-signature", "bot/slack/gate.py",
             (("return self.verifier.is_valid(req.raw_body, timestamp, signature)",
               "return True"),),
             "Every request from Slack is verified",
             (SECURITY, "tests/test_slackapp.py")),
    Mutation("any-workspace", "bot/slack/gate.py",
             (("return req.context.team_id == self.team_id", "return True"),),
             "Requests from another workspace are refused",
             (SECURITY,)),
    Mutation("anyone-admin", "bot/slack/handlers.py",
             (("        if user in self.settings.admins:", "        if True:"),),
             "Admin changes are checked by user ID",
             (SECURITY, "tests/test_slackapp.py")),
    Mutation("admin-replayed", "bot/storage/admin.py",
             (("    return found is not None", "    return False"),
              ("[row]) == 1", "[row]) >= 0")),
             "A replayed admin request changes nothing twice",
             (SECURITY, "tests/test_slackapp.py")),
    Mutation("manifest-drift", "bot/slack/app.py",
             (('    app.event("app_home_opened")(handlers.home)',
               '    app.event("app_home_opened")(handlers.home)\n'
               '    app.event("app_mention")(handlers.home)'),),
             "The manifest declares exactly the listeners the app registers",
             ("tests/test_manifest.py",)),
    # Queueing and delivery -------------------------------------------------------------------
    Mutation("low-alerted", "bot/delivery/outbox.py",
             (('        if event.importance == "low" or method is None:',
               "        if method is None:"),),
             "Low-importance changes wait for the summary",
             ("tests/test_digest.py",)),
    Mutation("mute-ignored", "bot/delivery/outbox.py",
             (("            if (event.method_id, channel) not in muted:", "            if True:"),),
             "A muted method's alerts are not posted in that channel",
             ("tests/test_mute.py",)),
    Mutation("mute-never-ends", "bot/storage/store.py",
             ((".where(Mute.until > now))", ")"),),
             "A mute ends after its 30 days",
             ("tests/test_mute.py",)),
    Mutation("storm-not-grouped", "bot/delivery/outbox.py",
             (("    elif len(events) > threshold:", "    elif False:"),),
             "More than 20 alerts from one source in a cycle are one message",
             ("tests/test_deliver.py",)),
    Mutation("no-catch-up", "bot/delivery/outbox.py",
             (("    if last_success_before is None or now - last_success_before <= 2 * interval:",
               "    if True:"),),
             "After downtime, the first cycle's alerts are one message per channel",
             ("tests/test_catchup.py",)),
    Mutation("claim-without-cas", "bot/delivery/rows.py",
             (('.where(OutboxRow.id == row_id, OutboxRow.status == "pending")',
               ".where(OutboxRow.id == row_id)"),),
             "A row is claimed by compare-and-set: two deliverers never both post it",
             ("tests/test_deliver.py",)),
    Mutation("repost-without-looking", "bot/delivery/deliverer.py",
             (("ts = self.poster.find(\n"
               "                row.channel, row.alert_key, "
               "oldest=oldest, thread_ts=row.thread_ts\n"
               "            )", "ts = None"),),
             "A post with an unknown outcome is looked up in Slack before it is posted again",
             ("tests/test_deliver.py", "tests/test_crash.py")),
    Mutation("post-retried-by-sdk", "bot/delivery/poster.py",
             (("WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=[])",
               "WebClient(token=token, base_url=base_url, timeout=timeout)"),),
             "Posts are never retried blind (slack_sdk's retry is off)",
             ("tests/test_deliver.py",)),
    Mutation("permanent-retried", "bot/delivery/poster.py",
             (("return DeliveryError(error, permanent=error in PERMANENT"
               " or error in PAYLOAD_REFUSED)",
               "return DeliveryError(error, permanent=False)"),),
             "A hopeless Slack error parks the row at once and tells the admins",
             ("tests/test_deliver.py",)),
    Mutation("no-pacing", "bot/delivery/deliverer.py",
             (("        if last is not None and now - last < self.min_interval:",
               "        if False:"),),
             "At most one post per second per channel",
             ("tests/test_deliver.py",)),
    # Scheduler and storage -------------------------------------------------------------------
    Mutation("row-lease-shared", "bot/storage/lease.py",
             (("            if row.holder != self.holder and row.expires_at > now:",
               "            if False:"),),
             "One poller on SQLite: a held lease row is not taken",
             ("tests/test_lease.py",)),
    Mutation("advisory-lock-broken", "bot/storage/lease.py",
             (('text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}',
               'text("SELECT true")'),),
             "One poller on PostgreSQL: the advisory lock (needs TEST_DATABASE_URL)",
             ("tests/test_lease.py",)),
    # The tests' own machinery ----------------------------------------------------------------
    Mutation("golden-self-compare", "tests/golden.py",
             (("    if before == text:\n        return\n", ""),
              ('    pytest.fail(f"regenerated: review the diff of {path}", pytrace=False)\n', "")),
             "A golden regeneration is never green: it fails until the diff is reviewed",
             ("tests/test_golden.py",)),
    # Added after the full run of 2026-12-05 (rows 39-42 of docs/reliability.md) -------------
    Mutation("flush-commits", "bot/polling/poll.py",
             (("session.flush()  # same transaction;", "session.commit()  #"),),
             "A large read is written in parts within one transaction: a failure commits nothing",
             (SOURCES,)),
    Mutation("page-404-fails-source", "bot/sources/nyemetoder/methodpages.py",
             (("                ok_statuses=frozenset({200}) | NOT_FOUND,\n", ""),),
             "A Nye metoder page that does not exist fails only that page",
             ("tests/test_nyemetoder_polling.py", "tests/test_nyemetoder_sources.py")),
    Mutation("site-moved-accepted", "bot/polling/reading.py",
             (("    _check_not_found(fetched)\n", ""),),
             "A read where most pages are not found fails the source and changes nothing",
             ("tests/test_nyemetoder_polling.py",)),
    Mutation("page-not-found-untold", "bot/polling/health.py",
             (('f"not_found|{source}|{key}",', 'f"not_found|{source}|{key}|{now}",'),),
             "The admins are told once, not at every read, of a page that does not exist",
             ("tests/test_health.py", "tests/test_nyemetoder_polling.py")),
)
# fmt: on

ROOT = Path(__file__).parents[1]
TIMEOUT = 1200.0  # seconds per mutation; a hung run is reported, not waited for
# pytest's short summary: "FAILED tests/x.py::test_y[param id] - message" (ids may hold spaces);
# a captured log line ("ERROR    slack_sdk.web.base_client:…") names no test file and is not one.
FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+?\.py(?:::.+?)?)(?: - .*)?$", re.MULTILINE)


@dataclass
class Outcome:
    """What the tests made of one mutation."""

    mutation: Mutation
    status: str  # caught | survived | broken (the run itself failed) | timeout
    caught_by: list[str] = field(default_factory=list)
    seconds: float = 0.0
    output: str = ""


def misplaced(root: Path, mutations: tuple[Mutation, ...]) -> list[str]:
    """Every edit whose text is not found exactly once in its file (the code moved)."""
    problems = []
    for mutation in mutations:
        path = root / mutation.path
        text = path.read_text(encoding="utf-8") if path.exists() else None
        for old, _ in mutation.edits:
            count = 0 if text is None else text.count(old)
            if count != 1:
                where = "file missing" if text is None else f"found {count} times"
                problems.append(f"{mutation.name}: {mutation.path}: {old.strip()[:60]!r} {where}")
    return problems


def scratch_copy(target: Path) -> None:
    """This checkout's files (tracked and untracked, not ignored) in `target`, with uv's env."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    subprocess.run(["uv", "sync", "--locked", "--quiet"], cwd=target, env=child_env(), check=True)


def child_env() -> dict[str, str]:
    """Our environment without the virtual environment this command itself runs in."""
    ours = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT")
    return {name: value for name, value in os.environ.items() if name not in ours}


def run_tests(root: Path, tests: tuple[str, ...]) -> tuple[int | None, str]:
    """pytest on `tests` in the scratch copy: (exit code, output); None when it timed out."""
    command = ["uv", "run", "--locked", "--quiet", "pytest", "-q", "-rfE", "-p", "no:cacheprovider"]
    with subprocess.Popen(
        [*command, *tests], cwd=root, env=child_env(), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    ) as process:  # fmt: skip
        try:
            output, _ = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            return None, process.communicate()[0]
    return process.returncode, output


def apply(root: Path, mutation: Mutation) -> Outcome:
    """Run `mutation`'s tests with its edits in place; the file is restored afterwards."""
    path = root / mutation.path
    original = path.read_text(encoding="utf-8")
    mutated = original
    for old, new in mutation.edits:
        mutated = mutated.replace(old, new)
    path.write_text(mutated, encoding="utf-8")
    started = time.monotonic()
    try:
        code, output = run_tests(root, mutation.tests)
    finally:
        path.write_text(original, encoding="utf-8")
    outcome = Outcome(mutation, "broken", seconds=time.monotonic() - started, output=output)
    outcome.caught_by = sorted(set(FAILED.findall(output)))
    if code is None:
        outcome.status = "timeout"
    elif code == 0:
        outcome.status = "survived"
    elif code == 1 and outcome.caught_by:
        outcome.status = "caught"
    return outcome


def table(outcomes: list[Outcome]) -> list[str]:
    """The result as a Markdown table (for docs/reliability.md)."""
    lines = ["| # | mutation | file | promise broken | result | caught by |"]
    lines.append("|---|---|---|---|---|---|")
    for number, outcome in enumerate(outcomes, 1):
        m = outcome.mutation
        cells = [str(number), f"`{m.name}`", f"`{m.path}`", m.promise, outcome.status]
        lines.append("| " + " | ".join([*cells, catchers(outcome)]) + " |")
    return lines


def catchers(outcome: Outcome, *, shown: int = 3) -> str:
    """The first few tests that failed (file::name[param]), and how many more."""
    names = [f"`{test.removeprefix('tests/')}`" for test in outcome.caught_by]
    more = f" +{len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more if names else "—"


def chosen(only: str | None) -> tuple[Mutation, ...]:
    if not only:
        return MUTATIONS
    names = set(only.split(","))
    unknown = names - {m.name for m in MUTATIONS}
    if unknown:
        raise SystemExit(f"unknown mutation(s): {', '.join(sorted(unknown))}")
    return tuple(m for m in MUTATIONS if m.name in names)


def run(mutations: tuple[Mutation, ...], *, keep: bool) -> list[Outcome]:
    """Every mutation, one at a time, in one scratch copy."""
    scratch = Path(tempfile.mkdtemp(prefix="metodevakt-mutations-"))
    outcomes = []
    try:
        scratch_copy(scratch)
        for number, mutation in enumerate(mutations, 1):
            outcome = apply(scratch, mutation)
            outcomes.append(outcome)
            found = f"{len(outcome.caught_by)} tests failed, {outcome.seconds:.0f} s"
            print(f"[{number}/{len(mutations)}] {mutation.name}: {outcome.status} ({found})")
            if outcome.status in ("broken", "timeout"):
                print(outcome.output[-3000:])
            sys.stdout.flush()
    finally:
        if keep:
            print(f"scratch copy kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    """Check the table, run the mutations, print the table; 1 unless every one was caught."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="comma-separated mutation names")
    parser.add_argument("--check", action="store_true", help="only check the target texts")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy")
    options = parser.parse_args(argv)
    mutations = chosen(options.only)
    problems = misplaced(ROOT, mutations)
    if problems:
        print("target texts not found exactly once (update MUTATIONS):", *problems, sep="\n  ")
        return 2
    if options.check:
        print(f"all {len(mutations)} mutations' target texts found once")
        return 0
    if not os.environ.get("TEST_DATABASE_URL"):
        print("TEST_DATABASE_URL is not set: PostgreSQL-only mutations will survive")
    outcomes = run(mutations, keep=options.keep)
    print("\n".join(table(outcomes)))
    caught = sum(outcome.status == "caught" for outcome in outcomes)
    print(f"\n{caught} of {len(outcomes)} mutations caught")
    return 0 if caught == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
