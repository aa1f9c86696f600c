"""The Slack app: `/metode`, its buttons, the add-method modal and App Home (thin handlers).

Every request passes bot.slackgate first (signature, workspace). Handlers read the local
database only and acknowledge at once; answers go through `respond()` (the command's
response_url). Admin commands check the user ID against METODEVAKT_ADMINS and are replay-safe
through bot.admin.
"""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import admin, db, store
from bot.answers import answer
from bot.lookup import QueryTooLong, clean_query, find_methods
from bot.messages import OUTLOOK, Language, local_time, term
from bot.messages import text as t
from bot.overview import Overview, build_overview
from bot.render import Message, section
from bot.runtime import Runtime
from bot.slackgate import RequestGate
from bot.slacktext import clean
from bot.tables import MethodRow, SourceState
from bot.views import (
    ADD_METHOD,
    add_method_modal,
    button,
    confirm_remove,
    home_view,
    method_from_submission,
)

log = logging.getLogger(__name__)

LISTENER_THREADS = 32
CHANNEL_MENTION = re.compile(r"^<#([CG][A-Z0-9]+)(\|[^>]*)?>$")
ADMIN_WORDS = {
    "legg": "add",
    "add": "add",
    "fjern": "remove",
    "remove": "remove",
    "kanal": "route",
    "channel": "route",
}


