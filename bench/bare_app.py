"""The floor for the lookup benchmark: a Bolt app whose `/metode` only acks, served like ours."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.web import Server, WsgiApp


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

    @app.command("/metode")
    def command(ack: Ack, respond: Respond, body: dict[str, Any]) -> None:
        ack()
        respond(text="ok", response_type="ephemeral")

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
