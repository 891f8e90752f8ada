"""The organization pages through the test client (no JavaScript): directory, profile, request form,
verification queue, management, invitations and leaving."""
import io
from pathlib import Path

from sqlalchemy import select

from forum.extensions import db
from forum.models import MemberRole, Organization, OrganizationMember, Role
from forum.services import organizations as service
from tests.organizations.conftest import PDF, png

FORM = {"name": "Karang Taruna Pondok Betung", "kind": "neighbourhood", "district": "pondok-aren.pondok-betung",
        "description": "Kegiatan pemuda RW 05.", "contact": "karangtaruna@example.test",
        "website": "https://kt.example"}


def files(document=PDF, logo=None):
    sent = {"document": (io.BytesIO(document), "akta.pdf")}
    if logo is not None:
        sent["logo"] = (io.BytesIO(logo), "logo.png")
    return sent


def test_a_resident_requests_and_sees_the_pending_profile(client, login, resident):
    login(resident)
    assert client.get("/organisasi/baru").status_code == 200
    sent = client.post("/organisasi/baru", data={**FORM, **files(logo=png())}, content_type="multipart/form-data")
    assert sent.status_code == 302
    organization = db.session.scalars(select(Organization)).one()
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert FORM["name"] in page and "Menunggu verifikasi" in page
    assert FORM["contact"] not in page  # the contact is private
    assert client.get(f"/organisasi/{organization.slug}/logo").status_code == 200


def test_form_errors_keep_the_typed_text_and_store_nothing(app, client, login, resident):
    login(resident)
    answer = client.post("/organisasi/baru", data={**FORM, "website": "ftp://x", **files(logo=b"not an image")},
                         content_type="multipart/form-data")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert FORM["description"] in page and FORM["name"] in page
    assert "http://" in page  # the website problem is named
    assert db.session.query(Organization).count() == 0
    directory = Path(app.config["UPLOAD_DIR"])
    assert not directory.exists() or not any(directory.iterdir())


def test_staff_cannot_request(client, login, official):
    login(official)
    assert client.get("/organisasi/baru").status_code == 403


def test_pending_profiles_are_hidden_from_others(client, login, request_organization, make_user):
    organization = request_organization()
    assert client.get(f"/organisasi/{organization.slug}").status_code == 404
    login(make_user(Role.RESIDENT))
    assert client.get(f"/organisasi/{organization.slug}").status_code == 404


def test_directory_lists_verified_ones_by_kind(client, verified_organization, request_organization, make_user):
    request_organization(make_user(Role.RESIDENT), name="Belum Diverifikasi")
    page = client.get("/organisasi/").get_data(as_text=True)
    assert verified_organization.name in page and "Belum Diverifikasi" not in page
    assert verified_organization.name not in client.get("/organisasi/?kind=campus").get_data(as_text=True)
    assert verified_organization.name in client.get("/organisasi/?kecamatan=ciputat-timur").get_data(as_text=True)
    profile = client.get(f"/organisasi/{verified_organization.slug}").get_data(as_text=True)
    assert "Organisasi terverifikasi" in profile and "1 anggota" in profile


def test_an_admin_decides_from_the_queue(client, login, admin, resident, request_organization, outbox):
    organization = request_organization()
    resident.notify_by_email = True
    db.session.commit()
    login(admin)
    queue = client.get("/organisasi/verifikasi").get_data(as_text=True)
    assert f"/organisasi/verifikasi/{organization.id}" in queue
    review = client.get(f"/organisasi/verifikasi/{organization.id}").get_data(as_text=True)
    assert "0812 0000 1111" in review  # the private contact, for the verifier
    document = client.get(f"/organisasi/verifikasi/{organization.id}/dokumen")
    assert document.status_code == 200 and document.data == PDF
    assert "attachment" in document.headers["Content-Disposition"]
    refused = client.post(f"/organisasi/verifikasi/{organization.id}", data={"action": "refuse", "reason": ""})
    assert refused.status_code == 422
    assert client.post(f"/organisasi/verifikasi/{organization.id}",
                       data={"action": "verify"}).status_code == 302
    assert client.post(f"/organisasi/verifikasi/{organization.id}",
                       data={"action": "verify"}).status_code == 422  # already verified: named, not a 500
    assert db.session.get(Organization, organization.id).status == "verified"
    mail = outbox()[-1]
    assert mail["To"] == resident.email and "/organisasi/saya" in mail.get_content()
    login(resident)
    told = client.get("/notifikasi/").get_data(as_text=True)
    assert "Organisasi Anda telah diverifikasi" in told and 'href="/organisasi/saya"' in told


