"""Claims counted per day (claim_counts), story hashes on claims, and indexes for the analyses.

Backfills ``claims.evidence_hash`` and ``claim_counts`` from the stored claims, in the
migration's transaction (see stancemap.store.counts).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from stancemap.store.counts import rebuild_day_counts

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_CELL = ["codebook", "actor", "issue", "stance"]


def upgrade() -> None:
    op.add_column("claims", sa.Column("evidence_hash", sa.BigInteger, nullable=True))
    op.create_index("ix_extractions_done_at", "extractions", ["done_at"])
    op.create_index("ix_claims_cell_day", "claims", [*_CELL, "date"])
    op.create_index("ix_claims_story", "claims", [*_CELL, "evidence_hash", "date"])
    op.create_index("ix_claims_cell", "claims", [*_CELL, "confidence", "date"])
    op.create_table(
        "claim_counts",
        sa.Column("codebook", sa.String(12), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("issue", sa.String(100), nullable=False),
        sa.Column("stance", sa.String(10), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("n_claims", sa.Integer, nullable=False),
        sa.Column("n_stories", sa.Integer, nullable=False),
        sa.Column("n_new_stories", sa.Integer, nullable=False),
        sa.Column("w_sum", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint(*_CELL, "day", name="pk_claim_counts"),
        sqlite_with_rowid=False,
    )
    rebuild_day_counts(op.get_bind())  # claim_counts only: story_repeats comes with 0007


def downgrade() -> None:
    op.drop_table("claim_counts")
    op.drop_index("ix_claims_cell", "claims")
    op.drop_index("ix_claims_story", "claims")
    op.drop_index("ix_claims_cell_day", "claims")
    op.drop_index("ix_extractions_done_at", "extractions")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("evidence_hash")
