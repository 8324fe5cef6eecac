"""DNA projects: what a Discourse Network Analyzer file holds that claims do not.

``dna_projects`` keeps an imported ``.dna`` file's set-up (coders with colours, passwords and
permissions, statement types, variables, entities with their attributes, regexes...) as JSON;
``dna_documents`` each document's DNA fields and the article it became; ``dna_statements``
each statement as DNA had it (span, coder, every value) and the claim it became, with the
claim's actor, issue and stance at import (to tell whether it was edited since). Together they
make import -> export lossless (see docs/dna.md).

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dna_projects",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("codebook", sa.String(12), nullable=False),
        sa.Column("statement_type", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "dna_documents",
        sa.Column("project", sa.String(200), sa.ForeignKey("dna_projects.name", ondelete="CASCADE"), nullable=False),
        sa.Column("dna_id", sa.Integer, nullable=False),
        sa.Column("article_id", sa.String(200), sa.ForeignKey("articles.id", ondelete="SET NULL"), nullable=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("coder", sa.Integer, nullable=True),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("section", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("date", sa.BigInteger, nullable=False),
        sa.Column("lead", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("project", "dna_id", name="pk_dna_documents"),
    )
    op.create_table(
        "dna_statements",
        sa.Column("project", sa.String(200), sa.ForeignKey("dna_projects.name", ondelete="CASCADE"), nullable=False),
        sa.Column("dna_id", sa.Integer, nullable=False),
        sa.Column("type", sa.Integer, nullable=False),
        sa.Column("document", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("stop", sa.Integer, nullable=False),
        sa.Column("coder", sa.Integer, nullable=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id", ondelete="SET NULL"), nullable=True),
        sa.Column("claim_actor", sa.String(100), nullable=True),
        sa.Column("claim_issue", sa.String(100), nullable=True),
        sa.Column("claim_stance", sa.String(10), nullable=True),
        sa.PrimaryKeyConstraint("project", "dna_id", name="pk_dna_statements"),
    )
    op.create_index("ix_dna_statements_claim", "dna_statements", ["claim_id"])


def downgrade() -> None:
    op.drop_index("ix_dna_statements_claim", "dna_statements")
    op.drop_table("dna_statements")
    op.drop_table("dna_documents")
    op.drop_table("dna_projects")