def test_the_queue_and_document_are_closed_to_others(client, login, resident, moderator, request_organization):
    organization = request_organization()
    for person in (resident, moderator):
        login(person)
        assert client.get("/organisasi/verifikasi").status_code == 403
        assert client.get(f"/organisasi/verifikasi/{organization.id}/dokumen").status_code == 403


def test_admin_names_a_verifier(client, login, admin, make_user):
    helper = make_user(Role.RESIDENT, email="verifikator@example.test")
    login(admin)
    assert client.post("/organisasi/verifikator", data={"email": "verifikator@example.test",
                                                          "allowed": "1"}).status_code == 302
    assert db.session.get(type(helper), helper.id).may_verify_organizations
    login(helper)
    assert client.get("/organisasi/verifikasi").status_code == 200


def test_manage_invite_accept_and_reuse(client, login, verified_organization, resident, make_user, outbox):
    guest = make_user(Role.RESIDENT, email="anggota@example.test")
    login(resident)
    assert client.get(f"/organisasi/{verified_organization.slug}/kelola").status_code == 200
    bad = client.post(f"/organisasi/{verified_organization.slug}/undang", data={"email": "bukan-email"})
    assert bad.status_code == 422 and "bukan-email" in bad.get_data(as_text=True)
    sent = client.post(f"/organisasi/{verified_organization.slug}/undang", data={"email": "anggota@example.test"})
    assert sent.status_code == 302
    link = "/organisasi/undangan/" + outbox()[-1].get_content().split("/organisasi/undangan/")[1].split()[0]
    login(guest)
    assert verified_organization.name in client.get(link).get_data(as_text=True)
    assert client.post(link).status_code == 302
    assert db.session.scalar(select(OrganizationMember.role).where(OrganizationMember.user_id == guest.id)) \
        == MemberRole.MEMBER
    again = client.post(link)
    assert again.status_code == 400 and "sudah digunakan" in again.get_data(as_text=True)
    broken = client.get("/organisasi/undangan/rusak")
    assert broken.status_code == 400 and "tidak berlaku" in broken.get_data(as_text=True)


def test_members_roles_and_leaving(client, login, verified_organization, resident, make_user):
    other = make_user(Role.RESIDENT)
    verified_organization.members.append(OrganizationMember(user=other, role=MemberRole.MEMBER))
    db.session.commit()
    login(resident)
    left = client.post(f"/organisasi/{verified_organization.slug}/keluar", follow_redirects=True)
    assert "admin lain" in left.get_data(as_text=True)  # the last admin hands over first
    assert client.post(f"/organisasi/{verified_organization.slug}/anggota/{other.id}/peran",
                       data={"role": "admin"}).status_code == 302
    assert client.post(f"/organisasi/{verified_organization.slug}/keluar").status_code == 302
    mine = client.get("/organisasi/saya").get_data(as_text=True)
    assert f'href="/organisasi/{verified_organization.slug}"' not in mine
    login(other)
    assert f'href="/organisasi/{verified_organization.slug}"' in client.get("/organisasi/saya").get_data(as_text=True)
    assert client.post(f"/organisasi/{verified_organization.slug}/anggota/{resident.id}/hapus").status_code == 404


def test_only_its_admins_manage(client, login, verified_organization, make_user):
    login(make_user(Role.RESIDENT))
    assert client.get(f"/organisasi/{verified_organization.slug}/kelola").status_code == 403


def test_admins_edit_the_profile(client, login, verified_organization, resident):
    login(resident)
    answer = client.post(f"/organisasi/{verified_organization.slug}/kelola",
                         data={"kind": "ngo", "district": "serpong", "description": "Baru *sekali*.",
                               "contact": "x@example.test", "website": ""}, content_type="multipart/form-data")
    assert answer.status_code == 302
    organization = service.get_organization(None, slug=verified_organization.slug)
    assert organization.kind == "ngo" and organization.description_html == "<p>Baru <em>sekali</em>.</p>"
