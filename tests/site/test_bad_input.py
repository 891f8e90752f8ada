"""Hostile or broken input on the public forms: always a clear 4xx or a re-rendered form.

NUL bytes, invalid UTF-8, overlong values, a missing CSRF token, the wrong
method and open-redirect attempts. None of them may end in a 500, change
anything they should not, or send the visitor off the site.
"""
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from forum.models import AccountState, Role

FORM = "application/x-www-form-urlencoded"
ODD_QUERY_STRINGS = ["q=%00", "q=%ff%fe", "q=a%00b%c3%28", "next=%00//evil.example", "page=%00", "q=" + "x" * 20000]



@pytest.mark.parametrize("query", ODD_QUERY_STRINGS)
@pytest.mark.parametrize("path", ["/", "/tentang", "/akun/masuk", "/akun/daftar", "/akun/lupa-sandi"])
def test_odd_query_strings_on_public_pages(client, path, query):
    assert client.get(f"{path}?{query}").status_code == 200


@pytest.mark.parametrize("query", ODD_QUERY_STRINGS + ["role=%00", "state=%ff"])
def test_odd_query_strings_on_the_admin_user_list(client, login, admin, query):
    login(admin)
    assert client.get(f"/admin/pengguna?{query}").status_code == 200


@pytest.mark.parametrize(
    "body, location",
    [
        (b"lang=%00&next=%00", "/"),
        (b"lang=en%00&next=/tentang", "/tentang"),
        (b"lang=%ff&next=%ff%fe", "/"),
        (b"lang=\xff\xfe&next=/\xff", "/"),
    ],
)
def test_language_switch_ignores_broken_values(client, body, location):
    response = client.post("/bahasa", data=body, content_type=FORM)
    assert response.status_code == 302
    assert response.headers["Location"] == location
    assert "lang=" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize(
    "body",
    [
        b"email=a%00b%40example.test&password=pass%00word",
        b"email=%ff%fe%40example.test&password=%ff",
        b"email=\xff\xfe@example.test&password=\xc3\x28",
        b"email=" + b"a" * 20000 + b"%40example.test&password=" + b"p" * 20000,
    ],
)
def test_login_form_survives_broken_values(client, resident, body):
    response = client.post("/akun/masuk", data=body, content_type=FORM)
    assert 200 <= response.status_code < 500
    assert response.status_code != 302  # nobody got in
    assert 'name="email"' in response.get_data(as_text=True)


def test_admin_edit_strips_nul_bytes(client, login, admin, resident, reload):
    login(admin)
    response = client.post(
        f"/admin/pengguna/{resident.id}",
        data={"role": "resident", "agency": "", "state": "silenced", "state_until": "", "state_reason": "spam\x00 lagi"},
    )
    assert response.status_code == 302
    assert reload(resident).state_reason == "spam lagi"


def test_admin_edit_keeps_percent_escapes_of_invalid_utf8_as_plain_text(client, login, admin, resident, reload):
    """Werkzeug leaves undecodable %-escapes as they are: readable text, no U+FFFD."""
    login(admin)
    body = b"role=resident&state=silenced&state_reason=kasar%ff%fe"
    response = client.post(f"/admin/pengguna/{resident.id}", data=body, content_type=FORM)
    assert response.status_code == 302
    assert reload(resident).state_reason == "kasar%FF%FE"


@pytest.mark.parametrize(
    "body",
    [
        b"role=resident&state=silenced&state_reason=\xff\xfe",
        b"role=resident%00&state=silenced%00&agency=%00&state_until=%00",
        b"role=" + b"r" * 20000 + b"&state=silenced&state_reason=" + b"x" * 20000,
    ],
)
def test_admin_edit_refuses_broken_values(client, login, admin, resident, body, reload):
    login(admin)
    response = client.post(f"/admin/pengguna/{resident.id}", data=body, content_type=FORM)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert reload(resident).state == AccountState.ACTIVE


@pytest.mark.parametrize("lang", ["id", "en"])
def test_missing_csrf_token_on_a_plain_post(make_app, app, login, resident, lang, reload):
    protected = make_app(WTF_CSRF_ENABLED=True)
    client = login(resident, on=protected.test_client())
    client.set_cookie("lang", lang)
    switch_to = "id" if lang == "en" else "en"
    response = client.post("/bahasa", data={"lang": switch_to, "next": "/tentang"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page and 'class="error-page"' in page
    if lang == "en":
        assert "Your form expired or was sent from elsewhere." in page
    assert "lang=" not in response.headers.get("Set-Cookie", "")
    assert reload(resident).locale is None


def test_csrf_token_from_the_page_is_accepted(make_app, app, login, resident):
    """The other half of the CSRF test: the form as served does work."""
    protected = make_app(WTF_CSRF_ENABLED=True)
    client = login(resident, on=protected.test_client())
    page = client.get("/tentang").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/bahasa", data={"lang": "en", "next": "/tentang", "csrf_token": token})
    assert response.status_code == 302
    assert "lang=en" in response.headers["Set-Cookie"]


def post_only_urls(app):
    """URLs of POST-only routes that no GET route answers as well.

    (`/akun/verifikasi/kirim-ulang` is also a token for `/akun/verifikasi/<token>`.)
    """
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and "GET" not in rule.methods:
            url = adapter.build(rule.endpoint, dict.fromkeys(rule.arguments, 1))
            try:
                adapter.match(url, method="GET")
            except HTTPException:
                yield url


def test_get_on_post_only_routes_is_405(app, client, login, resident):
    urls = list(post_only_urls(app))
    assert "/bahasa" in urls and "/akun/keluar" in urls
    login(resident)
    for url in urls:
        assert client.get(url).status_code == 405, url


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "http://evil.example/tentang",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "///evil.example",
        "https:evil.example",
        " //evil.example",
        "/%0d%0aSet-Cookie:x=1",
    ],
)
def test_language_switch_never_leaves_the_site(client, target):
    response = client.post("/bahasa", data={"lang": "en", "next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location
    assert "\n" not in location and "\r" not in location
    assert "lang=en" in response.headers["Set-Cookie"]


def test_language_switch_keeps_a_local_next(client):
    response = client.post("/bahasa", data={"lang": "en", "next": "/tentang?x=1"})
    assert response.headers["Location"] == "/tentang?x=1"


def test_role_change_by_unknown_role_keeps_role(client, login, admin, resident, reload):
    login(admin)
    response = client.post(f"/admin/pengguna/{resident.id}", data={"role": "root", "state": "active"})
    assert response.status_code == 422
    assert reload(resident).role == Role.RESIDENT


@pytest.mark.parametrize("query", ["page=%C2%B2", "page=%D9%A3", "page=99999999999", "page=-1", "page=+2", "page=%201"])
@pytest.mark.parametrize("path", ["/konsultasi/", "/aspirasi/"])
def test_page_numbers_that_are_not_plain_digits_fall_back_to_page_one(client, path, query):
    """Superscript or Arabic-Indic digits pass str.isdigit() but not int(): the list still answers."""
    assert client.get(f"{path}?{query}").status_code == 200
