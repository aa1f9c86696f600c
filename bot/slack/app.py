"""The Slack app: `/metode`, its buttons, the add-method modal and App Home (thin handlers).

Every request passes bot.slack.gate first (signature, workspace). Handlers read the local
database only and acknowledge at once; answers go through `respond()` (the command's
response_url). Admin commands check the user ID against METODEVAKT_ADMINS and are replay-safe
through bot.storage.admin.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.candidates import CandidateHandlers
from bot.slack.candidateviews import DISMISS_VIEW, FOLLOW_VIEW
from bot.slack.commands import AppHandlers
from bot.slack.gate import RequestGate
from bot.slack.views import ADD_METHOD
from bot.texts.candidates.lines import DISMISS, FOLLOW, SHOW, TAKE
from bot.texts.catalogue import text as t

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

LISTENER_THREADS = 32


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
    register(app, AppHandlers(runtime))
    return app


def register(app: App, handlers: AppHandlers) -> None:
    """Declare every listener in one place."""
    app.command("/metode")(handlers.command)
    app.action("confirm_remove")(handlers.confirm_remove)
    app.action("cancel_remove")(handlers.cancel_remove)
    app.action("show_method")(handlers.show)
    app.action("share_card")(handlers.share)
    app.action("mute_method")(handlers.mute)
    app.view(ADD_METHOD)(handlers.add_submitted)
    app.event("app_home_opened")(handlers.home)
    register_candidates(app, handlers)


def register_candidates(app: App, handlers: CandidateHandlers) -> None:
    """The candidates' buttons and modals (`/metode kandidater` and `omfang` go by `/metode`)."""
    app.action(FOLLOW)(handlers.follow_candidate)
    app.action(DISMISS)(handlers.dismiss_candidate)
    app.action(TAKE)(handlers.take_candidate)
    app.action(SHOW)(handlers.show_candidate)
    app.view(FOLLOW_VIEW)(handlers.follow_submitted)
    app.view(DISMISS_VIEW)(handlers.dismiss_submitted)


def connect_socket_mode(app: App, app_token: str) -> None:
    """Serve `app` over Socket Mode (SLACK_APP_TOKEN) in the background."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    SocketModeHandler(app, app_token).connect()  # type: ignore[no-untyped-call]
