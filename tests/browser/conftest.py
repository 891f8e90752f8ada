"""Browser test harness: Debian's Chromium through Playwright, against a live server.

One headless Chromium per session (never a Playwright-downloaded browser: the
Debian package at /usr/bin/chromium). Every test gets its own live server on a
free 127.0.0.1 port, built with real CSRF and sharing the test database, so a
test can create users with `make_user` and check rows the browser wrote.
Pages come in two flavours: `page` (JavaScript on) and `nojs_page`
(JavaScript off), because every page must work without JavaScript.
On failure, a screenshot of each open page goes to tests/browser/artifacts/.
"""
import os
import re
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale, gettext, ngettext
from werkzeug.serving import make_server

from forum.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# Long enough for a slow CI box, short enough that a wrong selector fails fast.
ACTION_TIMEOUT_MS = 10_000
URL_PATTERN = re.compile(r"https?://[^\s<>\"']+")


@dataclass
class LiveServer:
    app: Flask
    url: str

    def __call__(self, path="/"):
        """Absolute URL of `path` on this server."""
        return self.url + path


def read_mail(app):
    """Every message written to the app's mail folder, oldest first."""
    folder = Path(app.config["MAIL_DIR"])
    if not folder.is_dir():
        return []
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


def link_in(message, path_fragment):
    """The first URL in the message body that contains `path_fragment`."""
    body = message.get_body(preferencelist=("plain", "html")).get_content()
    for url in URL_PATTERN.findall(body):
        if path_fragment in url:
            return url.rstrip(".,;)")
    raise AssertionError(f"no link containing {path_fragment!r} in mail {message['Subject']!r}:\n{body}")


@pytest.fixture(name="read_mail")
def read_mail_fixture():
    return read_mail


@pytest.fixture(name="link_in")
def link_in_fixture():
    return link_in


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        reason = (
            f"Chromium not installed ({CHROMIUM}); install the Debian package "
            "'chromium' to run browser tests"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def live_server(app, make_app):
    """Serve a CSRF-checking app on a free port for one test.

    Requesting `app` ties the test to its cleanup: tables are emptied only after
    the server has stopped, its last request has finished and its connections
    are closed, so no request of this test can hold a lock the cleanup needs.
    """
    served = make_app(WTF_CSRF_ENABLED=True, SERVER_NAME=None)
    server = make_server("127.0.0.1", 0, served, threaded=True)
    # Tracked request threads, so server_close() waits for requests in flight
    # (the browser contexts, torn down first, have closed their connections).
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=served, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        # Each test builds a new engine; closing its pool keeps PostgreSQL
        # connections from piling up and lets the table cleanup take its locks.
        with served.app_context():
            db.engine.dispose()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed
    return report


def _save_screenshot_if_failed(request, page, label):
    if not getattr(request.node, "browser_call_failed", False) or page.is_closed():
        return
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n")  # artifacts never reach git
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
    page.screenshot(path=str(ARTIFACTS / f"{stem}-{label}.png"), full_page=True)


def _new_context(browser, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context


# The contexts depend on `live_server` so they close (and drop their
# keep-alive connections) before the server waits for its request threads.
@pytest.fixture
def js_context(browser, live_server):
    context = _new_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(js_context, request):
    opened = js_context.new_page()
    yield opened
    _save_screenshot_if_failed(request, opened, "js")


@pytest.fixture
def nojs_context(browser, live_server):
    context = _new_context(browser, java_script_enabled=False)
    yield context
    context.close()


@pytest.fixture
def nojs_page(nojs_context, request):
    opened = nojs_context.new_page()
    yield opened
    _save_screenshot_if_failed(request, opened, "nojs")


@pytest.fixture
def t(live_server):
    """Render a msgid (or a plural msgid, its plural and the number) as the live server does by default."""

    def translate(msgid, *plural_and_number, **values):
        with live_server.app.test_request_context(), force_locale("id"):
            if plural_and_number:
                return ngettext(msgid, *plural_and_number, **values)
            return gettext(msgid, **values)

    return translate


@pytest.fixture
def open_nojs_page(browser, live_server):
    """Open one more JavaScript-less page, in its own context (its own session cookie)."""
    contexts = []

    def open_page():
        context = _new_context(browser, java_script_enabled=False)
        contexts.append(context)
        return context.new_page()

    yield open_page
    # Closed before `live_server` stops, so no keep-alive connection is left open.
    for context in contexts:
        context.close()
