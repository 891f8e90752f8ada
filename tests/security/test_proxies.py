"""TRUSTED_PROXIES: whose X-Forwarded-For and X-Forwarded-Proto the app believes.

With 0 (the default) the app is reached directly: a forwarded address is
ignored, so a client cannot pick its own rate-limit key. With N proxies in
front, the address is the one the Nth proxy from the app saw, the last N
entries of X-Forwarded-For: an entry the client forged in front of them
changes nothing.
"""
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from flask import request

from config import ConfigurationError, ProductionConfig

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.2"  # the TLS proxy's own address, the one the app is reached from


@pytest.fixture
def behind(app, make_app):
    """A client of an app trusting `proxies` proxies, allowing 2 login attempts a minute per address."""

    def build(proxies):
        built = make_app(TRUSTED_PROXIES=proxies, RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2 per minute",
                         RATELIMIT_KEY_PREFIX=f"proxies-{uuid.uuid4().hex}")
        built.add_url_rule("/_test/client", "test_client",
                           lambda: {"address": request.remote_addr, "scheme": request.scheme, "host": request.host})
        return built.test_client()

    return build


def log_in(client, forwarded_for):
    """An empty login form (422) sent through the proxy for a client at `forwarded_for`."""
    return client.post("/akun/masuk", data={}, headers={"X-Forwarded-For": forwarded_for},
                       environ_base={"REMOTE_ADDR": PROXY}).status_code


def seen(client, **headers):
    return client.get("/_test/client", headers=headers, environ_base={"REMOTE_ADDR": PROXY}).get_json()


def test_without_trusted_proxies_a_forwarded_address_is_ignored(behind):
    client = behind(0)
    assert log_in(client, "203.0.113.1") == 422
    assert log_in(client, "203.0.113.1") == 422
    assert log_in(client, "203.0.113.2") == 429  # a made-up address does not escape the limit
    assert seen(client, **{"X-Forwarded-For": "203.0.113.1", "X-Forwarded-Proto": "https"}) == {
        "address": PROXY, "scheme": "http", "host": "localhost"}


def test_behind_one_proxy_each_client_has_its_own_limit(behind):
    client = behind(1)
    assert log_in(client, "203.0.113.1") == 422
    assert log_in(client, "203.0.113.1") == 422
    assert log_in(client, "203.0.113.1") == 429
    assert log_in(client, "203.0.113.2") == 422
    assert seen(client, **{"X-Forwarded-For": "203.0.113.1", "X-Forwarded-Proto": "https"}) == {
        "address": "203.0.113.1", "scheme": "https", "host": "localhost"}


def test_behind_one_proxy_a_forged_hop_changes_nothing(behind):
    """The proxy appends the address it saw; whatever the client put in front of it is not believed."""
    client = behind(1)
    assert log_in(client, "203.0.113.1") == 422
    assert log_in(client, "198.51.100.7, 203.0.113.1") == 422
    assert log_in(client, "198.51.100.8, 203.0.113.1") == 429
    assert seen(client, **{"X-Forwarded-For": "198.51.100.7, 203.0.113.1"})["address"] == "203.0.113.1"


def test_forwarded_host_is_never_believed(behind):
    """E-mailed links are built from the host: a client must not choose it through X-Forwarded-Host."""
    assert seen(behind(1), **{"X-Forwarded-For": "203.0.113.1", "X-Forwarded-Host": "evil.example"})["host"] \
        == "localhost"


@pytest.mark.parametrize("value, count", [("0", 0), ("1", 1), (" 2 ", 2), (3, 3)])
def test_trusted_proxies_is_a_whole_number(value, count):
    assert ProductionConfig(SECRET_KEY="k", TRUSTED_PROXIES=value).finalize().TRUSTED_PROXIES == count


@pytest.mark.parametrize("value", ["-1", "one", "1.5", "", "²"])
def test_a_negative_or_non_integer_count_refuses_to_start(value):
    with pytest.raises(ConfigurationError, match="TRUSTED_PROXIES"):
        ProductionConfig(SECRET_KEY="k", TRUSTED_PROXIES=value).finalize()


@pytest.mark.parametrize("value, outcome", [("2", "2"), ("-1", "ConfigurationError: TRUSTED_PROXIES='-1'")])
def test_trusted_proxies_comes_from_the_environment(value, outcome):
    script = "from config import load_config; print(load_config('testing').finalize().TRUSTED_PROXIES)"
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "TRUSTED_PROXIES": value})
    assert outcome in run.stdout + run.stderr
