"""Candidates' modals: the add-method form filled in from a candidate's evidence ("Følg"), and
the optional reason for "Ikke relevant". Each carries the candidate and the message it came
from in `private_metadata`, so the message can be brought up to date after the submission."""

from __future__ import annotations

import copy
import json
from typing import Any

from bot.overview.candidates import CandidateView
from bot.slack.views import add_method_modal
from bot.sources.evidence import CONDITION
from bot.texts.blockkit import plain
from bot.texts.candidates.lines import plain_title
from bot.texts.catalogue import Language
from bot.texts.catalogue import text as t

FOLLOW_VIEW, DISMISS_VIEW = "candidate_follow", "candidate_dismiss"
INITIAL = 2000  # characters of a prefilled value (Slack allows 3,000 in a text input)


def origin(body: dict[str, Any]) -> dict[str, Any]:
    """The candidate and where its button was: the message's ts (None for an ephemeral card)
    and the response_url that writes that message again."""
    container = body.get("container") or {}
    ephemeral = bool(container.get("is_ephemeral"))
    return {
        "candidate": int(body["actions"][0]["value"]),
        "ts": None if ephemeral else container.get("message_ts"),
        "response_url": body.get("response_url"),
    }


def metadata_of(view: dict[str, Any]) -> dict[str, Any]:
    """What a candidate's modal carried, as `origin` gave it."""
    return dict(json.loads(view.get("private_metadata") or "{}"))


def follow_modal(view: CandidateView, about: dict[str, Any], language: Language) -> dict[str, Any]:
    """The add-method form, filled in from the candidate's evidence."""
    modal = copy.deepcopy(add_method_modal(language))
    values = prefill(view, language)
    for block in modal["blocks"]:
        value = values.get(block.get("block_id", ""))
        if value and block["element"]["type"] == "plain_text_input":
            block["element"]["initial_value"] = value[:INITIAL]
    modal["callback_id"] = FOLLOW_VIEW
    modal["title"] = plain(t(language, "candidate_follow_title"))
    modal["private_metadata"] = json.dumps(about)
    return modal


def prefill(view: CandidateView, language: Language) -> dict[str, str]:
    """The form's values from the evidence: names, codes and numbers the sources gave."""
    facts = [item.facts for item in view.evidence]
    return {
        "title": plain_title(view, language),
        "substance": view.substance,
        "trade_names": _joined(_names(facts)),
        "atc": next((str(f["atc"]) for f in facts if f.get("atc")), ""),
        "indication": next((str(f["indication"]) for f in facts if f.get("indication")), ""),
        "trials": _joined(e.key for e in view.evidence if e.source == "clinicaltrials"),
        "fda_applications": _joined(str(f.get("application") or "") for f in facts),
        "ema_products": _joined(
            str(e.facts.get("product_number") or "")
            for e in view.evidence
            if e.source.startswith("ema")
        ),
        "discover": view.term if view.term_kind == CONDITION else "",
    }


def _names(facts: list[dict[str, Any]]) -> list[str]:
    found = [str(f["name"]) for f in facts if f.get("name")]
    found += [str(brand) for f in facts for brand in f.get("brand_names") or []]
    return found


def _joined(values: Any) -> str:
    return ", ".join(dict.fromkeys(value for value in values if value))


def dismiss_modal(about: dict[str, Any], language: Language) -> dict[str, Any]:
    """An optional reason for "Ikke relevant"."""
    reason = {
        "type": "input",
        "block_id": "reason",
        "optional": True,
        "label": plain(t(language, "candidate_dismiss_reason")),
        "element": {"type": "plain_text_input", "action_id": "value", "multiline": True},
    }
    return {
        "type": "modal",
        "callback_id": DISMISS_VIEW,
        "title": plain(t(language, "candidate_dismiss_title")),
        "submit": plain(t(language, "candidate_dismiss_submit")),
        "close": plain(t(language, "modal_cancel")),
        "private_metadata": json.dumps(about),
        "blocks": [reason],
    }


def reason_of(view: dict[str, Any]) -> str | None:
    """The reason typed in the dismiss modal, if any."""
    field = view.get("state", {}).get("values", {}).get("reason", {}).get("value", {})
    return str(field.get("value") or "").strip() or None
