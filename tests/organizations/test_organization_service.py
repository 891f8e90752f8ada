"""The organization services: requesting with files, decisions (audited, founder told), members and invitations."""
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from forum.errors import Conflict, Forbidden, NotFound, ValidationFailed
from forum.extensions import db
from forum.models import MemberRole, Notification, Organization, OrganizationMember, OrganizationStatus, Role
from forum.permissions import can
from forum.services import organization_members as members
from forum.services import organizations as service
from forum.services.signed_tokens import TokenExpired, TokenInvalid
from moderation.models import AuditEntry
from tests.organizations.conftest import PDF, png, upload


def stored(app):
    return sorted(path.name for path in Path(app.config["UPLOAD_DIR"]).glob("*")) \
        if Path(app.config["UPLOAD_DIR"]).exists() else []


def test_request_makes_the_founder_admin_with_private_files(app, request_organization, resident):
    organization = request_organization(logo=upload(png((900, 900)), "logo.png"))
    assert organization.status == OrganizationStatus.REQUESTED
    assert organization.slug == "komunitas-peduli-situ-gintung"
    assert organization.role_of(resident) == MemberRole.ADMIN
    assert organization.description_html == "<p>Kami membersihkan <strong>situ</strong> setiap bulan.</p>"
    assert organization.district.code == "ciputat-timur"
    directory = Path(app.config["UPLOAD_DIR"])
    assert (directory / organization.document_file).read_bytes() == PDF
    assert organization.document_type == "application/pdf"
    with Image.open(directory / organization.logo_file) as logo:
        assert max(logo.size) == 320


def test_a_second_organization_of_the_same_name_is_refused_and_slugs_stay_unique(request_organization, make_user):
    request_organization()
    with pytest.raises(ValidationFailed) as caught:
        request_organization(make_user(Role.RESIDENT), name="komunitas peduli situ gintung")
    assert "name" in caught.value.fields
    other = request_organization(make_user(Role.RESIDENT), name="Komunitas Peduli Situ Gintung!")
    assert other.slug == "komunitas-peduli-situ-gintung-2"


def test_a_reserved_word_is_never_a_slug(request_organization):
    assert request_organization(name="Baru").slug == "baru-2"


def test_a_logo_that_is_not_an_image_stores_nothing(app, request_organization):
    with pytest.raises(ValidationFailed) as caught:
        request_organization(logo=upload(b"%PDF-1.4 not an image", "logo.png"))
    assert set(caught.value.fields) == {"logo"}
    assert db.session.query(Organization).count() == 0
    assert stored(app) == []


@pytest.mark.parametrize("document", [None, upload(b"hello", "surat.pdf"), upload(b"%PDF-1.4 cut off", "a.pdf")])
def test_a_document_is_required_and_must_be_a_pdf_or_image(request_organization, document):
    with pytest.raises(ValidationFailed) as caught:
        request_organization(document=document)
    assert "document" in caught.value.fields


def test_a_jpeg_document_is_kept_reencoded(app, request_organization):
    organization = request_organization(document=upload(png(), "scan.png"))
    assert organization.document_type in ("image/jpeg", "image/png")


def test_every_field_problem_is_named_at_once(request_organization):
    with pytest.raises(ValidationFailed) as caught:
        request_organization(name="x", kind="club", district="nowhere", description="", contact="",
                             website="javascript:alert(1)", document=None)
    assert set(caught.value.fields) == {"name", "kind", "district", "description", "contact", "website", "document"}


def test_only_verified_residents_request(request_organization, make_user, official):
    with pytest.raises(Forbidden):
        request_organization(official)
    with pytest.raises(Forbidden):
        request_organization(make_user(Role.RESIDENT, email_verified_at=None))


def test_verify_is_audited_and_tells_the_founder(request_organization, admin, resident):
    organization = service.decide(admin, request_organization(), "verify")
    assert organization.status == OrganizationStatus.VERIFIED and organization.decided_by == admin
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "organization.verify")).one()
    assert entry.actor_id == admin.id and entry.subject_user_id == resident.id
    assert (entry.before, entry.after) == ("requested", "verified")
    assert entry.details["organization"] == organization.id
    note = db.session.scalars(select(Notification).where(Notification.user_id == resident.id)).one()
    assert note.event == "organization_verified"


def test_refuse_and_suspend_need_a_reason_and_the_right_state(request_organization, admin):
    organization = request_organization()
    with pytest.raises(ValidationFailed) as caught:
        service.decide(admin, organization, "refuse", "  ")
    assert "reason" in caught.value.fields
    with pytest.raises(Conflict):
        service.decide(admin, organization, "suspend", "Spam")
    with pytest.raises(Conflict):
        service.decide(admin, organization, "reinstate")
    service.decide(admin, organization, "verify")
    service.decide(admin, organization, "suspend", "Menyebarkan hoaks")
    assert organization.status_reason == "Menyebarkan hoaks"
    service.decide(admin, organization, "reinstate")
    assert organization.status == OrganizationStatus.VERIFIED
    with pytest.raises(ValidationFailed):
        service.decide(admin, organization, "delete")


