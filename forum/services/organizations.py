"""Organizations: a resident's request, the verifiers' decisions, reading, the directory and the profile.

A verified resident requests an organization with a private supporting
document (and optionally a logo); they become its first admin member. Admins
and holders of the verifier grant (`User.may_verify_organizations`) then
verify or refuse it, and later may suspend and reinstate it; each decision
is written to the moderation audit log and told to the founder. Only a
verified organization is public. Members, invitations and roles are in
forum/services/organization_members.py; the files in organization_files.py.

The request is not run through the posting screen: nothing of it is public
before a person has verified it, and its text is the verifier's to judge.
"""
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from forum.errors import Conflict, NotFound, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.models import (District, MemberRole, Organization, OrganizationKind, OrganizationMember,
                          OrganizationStatus, User)
from forum.permissions import can, require
from forum.services import notifications, organization_files, transaction
from forum.services.aspirations import by_code
from forum.services.reference import slugify
from forum.text import render_markdown, typed_text
from forum.timeutil import utcnow
from moderation import audit

S = OrganizationStatus
NAME_MIN, NAME_MAX = 3, 120
DESCRIPTION_MAX = 5000
WEBSITE_MAX = 300
CONTACT_MAX = 200
REASON_MAX = 1000
SLUG_MAX = 70
MAX_OPEN_REQUESTS = 3  # requests one resident may have waiting at once
RESERVED_SLUGS = {"baru", "saya", "verifikasi", "verifikator", "undangan"}  # pages under /organisasi

#: action -> (states it may start from, the state it leads to, reason required)
DECISIONS = {
    "verify": ((S.REQUESTED,), S.VERIFIED, False),
    "refuse": ((S.REQUESTED,), S.REFUSED, True),
    "suspend": ((S.VERIFIED,), S.SUSPENDED, True),
    "reinstate": ((S.SUSPENDED,), S.VERIFIED, False),
}


@dataclass
class Profile:
    """The typed fields of a request or a profile edit, cleaned."""

    kind: str
    district: District
    description: str
    website: str
    contact: str


# -- checking what was typed -------------------------------------------------------------
def _website(value, errors):
    value = typed_text(value)
    if not value:
        return ""
    parts = urlsplit(value)
    if len(value) > WEBSITE_MAX or parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        errors["website"] = _l("Enter a web address starting with http:// or https://.")
    return value


