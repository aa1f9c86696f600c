"""Long record keys (feed guids) and the keys a conditional answer held.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("snapshots") as batch:
        batch.alter_column(
            "key", type_=sa.Text(), existing_type=sa.String(200), existing_nullable=False
        )
    with op.batch_alter_table("events") as batch:
        batch.alter_column(
            "record_key", type_=sa.Text(), existing_type=sa.String(200), existing_nullable=False
        )
    with op.batch_alter_table("http_validators") as batch:
        batch.add_column(sa.Column("present_keys", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("http_validators") as batch:
        batch.drop_column("present_keys")
    with op.batch_alter_table("events") as batch:
        batch.alter_column("record_key", type_=sa.String(200), existing_type=sa.Text())
    with op.batch_alter_table("snapshots") as batch:
        batch.alter_column("key", type_=sa.String(200), existing_type=sa.Text())
