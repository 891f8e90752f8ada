"""Who may do what: one helper that every service calls.

A permission is a name mapped to a rule `(user, obj) -> bool`. Services call
`require(user, "permission", obj)`, which raises `Forbidden` (and logs a
security event); templates and views may call `can()` to decide what to show.
Later features register their own rules with `@rule("name")`.
"""
from forum.errors import Forbidden
from forum.models.people import AccountState, Role
from forum.security_log import security_event

_RULES = {}


def rule(name):
    """Register the function deciding permission `name`."""

    def register(func):
        if name in _RULES:
            raise ValueError(f"permission {name!r} registered twice")
        _RULES[name] = func
        return func

    return register


def _signed_in(user):
    return user is not None and getattr(user, "is_authenticated", False) and not user.is_deleted


def can(user, permission, obj=None):
    """True when `user` (None for a visitor) holds `permission` on `obj`."""
    try:
        decide = _RULES[permission]
    except KeyError:
        raise LookupError(f"unknown permission {permission!r}") from None
    return bool(decide(user, obj))


def require(user, permission, obj=None):
    """Raise `Forbidden` unless `can(user, permission, obj)`."""
    if not can(user, permission, obj):
        security_event(
            "permission_refused",
            user=user if _signed_in(user) else None,
            permission=permission,
            target=getattr(obj, "id", None),
        )
        raise Forbidden(code="forbidden")


def has_role(user, *roles):
    return _signed_in(user) and user.role in roles


def may_write(user):
    """Signed in, verified and neither silenced, suspended nor banned (a silence ends by itself)."""
    return _signed_in(user) and user.is_verified and (
        user.state == AccountState.ACTIVE or _silence_over(user))


def _silence_over(user):
    from forum.timeutil import utcnow

    return user.state == AccountState.SILENCED and user.state_until is not None and user.state_until <= utcnow()


@rule("admin.users")
def _admin_users(user, obj):
    return has_role(user, Role.ADMIN)


@rule("admin.reference")
def _admin_reference(user, obj):
    return has_role(user, Role.ADMIN)


@rule("moderation.desk")
def _moderation_desk(user, obj):
    return has_role(user, Role.MODERATOR, Role.ADMIN)


@rule("moderation.configure")
def _moderation_configure(user, obj):
    """Watched words and pre-moderation switches."""
    return has_role(user, Role.ADMIN)


@rule("account.manage")
def _account_manage(user, obj):
    """A user manages their own account; admins manage anyone's."""
    return _signed_in(user) and (obj is None or obj.id == user.id or user.is_admin)


@rule("content.write")
def _content_write(user, obj):
    return may_write(user)


# -- consultations: comments and votes ---------------------------------------------
COMMENT_EDIT_WINDOW_MINUTES = 15


@rule("comment.edit")
def _comment_edit(user, comment):
    """The author, while still allowed to write, within 15 minutes of posting."""
    from datetime import timedelta

    from forum.timeutil import utcnow

    return (
        may_write(user) and comment is not None and comment.author_id == user.id
        and not comment.is_tombstone
        and utcnow() - comment.created_at <= timedelta(minutes=COMMENT_EDIT_WINDOW_MINUTES)
    )


@rule("comment.delete")
def _comment_delete(user, comment):
    return _signed_in(user) and comment is not None and comment.author_id == user.id and not comment.is_tombstone


@rule("comment.respond")
def _comment_respond(user, policy):
    """Officials answer for their own agency's consultations."""
    return may_write(user) and user.is_official and policy is not None and user.agency_id == policy.agency_id


@rule("vote.cast")
def _vote_cast(user, content):
    """Residents vote; officials respond but do not vote (least of all on their own draft).

    Nobody rates their own comment. Desk officers type residents' input and vote on nobody's behalf.
    """
    if not may_write(user) or user.is_official or user.is_desk:
        return False
    return content is None or content.kind == "policy" or content.author_id != user.id


def _agency_official(user):
    return may_write(user) and user.is_official and user.agency_id is not None