def test_a_verifier_decides_a_moderator_does_not(request_organization, make_user, moderator):
    organization = request_organization()
    with pytest.raises(Forbidden):
        service.decide(moderator, organization, "verify")
    verifier = make_user(Role.RESIDENT, may_verify_organizations=True)
    service.decide(verifier, organization, "refuse", "Dokumen tidak terbaca.")
    assert organization.status == OrganizationStatus.REFUSED


def test_only_verified_organizations_are_public(request_organization, admin, resident, make_user):
    organization = request_organization()
    stranger = make_user(Role.RESIDENT)
    with pytest.raises(NotFound):
        service.get_organization(None, slug=organization.slug)
    with pytest.raises(NotFound):
        service.get_organization(stranger, slug=organization.slug)
    assert service.get_organization(resident, slug=organization.slug) == organization
    assert service.get_organization(admin, organization_id=organization.id) == organization
    service.decide(admin, organization, "verify")
    assert service.get_organization(None, slug=organization.slug) == organization


def test_the_document_is_for_admins_and_verifiers_only(verified_organization, resident, admin):
    with pytest.raises(Forbidden):
        service.document_file(resident, verified_organization)
    path, mimetype, _name = service.document_file(admin, verified_organization)
    assert path.read_bytes() == PDF and mimetype == "application/pdf"


def test_directory_filters_by_kind_and_kecamatan(request_organization, admin, make_user):
    situ = service.decide(admin, request_organization(), "verify")
    campus = service.decide(admin, request_organization(make_user(Role.RESIDENT), name="BEM Kampus Serpong",
                                                        kind="campus", district="serpong.lengkong-gudang"), "verify")
    request_organization(make_user(Role.RESIDENT), name="Belum Diverifikasi", district="serpong")
    listed = lambda **args: db.session.scalars(service.directory_query(**args)).all()  # noqa: E731
    assert listed() == [campus, situ]
    assert listed(kind="campus") == [campus]
    serpong = service.read_filters({"kecamatan": "serpong"})[1]
    assert listed(kecamatan=serpong) == [campus]


# -- members -------------------------------------------------------------------------
def invitation_token(outbox):
    body = outbox()[-1].get_content()
    return body.split("/organisasi/undangan/")[1].split()[0]


def test_invite_and_accept_once(in_request, verified_organization, resident, make_user, outbox):
    guest = make_user(Role.RESIDENT, email="tamu@example.test")
    members.invite(resident, verified_organization, "Tamu@Example.test")
    assert outbox()[-1]["To"] == "tamu@example.test"
    token = invitation_token(outbox)
    members.accept(guest, token)
    assert verified_organization.role_of(guest) == MemberRole.MEMBER
    with pytest.raises(members.InvitationUsed):
        members.accept(guest, token)


def test_an_invitation_is_for_its_address_and_dies_when_withdrawn(in_request, verified_organization, resident, make_user, outbox):
    invitation = members.invite(resident, verified_organization, "tamu@example.test")
    token = invitation_token(outbox)
    with pytest.raises(members.WrongAccount):
        members.accept(make_user(Role.RESIDENT), token)
    members.withdraw(resident, verified_organization, invitation.id)
    with pytest.raises(TokenInvalid):
        members.read_invitation(token)


def test_an_expired_invitation_is_refused(app, in_request, verified_organization, resident, outbox):
    from datetime import timedelta
    members.invite(resident, verified_organization, "tamu@example.test")
    app.config["TOKEN_MAX_AGE_INVITATION"] = timedelta(seconds=-1)
    with pytest.raises(TokenExpired):
        members.read_invitation(invitation_token(outbox))


def test_only_the_organizations_admins_invite(verified_organization, make_user):
    with pytest.raises(Forbidden):
        members.invite(make_user(Role.RESIDENT), verified_organization, "x@example.test")


def test_roles_removal_and_the_last_admin(verified_organization, resident, make_user):
    other = make_user(Role.RESIDENT)
    verified_organization.members.append(OrganizationMember(user=other, role=MemberRole.MEMBER))
    db.session.commit()
    with pytest.raises(Conflict):
        members.set_role(resident, verified_organization, resident.id, MemberRole.MEMBER)
    with pytest.raises(Conflict):
        members.leave(resident, verified_organization)
    members.set_role(resident, verified_organization, other.id, MemberRole.ADMIN)
    members.leave(resident, verified_organization)
    assert verified_organization.role_of(resident) is None
    assert not can(resident, "organization.manage", verified_organization)
    with pytest.raises(Conflict):
        members.remove(other, verified_organization, other.id)
    with pytest.raises(NotFound):
        members.remove(other, verified_organization, resident.id)


def test_a_refused_name_may_be_requested_again(request_organization, admin, make_user):
    service.decide(admin, request_organization(), "refuse", "Dokumen tidak terbaca.")
    again = request_organization(make_user(Role.RESIDENT))
    assert again.status == OrganizationStatus.REQUESTED and again.slug.endswith("-2")
