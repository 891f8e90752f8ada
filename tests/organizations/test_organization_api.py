"""The organization API: directory, one organization, requests with files, decisions and members."""
import io
from pathlib import Path

from forum.extensions import db
from forum.models import MemberRole, Organization, OrganizationMember, Role
from tests.organizations.conftest import FIELDS, PDF, png

API = "/api/v1/organizations"


def multipart(document=PDF, logo=None, **fields):
    data = {key: value for key, value in {**FIELDS, **fields}.items()}
    if document is not None:
        data["document"] = (io.BytesIO(document), "akta.pdf")
    if logo is not None:
        data["logo"] = (io.BytesIO(logo), "logo.png")
    return data


def test_a_resident_requests_with_files(client, bearer, resident):
    answer = client.post(API, data=multipart(logo=png()), headers=bearer(resident), content_type="multipart/form-data")
    assert answer.status_code == 201, answer.json
    body = answer.json
    assert body["status"] == "requested" and body["name"] == FIELDS["name"] and body["logo_url"]
    assert "contact" not in body and "document" not in str(body)
    assert answer.headers["Location"].endswith(f"/organizations/{body['id']}")


def test_a_logo_that_is_not_an_image_is_422_and_nothing_is_stored(app, client, bearer, resident):
    answer = client.post(API, data=multipart(logo=b"GIF89a nope"), headers=bearer(resident),
                         content_type="multipart/form-data")
    assert answer.status_code == 422 and "logo" in answer.json["error"]["fields"]
    assert db.session.query(Organization).count() == 0
    directory = Path(app.config["UPLOAD_DIR"])
    assert not directory.exists() or not any(directory.iterdir())


def test_json_requests_are_415_and_visitors_401(client, bearer, resident):
    assert client.post(API, json=FIELDS, headers=bearer(resident)).status_code == 415
    assert client.post(API, data=multipart(), content_type="multipart/form-data").status_code == 401


def test_directory_and_one_show_public_fields_only(client, verified_organization, request_organization, make_user):
    pending = request_organization(make_user(Role.RESIDENT), name="Masih Menunggu")
    listed = client.get(API).json
    assert listed["total"] == 1 and listed["page"] == 1 and listed["items"][0]["id"] == verified_organization.id
    assert client.get(f"{API}?kind=campus").json["total"] == 0
    assert client.get(f"{API}?district=ciputat-timur").json["total"] == 1
    assert client.get(f"{API}?district=atlantis").status_code == 422
    one = client.get(f"{API}/{verified_organization.id}").json
    assert one["verified"] and one["members_count"] == 1 and one["kecamatan"] == "ciputat-timur"
    assert one["status_reason"] is None and "0812" not in str(one)
    assert client.get(f"{API}/{pending.id}").status_code == 404


def test_decisions_by_admins_with_409_for_a_wrong_state(client, bearer, admin, resident, request_organization):
    organization = request_organization()
    path = f"{API}/{organization.id}/decision"
    assert client.post(path, json={"action": "verify"}, headers=bearer(resident)).status_code == 403
    missing = client.post(path, json={"action": "refuse"}, headers=bearer(admin))
    assert missing.status_code == 422 and "reason" in missing.json["error"]["fields"]
    assert client.post(path, json={"action": "verify"}, headers=bearer(admin)).json["status"] == "verified"
    wrong = client.post(path, json={"action": "verify"}, headers=bearer(admin))
    assert wrong.status_code == 409 and wrong.json["error"]["code"] == "wrong_state"


def test_members_invitations_roles_and_leaving(client, bearer, verified_organization, resident, make_user, outbox):
    other = make_user(Role.RESIDENT)
    verified_organization.members.append(OrganizationMember(user=other, role=MemberRole.MEMBER))
    db.session.commit()
    base = f"{API}/{verified_organization.id}"
    assert client.get(f"{base}/members", headers=bearer(other)).status_code == 403
    listed = client.get(f"{base}/members", headers=bearer(resident)).json
    assert [item["role"] for item in listed["items"]] == ["admin", "member"] and listed["total"] == 2
    invited = client.post(f"{base}/invitations", json={"email": "baru@example.test"}, headers=bearer(resident))
    assert invited.status_code == 201 and outbox()[-1]["To"] == "baru@example.test"
    assert client.delete(f"{base}/members/me", headers=bearer(resident)).json["error"]["code"] == "last_admin"
    promoted = client.patch(f"{base}/members/{other.id}", json={"role": "admin"}, headers=bearer(resident))
    assert promoted.status_code == 200 and promoted.json["role"] == "admin"
    assert client.delete(f"{base}/members/me", headers=bearer(resident)).status_code == 204
    assert client.delete(f"{base}/members/{other.id}", headers=bearer(other)).status_code == 409
    assert client.patch(f"{base}/members/{other.id}", json={"role": "boss"}, headers=bearer(other)).status_code == 422