@rule("policy.create")
def _policy_create(user, obj):
    """A policy belongs to an agency, so only an official with one may start it."""
    return _agency_official(user)


@rule("policy.manage")
def _policy_manage(user, obj):
    """The officials' consultation tools: agency officials and admins."""
    return _agency_official(user) or (may_write(user) and user.is_admin)


@rule("policy.draft")
def _policy_draft(user, obj):
    """Edit, publish, version, close or conclude one policy: its agency's officials, or admins."""
    if not may_write(user):
        return False
    return user.is_admin or (_agency_official(user) and obj is not None and obj.agency_id == user.agency_id)


# -- surveys (forum/services/surveys.py) ----------------------------------------------
@rule("survey.create")
def _survey_create(user, obj):
    """A standalone survey belongs to an agency: only an official with one may start it."""
    return _agency_official(user)


@rule("survey.edit")
def _survey_edit(user, survey):
    """Build, publish, close, copy and export a survey: its agency's officials, or admins."""
    if not may_write(user) or survey is None:
        return False
    return user.is_admin or (_agency_official(user) and survey.agency_id == user.agency_id)


@rule("survey.respond")
def _survey_respond(user, survey):
    """Residents (and other accounts that may write) answer; officials ask, they do not answer.

    A desk officer answers only for a resident, through `desk.submit` (forum/services/desk.py).
    """
    return may_write(user) and not user.is_official and not user.is_desk


@rule("survey.results")
def _survey_results(user, survey):
    """Always for the survey's agency and admins; for everyone once closed, if the official chose so."""
    if survey is None:
        return False
    if _signed_in(user) and (user.is_admin or (user.is_official and user.agency_id == survey.agency_id)):
        return True
    return survey.results_public and survey.status() == "closed"


# -- aspirations (forum/services/aspirations.py) -------------------------------------
@rule("aspiration.create")
def _aspiration_create(user, obj):
    """Residents raise aspirations; staff answer them."""
    return may_write(user) and user.is_resident


@rule("aspiration.screen")
def _aspiration_screen(user, aspiration):
    """Verify, decline and forward new aspirations: moderators."""
    return may_write(user) and user.is_moderator


@rule("aspiration.handle")
def _aspiration_handle(user, aspiration):
    """Work on an aspiration (progress, answer): officials of the agency it is forwarded to."""
    return (_agency_official(user) and aspiration is not None and aspiration.agency_id is not None
            and aspiration.agency_id == user.agency_id)


@rule("aspiration.reforward")
def _aspiration_reforward(user, aspiration):
    """Send an aspiration on to another agency: moderators, or the agency holding it."""
    return _aspiration_screen(user, aspiration) or _aspiration_handle(user, aspiration)


@rule("aspiration.conclude")
def _aspiration_conclude(user, aspiration):
    """Accept the answer or reopen: the aspiration's author."""
    return may_write(user) and aspiration is not None and aspiration.author_id == user.id


@rule("aspiration.add_photos")
def _aspiration_add_photos(user, aspiration):
    """Add photos (the service allows it only before verification): the aspiration's author."""
    return _aspiration_conclude(user, aspiration)


@rule("aspiration.notes")
def _aspiration_notes(user, aspiration):
    """Internal notes: moderators and the handling agency."""
    return _aspiration_screen(user, aspiration) or _aspiration_handle(user, aspiration)


@rule("aspiration.desk")
def _aspiration_desk(user, obj):
    """The agency desk: officials who belong to an agency."""
    return _agency_official(user)


# -- moderation after the screen (moderation/) ------------------------------------------
@rule("content.flag")
def _content_flag(user, content):
    """Anyone who may write flags content, except their own and kinds nobody flags (guides)."""
    return may_write(user) and content is not None and content.flaggable and content.author_id != user.id


@rule("content.appeal")
def _content_appeal(user, content):
    """The author of hidden or removed content appeals (the service checks the status and "once")."""
    return _signed_in(user) and content is not None and content.author_id == user.id


@rule("moderation.decide")
def _moderation_decide(user, item):
    """Decide review items: moderators and admins in good standing."""
    return may_write(user) and user.is_moderator


