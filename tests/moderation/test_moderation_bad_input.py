"""Hostile or broken input on the moderation pages and API: a clear 4xx or a re-rendered form, never a 500."""
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Role
from forum.services import tokens
from moderation import flags
from moderation.models import Flag, ReviewItem
from tests.factories import make_comment, make_policy

ODD = ["tab=%00", "sort=%ff%fe", "page=%00", "page=99999999999", "tab=" + "x" * 5000, "bulan=%00",
       "from=2026-13-45&to=%00", "moderator=-1&user=abc&content=99999999999", "action=%25_", "aksi=%00&q=%ff"]


@pytest.fixture
def posted(agency, resident):
    return make_comment(make_policy(agency), resident, body="Jalan berlubang di dekat sekolah.")


@pytest.mark.parametrize("query", ODD)
@pytest.mark.parametrize("path", ["/moderasi/", "/moderasi/audit", "/moderasi/transparansi", "/moderasi/kata"])
def test_odd_query_strings_on_moderation_pages(client, login, admin, path, query):
    login(admin)
    assert client.get(f"{path}?{query}").status_code == 200


@pytest.mark.parametrize("body", [
    {"reason": "spam\x00"}, {"reason": "spam", "note": "a\x00b" * 400}, {"reason": ["spam", "hoax"]},
    {"reason": "other", "note": b"\xff\xfe".decode("latin-1")}, {},
])
def test_flag_form_survives_broken_values(client, login, make_user, posted, body):
    login(make_user(Role.RESIDENT))
    response = client.post(f"/moderasi/laporkan/{posted.id}", data=body)
    assert response.status_code in (302, 422)


def test_huge_and_unknown_ids_are_404(client, login, moderator):
    login(moderator)
    for path in ("/moderasi/konten/99999999999", "/moderasi/konten/424242", "/moderasi/pengguna/99999999999/sanksi"):
        assert client.get(path).status_code == 404
    assert client.post("/moderasi/item/99999999999/keputusan", data={"action": "approve"}).status_code == 404
    assert client.post("/moderasi/sanksi/424242/cabut", data={"reason": "x"}).status_code == 404


def test_bulk_with_broken_selection(client, login, moderator, make_user, posted):
    flags.flag_content(make_user(Role.RESIDENT), posted, "spam")
    login(moderator)
    for data in ({"action": "approve", "item": ["abc", "\x00", "-5", "99999999999"]}, {"action": "explode"},
                 {"action": "approve"}):
        assert client.post("/moderasi/massal", data=data).status_code == 302
    assert db.session.scalar(select(ReviewItem.decided_at)) is None


@pytest.mark.parametrize("body", [None, "not json", [], {"reason": None}, {"reason": "spam", "note": 5},
                                  {"reason": "x" * 10000}])
def test_flag_api_broken_bodies(client, make_user, posted, body):
    flagger = make_user(Role.RESIDENT)
    _row, raw = tokens.create_token(flagger, flagger, "t")
    headers = {"Authorization": f"Bearer {raw}"}
    if isinstance(body, str) or body is None:
        response = client.post(f"/api/v1/content/{posted.id}/flags", data=body or "", headers=headers,
                               content_type="application/json")
    else:
        response = client.post(f"/api/v1/content/{posted.id}/flags", json=body, headers=headers)
    assert 400 <= response.status_code < 500 and "error" in response.get_json()
    assert db.session.scalar(select(db.func.count()).select_from(Flag)) == 0


def test_decision_api_broken_bodies(client, moderator, make_user, posted):
    flags.flag_content(make_user(Role.RESIDENT), posted, "spam")
    item_id = db.session.scalar(select(ReviewItem.id))
    _row, raw = tokens.create_token(moderator, moderator, "t")
    headers = {"Authorization": f"Bearer {raw}"}
    for body in ({"action": 1}, {"action": "remove", "reason": ["x"]}, {"action": "remove", "reason": "x",
                 "version": "1"}, {"action": "edit_approve", "reason": "x"}, {"action": "approve", "version": True}):
        response = client.post(f"/api/v1/moderation/items/{item_id}/decision", json=body, headers=headers)
        assert response.status_code == 422, body
    assert db.session.scalar(select(ReviewItem.decided_at)) is None
