"""The dupilumab world on a replay server: every source the bot reads, from recorded fixtures."""

from __future__ import annotations

import copy
import functools
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.settings import Settings
from tests.golden import FIXTURES
from tests.replay import ReplayServer

SEED = Path(__file__).parents[1] / "config" / "watchlist.yaml"
CTGOV = "/api/v2/studies"
OPENFDA = "/drug/drugsfda.json"
EMA_REPORTS = "/ema/en/documents/report/"
MEDICINES = EMA_REPORTS + "medicines-output-medicines_json-report_en.json"
POST_AUTH = EMA_REPORTS + "medicines-output-post_authorisation_json-report_en.json"
EMA_NEWS = "/ema/en/news.xml"
EMA_WHATS_NEW = "/ema/en/whats-new.xml"
FDA_PRESS = "/fda/about-fda/contact-fda/stay-informed/rss-feeds/press-releases/rss.xml"
RSS = "application/rss+xml; charset=utf-8"
HTML = "text/html; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Nye metoder on the server's root (NYEMETODER_BASE_URL); the workbook path is beslutning.html's.
NYE_PAGE = "/metoder/dupilumab-dupixent/"
NYE_SEED_PAGE = "/metoder/id2019_015/"  # illustrative (tests/fixtures/README.md, nyemetoder)
NYE_DECISIONS = "/innforing-av-nye-metoder/beslutning/"
NYE_WORKBOOK = "/globalassets/beslutninger/oversikt-beslutninger.xlsx"
WATCHED = {"filter.ids": "NCT02612454,NCT03054428"}
DISCOVERY = {"query.intr": "dupilumab"}
# The change feed (`query.term=AREA[LastUpdatePostDate]RANGE[…,MAX]`) is the only query sorted.
FEED = {"sort": "LastUpdatePostDate:asc"}


@functools.cache
def seed_without_scope() -> Path:
    """The seed watchlist without its `scope:` (a poll then reads for the watched method only:
    no request for candidates beside the source's own)."""
    document = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    document.pop("scope", None)
    path = Path(tempfile.mkdtemp(prefix="metodevakt-seed-")) / "watchlist.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def fixture_json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def nye_fixture(name: str) -> bytes:
    return fixture_bytes(f"nyemetoder/{name}")