def check_profile(kind, district, description, website, contact):
    """A Profile, or ValidationFailed naming each problem (the name is checked apart)."""
    errors = {}
    if kind not in OrganizationKind.ALL:
        errors["kind"] = _l("Choose the kind of organization.")
    place = by_code(District, district)
    if place is None:
        errors["district"] = _l("Choose a kecamatan or kelurahan of Tangerang Selatan from the list.")
    description = typed_text(description)
    if not description:
        errors["description"] = _l("Describe what the organization does.")
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _l("Use at most %(max)d characters.", max=DESCRIPTION_MAX)
    contact = typed_text(contact)
    if not contact:
        errors["contact"] = _l("Give a phone number or e-mail address the verifiers can reach.")
    elif len(contact) > CONTACT_MAX:
        errors["contact"] = _l("Use at most %(max)d characters.", max=CONTACT_MAX)
    website = _website(website, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    return Profile(kind=kind, district=place, description=description, website=website, contact=contact)


def _check_name(name):
    name = " ".join(typed_text(name).split())
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise ValidationFailed(fields={"name": _l("Use between %(min)d and %(max)d characters.",
                                                  min=NAME_MIN, max=NAME_MAX)})
    taken = db.session.scalar(select(func.count()).select_from(Organization).where(
        func.lower(Organization.name) == name.lower(), Organization.status != S.REFUSED))  # a refusal may be retried
    if taken:
        raise ValidationFailed(fields={"name": _l("An organization with this name already exists.")})
    return name


def _unique_slug(name):
    base = slugify(name)[:SLUG_MAX].strip("-") or "organisasi"
    taken = set(db.session.scalars(select(Organization.slug).where(
        or_(Organization.slug == base, Organization.slug.like(f"{base}-%"))))) | RESERVED_SLUGS
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _apply(organization, profile):
    organization.kind = profile.kind
    organization.district = profile.district
    organization.description = profile.description
    organization.description_html = render_markdown(profile.description)
    organization.website = profile.website or None
    organization.contact = profile.contact


# -- requesting and editing ----------------------------------------------------------------
@transaction()
def request_organization(actor, *, name, kind, district, description, contact, website="", document=None,
                         logo=None):
    """A resident asks for a new organization (status `requested`) and becomes its admin; returns it.

    Every field and both files are checked before anything is written; a
    refused file stores nothing.
    """
    require(actor, "organization.request")
    open_requests = db.session.scalar(select(func.count()).select_from(Organization).where(
        Organization.requested_by_id == actor.id, Organization.status == S.REQUESTED))
    if open_requests >= MAX_OPEN_REQUESTS:
        raise Conflict(_l("You already have %(max)d requests waiting for verification.", max=MAX_OPEN_REQUESTS),
                       code="too_many_requests")
    errors = {}
    checked = {}
    for key, check in (("name", lambda: _check_name(name)),
                       ("profile", lambda: check_profile(kind, district, description, website, contact)),
                       ("logo", lambda: organization_files.read_logo(logo)),
                       ("document", lambda: organization_files.read_document(document))):
        try:
            checked[key] = check()
        except ValidationFailed as error:
            errors.update(error.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    organization = Organization(name=checked["name"], slug=_unique_slug(checked["name"]),
                                status=S.REQUESTED, requested_by=actor, created_at=utcnow())
    _apply(organization, checked["profile"])
    data, extension, mimetype = checked["document"]
    organization.document_file = organization_files.write(data, extension)
    organization.document_type = mimetype
    if checked["logo"] is not None:
        organization.logo_file = organization_files.write(*checked["logo"])
    organization.members.append(OrganizationMember(user=actor, role=MemberRole.ADMIN))
    db.session.add(organization)
    db.session.flush()
    return organization


def update_profile(actor, organization, *, kind, district, description, contact, website="", logo=None,
                   remove_logo=False):
    """The organization's admins edit its profile (not its name, which was verified); returns it."""
    require(actor, "organization.manage", organization)
    profile = check_profile(kind, district, description, website, contact)
    new_logo = organization_files.read_logo(logo)
    replaced = None
    with transaction():
        _apply(organization, profile)
        if new_logo is not None or remove_logo:
            replaced = organization.logo_file
            organization.logo_file = organization_files.write(*new_logo) if new_logo is not None else None
    organization_files.remove_after_commit(replaced)
    return organization


# -- deciding ----------------------------------------------------------------------------
def decide(actor, organization, action, reason=""):
    """Verify, refuse, suspend or reinstate `organization`; audited, and the founder is told. Returns it.

    ValidationFailed for an unknown action or a missing reason; Conflict
    (`wrong_state`) when the organization's status does not allow it.
    """
    require(actor, "organization.verify", organization)
    if action not in DECISIONS:
        raise ValidationFailed(fields={"action": _l("Choose verify, refuse, suspend or reinstate.")})
    sources, target, reason_required = DECISIONS[action]
    reason = typed_text(reason)
    if reason_required and not reason:
        raise ValidationFailed(fields={"reason": _l("Give the reason; the organization's admins will read it.")})
    if len(reason) > REASON_MAX:
        raise ValidationFailed(fields={"reason": _l("Use at most %(max)d characters.", max=REASON_MAX)})
    with transaction():
        db.session.flush()  # a caller's pending changes would be lost to the refresh
        db.session.refresh(organization, with_for_update=True)
        if organization.status not in sources:
            raise Conflict(_l("This organization cannot be changed this way in its current status."),
                           code="wrong_state")
        before = organization.status
        organization.status = target
        organization.status_reason = reason or None
        organization.decided_by = actor
        organization.decided_at = utcnow()
        audit.record(f"organization.{action}", actor=actor, reason=reason or None,
                     subject_user=organization.requested_by, before=before, after=target,
                     details={"organization": organization.id, "slug": organization.slug,
                              "name": organization.name})
        notifications.organization_decided(organization, action, actor_id=actor.id)
    return organization


# -- reading -----------------------------------------------------------------------------
def _by(column, value):
    return db.session.scalar(select(Organization).where(column == value)
                             .options(selectinload(Organization.members)))


def get_organization(viewer, slug=None, organization_id=None):
    """The organization by slug or id if `viewer` may see it; NotFound otherwise (nothing is revealed)."""
    if organization_id is not None:
        organization = _by(Organization.id, organization_id) if 0 < organization_id <= MAX_ID else None
    else:
        organization = _by(Organization.slug, slug) if isinstance(slug, str) and len(slug) <= 80 else None
    if organization is None or not can(viewer, "organization.see", organization):
        raise NotFound()
    return organization


def member_count(organization):
    return len(organization.members)


def directory_query(kind=None, kecamatan=None):
    """Verified organizations, by name; `kind` a kind, `kecamatan` a kecamatan District (its kelurahan too)."""
    statement = (select(Organization).where(Organization.status == S.VERIFIED)
                 .options(selectinload(Organization.district).selectinload(District.parent),
                          selectinload(Organization.members))
                 .order_by(func.lower(Organization.name), Organization.id))
    if kind is not None:
        statement = statement.where(Organization.kind == kind)
    if kecamatan is not None:
        inside = select(District.id).where(District.parent_id == kecamatan.id)
        statement = statement.where(or_(Organization.district_id == kecamatan.id,
                                        Organization.district_id.in_(inside)))
    return statement


def read_filters(args, problems=None):
    """(kind, kecamatan District) from a query string; unknown values are ignored, or named in `problems`."""
    kind = args.get("kind") or None
    if kind is not None and kind not in OrganizationKind.ALL:
        if problems is not None:
            problems["kind"] = _l("Unknown kind.")
        kind = None
    code = args.get("district") or args.get("kecamatan") or None
    kecamatan = by_code(District, code, level=District.KECAMATAN) if code else None
    if code and kecamatan is None and problems is not None:
        problems["district"] = _l("Unknown kecamatan code.")
    return kind, kecamatan


def queue_query(viewer, status=None):
    """Every organization for the verifiers, requests first (oldest first), then the rest, newest first."""
    require(viewer, "organization.review")
    waiting = case((Organization.status == S.REQUESTED, 0), else_=1)
    statement = (select(Organization).options(selectinload(Organization.requested_by),
                                              selectinload(Organization.district))
                 .order_by(waiting, case((Organization.status == S.REQUESTED, Organization.id), else_=-Organization.id)))
    if status in S.ALL:
        statement = statement.where(Organization.status == status)
    return statement


def memberships(user):
    """`user`'s memberships with their organization, by organization name."""
    return db.session.scalars(
        select(OrganizationMember).join(Organization).where(OrganizationMember.user_id == user.id)
        .options(selectinload(OrganizationMember.organization)).order_by(func.lower(Organization.name))).all()


def document_file(viewer, organization):
    """(path, mimetype, download name) of the private supporting document: admins and verifiers only."""
    require(viewer, "organization.review", organization)
    path = organization_files.stored_path(organization.document_file)
    extension = path.suffix
    return path, organization.document_type or "application/octet-stream", f"{organization.slug}-dokumen{extension}"


def logo_file(organization):
    """(path, mimetype) of the organization's logo (the caller found it visible)."""
    path = organization_files.stored_path(organization.logo_file)
    return path, "image/png" if path.suffix == ".png" else "image/jpeg"


# -- verifiers ---------------------------------------------------------------------------
def grant_verifier(actor, user, allowed):
    """An admin gives or takes back the verifier grant; audited. Returns the user."""
    require(actor, "organization.grant_verifier")
    if bool(user.may_verify_organizations) == bool(allowed):
        return user
    with transaction():
        audit.record("organization.verifier_grant" if allowed else "organization.verifier_revoke", actor=actor,
                     subject_user=user, before=f"may_verify_organizations={bool(user.may_verify_organizations)}",
                     after=f"may_verify_organizations={bool(allowed)}")
        user.may_verify_organizations = bool(allowed)
    return user


def verifiers():
    return db.session.scalars(select(User).where(User.may_verify_organizations.is_(True), User.deleted_at.is_(None))
                              .order_by(User.display_name)).all()
