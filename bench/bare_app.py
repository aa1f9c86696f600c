"""The floor for the lookup benchmark: a Bolt app whose `/metode` acks and answers a fixed card
(the file named by BARE_CARD, as our app answered it; "ok" without one), served like ours."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.web import Server, WsgiApp


def fixed_card() -> dict[str, Any]:
    """The answer every request gets: the card in BARE_CARD, or a one-word text."""
    path = os.environ.get("BARE_CARD")
    if not path:
        return {"text": "ok"}
    card: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return card


def application() -> WsgiApp:
    """Bolt with signature checks on and one command listener that acks and responds."""
    token = os.environ["SLACK_BOT_TOKEN"]
    app = App(
        token=token,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        client=WebClient(token=token, base_url=os.environ["SLACK_API_URL"]),
        token_verification_enabled=False,
        listener_executor=ThreadPoolExecutor(max_workers=32),
    )
    card = fixed_card()

    @app.command("/metode")
    def command(ack: Ack, respond: Respond, body: dict[str, Any]) -> None:
        ack()
        respond(
            text=card["text"],
            blocks=card.get("blocks"),
            response_type="ephemeral",
            unfurl_links=False,
            unfurl_media=False,
        )

    from slack_bolt.adapter.wsgi import SlackRequestHandler

    bolt = SlackRequestHandler(app, path="/slack/events")

    def serve(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        return bolt(environ, start_response)

    return serve


if __name__ == "__main__":
    Server(application(), port=int(os.environ["PORT"])).run()
