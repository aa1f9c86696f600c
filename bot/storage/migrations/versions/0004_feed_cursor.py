"""A change-feed source's cursor: the day its last committed read began, its pass of full reads.

ClinicalTrials.gov is read through its change feed (`AREA[LastUpdatePostDate]RANGE[…,MAX]`)
from a watermark, and its watched IDs are read in full, a share each cycle, as a daily safety
net. The cursor is kept with the source's state and advances only when a cycle commits. A
database without one reads everything once more, as a first cycle does.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.tables import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("source_state") as batch:
        batch.add_column(sa.Column("feed_watermark", sa.Date(), nullable=True))
        batch.add_column(sa.Column("full_read_at", UtcDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("full_read_after", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("source_state") as batch:
        batch.drop_column("full_read_after")
        batch.drop_column("full_read_at")
        batch.drop_column("feed_watermark")
