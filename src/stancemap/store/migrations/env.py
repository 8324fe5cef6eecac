"""Alembic environment: runs on the connection stancemap hands it (see store.db.migrate)."""

from alembic import context

from stancemap.store.schema import metadata

connection = context.config.attributes.get("connection")


def run() -> None:
    if connection is None:  # called from the alembic command line with a URL
        from sqlalchemy import create_engine

        engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
            context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
