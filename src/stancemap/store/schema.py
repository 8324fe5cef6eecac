"""The database schema, in SQLAlchemy Core. Alembic migrations create and evolve it.

Tables:
- ``articles``: one row per distinct article text (``fingerprint`` is unique); ``origin`` the
  file or URL it came from, ``story`` the first article of its reprint group.
- ``article_sigs`` / ``article_bands``: MinHash signatures and LSH band keys (reprints).
- ``fetched``: the last fetch of each URL (conditional GET, ``watch`` resuming).
- ``claims``: one row per extracted claim; ``status`` drives the review queue.
- ``extractions``: which article was extracted with which codebook and extractor version;
  written in the same transaction as its claims, so a crash never leaves half an article.
- ``claim_reviews``: every review decision (who, when, the values before and after).
- ``claim_counts``: claims counted per (codebook, actor, issue, stance, day), kept exact on
  every write (see :mod:`stancemap.store.counts`); what compare, matrix and timeline read.
- ``story_repeats``: each later day on which a story is told again in its cell, with the
  story's first day (migration 0007, kept with ``claim_counts``): what a period with a start
  date needs besides the day counts.
- ``dna_projects``, ``dna_documents``, ``dna_statements``: what an imported DNA file holds
  that claims do not (see :mod:`stancemap.store.dna`).
- ``users`` and ``sessions``: the web workbench's accounts and logins (migration 0004, which
  also adds the full-text index over articles: an FTS5 table on SQLite, a GIN index on
  PostgreSQL; neither is a Core table, see :mod:`stancemap.store.search`).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("date", Date, nullable=False),
    Column("source", String(200), nullable=False, default=""),
    Column("title", Text, nullable=False, default=""),
    Column("url", Text, nullable=False, default=""),
    Column("text", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False, unique=True),
    Column("ingested_at", DateTime(timezone=True), server_default=func.now()),
    Column("origin", Text, nullable=False, server_default=""),  # file, ARCHIVE!MEMBER or URL (no Python default:
    # inserts written for older revisions leave it out)
    Column("story", String(200), nullable=True),  # first article of its reprint group (store.stories)
    Index("ix_articles_date", "date"),
    Index("ix_articles_source", "source"),
    Index("ix_articles_story", "story"),
)

article_sigs = Table(  # each article's MinHash signature (128 unsigned 64-bit values)
    "article_sigs",
    metadata,
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("sig", LargeBinary, nullable=False),
)

article_bands = Table(  # the LSH index: one row per (band, key of the signature's slice) and article
    "article_bands",
    metadata,
    Column("band", SmallInteger, nullable=False),
    Column("key", BigInteger, nullable=False),
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("key", "band", "article_id", name="pk_article_bands")  # look-up by key,
)

fetched = Table(  # the last fetch of each URL: conditional GET, and where `watch` resumes
    "fetched",
    metadata,
    Column("url", String(2000), primary_key=True),
    Column("kind", String(10), nullable=False),          # feed or page
    Column("status", Integer, nullable=False),           # HTTP status, 0 when no response
    Column("etag", Text, nullable=False, default="", server_default=""),
    Column("last_modified", Text, nullable=False, default="", server_default=""),
    Column("article_id", String(200), nullable=True),
    Column("note", Text, nullable=False, default="", server_default=""),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
)

codebooks = Table(
    "codebooks",
    metadata,
    Column("fingerprint", String(12), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
)

extractions = Table(
    "extractions",
    metadata,
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("codebook", String(12), primary_key=True),
    Column("extractor_version", String(40), primary_key=True),
    Column("n_claims", Integer, nullable=False),
    Column("done_at", DateTime(timezone=True), server_default=func.now()),
    Index("ix_extractions_done_at", "done_at"),  # the codebook last extracted with, for every analysis
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("codebook", String(12), nullable=False),
    Column("date", Date, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("issue", String(100), nullable=True),
    Column("stance", String(10), nullable=False),
    Column("evidence", Text, nullable=False),
    Column("ev_start", Integer, nullable=False),
    Column("ev_end", Integer, nullable=False),
    Column("speaker", Text, nullable=False, default=""),
    Column("cue", Text, nullable=False, default=""),
    Column("object", Text, nullable=False, default=""),
    Column("confidence", Float, nullable=False),
    Column("extractor", String(100), nullable=False),
    Column("extractor_version", String(40), nullable=False),
    Column("status", String(12), nullable=False, default="machine"),
    Column("note", Text, nullable=False, default=""),
    Column("source", String(200), nullable=False, default=""),
    Column("reviewer", String(100), nullable=False, server_default=""),  # latest decision's (no Python default: see origin)
    Column("reviewed_at", DateTime(timezone=True), nullable=True),
    # the story a claim quotes: a 64-bit hash of its normalised evidence (counts.story_hash);
    # NULL only between a bulk load and rebuild_claim_counts, which fills it
    Column("evidence_hash", BigInteger, nullable=True),
    UniqueConstraint(
        "article_id", "codebook", "extractor_version", "actor", "issue", "stance", "ev_start",
        name="uq_claims_identity",
    ),
    Index("ix_claims_actor_date", "codebook", "actor", "date"),
    Index("ix_claims_issue_date", "codebook", "issue", "date"),
    Index("ix_claims_date", "codebook", "date"),
    Index("ix_claims_status", "status"),
    # for claim_counts: a cell's claims of one day, one story's days in a cell; and for quotes,
    # a cell's claims most confident first
    Index("ix_claims_cell_day", "codebook", "actor", "issue", "stance", "date"),
    Index("ix_claims_story", "codebook", "actor", "issue", "stance", "evidence_hash", "date"),
    Index("ix_claims_cell", "codebook", "actor", "issue", "stance", "confidence", "date"),
    Index("ix_claims_queue", "status", "confidence", "id"),  # the review queue, least confident first
    Index("ix_claims_source", "codebook", "source", "date"),  # the workbench's source filter
)

claim_reviews = Table(
    "claim_reviews",  # every review decision, oldest first: the values after it and before it
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("reviewer", String(100), nullable=False, default=""),
    Column("status", String(12), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("issue", String(100), nullable=True),
    Column("stance", String(10), nullable=False),
    Column("prev_status", String(12), nullable=False),
    Column("prev_actor", String(100), nullable=False),
    Column("prev_issue", String(100), nullable=True),
    Column("prev_stance", String(10), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Index("ix_claim_reviews_claim", "claim_id", "at"),
)

claim_counts = Table(
    "claim_counts",
    metadata,
    Column("codebook", String(12), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("issue", String(100), nullable=False),
    Column("stance", String(10), nullable=False),
    Column("day", Date, nullable=False),
    Column("n_claims", Integer, nullable=False),
    Column("n_stories", Integer, nullable=False),       # distinct stories that day
    Column("n_new_stories", Integer, nullable=False),   # ... whose first day in this cell is this day
    Column("w_sum", Float, nullable=False),             # sum of the claims' confidence
    PrimaryKeyConstraint("codebook", "actor", "issue", "stance", "day", name="pk_claim_counts"),
    sqlite_with_rowid=False,
)

story_repeats = Table(  # one row per later day a story is told again in its cell (store.counts)
    "story_repeats",
    metadata,
    Column("codebook", String(12), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("issue", String(100), nullable=False),
    Column("stance", String(10), nullable=False),
    Column("evidence_hash", BigInteger, nullable=False),
    Column("day", Date, nullable=False),                # a day the story is told again ...
    Column("first_day", Date, nullable=False),          # ... after its first day in the cell
    PrimaryKeyConstraint("codebook", "actor", "issue", "stance", "evidence_hash", "day", name="pk_story_repeats"),
    # a period's repeats of stories first told before it, read off the index alone
    Index("ix_story_repeats_day", "codebook", "day", "first_day", "actor", "issue", "stance", "evidence_hash"),
    sqlite_with_rowid=False,
)

# DNA projects (migration 0005): what a Discourse Network Analyzer file holds that claims do
# not, so that import -> export is lossless (see stancemap.store.dna and docs/dna.md)
dna_projects = Table(
    "dna_projects",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("codebook", String(12), nullable=False),
    Column("statement_type", Integer, nullable=False),  # the DNA statement type that became claims
    Column("body", Text, nullable=False),               # JSON: the file's small tables, row by row
    Column("imported_at", DateTime(timezone=True), nullable=False),
)

dna_documents = Table(
    "dna_documents",
    metadata,
    Column("project", String(200), ForeignKey("dna_projects.name", ondelete="CASCADE"), nullable=False),
    Column("dna_id", Integer, nullable=False),
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="SET NULL"), nullable=True),
    Column("title", Text, nullable=False),
    Column("coder", Integer, nullable=True),
    Column("author", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("section", Text, nullable=False),
    Column("notes", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("date", BigInteger, nullable=False),          # DNA's seconds since 1970, UTC
    Column("lead", Integer, nullable=False),             # characters before the article's text in DNA's
    Column("text", Text, nullable=True),                 # DNA's text, where it is not the article's
    PrimaryKeyConstraint("project", "dna_id", name="pk_dna_documents"),
)

dna_statements = Table(
    "dna_statements",
    metadata,
    Column("project", String(200), ForeignKey("dna_projects.name", ondelete="CASCADE"), nullable=False),
    Column("dna_id", Integer, nullable=False),
    Column("type", Integer, nullable=False),
    Column("document", Integer, nullable=False),
    Column("start", Integer, nullable=False),            # DNA's offsets (UTF-16 units)
    Column("stop", Integer, nullable=False),
    Column("coder", Integer, nullable=True),
    Column("data", Text, nullable=False),                # JSON: [[table, row id, variable id, value], ...]
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="SET NULL"), nullable=True),
    Column("claim_actor", String(100), nullable=True),  # the claim's values at import
    Column("claim_issue", String(100), nullable=True),
    Column("claim_stance", String(10), nullable=True),
    PrimaryKeyConstraint("project", "dna_id", name="pk_dna_statements"),
    Index("ix_dna_statements_claim", "claim_id"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(10), nullable=False),  # admin, coder, viewer
    Column("password_hash", Text, nullable=False),  # argon2id, with its parameters and salt
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 of the cookie's token
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("ix_sessions_user", "user_id"),
)
