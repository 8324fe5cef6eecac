"""Review history: who decided what about a claim, and when.

Adds ``claims.reviewer`` / ``claims.reviewed_at`` (the latest decision) and the
``claim_reviews`` table (every decision, oldest first, with the values before and after).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("reviewer", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "claim_reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewer", sa.String(100), nullable=False, server_default=""),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("issue", sa.String(100), nullable=True),
        sa.Column("stance", sa.String(10), nullable=False),
        sa.Column("prev_status", sa.String(12), nullable=False),
        sa.Column("prev_actor", sa.String(100), nullable=False),
        sa.Column("prev_issue", sa.String(100), nullable=True),
        sa.Column("prev_stance", sa.String(10), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_claim_reviews_claim", "claim_reviews", ["claim_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_claim_reviews_claim", "claim_reviews")
    op.drop_table("claim_reviews")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("reviewed_at")
        batch.drop_column("reviewer")
