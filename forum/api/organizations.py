"""Organizations in the API: the directory, one organization, a request, verifiers' decisions and members.

Only public fields are ever answered: never the private contact or the
supporting document. A request carries files, so `POST /organizations` takes
`multipart/form-data` only (the document is required; a JSON body is a 415).
A logo or document that is refused is a 422 naming `logo` or `document`, and
nothing is stored. Organizations that are not verified are a 404 except to
their members and to admins and verifiers, as on the pages.
"""
from flask import jsonify, request, url_for
from flask_babel import gettext as _

from forum.api import bp
from forum.api.auth import api_user, token_required
from forum.api.body import UnsupportedMediaType, json_body
from forum.api.content import text_field
from forum.api.openapi import (
    json_request,
    json_response,
    multipart_request,
    nullable,
    operation,
    page_of,
    query_param,
    ref,
    schema,
)
from forum.api.pagination import paginate
from forum.errors import ValidationFailed
from forum.models import MemberRole, OrganizationKind, OrganizationStatus
from forum.permissions import can, require
from forum.services import organizations as service
from forum.services import organization_members as members_service
from forum.timeutil import isoformat

REQUEST_FIELDS = ("name", "kind", "district", "description", "website", "contact")

schema("Organization", {
    "type": "object",
    "required": ["id", "slug", "name", "kind", "status", "district", "kecamatan", "description_html", "website",
                 "logo_url", "members_count", "verified", "url", "created_at"],
    "properties": {
        "id": {"type": "integer"},
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "kind": {"type": "string", "enum": list(OrganizationKind.ALL)},
        "status": {"type": "string", "enum": list(OrganizationStatus.ALL),
                   "description": "Always `verified` for others; members, admins and verifiers also see the rest."},
        "status_reason": {**nullable("string"),
                          "description": "Why it was refused or suspended: for its admins and the verifiers only."},
        "district": {"type": "string", "description": "Kelurahan or kecamatan code."},
        "kecamatan": {"type": "string", "description": "Kecamatan code."},
        "description_html": {"type": "string", "description": "Sanitized HTML."},
        "website": nullable("string"),
        "logo_url": nullable("string"),
        "members_count": {"type": "integer"},
        "verified": {"type": "boolean"},
        "url": {"type": "string", "description": "The organization's page."},
        "created_at": {"type": "string", "format": "date-time"},
    },
})
schema("OrganizationMember", {
    "type": "object",
    "required": ["user", "role", "joined_at"],
    "properties": {
        "user": {"type": "object", "required": ["id", "display_name"],
                 "properties": {"id": {"type": "integer"}, "display_name": {"type": "string"}}},
        "role": {"type": "string", "enum": list(MemberRole.ALL)},
        "joined_at": {"type": "string", "format": "date-time"},
    },
})
REQUEST_BODY = {
    "type": "object",
    "required": ["name", "kind", "district", "description", "contact", "document"],
    "properties": {
        "name": {"type": "string", "minLength": service.NAME_MIN, "maxLength": service.NAME_MAX},
        "kind": {"type": "string", "enum": list(OrganizationKind.ALL)},
        "district": {"type": "string", "description": "Kelurahan or kecamatan code where it works."},
        "description": {"type": "string", "maxLength": service.DESCRIPTION_MAX, "description": "Markdown."},
        "website": {"type": "string", "maxLength": service.WEBSITE_MAX, "description": "http(s) URL."},
        "contact": {"type": "string", "maxLength": service.CONTACT_MAX,
                    "description": "Phone or e-mail for the verifiers; never public."},
        "document": {"type": "string", "contentMediaType": "application/octet-stream",
                     "description": "The private supporting document: PDF, or a JPEG image, at most 10 MB."},
        "logo": {"type": "string", "contentMediaType": "application/octet-stream",
                 "description": "Optional JPEG, PNG or WebP of at most 5 MB, re-encoded to 320 px without metadata."},
    },
}


def organization_json(organization, viewer):
    insider = can(viewer, "organization.manage", organization) or can(viewer, "organization.review", organization)
    district = organization.district
    return {
        "id": organization.id,
        "slug": organization.slug,
        "name": organization.name,
        "kind": organization.kind,
        "status": organization.status,
        "status_reason": organization.status_reason if insider else None,
        "district": district.code,
        "kecamatan": district.kecamatan.code,
        "description_html": organization.description_html,
        "website": organization.website,
        "logo_url": url_for("organizations.logo", slug=organization.slug, _external=True)
        if organization.logo_file else None,
        "members_count": service.member_count(organization),
        "verified": organization.is_verified,
        "url": url_for("organizations.profile", slug=organization.slug, _external=True),
        "created_at": isoformat(organization.created_at),
    }


def member_json(member):
    return {"user": {"id": member.user_id, "display_name": member.user.display_name}, "role": member.role,
            "joined_at": isoformat(member.created_at)}


@bp.get("/organizations")
@operation(
    "Verified organizations",
    description="By name. Only verified organizations appear.",
    tags=["organizations"], paginated=True,
    parameters=[
        query_param("kind", {"type": "string", "enum": list(OrganizationKind.ALL)}, "Only this kind."),
        query_param("district", {"type": "string"}, "A kecamatan code: organizations working in it."),
    ],
    responses={200: json_response("A page of organizations.", page_of("Organization"))},
)
def list_organizations():
    problems = {}
    kind, kecamatan = service.read_filters(request.args, problems)
    if problems:
        raise ValidationFailed(fields=problems)
    viewer = api_user()
    return jsonify(paginate(service.directory_query(kind, kecamatan), lambda row: organization_json(row, viewer)))


