"""A database that cannot be reached answers 503 with Retry-After, and the app recovers after.

Unreachable databases are real ones: a PostgreSQL port nobody listens on and
a SQLite file in a folder that does not exist. Connections cut while serving
(what a PostgreSQL restart does) are cut with `pg_terminate_backend` on this
run's own database, so those tests need PostgreSQL (TEST_DATABASE_URL; CI's
second run sets it).
"""
import logging
import urllib.error
import urllib.request

import pytest
from sqlalchemy import text

from forum.extensions import db
from forum.models import ApiToken, User
from tests.site.test_error_pages import assert_error_page, client_in

CLOSED_POSTGRES_PORT = "postgresql://postgres@127.0.0.1:1/musyawarah"


@pytest.fixture(params=["postgresql", "sqlite"])
def unreachable_app(request, make_app, tmp_path, app):
    """An app whose database cannot be reached at all."""
    url = CLOSED_POSTGRES_PORT if request.param == "postgresql" else f"sqlite:///{tmp_path}/no-such-folder/db.sqlite"
    return make_app(SQLALCHEMY_DATABASE_URI=url)


@pytest.fixture
def postgres_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("cutting live connections needs PostgreSQL: set TEST_DATABASE_URL (CI does)")


@pytest.fixture
def operators_log(monkeypatch, caplog):
    """The records forum.errorpages logs (Alembic's fileConfig disabled the logger)."""
    monkeypatch.setattr(logging.getLogger("forum.errorpages"), "disabled", False)
    caplog.set_level(logging.WARNING, logger="forum.errorpages")
    return lambda: [record for record in caplog.records if record.name == "forum.errorpages"]


def assert_retry_after(response):
    assert 1 <= int(response.headers["Retry-After"]) <= 30


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("path", ["/", "/konsultasi/", "/aspirasi/", "/cari?q=sampah"])
def test_pages_answer_503_with_retry_after(unreachable_app, path, lang):
    response = client_in(unreachable_app, lang).get(path)
    assert_error_page(response, 503, lang)
    assert_retry_after(response)
    assert "OperationalError" not in response.get_data(as_text=True)


def test_a_signed_in_visitor_gets_the_same_page(unreachable_app, login, resident):
    # Loading the account (and the header's unread count) needs the database too.
    response = login(resident, on=client_in(unreachable_app, "en")).get("/profil/")
    assert_error_page(response, 503, "en")


@pytest.mark.parametrize("method, path", [("GET", "/api/v1/policies"), ("GET", "/api/v1/search?q=sampah"),
                                          ("POST", "/api/v1/aspirations")])
def test_api_answers_503_unavailable(unreachable_app, method, path):
    token = ApiToken.PREFIX + "0" * 40  # looked up in the database like any token
    response = unreachable_app.test_client().open(path, method=method, json={},
                                                  headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503
    assert_retry_after(response)
    error = response.get_json()["error"]
    assert error["code"] == "unavailable" and error["message"]


def test_each_failed_request_is_one_warning_without_a_traceback(unreachable_app, operators_log):
    client = unreachable_app.test_client()
    client.get("/")
    client.get("/api/v1/policies")
    records = operators_log()
    assert [record.levelname for record in records] == ["WARNING", "WARNING"]
    assert all(record.exc_info is None and "\n" not in record.getMessage() for record in records)
    assert "GET /api/v1/policies" in records[1].getMessage()


def test_other_database_errors_stay_500(make_app, app, resident):
    from tests.site.test_error_pages import add_test_routes

    response = add_test_routes(make_app()).test_client().get(f"/test/half-saved/{resident.id}")
    assert response.status_code == 500 and "Retry-After" not in response.headers


def cut_connections():
    """End every other connection to this run's own database, as a server restart does."""
    cut = db.session.execute(text(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    db.session.commit()
    assert cut >= 1


def _cut_own_connection():
    db.session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))


def test_connection_cut_mid_write_saves_nothing_and_the_next_request_works(
        postgres_only, make_app, app, resident, reload, operators_log):
    served = make_app()

    def half_written(user_id):
        db.session.get(User, user_id).display_name = "Half written"
        db.session.flush()
        _cut_own_connection()  # what a database restart does to a request in flight
        db.session.commit()
        return "unreachable"

    served.add_url_rule("/test/cut/<int:user_id>", "test_cut", half_written)
    client = served.test_client()

    response = client.get(f"/test/cut/{resident.id}")

    assert response.status_code == 503
    assert_retry_after(response)
    assert reload(resident).display_name != "Half written"
    assert [record.levelname for record in operators_log()] == ["WARNING"]
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/policies").status_code == 200


def test_pooled_connections_cut_by_a_restart_are_replaced(postgres_only, make_app, app, login, resident):
    served = make_app()
    client = login(resident, on=served.test_client())
    assert client.get("/").status_code == 200  # the pool now holds a connection
    assert client.get("/api/v1/policies").status_code == 200

    cut_connections()

    for path in ("/", "/profil/", "/konsultasi/", "/api/v1/policies"):
        assert client.get(path).status_code == 200, path


def _status(url):
    try:
        return urllib.request.urlopen(url, timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_real_server_answers_after_every_connection_was_cut(postgres_only, real_server):
    # Enough requests that both gunicorn workers hold pooled connections.
    assert {_status(real_server(path)) for path in ("/", "/api/v1/policies") * 4} == {200}
    cut_connections()
    assert {_status(real_server(path)) for path in ("/", "/api/v1/policies", "/konsultasi/") * 4} == {200}
