"""The Slack listeners everyone uses: answers, buttons under alerts, App Home."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery.poster import PAYLOAD_REFUSED
from bot.lookup.cache import cached_answer
from bot.overview.read import build_overviews
from bot.slack.views import home_view
from bot.storage import admin, db, store
from bot.storage.tables import MethodRow, SourceState
from bot.texts.blockfit import below, fit_message
from bot.texts.blockkit import VIEW, Message, button, section
from bot.texts.catalogue import local_time
from bot.texts.catalogue import text as t
from bot.texts.mrkdwn import clean

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)


class Handlers:
    """The app's listeners, sharing the runtime (database, settings)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        self.language = runtime.settings.language
        self.zone = runtime.settings.zone

    def home_candidates(self, session: Session, methods: list[Any]) -> str | None:
        """App Home's line on candidates (bot.slack.candidates gives it)."""
        return None

    def reply(self, respond: Respond, message: Message, **extra: Any) -> None:
        """An ephemeral answer through response_url, unfurling off."""
        self.send_answer(respond, message, response_type="ephemeral", **extra)

    def send_answer(self, respond: Respond, message: Message, **extra: Any) -> None:
        """Post an answer to response_url. One Slack refuses (HTTP 400 `invalid_blocks`, as to
        a webhook; docs/slack-limits.md) is a bug of ours: logged, and sent once more within
        half of what was refused, never as it was."""
        sent = respond(
            text=message.text,
            blocks=message.blocks,
            unfurl_links=False,
            unfurl_media=False,
            **extra,
        )
        refusal = str(getattr(sent, "body", "") or "").strip()
        if getattr(sent, "status_code", 200) != 400 or refusal not in PAYLOAD_REFUSED:
            return
        log.error("Slack refused an answer (%s); sending it shortened", refusal)
        shorter = fit_message(message, language=self.language, limits=below(message), single=True)
        respond(
            text=shorter[0].text,
            blocks=shorter[0].blocks,
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
            found = cached_answer(session, text, language=self.language, zone=self.zone)
        if found.method is None or not share:
            return found.message
        label = t(self.language, "button_share")
        buttons = {"type": "actions", "elements": [button("share_card", label, found.method.id)]}
        return Message(found.message.text, [*found.message.blocks[:49], buttons])

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

    def show(self, ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """ "Vis metode" under an alert: the lookup card, only for the one who asked."""
        ack()
        method_id = body["actions"][0]["value"]
        self.reply(respond, self.lookup(method_id), replace_original=False)

    def share(self, ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """ "Del i kanalen": the same card, posted publicly."""
        ack()
        message = self.lookup(body["actions"][0]["value"], share=False)
        self.send_answer(respond, message, response_type="in_channel", replace_original=False)

    def mute(self, ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """ "Demp i 30 dager": no more alerts for this method in this channel for 30 days."""
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
        """App Home: how many methods are watched, grouped by outlook, and the sources' health."""
        with self.runtime.sessions() as session:
            methods = store.active_methods(session)
            overviews = build_overviews(session, methods, events=0)
            sources = [
                (s.source, s.health, s.last_success_at)
                for s in session.scalars(select(SourceState).order_by(SourceState.source))
            ]
            candidates = self.home_candidates(session, methods)
        view = home_view(overviews, sources, language=self.language, zone=self.zone)
        if candidates and len(view["blocks"]) < VIEW.blocks:  # right under the title
            view["blocks"].insert(1, section(candidates))
        client.views_publish(user_id=event["user"], view=view)


def method_title(session: Session, method_id: str) -> str:
    """The title of a method row (its id when it has none)."""
    row = session.get(MethodRow, method_id)
    return str(row.definition.get("title", method_id)) if row else method_id
