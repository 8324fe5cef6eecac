"""The web workbench: users, sessions, full-text search over articles, the review queue's index.

- ``users``: name, role (admin, coder, viewer), an argon2 password hash;
- ``sessions``: a login, by the SHA-256 of its cookie token (the token itself is never stored);
- full-text search: on SQLite an FTS5 table ``articles_fts`` over titles and texts, kept in
  step with ``articles`` by triggers; on PostgreSQL a stored generated column ``search_tsv``
  (the same text as a ``tsvector``, English configuration) and a GIN index on it;
- ``ix_claims_queue``: the review queue (status, least confident first) read off an index;
  ``ix_claims_source`` and ``ix_articles_source``: the source filters and the list of sources.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_au AFTER UPDATE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
]
PG_FTS = [
    "ALTER TABLE articles ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED",
    "CREATE INDEX ix_articles_fts ON articles USING gin (search_tsv)",
]


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sessions_user", "sessions", ["user_id"])
    op.create_index("ix_claims_queue", "claims", ["status", "confidence", "id"])
    op.create_index("ix_claims_source", "claims", ["codebook", "source", "date"])
    op.create_index("ix_articles_source", "articles", ["source"])
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for stmt in SQLITE_FTS:
            op.execute(stmt)
    elif bind.dialect.name == "postgresql":
        for stmt in PG_FTS:
            op.execute(stmt)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("articles_fts_ai", "articles_fts_ad", "articles_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_fts")
        op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_tsv")
    op.drop_index("ix_articles_source", "articles")
    op.drop_index("ix_claims_source", "claims")
    op.drop_index("ix_claims_queue", "claims")
    op.drop_index("ix_sessions_user", "sessions")
    op.drop_table("sessions")
    op.drop_table("users")
