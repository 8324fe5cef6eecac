"""The first schema: articles, codebooks, extractions, claims.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False, unique=True),
        sa.Column("ingested_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index("ix_articles_date", "articles", ["date"])
    op.create_table(
        "codebooks",
        sa.Column("fingerprint", sa.String(12), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_table(
        "extractions",
        sa.Column("article_id", sa.String(200), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("codebook", sa.String(12), primary_key=True),
        sa.Column("extractor_version", sa.String(40), primary_key=True),
        sa.Column("n_claims", sa.Integer, nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(200), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("codebook", sa.String(12), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("issue", sa.String(100), nullable=True),
        sa.Column("stance", sa.String(10), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("ev_start", sa.Integer, nullable=False),
        sa.Column("ev_end", sa.Integer, nullable=False),
        sa.Column("speaker", sa.Text, nullable=False),
        sa.Column("cue", sa.Text, nullable=False),
        sa.Column("object", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("extractor", sa.String(100), nullable=False),
        sa.Column("extractor_version", sa.String(40), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.UniqueConstraint(
            "article_id", "codebook", "extractor_version", "actor", "issue", "stance", "ev_start",
            name="uq_claims_identity",
        ),
    )
    op.create_index("ix_claims_actor_date", "claims", ["codebook", "actor", "date"])
    op.create_index("ix_claims_issue_date", "claims", ["codebook", "issue", "date"])
    op.create_index("ix_claims_date", "claims", ["codebook", "date"])
    op.create_index("ix_claims_status", "claims", ["status"])


def downgrade() -> None:
    op.drop_table("claims")
    op.drop_table("extractions")
    op.drop_table("codebooks")
    op.drop_table("articles")
