"""The benchmark's watchlist and settings: N synthetic methods, every source at the synthetic world.

Every method watches its own trials, application, EMA product and Nye metoder IDs, discovers new
trials of its substance for its condition, and a share links its Nye metoder page; the team's
scope (bench/scopeworld.py) makes the sources scan what they read for candidates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bench import payloads, scopeworld
from bot.settings import Settings

# The share of methods whose watchlist entry links its Nye metoder page (docs/benchmarks.md).
PAGES_SHARE = 0.5
SITE = "https://www.nyemetoder.no/metoder/"


def watchlist_document(methods: int, trials: int, *, pages: float = PAGES_SHARE) -> dict[str, Any]:
    """The synthetic watchlist: unique trials, application, product, names and Nye metoder IDs
    per method, discovery of new trials of its substance for its condition on every method, the
    method's Nye metoder page on a share `pages` of them, and the team's scope."""
    entries = []
    for index in range(methods):
        w = payloads.watched(index, trials=trials)
        entry: dict[str, Any] = {
            "id": w.method_id,
            "title": f"{w.substance} ({w.trade_name}) benchmark method {index}",
            "substance": w.substance,
            "trade_names": [w.trade_name],
            "trials": list(w.trials),
            "fda_applications": [w.application],
            "ema_products": [w.product],
            "nye_metoder": list(w.nye_ids),
        }
        if payloads.has_page(index, pages):
            entry["nye_metoder_url"] = f"{SITE}{w.page_slug}/"
        entries.append(entry | {"discover": {"condition": w.condition}})
    return {"scope": scopeworld.SCOPE, "methods": entries}


def write_watchlist(path: Path, methods: int, trials: int, *, pages: float = PAGES_SHARE) -> Path:
    """Write the synthetic watchlist as YAML (flow-style lists keep it under the 1 MB cap)."""
    document = watchlist_document(methods, trials, pages=pages)
    text = yaml.safe_dump(document, sort_keys=False, default_flow_style=None, width=120)
    path.write_text(text, encoding="utf-8")
    return path


def bench_settings(workdir: Path, url: str, watchlist: Path) -> Settings:
    """Every source at the synthetic world, no politeness delays, no Slack token (console)."""
    return Settings(
        _env_file=None,
        database_url=f"sqlite:///{workdir / 'bench.db'}",
        watchlist_file=watchlist,
        ctgov_api_url=f"{url}/api/v2",
        openfda_api_url=url,
        openfda_api_key=None,
        ema_base_url=f"{url}/ema",
        fda_base_url=f"{url}/fda",
        nyemetoder_base_url=url,
        slack_bot_token=None,
        slack_alert_channel=None,
        ctgov_min_interval=0,
        openfda_min_interval=0,
        ema_min_interval=0,
        fda_min_interval=0,
        nyemetoder_min_interval=0,
        slack_min_interval=0,
    )
