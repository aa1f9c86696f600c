"""The Slack app: the Bolt app and its listeners (`/metode`, buttons, the add-method modal, App
Home), the admin commands, the signature gate, views, and the HTTP server (`/slack/events`,
`/healthz`). The only package that imports Bolt.
"""

__all__ = ["app", "web"]
