"""The gate in front of every Slack listener: a valid signature first, then our own workspace.

It replaces Bolt's own signature check, which logs a refused request's whole body at INFO (a
slash command's body holds its response_url, a bearer capability for 30 minutes;
slackapi/bolt-python#1158) and answers a non-numeric timestamp with HTTP 500. Here a refusal is
logged without body or signature, and every unverifiable request gets 401.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)


class RequestGate(Middleware):
    """Refuses unsigned or badly signed requests (401), then requests from other workspaces.

    `team_id` None answers every workspace; otherwise another workspace's slash command gets
    `refusal` as an ephemeral answer and any other request an empty 200, and nothing runs.
    """

    def __init__(self, signing_secret: str, *, team_id: str | None, refusal: str) -> None:
        self.verifier = SignatureVerifier(signing_secret)
        self.team_id = team_id
        self.refusal = refusal

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        # Socket Mode requests carry no signature: the app-level token authenticated the socket.
        if req.mode != "socket_mode" and not self.signed(req):
            log.warning("refused a Slack request without a valid signature")
            return BoltResponse(status=401, body={"error": "invalid request"})
        if not self.from_our_team(req):
            log.warning("refused a Slack request from another workspace (%s)", req.context.team_id)
            return self.refuse(req)
        return next()

    def signed(self, req: BoltRequest) -> bool:
        """The v0 signature over the raw body, within Slack's five-minute window."""
        timestamp = req.headers.get("x-slack-request-timestamp", [""])[0]
        signature = req.headers.get("x-slack-signature", [""])[0]
        if not timestamp.isdigit():  # the verifier's int() would raise: Bolt answers 500
            return False
        return self.verifier.is_valid(req.raw_body, timestamp, signature)

    def from_our_team(self, req: BoltRequest) -> bool:
        # Slack's URL check at setup carries no workspace; it is signed, and answers a challenge.
        if self.team_id is None or req.body.get("type") == "url_verification":
            return True
        return req.context.team_id == self.team_id

    def refuse(self, req: BoltRequest) -> BoltResponse:
        if req.body.get("command"):
            return BoltResponse(
                status=200, body={"response_type": "ephemeral", "text": self.refusal}
            )
        return BoltResponse(status=200, body="")
