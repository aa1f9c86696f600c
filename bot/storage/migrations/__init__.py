"""Alembic migrations of the bot's database (applied by `metodevakt db upgrade` and on start)."""