@bp.get("/organizations/<int:organization_id>")
@operation("One organization (public fields)", tags=["organizations"],
           responses={200: json_response("The organization.", ref("Organization"))})
def get_organization(organization_id):
    viewer = api_user()
    return jsonify(organization_json(service.get_organization(viewer, organization_id=organization_id), viewer))


@bp.post("/organizations")
@operation(
    "Request an organization (verified residents)",
    description=(
        "Send `multipart/form-data` with the fields and the file `document` (required) and, optionally, `logo`. "
        "It starts as `requested`, visible to its founder (now its admin) and the verifiers; a refused file is "
        "a 422 naming `document` or `logo`, and nothing is stored. 409 `too_many_requests` at 3 waiting requests."
    ),
    tags=["organizations"], errors=(403, 409),
    request_body=multipart_request(REQUEST_BODY),
    responses={201: json_response("The requested organization.", ref("Organization"))},
)
@token_required
def create_organization():
    user = api_user()
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(_("Send the request as multipart/form-data, with the document in the field "
                                     "document."))
    fields = {name: request.form.get(name) or "" for name in REQUEST_FIELDS}
    organization = service.request_organization(user, document=request.files.get("document"),
                                                logo=request.files.get("logo"), **fields)
    response = jsonify(organization_json(organization, user))
    response.headers["Location"] = url_for("api.get_organization", organization_id=organization.id)
    return response, 201


@bp.post("/organizations/<int:organization_id>/decision")
@operation(
    "Decide on an organization (admins and verifiers)",
    description=("`verify` or `refuse` a request, `suspend` a verified organization, `reinstate` a suspended one. "
                 "`reason` is required to refuse or suspend. Audited; the founder is notified. "
                 "409 `wrong_state` when its status does not allow the action."),
    tags=["organizations"], errors=(403, 409),
    request_body=json_request({"type": "object", "required": ["action"], "properties": {
        "action": {"type": "string", "enum": list(service.DECISIONS)},
        "reason": {"type": "string", "maxLength": service.REASON_MAX}}}),
    responses={200: json_response("The organization after the decision.", ref("Organization"))},
)
@token_required
def decide_organization(organization_id):
    user = api_user()
    organization = service.get_organization(user, organization_id=organization_id)
    data = json_body()
    service.decide(user, organization, text_field(data, "action"), text_field(data, "reason", required=False) or "")
    return jsonify(organization_json(organization, user))


def _managed(organization_id):
    user = api_user()
    organization = service.get_organization(user, organization_id=organization_id)
    require(user, "organization.manage", organization)
    return user, organization


@bp.get("/organizations/<int:organization_id>/members")
@operation("The organization's members (its admins)", tags=["organizations"], errors=(403,), paginated=True,
           responses={200: json_response("A page of members, admins first.", page_of("OrganizationMember"))})
@token_required
def list_members(organization_id):
    _user, organization = _managed(organization_id)
    return jsonify(paginate(members_service.members_query(organization), member_json))


@bp.post("/organizations/<int:organization_id>/invitations")
@operation(
    "Invite someone by e-mail (the organization's admins)",
    description=("Mails a link that works once, for 7 days, for the account with that address. Inviting an "
                 "address again sends a new link. 409 `wrong_state` for a refused or suspended organization."),
    tags=["organizations"], errors=(403, 409),
    request_body=json_request({"type": "object", "required": ["email"],
                               "properties": {"email": {"type": "string", "format": "email"}}}),
    responses={201: json_response("The invitation.", {
        "type": "object", "required": ["id", "email", "created_at"],
        "properties": {"id": {"type": "integer"}, "email": {"type": "string"},
                       "created_at": {"type": "string", "format": "date-time"}}})},
)
@token_required
def invite_member(organization_id):
    user, organization = _managed(organization_id)
    invitation = members_service.invite(user, organization, text_field(json_body(), "email"))
    return jsonify({"id": invitation.id, "email": invitation.email,
                    "created_at": isoformat(invitation.created_at)}), 201


@bp.patch("/organizations/<int:organization_id>/members/<int:user_id>")
@operation(
    "Change a member's role (the organization's admins)",
    description="409 `last_admin` when this would leave the organization without an admin.",
    tags=["organizations"], errors=(403, 409),
    request_body=json_request({"type": "object", "required": ["role"],
                               "properties": {"role": {"type": "string", "enum": list(MemberRole.ALL)}}}),
    responses={200: json_response("The member.", ref("OrganizationMember"))},
)
@token_required
def change_member(organization_id, user_id):
    user, organization = _managed(organization_id)
    member = members_service.set_role(user, organization, user_id, text_field(json_body(), "role"))
    return jsonify(member_json(member))


@bp.delete("/organizations/<int:organization_id>/members/<int:user_id>")
@operation("Remove a member (the organization's admins)",
           description="409 `last_admin` for the last admin.", tags=["organizations"], errors=(403, 409),
           responses={204: json_response("Removed.")})
@token_required
def remove_member(organization_id, user_id):
    user, organization = _managed(organization_id)
    members_service.remove(user, organization, user_id)
    return "", 204


@bp.delete("/organizations/<int:organization_id>/members/me")
@operation("Leave the organization (any member)",
           description="409 `last_admin` for the last admin: make another member admin first.",
           tags=["organizations"], errors=(409,), responses={204: json_response("Left.")})
@token_required
def leave_organization(organization_id):
    user = api_user()
    members_service.leave(user, service.get_organization(user, organization_id=organization_id))
    return "", 204
