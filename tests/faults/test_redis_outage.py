"""Redis down: pages, logins and writes answer as usual, and the limits still hold per worker.

REDIS_URL points at a port nobody listens on; the limiter then counts in the
process's memory (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED) until Redis answers.
"""
import pytest

from forum.extensions import limiter

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(app, make_app, monkeypatch):
    """A client of an app whose rate-limit Redis is down: 3 writes and 2 logins a minute."""
    # Every app of the run shares the one limiter object, which remembers that
    # its storage died; the next test starts with it alive again.
    monkeypatch.setattr(limiter, "_storage_dead", False)
    built = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=DEAD_REDIS,
                     RATELIMIT_WRITE="3 per minute", RATELIMIT_LOGIN="2 per minute")
    return built.test_client()


def test_pages_and_writes_answer_and_the_write_limit_holds(redis_down, login, resident):
    assert redis_down.get("/").status_code == 200
    login(resident, on=redis_down)
    for _ in range(3):
        assert redis_down.post("/notifikasi/tandai-dibaca").status_code == 302
    assert redis_down.get("/notifikasi/").status_code == 200  # reads are not counted
    assert redis_down.post("/notifikasi/tandai-dibaca").status_code == 429


def test_logins_work_and_their_limit_holds(redis_down, resident, user_password):
    form = {"email": resident.email, "password": user_password}
    assert redis_down.post("/akun/masuk", data=form).status_code == 302
    assert redis_down.post("/akun/masuk", data=form).status_code == 302
    refused = redis_down.post("/akun/masuk", data=form)
    assert refused.status_code == 429 and "Retry-After" in refused.headers


def test_api_answers_as_json(redis_down):
    assert redis_down.get("/api/v1/policies").status_code == 200
    for _ in range(3):
        assert redis_down.post("/api/v1/aspirations", json={}).status_code == 401
    assert redis_down.post("/api/v1/aspirations", json={}).get_json()["error"]["code"] == "rate_limited"