def fresh_ema_file(name: str) -> bytes:
    """A recorded EMA data file as EMA serves it today: generated this morning, not stale."""
    document = fixture_json(name)
    document["meta"]["timestamp"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(document).encode()


class DupilumabWorld:
    """The replay routes for the seed watchlist; `change_*` methods script what happens next."""

    def __init__(self, server: ReplayServer) -> None:
        self.server = server
        self.studies = fixture_json("clinicaltrials/dupilumab_watched.json")
        self.discovery = fixture_json("clinicaltrials/dupilumab_discovery.json")
        self.press = fixture_bytes("rss/fda_press_releases.xml")
        self.serve_studies()
        self.serve_discovery(self.discovery)
        server.route(OPENFDA, fixture_bytes("openfda/dupilumab_bla761055.json"))
        server.route(MEDICINES, fresh_ema_file("ema/medicines_dupilumab.json"))
        server.route(POST_AUTH, fresh_ema_file("ema/post_authorisation_dupilumab.json"))
        server.route(EMA_NEWS, fixture_bytes("rss/ema_news.xml"), content_type=RSS)
        server.route(EMA_WHATS_NEW, fixture_bytes("rss/ema_whats_new.xml"), content_type=RSS)
        self.serve_press()
        self.serve_nye_metoder()

    def settings(self, **overrides: Any) -> Settings:
        """Settings pointing every source at this server, with no politeness delays."""
        base = self.server.url
        values: dict[str, Any] = {
            "ctgov_api_url": base + "/api/v2",
            "openfda_api_url": base,
            "ema_base_url": base + "/ema",
            "fda_base_url": base + "/fda",
            "nyemetoder_base_url": base,
            "watchlist_file": SEED,
            "ctgov_min_interval": 0,
            "openfda_min_interval": 0,
            "ema_min_interval": 0,
            "fda_min_interval": 0,
            "nyemetoder_min_interval": 0,
            "slack_min_interval": 0,
        }
        return Settings(**(values | overrides))

    def serve_nye_metoder(
        self,
        *,
        seed_page: str = "seed_1_ordered.html",
        workbook: str = "decisions.xlsx",
    ) -> None:
        """The seed watchlist's method page (P2), the ID2019_015 page at `seed_page`, the
        decision page and its workbook (fixtures in tests/fixtures/nyemetoder/)."""
        server = self.server
        server.route(NYE_PAGE, nye_fixture("p2_dupilumab_dupixent.html"), content_type=HTML)
        server.route(NYE_SEED_PAGE, nye_fixture(seed_page), content_type=HTML)
        server.route(NYE_DECISIONS, nye_fixture("beslutning.html"), content_type=HTML)
        server.route(NYE_WORKBOOK, nye_fixture(workbook), content_type=XLSX)

    def serve_studies(self) -> None:
        self.server.route(CTGOV, json.dumps(self.studies).encode(), match_params=WATCHED)
        self.serve_feed()

    def serve_discovery(self, document: dict[str, Any]) -> None:
        """The discovery search answers `document` (and the change feed holds its studies)."""
        self.discovery = document
        self.server.route(CTGOV, json.dumps(document).encode(), match_params=DISCOVERY)
        self.serve_feed()

    def serve_feed(self) -> None:
        """The change feed answers every study of this world (the watched ones as `studies`
        has them), whatever the date range: a superset of any range, whose unchanged studies
        the bot reads as unchanged."""
        watched = set(WATCHED["filter.ids"].split(","))
        others = [study for study in self.discovery["studies"] if _nct(study) not in watched]
        document = {"studies": [*self.studies["studies"], *others]}
        self.server.route(CTGOV, json.dumps(document).encode(), match_params=FEED)

    def serve_press(self) -> None:
        self.server.route(FDA_PRESS, self.press, content_type=RSS)

    def change_trial_status(self, nct: str, status: str, *, updated: str) -> None:
        """The registry record of `nct` gets a new overall status (and lastUpdatePostDate), in
        every answer that holds it: the watched IDs, the discovery search and the change feed."""
        self.studies = _with_status(self.studies, nct, status, updated)
        self.discovery = _with_status(self.discovery, nct, status, updated)
        self.server.route(CTGOV, json.dumps(self.discovery).encode(), match_params=DISCOVERY)
        self.serve_studies()

    def add_press_release(self, title: str, *, guid: str) -> None:
        """A new item at the top of the FDA press-release feed."""
        item = (
            f"<item><title>{title}</title>"
            f"<link>https://www.fda.gov/news-events/press-announcements/{guid}</link>"
            f"<description>Dupixent (dupilumab) news.</description>"
            f"<pubDate>Tue, 24 Nov 2026 10:00:00 EST</pubDate><guid>{guid}</guid></item>"
        ).encode()
        self.press = self.press.replace(b"<item>", item + b"<item>", 1)
        self.serve_press()


def _nct(study: dict[str, Any]) -> str:
    nct: str = study["protocolSection"]["identificationModule"]["nctId"]
    return nct


def _with_status(document: dict[str, Any], nct: str, status: str, updated: str) -> dict[str, Any]:
    """A copy of a `/studies` answer in which study `nct` has `status`, updated on `updated`."""
    document = copy.deepcopy(document)
    for study in document["studies"]:
        module = study["protocolSection"]["statusModule"]
        if study["protocolSection"]["identificationModule"]["nctId"] == nct:
            module["overallStatus"] = status
            module["lastUpdatePostDateStruct"] = {"date": updated, "type": "ACTUAL"}
    return document
