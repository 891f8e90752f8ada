"""Download my data: own account and content, nothing of others, no secrets."""
import json

from forum.extensions import db
from forum.models import ApiToken, Content


def test_download_contains_own_data_and_no_secrets(client, login, resident, make_user):
    other = make_user()
    db.session.add_all([
        Content(kind="content", author=resident, body_source="Lampu jalan padam di RT 03"),
        Content(kind="content", author=resident, body_source="Mohon perbaikan", status="pending"),
        Content(kind="content", author=other, body_source="Tulisan orang lain"),
    ])
    token, raw = ApiToken.issue(resident, "Sistem kasus")
    db.session.add(token)
    db.session.commit()
    login(resident)

    response = client.post("/profil/unduh-data")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == f"attachment; filename=musyawarah-data-{resident.id}.json"
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    data = json.loads(text)

    assert data["account"]["email"] == resident.email
    assert data["account"]["district"] == "pondok-aren.pondok-betung"
    assert data["account"]["created_at"].endswith("+07:00")
    bodies = {item["body_source"]: item for item in data["content"]}
    assert set(bodies) == {"Lampu jalan padam di RT 03", "Mohon perbaikan"}
    assert bodies["Mohon perbaikan"]["status"] == "pending"
    assert set(bodies["Mohon perbaikan"]) == {"id", "kind", "status", "body_source", "created_at", "edited_at"}
    assert [t["name"] for t in data["api_tokens"]] == ["Sistem kasus"]

    for secret_key in ("password_hash", "session_token", "token_hash"):
        assert f'"{secret_key}"' not in text
    for secret in (resident.password_hash, resident.session_token, token.token_hash, raw):
        assert secret not in text


def test_download_needs_post(client, login, resident):
    login(resident)
    assert client.get("/profil/unduh-data").status_code == 405
