"""Alembic environment: runs on the connection the bot hands over (see bot.storage.db.upgrade)."""

from __future__ import annotations

from alembic import context

from bot.storage.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
