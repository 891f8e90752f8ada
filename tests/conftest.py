"""Shared fixtures: one migrated database per run, a fresh app per test.

The schema is built once per session with the real Alembic migrations (so
every run also proves they apply) on SQLite, or on PostgreSQL when
`TEST_DATABASE_URL` is set (CI). Reference data is loaded once; every other
table is emptied after each test. Fixtures build on one another: `app` ->
`client` -> `login`; `make_user` -> `resident`, `official`, `moderator`, `admin`.
"""
import itertools
import os
from email import message_from_bytes, policy as email_policy
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import TestingConfig
from forum import create_app, search
from forum.extensions import db
from forum.models import Agency, District, Role, User
from forum.services import tokens
from forum.services.reference import load_reference_data
from forum.timeutil import utcnow

REFERENCE_TABLES = {"district", "agency", "category", "alembic_version"}
PASSWORD = "correct horse battery staple"
_user_numbers = itertools.count(1)


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context.

    The `app` fixture keeps an app context pushed for the test body; without
    this, requests would reuse it and share `g` (the cached current user and
    locale) and the database session with the test and with each other. After
    each request the test's session is expired so it reads what was committed.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        # What the request committed must be visible to the test's own session.
        db.session.expire_all()
        return response


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


def _worker_database(url, worker_id):
    """The PostgreSQL database of one pytest-xdist worker: `<name>_<worker>`, created once.

    Every worker drops and migrates its own schema, so workers never see each
    other's rows or lock each other's tables.
    """
    if worker_id == "master":
        return url
    base = make_url(url)
    name = f"{base.database}_{worker_id}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
            if found.scalar() is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return _worker_database(url, worker_id)
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
        upgrade(directory=os.path.join(app.root_path, "..", "migrations"), revision="heads")
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
    built = []

    def build(**overrides):
        app = create_app(_testing_config(migrated_database, tmp_path, **overrides))
        app.test_client_class = IsolatedClient
        built.append(app)
        return app

    yield build
    # Each app has its own engine and pool: close them now rather than at some
    # garbage collection, or a PostgreSQL run soon has too many connections.
    for app in built:
        with app.app_context():
            db.engine.dispose()


def _assert_search_in_step(app):
    """The index, once caught up with the outbox, must match the database exactly.

    Run after every test that created an index: every change the test made
    through the app must have reached the outbox (`search verify` after the
    suite's activity, one test at a time).
    """
    if not os.path.isdir(app.config["SEARCH_INDEX_DIR"]):
        return
    search.sync()
    result = search.verify()
    assert result.ok, (f"search index out of step after the test: missing {result.missing}, "
                       f"extra {result.extra}, stale {result.stale}")


@pytest.fixture
def app(make_app, request):
    app = make_app()
    with app.app_context():
        yield app
        db.session.rollback()
        try:
            if not request.node.get_closest_marker("no_search_verify"):
                _assert_search_in_step(app)
        finally:
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


@pytest.fixture
def outbox(app):
    """Read the mails written to MAIL_DIR so far, oldest first (EmailMessage objects)."""

    def read():
        directory = Path(app.config["MAIL_DIR"])
        return [
            message_from_bytes(path.read_bytes(), policy=email_policy.default)
            for path in sorted(directory.glob("*.eml"))
        ]

    return read


@pytest.fixture
def bearer():
    """Authorization headers with a new API token of `user`."""

    def headers(user):
        _row, raw = tokens.create_token(user, user, "test")
        return {"Authorization": f"Bearer {raw}"}

    return headers


@pytest.fixture
def user_password():
    """The password every `make_user` account has unless told otherwise."""
    return PASSWORD


@pytest.fixture
def reload(app):
    """Re-read a row from the database, e.g. after requests served by another app."""

    def read(row):
        db.session.expire_all()
        return db.session.get(type(row), row.id)

    return read


@pytest.fixture
def real_server(app):
    """gunicorn (2 workers) serving this test's database and instance folder.

    The test client runs a response body inside the test's own app context, so
    it cannot show what only a real server shows: a streamed body read after the
    request's session has closed, or a page kept by one worker process while
    another one changed it. Returns `url(path)`; the server stops before the
    tables are emptied.
    """
    from bench.load import gunicorn

    env = {
        "MUSYAWARAH_ENV": "testing",
        "TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MUSYAWARAH_INSTANCE_DIR": app.config["INSTANCE_DIR"],
        "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
    }
    with gunicorn("run:app", env=env, cwd=str(Path(app.root_path).parent)) as base:
        yield lambda path="/": base + path