class Handlers:
    """The app's listeners, sharing the runtime (database, settings)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        self.language = runtime.settings.language
        self.zone = runtime.settings.zone

    def reply(self, respond: Respond, message: Message, **extra: Any) -> None:
        """An ephemeral answer through response_url, unfurling off."""
        respond(
            text=message.text,
            blocks=message.blocks,
            response_type="ephemeral",
            unfurl_links=False,
            unfurl_media=False,
            **extra,
        )

    def notice(self, key: str, **values: Any) -> Message:
        line = t(self.language, key, **values)
        return Message(line.replace("*", ""), [section(line)])

    def refusal(self, exc: admin.AdminError) -> Message:
        return self.notice(exc.code, **{k: clean(str(v)) for k, v in exc.values.items()})

    def lookup(self, text: str, *, share: bool = True) -> Message:
        """The `/metode` answer; a method's card gets a "Del i kanalen" button."""
        with self.runtime.sessions() as session:
            found = answer(session, text, language=self.language, zone=self.zone)
        if found.method is None or not share:
            return found.message
        label = t(self.language, "button_share")
        buttons = {"type": "actions", "elements": [button("share_card", label, found.method.id)]}
        return Message(found.message.text, [*found.message.blocks[:49], buttons])

    def command(self, ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        """`/metode …`: search, list and help for all; add, remove and route for admins."""
        ack()
        text = str(body.get("text") or "")
        word, _, rest = text.strip().partition(" ")
        action = ADMIN_WORDS.get(word.casefold())
        if action is None:
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

    def change(
        self,
        respond: Respond,
        body: dict[str, Any],
        done: str,
        title: str,
        operation: Any,
        *args: Any,
        **values: Any,
    ) -> None:
        """Run an admin operation once per Slack request; tell the admin how it went."""
        request_id = str(body.get("trigger_id") or "")
        try:
            with db.transaction(self.runtime.sessions) as session:
                changed = operation(
                    session,
                    *args,
                    actor=str(self.user_of(body)),
                    request_id=request_id,
                    now=datetime.now(UTC),
                )
        except admin.AdminError as exc:
            self.reply(respond, self.refusal(exc))
            return
        key = done if changed else "admin_replayed"
        self.reply(respond, self.notice(key, title=clean(title), **values))

    @staticmethod
    def user_of(body: dict[str, Any]) -> str:
        return str(body.get("user_id") or (body.get("user") or {}).get("id") or "?")

    def is_admin(self, body: dict[str, Any], action: str) -> bool:
        """Whether the user is in METODEVAKT_ADMINS, by user ID (never by name); refusals logged."""
        user = self.user_of(body)
        if user in self.settings.admins:
            return True
        log.warning("refused admin action %s from user %s", action, user)
        return False

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

    def show(self, ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """ "Vis metode" under an alert: the lookup card, only for the one who asked."""
        ack()
        method_id = body["actions"][0]["value"]
        self.reply(respond, self.lookup(method_id), replace_original=False)

    def share(self, ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """ "Del i kanalen": the same card, posted publicly."""
        ack()
        message = self.lookup(body["actions"][0]["value"], share=False)
        respond(
            text=message.text,
            blocks=message.blocks,
            response_type="in_channel",
            replace_original=False,
            unfurl_links=False,
            unfurl_media=False,
        )

    def mute(self, ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """ "Demp 30 dager": no more alerts for this method in this channel for 30 days."""
        ack()
        method_id = body["actions"][0]["value"]
        channel = (body.get("channel") or {}).get("id") or ""
        try:
            with db.transaction(self.runtime.sessions) as session:
                until = admin.mute_method(
                    session,
                    method_id,
                    channel,
                    actor=self.user_of(body),
                    request_id=str(body.get("trigger_id")),
                    now=datetime.now(UTC),
                )
                title = method_title(session, method_id)
        except admin.AdminError as exc:
            self.reply(respond, self.refusal(exc), replace_original=False)
            return
        if until is None:
            self.reply(respond, self.notice("admin_replayed"), replace_original=False)
            return
        self.reply(
            respond,
            self.notice(
                "muted",
                title=clean(title),
                user=self.user_of(body),
                until=local_time(until, self.zone, self.language),
            ),
            replace_original=False,
        )

    def home(self, event: dict[str, Any], client: WebClient) -> None:
        """App Home: the watchlist with status lines, and the sources' health."""
        with self.runtime.sessions() as session:
            methods = store.active_methods(session)
            lines = [status_line(build_overview(session, m), self.language) for m in methods]
            sources = [
                (s.source, s.health, s.last_success_at)
                for s in session.scalars(select(SourceState).order_by(SourceState.source))
            ]
        view = home_view(lines, sources, language=self.language, zone=self.zone)
        client.views_publish(user_id=event["user"], view=view)


def status_line(overview: Overview, language: Language) -> str:
    """One line per method: title and *Tidsperspektiv MT i Norge*."""
    label, _ = overview.outlook
    return f"• {clean(overview.method.title)}: {term(OUTLOOK, label, language)}"


def method_title(session: Session, method_id: str) -> str:
    """The title of a method row (its id when it has none)."""
    row = session.get(MethodRow, method_id)
    return str(row.definition.get("title", method_id)) if row else method_id


def build_app(runtime: Runtime) -> App:
    """The Bolt app with its listeners; requests must carry a valid Slack signature."""
    settings = runtime.settings
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        raise ValueError("the Slack app needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET")
    token = settings.slack_bot_token.get_secret_value()
    app = App(
        token=token,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        client=WebClient(token=token, base_url=settings.slack_api_url),
        token_verification_enabled=False,
        # Our gate checks the signature instead of Bolt's, which logs a refused body (slackgate).
        request_verification_enabled=False,
        before_authorize=RequestGate(
            settings.slack_signing_secret.get_secret_value(),
            team_id=settings.slack_team_id,
            refusal=t(settings.language, "foreign_team"),
        ),
        # Bolt's default pool of 5 threads turned 40 of 50 concurrent commands into timeouts
        # (reliability.md §1.4); size it for bursts explicitly.
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS),
    )
    register(app, Handlers(runtime))
    return app


def register(app: App, handlers: Handlers) -> None:
    """Declare every listener in one place."""
    app.command("/metode")(handlers.command)
    app.action("confirm_remove")(handlers.confirm_remove)
    app.action("cancel_remove")(handlers.cancel_remove)
    app.action("show_method")(handlers.show)
    app.action("share_card")(handlers.share)
    app.action("mute_method")(handlers.mute)
    app.view(ADD_METHOD)(handlers.add_submitted)
    app.event("app_home_opened")(handlers.home)
