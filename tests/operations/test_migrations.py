"""The migrated schema matches the models: no pending autogenerate diff.

The session fixture builds the test database with the real Alembic revisions
(on SQLite, or PostgreSQL in CI); comparing it with the models catches a model
change that came without a revision.
"""
import os

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from forum.extensions import db
from forum.timeutil import UTCDateTime


def _compare_type(context, inspected_column, metadata_column, inspected_type, metadata_type):
    """Compare the UTC decorator by the type it stores as; defer otherwise."""
    if isinstance(metadata_type, UTCDateTime):
        return not isinstance(inspected_type, type(metadata_type.impl))
    return None


def test_migrations_match_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": _compare_type, "render_as_batch": True},
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "models changed without a migration: run `flask db migrate`"


def test_database_is_at_the_latest_revision(app):
    script = ScriptDirectory.from_config(_alembic_config(app))
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    assert set(current) == set(script.get_heads())
    assert len(script.get_heads()) == 1, "migrations have diverged into several heads"


def _alembic_config(app):
    config = Config(os.path.join(app.root_path, "..", "migrations", "alembic.ini"))
    config.set_main_option("script_location", os.path.join(app.root_path, "..", "migrations"))
    return config
