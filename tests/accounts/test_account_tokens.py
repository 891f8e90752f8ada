"""Personal API tokens on the profile: shown once, stored hashed, revocable."""
import re

from forum.extensions import db
from forum.models import ApiToken


def _raw_token(page):
    match = re.search(r'<code id="new-token">(msy_[A-Za-z0-9_-]+)</code>', page)
    assert match, "the new token is shown"
    return match.group(1)


def test_create_token_shows_it_once_and_stores_only_its_hash(client, login, resident):
    login(resident)
    response = client.post("/profil/token", data={"name": "Sistem kasus"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    raw = _raw_token(response.get_data(as_text=True))

    row = ApiToken.query.filter_by(user_id=resident.id).one()
    assert row.name == "Sistem kasus"
    assert row.token_hash == ApiToken.digest(raw)
    assert raw not in (row.token_hash, row.hint, row.name)
    assert raw.startswith(row.hint)

    listing = client.get("/profil/token")
    assert listing.headers["Cache-Control"] == "no-store"
    page = listing.get_data(as_text=True)
    assert "Sistem kasus" in page and row.hint in page
    assert raw not in page
    assert raw not in client.get("/profil/").get_data(as_text=True)


def test_token_name_is_validated(client, login, resident):
    login(resident)
    for name in ("", "n" * 81):
        response = client.post("/profil/token", data={"name": name})
        assert response.status_code == 422
        assert 'id="name-error"' in response.get_data(as_text=True)
    assert ApiToken.query.count() == 0


def test_revoke_own_token(client, login, resident):
    login(resident)
    raw = _raw_token(client.post("/profil/token", data={"name": "skrip"}).get_data(as_text=True))
    assert "<td>skrip</td>" in client.get("/profil/token").get_data(as_text=True)
    row = ApiToken.query.filter_by(token_hash=ApiToken.digest(raw)).one()
    response = client.post(f"/profil/token/{row.id}/cabut")
    assert response.status_code == 302 and response.headers["Location"].endswith("/profil/token")
    db.session.refresh(row)
    assert row.revoked_at is not None
    assert "<td>skrip</td>" not in client.get("/profil/token").get_data(as_text=True)
    assert client.post(f"/profil/token/{row.id}/cabut").status_code == 404


def test_revoking_someone_elses_token_is_not_found(client, login, resident, make_user):
    owner = make_user()
    row, _raw = ApiToken.issue(owner, "milik orang lain")
    db.session.add(row)
    db.session.commit()
    login(resident)
    assert client.post(f"/profil/token/{row.id}/cabut").status_code == 404
    assert client.post("/profil/token/999999/cabut").status_code == 404
    db.session.refresh(row)
    assert row.revoked_at is None


def test_revoke_needs_post(client, login, resident):
    login(resident)
    assert client.get("/profil/token/1/cabut").status_code == 405
