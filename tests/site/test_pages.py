"""The page shell: home and about content, navigation by role, landmarks, one <h1> per page."""
import re

import pytest
from tests.site.test_access_matrix import EXPECTED, OK, PEOPLE, REACHABLE, VISITOR, People, url_for_route

from forum.models import Role


def english(client):
    client.set_cookie("lang", "en")
    return client


def text_of(response):
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_home_shows_empty_states(client):
    page = text_of(english(client).get("/"))
    assert "There are no open consultations right now." in page
    assert "No aspirations yet." in page
    assert page.count('class="empty-state"') == 2


def test_home_invites_visitors_to_register(client):
    assert 'class="button" href="/akun/daftar"' in text_of(client.get("/"))


def test_home_does_not_invite_account_holders_to_register(client, login, resident):
    login(resident)
    assert 'class="button" href="/akun/daftar"' not in text_of(client.get("/"))


def test_about_explains_how_to_take_part(client):
    page = text_of(english(client).get("/tentang"))
    for heading in (
        "How to take part",
        "1. Make an account",
        "2. Give your opinion on a draft policy",
        "3. Raise your own aspiration",
        "4. Keep it respectful",
        "Your data",
    ):
        assert re.search(rf"<h[12]>{re.escape(heading)}</h[12]>", page), heading


def navigation(page):
    return re.search(r'<nav class="site-nav".*?</nav>', page, re.S).group(0)


def test_visitor_navigation_offers_login_and_register(client):
    nav = navigation(text_of(client.get("/")))
    assert 'href="/akun/masuk"' in nav and 'href="/akun/daftar"' in nav
    assert "/akun/keluar" not in nav and "/admin/" not in nav and "/moderasi/" not in nav


@pytest.mark.parametrize(
    "role, moderation, admin",
    [(Role.RESIDENT, False, False), (Role.OFFICIAL, False, False), (Role.MODERATOR, True, False), (Role.ADMIN, True, True)],
)
def test_navigation_by_role(client, login, make_user, role, moderation, admin):
    login(make_user(role))
    nav = navigation(text_of(client.get("/")))
    assert ('href="/moderasi/"' in nav) is moderation
    assert ('href="/admin/pengguna"' in nav) is admin
    assert 'href="/profil/"' in nav and 'action="/akun/keluar"' in nav
    assert 'href="/akun/masuk"' not in nav


def test_skip_link_leads_to_the_main_landmark(client):
    page = text_of(client.get("/"))
    skip = page.index('<a class="skip-link" href="#main">')
    assert skip < page.index("<header")  # the first thing a keyboard reaches
    assert page.count('<main id="main"') == 1


def pages_to_check():
    """Every page of the access matrix, as the first person allowed to see it."""
    for endpoint in REACHABLE:
        person = next((person for person in PEOPLE if EXPECTED[endpoint][person] == OK), None)
        if person is not None:
            yield endpoint, person


@pytest.mark.parametrize("endpoint, person", list(pages_to_check()))
def test_every_page_has_one_h1_a_title_and_landmarks(app, client, login, make_user, endpoint, person):
    people = People(make_user)
    if person != VISITOR:
        login(people[person])
    page = text_of(client.get(url_for_route(app, endpoint, people)))
    assert len(re.findall(r"<h1[\s>]", page)) == 1
    assert re.search(r"<title>[^<]*\S[^<]*</title>", page)
    assert page.count("<main") == 1 and page.count("<header") >= 1 and page.count("<footer") >= 1
    assert re.search(r'<nav [^>]*aria-label="[^"]+"', page)
    assert 'style="' not in page and "<script>" not in page  # the CSP forbids both
