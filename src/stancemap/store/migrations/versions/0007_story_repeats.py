"""Story repeats: each later day a story is told again in its cell, for periods with a start date.

``story_repeats`` (see stancemap.store.counts) lets the distinct stories of a period
[since, until] be counted from the day counts plus the repeats of stories first told before
``since``, instead of from the claims. Filled from the stored claims in the migration's
transaction.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from stancemap.store.counts import rebuild_story_repeats

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_CELL = ["codebook", "actor", "issue", "stance"]


def upgrade() -> None:
    op.create_table(
        "story_repeats",
        sa.Column("codebook", sa.String(12), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("issue", sa.String(100), nullable=False),
        sa.Column("stance", sa.String(10), nullable=False),
        sa.Column("evidence_hash", sa.BigInteger, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("first_day", sa.Date, nullable=False),
        sa.PrimaryKeyConstraint(*_CELL, "evidence_hash", "day", name="pk_story_repeats"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_story_repeats_day", "story_repeats",
                    ["codebook", "day", "first_day", "actor", "issue", "stance", "evidence_hash"])
    rebuild_story_repeats(op.get_bind())
    op.execute("ANALYZE story_repeats")  # so that SQLite's planner reads a period off ix_story_repeats_day


def downgrade() -> None:
    op.drop_index("ix_story_repeats_day", "story_repeats")
    op.drop_table("story_repeats")