@rule("moderation.sanction")
def _moderation_sanction(user, target):
    """Moderators sanction residents and officials; admins also moderators; nobody themselves or an admin."""
    if not may_write(user) or not user.is_moderator or target is None or target.id == user.id:
        return False
    if target.role == Role.ADMIN:
        return False
    return target.role != Role.MODERATOR or user.is_admin


@rule("moderation.audit_export")
def _moderation_audit_export(user, obj):
    """The audit log as CSV: admins."""
    return has_role(user, Role.ADMIN)


# -- feedback summaries and exports (forum/services/summaries.py) ---------------------
def _policy_staff(user, policy):
    """Admins, and officials of the policy's agency (reading needs no write rights)."""
    return _signed_in(user) and policy is not None and (
        user.is_admin or (user.is_official and user.agency_id is not None and user.agency_id == policy.agency_id))


@rule("summary.read")
def _summary_read(user, policy):
    """The full summary and its exports: the policy's agency and admins."""
    return _policy_staff(user, policy)


@rule("summary.export_personal_data")
def _summary_export_personal_data(user, policy):
    """Exports with names and e-mails: admins, and officials an admin has allowed."""
    return _policy_staff(user, policy) and (user.is_admin or user.may_export_personal_data)


@rule("summary.grant_personal_data")
def _summary_grant_personal_data(user, obj):
    """Allowing officials to export personal data: admins only."""
    return has_role(user, Role.ADMIN)


@rule("summary.export_aspirations")
def _summary_export_aspirations(user, obj):
    """Exports of the aspirations forwarded to an agency: its officials, and admins."""
    return _signed_in(user) and (user.is_admin or (user.is_official and user.agency_id is not None))


# -- organizations (forum/services/organizations.py, organization_members.py) ---------
def _organization_verifier(user):
    return _signed_in(user) and (user.is_admin or bool(user.may_verify_organizations))


@rule("organization.request")
def _organization_request(user, obj):
    """Residents who may write ask for an organization; they become its first admin."""
    return may_write(user) and user.is_resident


@rule("organization.verify")
def _organization_verify(user, organization):
    """Verify, refuse, suspend and reinstate organizations: admins and verifiers in good standing."""
    return may_write(user) and _organization_verifier(user)


@rule("organization.review")
def _organization_review(user, organization):
    """The queue, every organization's page and its private document: admins and verifiers."""
    return _organization_verifier(user)


@rule("organization.grant_verifier")
def _organization_grant_verifier(user, obj):
    """Naming verifiers: admins only."""
    return has_role(user, Role.ADMIN)


@rule("organization.see")
def _organization_see(user, organization):
    """A verified organization is public; any other only to its members, admins and verifiers."""
    if organization is None:
        return False
    if organization.is_verified:
        return True
    return _signed_in(user) and (_organization_verifier(user) or organization.role_of(user) is not None)


@rule("organization.manage")
def _organization_manage(user, organization):
    """Members, invitations and the profile: the organization's own admins, while they may write."""
    return may_write(user) and organization is not None and organization.role_of(user) == "admin"
# -- the kelurahan service desk (forum/services/desk.py) ------------------------------
@rule("desk.work")
def _desk_work(user, obj):
    """The desk pages and API: desk officers bound to a kelurahan."""
    return may_write(user) and user.is_desk and user.district_id is not None


@rule("desk.submit")
def _desk_submit(user, kelurahan):
    """Submit for a resident of `kelurahan` (a District), or work on its submissions: its own desk only."""
    return _desk_work(user, None) and kelurahan is not None and kelurahan.id == user.district_id


@rule("desk.claim")
def _desk_claim(user, obj):
    """Move an assisted submission to one's own account (with its code and phone number): residents."""
    return may_write(user) and user.is_resident
# -- guides (forum/services/guides.py) ------------------------------------------------
@rule("guide.edit")
def _guide_edit(user, obj):
    """Admins write, restore and publish the guides."""
    return may_write(user) and user.is_admin
