"""The language switch: a plain form, a long-lived cookie, and the account's choice."""
import re



def language_cookie(response):
    """The Set-Cookie header that sets `lang`, or None."""
    return next((value for value in response.headers.getlist("Set-Cookie") if value.startswith("lang=")), None)


def test_switch_sets_a_long_lived_httponly_cookie_and_goes_back(client):
    response = client.post("/bahasa", data={"lang": "en", "next": "/tentang"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/tentang"
    cookie = language_cookie(response)
    assert cookie.startswith("lang=en;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    max_age = int(re.search(r"Max-Age=(\d+)", cookie).group(1))
    assert max_age >= 180 * 24 * 3600


def test_following_pages_are_english(client):
    assert '<html lang="id">' in client.get("/tentang").get_data(as_text=True)
    client.post("/bahasa", data={"lang": "en", "next": "/tentang"})
    for path in ("/tentang", "/", "/akun/masuk"):
        page = client.get(path).get_data(as_text=True)
        assert '<html lang="en">' in page, path
    assert "How to take part" in client.get("/tentang").get_data(as_text=True)


def test_switch_back_to_indonesian(client):
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    client.post("/bahasa", data={"lang": "id", "next": "/"})
    assert '<html lang="id">' in client.get("/").get_data(as_text=True)


def test_unknown_language_is_ignored(client, login, resident, reload):
    login(resident)
    response = client.post("/bahasa", data={"lang": "fr", "next": "/tentang"})
    assert response.status_code == 302 and response.headers["Location"] == "/tentang"
    assert language_cookie(response) is None
    assert reload(resident).locale is None
    assert '<html lang="id">' in client.get("/").get_data(as_text=True)


def test_signed_in_choice_is_stored_and_wins_on_another_client(app, client, login, resident, reload):
    login(resident)
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    assert reload(resident).locale == "en"

    # Another device, whose own cookie still says Indonesian.
    other = app.test_client()
    other.set_cookie("lang", "id")
    assert '<html lang="id">' in other.get("/").get_data(as_text=True)
    login(resident, on=other)
    assert '<html lang="en">' in other.get("/").get_data(as_text=True)


def test_choice_wins_after_logging_in_through_the_form(client, make_user):
    user = make_user(locale="en", password="a long enough password")
    client.set_cookie("lang", "id")
    assert '<html lang="id">' in client.get("/akun/masuk").get_data(as_text=True)
    response = client.post("/akun/masuk", data={"email": user.email, "password": "a long enough password"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_the_switch_is_a_form_with_two_buttons_and_no_script(client):
    page = client.get("/tentang?x=1").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/bahasa"[^>]*>(.*?)</form>', page, re.S).group(1)
    assert re.search(r'<button type="submit" name="lang" value="id"[^>]*>Bahasa Indonesia</button>', form)
    assert re.search(r'<button type="submit" name="lang" value="en"[^>]*>English</button>', form)
    assert '<input type="hidden" name="next" value="/tentang?x=1">' in form
    assert 'aria-current="true"' in re.search(r'<button[^>]*value="id"[^>]*>', form).group(0)
    assert "onclick" not in form and "<script" not in form
