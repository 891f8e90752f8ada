"""Public pages in real Chromium: they render, obey the CSP, switch language without JS."""
import pytest

pytestmark = pytest.mark.browser

PUBLIC_PAGES = ["/", "/tentang"]


def _is_error(message):
    # Chromium asks for /favicon.ico on its own; its absence is not a page error.
    return message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_renders_in_indonesian_without_console_errors(live_server, page, path):
    console_errors, requests = [], []
    page.on("console", lambda message: _is_error(message) and console_errors.append(message.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))

    response = page.goto(live_server(path))

    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("main h1").count() == 1
    # A CSP violation (inline script or style) shows up as a console error.
    assert console_errors == []
    # No third-party requests: every asset comes from the app itself.
    assert requests and all(url.startswith(live_server.url) for url in requests)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_renders_without_javascript(live_server, nojs_page, path):
    response = nojs_page.goto(live_server(path))

    assert response.status == 200
    assert nojs_page.locator("html").get_attribute("lang") == "id"
    assert nojs_page.get_by_role("navigation").count() >= 1


def test_language_switch_works_without_javascript_and_is_remembered(live_server, nojs_page):
    nojs_page.goto(live_server("/tentang"))
    assert nojs_page.locator("html").get_attribute("lang") == "id"

    nojs_page.locator("form.language-switch").get_by_role("button", name="English").click()

    assert nojs_page.url == live_server("/tentang")
    assert nojs_page.locator("html").get_attribute("lang") == "en"
    assert nojs_page.locator("main h1").inner_text() == "How to take part"
    english = nojs_page.locator("form.language-switch").get_by_role("button", name="English")
    assert english.get_attribute("aria-current") == "true"

    nojs_page.goto(live_server("/"))
    assert nojs_page.locator("html").get_attribute("lang") == "en"

    nojs_page.locator("form.language-switch").get_by_role("button", name="Bahasa Indonesia").click()
    assert nojs_page.locator("html").get_attribute("lang") == "id"


def test_keyboard_focus_is_visible(live_server, page):
    page.goto(live_server("/"))

    page.keyboard.press("Tab")

    focused = page.locator(":focus")
    assert focused.get_attribute("class") == "skip-link"
    style = focused.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.left]; }"
    )
    outline_style, outline_width, left = style
    assert outline_style == "solid" and outline_width != "0px"
    # The skip link is off-screen until focused, then on screen.
    assert not left.startswith("-")
