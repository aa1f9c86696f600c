"""Candidates: the team's scope, candidates with their evidence and triage, substances in scope.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.tables

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UTC_TIME = bot.storage.tables.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "scope",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scope")),
    )
    _candidates()
    _evidence()
    op.create_table(
        "scope_substances",
        sa.Column("substance", sa.String(length=200), nullable=False),
        sa.Column("term_kind", sa.String(length=20), nullable=False),
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("substance", name=op.f("pk_scope_substances")),
    )


def _candidates() -> None:
    op.create_table(
        "candidates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("identity", sa.String(length=300), nullable=False),
        sa.Column("substance", sa.Text(), nullable=False),
        sa.Column("term_kind", sa.String(length=20), nullable=False),
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("owner", sa.String(length=40), nullable=True),
        sa.Column("owned_at", UTC_TIME, nullable=True),
        sa.Column("decided_by", sa.String(length=40), nullable=True),
        sa.Column("decided_at", UTC_TIME, nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("method_id", sa.String(length=80), nullable=True),
        sa.Column("first_seen_at", UTC_TIME, nullable=False),
        sa.Column("evidence_at", UTC_TIME, nullable=False),
        sa.Column("reopened_at", UTC_TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidates")),
        sa.UniqueConstraint("identity", name=op.f("uq_candidates_identity")),
    )
    op.create_index("ix_candidates_status", "candidates", ["status"])


def _evidence() -> None:
    op.create_table(
        "candidate_evidence",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("record_key", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("event_date", sa.String(length=10), nullable=True),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("observed_at", UTC_TIME, nullable=False),
        sa.Column("proposed_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_candidate_evidence_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_evidence")),
        sa.UniqueConstraint(
            "candidate_id",
            "source",
            "record_key",
            "kind",
            name=op.f("uq_candidate_evidence_candidate_id"),
        ),
    )
    op.create_index("ix_candidate_evidence_candidate_id", "candidate_evidence", ["candidate_id"])


def downgrade() -> None:
    op.drop_table("scope_substances")
    op.drop_index("ix_candidate_evidence_candidate_id", table_name="candidate_evidence")
    op.drop_table("candidate_evidence")
    op.drop_index("ix_candidates_status", table_name="candidates")
    op.drop_table("candidates")
    op.drop_table("scope")
