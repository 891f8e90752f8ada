"""Shared fixtures: one migrated database per run, a fresh app per test.

The schema is built once per session with the real Alembic migrations (so
every run also proves they apply) on SQLite, or on PostgreSQL when
`TEST_DATABASE_URL` is set (CI). Reference data is loaded once; every other
table is emptied after each test. Fixtures build on one another: `app` ->
`client` -> `login`; `make_user` -> `resident`, `official`, `moderator`, `admin`.
"""
import os
import itertools

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from config import TestingConfig
from forum import create_app
from forum.extensions import db
from forum.models import Agency, District, Role, User
from forum.services.reference import load_reference_data
from forum.timeutil import utcnow

REFERENCE_TABLES = {"district", "agency", "category", "alembic_version"}
PASSWORD = "correct horse battery staple"
_user_numbers = itertools.count(1)


def _testing_config(database_url, instance_dir, **overrides):
    settings = dict(
        SQLALCHEMY_DATABASE_URI=database_url,
        INSTANCE_DIR=str(instance_dir),
        MAIL_DIR=str(instance_dir / "mail"),
        UPLOAD_DIR=str(instance_dir / "uploads"),
        SEARCH_INDEX_DIR=str(instance_dir / "search"),
    )
    settings.update(overrides)
    return TestingConfig(**settings)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def migrated_database(database_url, tmp_path_factory):
    """Drop whatever is there, apply every migration, load reference data."""
    app = create_app(_testing_config(database_url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade(directory=os.path.join(app.root_path, "..", "migrations"))
        load_reference_data()
        db.session.remove()
        db.engine.dispose()
    return database_url


def _empty_tables():
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def make_app(migrated_database, tmp_path):
    """Build an app on the test database with config overrides."""

    def build(**overrides):
        return create_app(_testing_config(migrated_database, tmp_path, **overrides))

    return build


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_tables()
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def kelurahan(app):
    return District.query.filter_by(code="pondok-aren.pondok-betung").one()


@pytest.fixture
def agency(app):
    return Agency.query.filter_by(code="diskominfo").one()


@pytest.fixture
def make_user(app, kelurahan, agency):
    """Create a verified, active user; keyword arguments override fields."""

    def build(role=Role.RESIDENT, password=PASSWORD, **fields):
        number = next(_user_numbers)
        fields.setdefault("email", f"user{number}@example.test")
        fields.setdefault("display_name", f"Pengguna {number}")
        fields.setdefault("email_verified_at", utcnow())
        fields.setdefault("consent_at", utcnow())
        fields.setdefault("consent_version", "test")
        if role == Role.OFFICIAL:
            fields.setdefault("agency", agency)
        if role == Role.RESIDENT:
            fields.setdefault("district", kelurahan)
        user = User(role=role, **fields)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return build


@pytest.fixture
def resident(make_user):
    return make_user(Role.RESIDENT)


@pytest.fixture
def official(make_user):
    return make_user(Role.OFFICIAL)


@pytest.fixture
def moderator(make_user):
    return make_user(Role.MODERATOR)


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


@pytest.fixture
def login(client):
    """Sign `user` in on the test client without going through the form."""

    def sign_in(user, on=None):
        target = on or client
        with target.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return target

    return sign_in
