"""The admin side of `/metode`: add (a modal), remove (after a confirmation), route; audited."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.lookup.search import QueryTooLong, clean_query, find_methods
from bot.slack.candidates import CandidateHandlers
from bot.slack.views import add_method_modal, confirm_remove, method_from_submission
from bot.storage import admin, db, store
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean

log = logging.getLogger(__name__)

CHANNEL_MENTION = re.compile(r"^<#([CG][A-Z0-9]+)(\|[^>]*)?>$")
ADMIN_WORDS = {
    "legg": "add",
    "add": "add",
    "fjern": "remove",
    "remove": "remove",
    "kanal": "route",
    "channel": "route",
}


class AppHandlers(CandidateHandlers):
    """Every listener of the app: `/metode` itself, the admin commands behind it, candidates."""

    def command(self, ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        """`/metode …`: search, list and help for all; add, remove and route for admins."""
        ack()
        text = str(body.get("text") or "")
        word, _, rest = text.strip().partition(" ")
        action = ADMIN_WORDS.get(word.casefold())
        if self.candidate_words(word):
            self.candidate_command(word, rest, body, respond)
        elif action is None:
            self.reply(respond, self.lookup(text))
        elif not self.is_admin(body, action):
            self.reply(respond, self.notice("admin_refused"))
        else:
            self.admin_command(action, rest, body, respond, client)

    def admin_command(
        self, action: str, rest: str, body: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        if action == "add":
            self.open_add_form(body, respond, client)
        elif action == "remove":
            self.ask_remove(rest, respond)
        else:
            self.route(rest, body, respond)

    def open_add_form(self, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        """The add-method modal; if Slack will not open it, the admin is told so."""
        try:
            client.views_open(trigger_id=body["trigger_id"], view=add_method_modal(self.language))
        except (SlackApiError, OSError) as exc:
            # Never raise after ack(): Bolt 1.30 may then reset the ack and answer Slack 404.
            reason = exc.response.get("error") if isinstance(exc, SlackApiError) else exc
            log.warning("could not open the add-method form: %s", reason)
            self.reply(respond, self.notice("admin_form_failed"))

    def find_one(self, text: str) -> Any:
        try:
            query = clean_query(text)
        except QueryTooLong:
            return None
        with self.runtime.sessions() as session:
            match = find_methods(store.active_methods(session), query)
        return match.exact[0] if len(match.exact) == 1 else None

    def ask_remove(self, rest: str, respond: Respond) -> None:
        method = self.find_one(rest)
        if method is None:
            self.reply(respond, self.notice("admin_usage_remove"))
            return
        blocks = confirm_remove(method, language=self.language)
        respond(text=clean(method.title), blocks=blocks, response_type="ephemeral")

    def route(self, rest: str, body: dict[str, Any], respond: Respond) -> None:
        target, _, mention = rest.strip().rpartition(" ")
        channel = CHANNEL_MENTION.match(mention)
        method = self.find_one(target) if channel else None
        if method is None or channel is None:
            self.reply(respond, self.notice("admin_usage_route"))
            return
        self.change(
            respond,
            body,
            "admin_routed",
            method.title,
            admin.route_method,
            method.id,
            channel.group(1),
            channel=channel.group(1),
        )

    def confirm_remove(self, ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """The admin confirmed: stop watching the method."""
        ack()
        if not self.is_admin(body, "remove"):
            self.reply(respond, self.notice("admin_refused"))
            return
        method_id = body["actions"][0]["value"]
        self.change(respond, body, "admin_removed", method_id, admin.remove_method, method_id)

    def cancel_remove(self, ack: Ack, respond: Respond) -> None:
        """The admin changed their mind."""
        ack()
        self.reply(respond, self.notice("admin_cancelled"), replace_original=True)

    def add_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        """The add-method modal: errors next to the fields, or the method stored and audited."""
        if not self.is_admin(body, "add"):
            ack(response_action="errors", errors={"title": t(self.language, "admin_refused")})
            return
        method, errors = method_from_submission(view["state"]["values"])
        if method is None:
            ack(response_action="errors", errors=errors)
            return
        request_id = f"view:{view['id']}:{view.get('hash', '')}"
        try:
            with db.transaction(self.runtime.sessions) as session:
                admin.add_method(
                    session,
                    method,
                    actor=self.user_of(body),
                    request_id=request_id,
                    now=datetime.now(UTC),
                )
        except admin.AdminError as exc:
            ack(response_action="errors", errors={"title": self.refusal(exc).text})
            return
        ack()
