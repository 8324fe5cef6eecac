"""Ingest from the wild: article origins, reprint groups (stories), MinHash bands, fetch state.

- ``articles.origin``: the file, archive member or URL an article came from (ids are unique
  per source and origin; a second origin's clashing id is qualified, see store.articles);
- ``articles.story``: the id of the first article of its group of near-duplicates (reprints);
- ``article_sigs`` / ``article_bands``: each article's MinHash signature and LSH band keys,
  the index in which later articles look up their reprints;
- ``fetched``: per URL, the last fetch's status, ETag and Last-Modified (conditional GET,
  and where ``watch`` resumes).

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE (no batch copy): on SQLite a copy drops ``articles``, and with foreign
    # keys on that deletes every claim
    op.add_column("articles", sa.Column("origin", sa.Text, nullable=False, server_default=""))
    op.add_column("articles", sa.Column("story", sa.String(200), nullable=True))
    op.create_index("ix_articles_story", "articles", ["story"])
    op.create_table(
        "article_sigs",
        sa.Column("article_id", sa.String(200), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("sig", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "article_bands",
        sa.Column("band", sa.SmallInteger, nullable=False),
        sa.Column("key", sa.BigInteger, nullable=False),
        sa.Column("article_id", sa.String(200), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.PrimaryKeyConstraint("key", "band", "article_id", name="pk_article_bands")  # look-up by key,
    )
    op.create_table(
        "fetched",
        sa.Column("url", sa.String(2000), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("etag", sa.Text, nullable=False, server_default=""),
        sa.Column("last_modified", sa.Text, nullable=False, server_default=""),
        sa.Column("article_id", sa.String(200), nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("fetched")
    op.drop_table("article_bands")
    op.drop_table("article_sigs")
    op.drop_index("ix_articles_story", "articles")
    for column in ("story", "origin"):  # ALTER TABLE DROP COLUMN (SQLite >= 3.35), never a table copy
        op.execute(f"ALTER TABLE articles DROP COLUMN {column}")
