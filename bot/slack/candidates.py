"""Candidates in Slack: `/metode kandidater` and `/metode omfang`, and triage by button.

"Ta saken" and "Ikke relevant" are for everyone on the team; "Følg" adds a method, so it is for
admins (METODEVAKT_ADMINS), as is changing the scope. Every decision is audited and replay-safe
(bot.storage.triage, bot.storage.scope): a click carries its trigger_id, a modal its view id and
hash. After a decision the message the button was in is written again through its response_url,
so it shows who decided what instead of the buttons.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery.candidates import KINDS, compose_candidates
from bot.overview.candidates import CandidateView, counts, open_candidates, read_candidates
from bot.slack.candidateviews import (
    dismiss_modal,
    follow_modal,
    metadata_of,
    origin,
    reason_of,
)
from bot.slack.scopecommands import ScopeHandlers
from bot.slack.views import method_from_submission
from bot.storage import admin, db, store, triage
from bot.storage.scope import active_scope
from bot.storage.tables import OutboxRow
from bot.texts.blockkit import Message
from bot.texts.candidates.lines import plain_title
from bot.texts.candidates.listing import home_line, render_card, render_list

log = logging.getLogger(__name__)

LIST_WORDS = {"kandidater", "candidates"}
SCOPE_WORDS = {"omfang", "scope"}


class CandidateHandlers(ScopeHandlers):
    """The candidates' listeners, sharing the runtime with the others."""

    def candidate_words(self, word: str) -> bool:
        """Whether `/metode <word> …` is about candidates or the scope."""
        return word.casefold() in LIST_WORDS | SCOPE_WORDS

    def candidate_command(
        self, word: str, rest: str, body: dict[str, Any], respond: Respond
    ) -> None:
        """`/metode kandidater [side]` for all; `/metode omfang [felt verdier]`."""
        if word.casefold() in LIST_WORDS:
            last = (rest.split() or [""])[-1]  # `2`, `side 2` or `page 2`
            page = int(last) if last.isdigit() else 1
            self.reply(respond, self.candidate_list(page))
        elif not rest.strip():
            self.reply(respond, self.scope_message())
        elif not self.is_admin(body, "scope"):
            self.reply(respond, self.notice("admin_refused"))
        else:
            self.change_scope(rest, body, respond)

    def candidate_list(self, page: int) -> Message:
        """One page of the open candidates (or why there are none to expect)."""
        with self.runtime.sessions() as session:
            methods = store.active_methods(session)
            shown = open_candidates(session, methods)
            taken = counts(session, shown).taken
            scoped = active_scope(session) is not None
        if not scoped and not shown:
            return self.notice("candidates_no_scope")
        return render_list(shown, page=page, taken=taken, language=self.language)

    def candidate_view(self, candidate_id: int) -> CandidateView:
        """The candidate as it stands now; AdminError("candidate_unknown") when it is gone."""
        with self.runtime.sessions() as session:
            found = read_candidates(session, [candidate_id])
        if not found:
            raise admin.AdminError("candidate_unknown")
        return found[0]

    def show_candidate(self, ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """ "Vis" in the list: the candidate's card, with its buttons, for the one who asked."""
        ack()
        try:
            view = self.candidate_view(int(body["actions"][0]["value"]))
        except admin.AdminError as exc:
            self.reply(respond, self.refusal(exc), replace_original=False)
            return
        self.reply(respond, render_card(view, self.language), replace_original=False)

    def take_candidate(self, ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """ "Ta saken": the one who clicked owns it."""
        ack()
        about = origin(body)
        self.decide(
            respond,
            about,
            done="candidate_taken",
            operation=triage.take,
            request_id=str(body.get("trigger_id")),
            actor=self.user_of(body),
        )

    def dismiss_candidate(
        self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        """ "Ikke relevant": a modal asks for an optional reason."""
        ack()
        self.open_modal(client, body, respond, dismiss_modal(origin(body), self.language))

    def dismiss_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        """The reason (or none) given: the candidate is hidden until new evidence."""
        ack()
        about = metadata_of(view)
        self.decide(
            None,
            about,
            done="candidate_dismissed",
            operation=triage.dismiss,
            request_id=f"view:{view['id']}:{view.get('hash', '')}",
            actor=self.user_of(body),
            reason=reason_of(view),
        )

    def follow_candidate(
        self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        """ "Følg" (admins): the add-method form, filled in from the evidence."""
        ack()
        if not self.is_admin(body, "follow"):
            self.reply(respond, self.notice("admin_refused"), replace_original=False)
            return
        about = origin(body)
        try:
            candidate = self.candidate_view(about["candidate"])
        except admin.AdminError as exc:
            self.reply(respond, self.refusal(exc), replace_original=False)
            return
        self.open_modal(client, body, respond, follow_modal(candidate, about, self.language))

    def follow_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        """The form saved: the method is watched (silently at first), the candidate followed."""
        if not self.is_admin(body, "follow"):
            ack(response_action="errors", errors={"title": self.notice("admin_refused").text})
            return
        method, errors = method_from_submission(view["state"]["values"])
        if method is None:
            ack(response_action="errors", errors=errors)
            return
        about = metadata_of(view)
        try:
            with db.transaction(self.runtime.sessions) as session:
                followed = triage.follow(
                    session,
                    int(about["candidate"]),
                    method,
                    actor=self.user_of(body),
                    request_id=f"view:{view['id']}:{view.get('hash', '')}",
                    now=datetime.now(UTC),
                )
        except admin.AdminError as exc:
            ack(response_action="errors", errors={"title": self.refusal(exc).text})
            return
        ack()
        if followed:  # a replayed submission says nothing twice
            self.refresh(about)
            title = plain_title(self.candidate_view(int(about["candidate"])), self.language)
            self.tell(None, about, self.notice("candidate_followed", title=title, method=method.id))

    def decide(
        self,
        respond: Respond | None,
        about: dict[str, Any],
        *,
        done: str,
        operation: Any,
        **values: Any,
    ) -> None:
        """Run one triage operation once per request; tell the user; refresh the message."""
        try:
            with db.transaction(self.runtime.sessions) as session:
                changed = operation(
                    session, int(about["candidate"]), now=datetime.now(UTC), **values
                )
        except admin.AdminError as exc:
            self.tell(respond, about, self.refusal(exc))
            return
        if not changed:
            self.tell(respond, about, self.notice("admin_replayed"))
            return
        view = self.candidate_view(int(about["candidate"]))
        self.refresh(about)
        self.tell(respond, about, self.notice(done, title=plain_title(view, self.language)))

    def tell(self, respond: Respond | None, about: dict[str, Any], message: Message) -> None:
        """An ephemeral note to the one who acted (through the button's response_url)."""
        if respond is not None:
            self.reply(respond, message, replace_original=False)
        elif about.get("response_url"):
            self.webhook(about["response_url"], message, replace_original=False)

    def refresh(self, about: dict[str, Any]) -> None:
        """Write the message the button was in again, now that the candidate was decided."""
        url = about.get("response_url")
        message = self.current(about)
        if url and message is not None:
            self.webhook(url, message, replace_original=True)

    def current(self, about: dict[str, Any]) -> Message | None:
        """The weekly message part the candidate is in, as it reads now; else its card."""
        with self.runtime.sessions() as session:
            query = select(OutboxRow).where(
                OutboxRow.kind.in_(sorted(KINDS)), OutboxRow.slack_ts == about.get("ts")
            )
            row = session.scalar(query) if about.get("ts") else None
            if row is not None:
                return compose_candidates(session, row, language=self.language)
        return render_card(self.candidate_view(int(about["candidate"])), self.language)

    def webhook(self, url: str, message: Message, *, replace_original: bool) -> None:
        """Post through a response_url: a new ephemeral note, or the message written again."""
        kind = {"replace_original": True} if replace_original else {"response_type": "ephemeral"}
        try:
            WebhookClient(url).send_dict({"text": message.text, "blocks": message.blocks, **kind})
        except OSError as exc:
            log.warning("could not answer through response_url: %s", exc)

    def open_modal(
        self, client: WebClient, body: dict[str, Any], respond: Respond, view: dict[str, Any]
    ) -> None:
        """Open a candidate's modal; if Slack will not, the user is told so."""
        try:
            client.views_open(trigger_id=body["trigger_id"], view=view)
        except (SlackApiError, OSError) as exc:
            reason = exc.response.get("error") if isinstance(exc, SlackApiError) else exc
            log.warning("could not open a candidate's form: %s", reason)
            self.reply(respond, self.notice("admin_form_failed"), replace_original=False)

    def home_candidates(self, session: Session, methods: list[Any]) -> str | None:
        """App Home's line on candidates (None while there is no scope and no candidate)."""
        found = counts(session, open_candidates(session, methods))
        if active_scope(session) is None and not (found.open or found.followed or found.dismissed):
            return None
        return home_line(found, self.language)
