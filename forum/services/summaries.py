"""Feedback summaries and exports: who may read and export what, and the audit of personal data.

The same verbs serve the summary page, the API and the CLI:

* `read_summary(actor, policy_id, filters)` -> (policy, summary, audience):
  the agency's officials and admins get the full summary (`STAFF`); anyone
  gets the public version of a `final` consultation (`PUBLIC`).
* `export_policy(actor, policy_id, format_name, ...)` -> ExportFile: staff
  only, except the open-data ZIP of a final consultation, which is public.
  With `with_personal_data` it needs the `summary.export_personal_data`
  permission and a reason, and writes an audit entry (moderation/audit.py)
  in its own committed transaction before any data leaves.
* `parse_filters(...)` checks the optional version / dates / kecamatan.
* `set_personal_data_grant(actor, user, allowed)`: an admin's decision, audited.

A draft has no summary (409); a policy the actor may not see is 404.
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum.errors import Conflict, NotFound, ValidationFailed
from forum.extensions import MAX_ID, db
from forum.models import Agency, AspirationState, Category, District, Policy, PolicyPhase, PolicyVersion, Role, User
from forum.permissions import can, require
from forum.reports import formats
from forum.reports.aspirations import AspirationFilters, AspirationJob
from forum.reports.consultation import ExportJob
from forum.reports.scope import SummaryFilters
from forum.reports.serialize import summary_json
from forum.reports.summary import build_summary
from forum.services import transaction
from forum.services.policies import visible_policy
from moderation import audit

STAFF = "staff"
PUBLIC = "public"
REASON_MAX = 500
MAX_VERSION = 10_000


def summarizable(actor, policy_id):
    """The policy `policy_id` if `actor` may see it and it is published (NotFound, Conflict)."""
    policy = visible_policy(actor, policy_id)
    if policy.phase == PolicyPhase.DRAFT:
        raise Conflict(_l("A draft has no feedback yet: publish the consultation first."), code="draft")
    return policy


def audience(actor, policy):
    """STAFF, PUBLIC, or None when `actor` may not read the summary of `policy`."""
    if can(actor, "summary.read", policy):
        return STAFF
    if policy.phase == PolicyPhase.FINAL:
        return PUBLIC
    return None


def open_summary(actor, policy_id):
    """(policy, audience) when `actor` may read its summary; raises NotFound, Conflict or Forbidden."""
    policy = summarizable(actor, policy_id)
    shown_to = audience(actor, policy)
    if shown_to is None:
        require(actor, "summary.read", policy)
    return policy, shown_to


def summary_for(policy, shown_to, filters=None):
    """The FeedbackSummary for an audience from `open_summary`: the public one is never filtered."""
    if shown_to == STAFF:
        return build_summary(policy, filters)
    return build_summary(policy, public=True)


def read_summary(actor, policy_id, filters=None):
    """(policy, FeedbackSummary, audience) for `actor` in one call (the API)."""
    policy, shown_to = open_summary(actor, policy_id)
    return policy, summary_for(policy, shown_to, filters), shown_to


def summary_document(summary, shown_to):
    """The summary as JSON data for `shown_to` (the public version has no pseudonyms or reasons)."""
    return {**summary_json(summary, public=shown_to == PUBLIC), "audience": shown_to}


def can_export_personal(actor, policy):
    return can(actor, "summary.export_personal_data", policy)


def personal_export_policy(actor, policy_id):
    """The policy for the personal-data export form, if `actor` may use it (else 403, logged)."""
    policy = summarizable(actor, policy_id)
    require(actor, "summary.export_personal_data", policy)
    return policy


def export_policy(actor, policy_id, format_name, *, filters=None, with_personal_data=False, reason=None,
                  progress=None):
    """The export file of one policy in `format_name` (see forum/reports/formats.py)."""
    spec = _format(format_name)
    policy = summarizable(actor, policy_id)
    if not spec.final_only:
        require(actor, "summary.read", policy)
    filters = _export_filters(policy, spec, filters, with_personal_data)
    if with_personal_data:
        require(actor, "summary.export_personal_data", policy)
        _audit_personal_export(actor, policy, format_name, filters, reason, details={"via": "web"})
    return _build(policy, spec, filters, with_personal_data, progress)


def operator_export(policy_id, format_name, *, with_personal_data=False, reason=None, operator=None,
                    progress=None):
    """An export made on the server's command line (`flask export policy`).

    Whoever runs it already holds the database, so no account is checked;
    a personal-data export is still audited, with the operating-system user.
    """
    spec = _format(format_name)
    policy = operator_policy(policy_id)
    filters = _export_filters(policy, spec, None, with_personal_data)
    if with_personal_data:
        _audit_personal_export(None, policy, format_name, filters, reason,
                               details={"via": "command line", "operator": operator})
    return _build(policy, spec, filters, with_personal_data, progress)


def operator_policy(policy_id):
    """The published policy `policy_id` for the command line (NotFound, Conflict for a draft)."""
    policy = db.session.get(Policy, policy_id) if 0 < policy_id <= MAX_ID else None
    if policy is None:
        raise NotFound(_l("There is no consultation with this number."))
    if policy.phase == PolicyPhase.DRAFT:
        raise Conflict(_l("A draft has no feedback yet: publish the consultation first."), code="draft")
    return policy


def _format(format_name):
    spec = formats.find(formats.CONSULTATION, format_name)
    if spec is None:
        raise ValidationFailed(fields={"format": _l("Use one of: %(values)s.",
                                                    values=", ".join(formats.names(formats.CONSULTATION)))})
    return spec


def _export_filters(policy, spec, filters, with_personal_data):
    if not spec.final_only:
        return filters or SummaryFilters()
    if policy.phase != PolicyPhase.FINAL:
        raise Conflict(_l("The open-data bundle is published once the consultation is final."), code="not_final")
    if with_personal_data:
        raise ValidationFailed(fields={"with_personal_data": _l("Open data never holds personal data.")})
    return SummaryFilters()


def _build(policy, spec, filters, with_personal_data, progress):
    job = ExportJob(policy=policy, filters=filters, with_personal_data=with_personal_data, progress=progress)
    return spec.build(job)


def _audit_personal_export(actor, policy, format_name, filters, reason, details):
    """Record the export with its reason, committed before any personal data is read."""
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise ValidationFailed(fields={"reason": _l("Say why you need personal data: it is recorded.")})
    if len(reason) > REASON_MAX:
        raise ValidationFailed(fields={"reason": _l("A reason may have at most %(max)d characters.",
                                                    max=REASON_MAX)})
    with transaction():
        audit.record("export.personal_data", actor=actor, content=policy, reason=reason,
                     details={"format": format_name, "filters": filters.as_dict(), **details})


def parse_filters(version=None, since=None, until=None, kecamatan=None, policy=None):
    """SummaryFilters from text arguments (query string, form or CLI); ValidationFailed names bad ones."""
    problems = {}
    number = _version(version, policy, problems)
    start = _day(since, "since", problems)
    end = _day(until, "until", problems)
    if start and end and start > end:
        problems["until"] = _l("The end date comes before the start date.")
    area = (kecamatan or "").strip() or None
    if area is not None and db.session.scalar(
            select(District.id).where(District.code == area, District.level == District.KECAMATAN)) is None:
        problems["kecamatan"] = _l("Unknown kecamatan.")
    if problems:
        raise ValidationFailed(fields=problems)
    return SummaryFilters(version=number, since=start, until=end, kecamatan=area)


def _version(raw, policy, problems):
    raw = (str(raw).strip() if raw is not None else "")
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) <= MAX_VERSION:
        problems["version"] = _l("Give a version number.")
        return None
    if policy is not None and db.session.scalar(select(PolicyVersion.id).where(
            PolicyVersion.policy_id == policy.id, PolicyVersion.number == int(raw))) is None:
        problems["version"] = _l("This consultation has no such version.")
        return None
    return int(raw)


def _day(raw, name, problems):
    raw = (str(raw).strip() if raw is not None else "")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems[name] = _l("Enter a date like 2026-12-31.")
        return None


def set_personal_data_grant(actor, user, allowed, reason=None):
    """Allow or stop an official exporting personal data; audited."""
    require(actor, "summary.grant_personal_data")
    if user.role != Role.OFFICIAL:
        raise ValidationFailed(_l("Only officials can be allowed this; admins always may."))
    if bool(user.may_export_personal_data) == bool(allowed):
        return user
    with transaction():
        audit.record("export.personal_data_grant" if allowed else "export.personal_data_revoke",
                     actor=actor, subject_user=user, reason=reason,
                     before=f"may_export_personal_data={bool(user.may_export_personal_data)}",
                     after=f"may_export_personal_data={bool(allowed)}")
        user.may_export_personal_data = bool(allowed)
    return user


def personal_data_grants(actor):
    """Officials and whether each may export personal data, by agency and name."""
    require(actor, "summary.grant_personal_data")
    return db.session.scalars(select(User).where(User.role == Role.OFFICIAL, User.deleted_at.is_(None))
                              .order_by(User.agency_id, User.display_name)).all()


# -- aspirations forwarded to an agency (forum/reports/aspirations.py) --------------------------
def export_aspirations(actor, format_name, *, agency=None, states=None, category=None, kecamatan=None,
                       since=None, until=None):
    """The agency's aspirations as an ExportFile: its officials for their own agency, admins for any."""
    require(actor, "summary.export_aspirations")
    problems = {}
    if formats.find(formats.ASPIRATIONS, format_name) is None:
        problems["format"] = _l("Use one of: %(values)s.", values=", ".join(formats.names(formats.ASPIRATIONS)))
    chosen = _agency(actor, agency, problems)
    wanted = tuple(state for state in (states or ()) if state)
    if any(state not in AspirationState.ALL for state in wanted):
        problems["status"] = _l("Use one of: %(values)s.", values=", ".join(AspirationState.ALL))
    category = (category or "").strip() or None
    if category and db.session.scalar(select(Category.id).where(Category.code == category)) is None:
        problems["category"] = _l("Unknown category.")
    dates = parse_filters(since=since, until=until, kecamatan=kecamatan) if not problems else None
    if problems:
        raise ValidationFailed(fields=problems)
    filters = AspirationFilters(states=wanted, category=category, kecamatan=dates.kecamatan, since=dates.since,
                                until=dates.until)
    return formats.build(formats.ASPIRATIONS, format_name, AspirationJob(chosen, filters))


def _agency(actor, code, problems):
    if not actor.is_admin:
        return actor.agency
    agency = db.session.scalar(select(Agency).where(Agency.code == code)) if code else None
    if agency is None:
        problems["agency"] = _l("Choose the agency whose aspirations to export.")
    return agency
