"""The admin user list: access, search (literal, case-insensitive), filters, paging."""
import re
from datetime import timedelta

import pytest

from forum.errors import Forbidden
from forum.extensions import db
from forum.models import AccountState, Role
from forum.services.users import list_users
from forum.timeutil import utcnow

EDIT_LINK = re.compile(r'href="/admin/pengguna/(\d+)"')


def listed_ids(response):
    return [int(found) for found in EDIT_LINK.findall(response.get_data(as_text=True))]


def test_visitor_is_sent_to_login(client):
    response = client.get("/admin/pengguna")
    assert response.status_code == 302
    assert "/akun/masuk" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.OFFICIAL, Role.MODERATOR])
def test_non_admins_are_refused(client, login, make_user, role):
    login(make_user(role))
    response = client.get("/admin/pengguna")
    assert response.status_code == 403
    assert "/admin/pengguna/" not in response.get_data(as_text=True)


def test_service_refuses_non_admins(app, moderator):
    with pytest.raises(Forbidden):
        list_users(moderator)


def test_row_shows_name_email_role_agency_kelurahan_state_and_created(client, login, admin, official, resident):
    client.set_cookie("lang", "en")
    login(admin)
    resident.created_at = utcnow().replace(year=2025, month=3, day=1, hour=17, minute=30, second=0, microsecond=0)
    db.session.commit()
    page = client.get("/admin/pengguna").get_data(as_text=True)
    assert official.display_name in page and official.email in page
    assert "Official" in page and "Diskominfo" in page
    assert "Pondok Betung" in page  # the resident's kelurahan
    assert "Administrator" in page and "Active" in page
    # 17:30 UTC is past midnight in Jakarta (UTC+7): the city date is shown.
    assert "3/2/25" in page
    assert f'href="/admin/pengguna/{resident.id}"' in page


def test_newest_first(client, login, admin, make_user):
    older = make_user(created_at=utcnow() - timedelta(days=3))
    newer = make_user(created_at=utcnow() + timedelta(minutes=1))
    login(admin)
    ids = listed_ids(client.get("/admin/pengguna"))
    assert ids.index(newer.id) < ids.index(admin.id) < ids.index(older.id)


def test_search_matches_email_or_name_case_insensitively(client, login, admin, make_user):
    by_name = make_user(display_name="Siti Rahmawati")
    by_email = make_user(email="rahma.wati@example.test")
    other = make_user(display_name="Budi")
    login(admin)
    ids = listed_ids(client.get("/admin/pengguna?q=RAHMA"))
    assert set(ids) == {by_name.id, by_email.id}
    assert other.id not in ids


@pytest.mark.parametrize("query, expected", [("i_s", "Budi_Santoso"), ("100%", "100% Warga"), ("a\\b", "a\\b")])
def test_search_wildcards_are_literal(client, login, admin, make_user, query, expected):
    users = {name: make_user(display_name=name) for name in ("Budi_Santoso", "BudiXSantoso", "100% Warga", "1000 Warga", "a\\b", "ab")}
    login(admin)
    response = client.get("/admin/pengguna", query_string={"q": query})
    assert listed_ids(response) == [users[expected].id]


def test_filters_by_role_and_state(client, login, admin, make_user, official):
    silenced = make_user(state=AccountState.SILENCED)
    login(admin)
    assert listed_ids(client.get("/admin/pengguna?role=official")) == [official.id]
    assert listed_ids(client.get("/admin/pengguna?state=silenced")) == [silenced.id]
    assert listed_ids(client.get("/admin/pengguna?role=official&state=silenced")) == []


def test_deleted_accounts_are_shown_as_deleted(client, login, admin, make_user):
    gone = make_user(display_name="Akun Terhapus", deleted_at=utcnow())
    client.set_cookie("lang", "en")
    login(admin)
    assert listed_ids(client.get("/admin/pengguna?state=deleted")) == [gone.id]
    assert gone.id not in listed_ids(client.get("/admin/pengguna?state=active"))
    page = client.get("/admin/pengguna?q=Terhapus").get_data(as_text=True)
    assert "Deleted" in page


def test_unknown_filter_values_mean_any(client, login, admin, resident):
    login(admin)
    response = client.get("/admin/pengguna?role=emperor&state=%00&page=abc")
    assert response.status_code == 200
    assert set(listed_ids(response)) == {admin.id, resident.id}


def test_pages_of_25_with_links_that_keep_the_filters(client, login, admin, make_user):
    start = utcnow() - timedelta(days=1)
    residents = [make_user(display_name=f"Warga {n:02d}", created_at=start + timedelta(minutes=n)) for n in range(30)]
    client.set_cookie("lang", "en")
    login(admin)
    first = client.get("/admin/pengguna?q=warga")
    assert listed_ids(first) == [user.id for user in reversed(residents)][:25]
    body = first.get_data(as_text=True)
    assert "Page 1 of 2" in body
    assert 'href="/admin/pengguna?q=warga&amp;page=2"' in body
    second = client.get("/admin/pengguna?q=warga&page=2")
    assert listed_ids(second) == [user.id for user in reversed(residents)][25:]
    assert 'rel="prev"' in second.get_data(as_text=True)


@pytest.mark.parametrize("page", ["0", "-3", "99999999999999999999", "1e9"])
def test_odd_page_numbers_do_not_fail(client, login, admin, page):
    login(admin)
    assert client.get(f"/admin/pengguna?page={page}").status_code == 200


def test_empty_result_says_so(client, login, admin):
    client.set_cookie("lang", "en")
    login(admin)
    page = client.get("/admin/pengguna?q=nobody-matches-this").get_data(as_text=True)
    assert "No account matches this search." in page
    assert "0 accounts found." in page
