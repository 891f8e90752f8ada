"""The audit log page (moderators) with its CSV export (admins), and the public transparency page."""
import json
from datetime import datetime, time, timedelta

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.charts import horizontal_bars
from forum.exports.csvstream import csv_file
from forum.exports.response import send_export
from forum.extensions import db
from forum.models import User
from forum.permissions import require
from forum.timeutil import CITY_ZONE, isoformat
from forum.web import id_arg
from moderation import transparency
from moderation.desk import bp
from moderation.models import AuditEntry

AUDIT_PAGE_SIZE = 50
CSV_COLUMNS = ("id", "time", "action", "moderator", "content_id", "user_id", "user", "reason", "reason_code",
               "before", "after", "details")


def _date_arg(name):
    try:
        return datetime.strptime(request.args.get(name, ""), "%Y-%m-%d").date()
    except ValueError:
        return None


def _filters():
    """The audit filters from the query string, and the SQL conditions they make."""
    chosen = {"moderator": id_arg("moderator"), "user": id_arg("user"), "content": id_arg("content"),
              "action": request.args.get("action", "").strip()[:40], "from": _date_arg("from"),
              "to": _date_arg("to")}
    conditions = []
    if chosen["moderator"]:
        conditions.append(AuditEntry.actor_id == chosen["moderator"])
    if chosen["user"]:
        conditions.append(AuditEntry.subject_user_id == chosen["user"])
    if chosen["content"]:
        conditions.append(AuditEntry.content_id == chosen["content"])
    if chosen["action"]:
        conditions.append(AuditEntry.action.startswith(chosen["action"], autoescape=True))
    if chosen["from"]:
        conditions.append(AuditEntry.created_at >= datetime.combine(chosen["from"], time(), CITY_ZONE))
    if chosen["to"]:
        conditions.append(AuditEntry.created_at < datetime.combine(chosen["to"] + timedelta(days=1), time(),
                                                                    CITY_ZONE))
    return chosen, conditions


def _audit_query(conditions):
    return (select(AuditEntry).where(*conditions)
            .options(joinedload(AuditEntry.actor), joinedload(AuditEntry.subject_user))
            .order_by(AuditEntry.id.desc()))


def _known_actions():
    return db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()


@bp.get("/audit")
@login_required
def audit_log():
    require(current_user, "moderation.desk")
    chosen, conditions = _filters()
    page = db.paginate(_audit_query(conditions), page=id_arg("page") or 1, per_page=AUDIT_PAGE_SIZE,
                       error_out=False)
    moderators = db.session.scalars(select(User).where(User.role.in_(("moderator", "admin")))
                                    .order_by(User.display_name)).all()
    return render_template("moderation/audit.html", page=page, chosen=chosen, actions=_known_actions(),
                           moderators=moderators)


def _csv_rows(conditions):
    for entry in db.session.scalars(_audit_query(conditions).execution_options(yield_per=500)):
        yield (entry.id, isoformat(entry.created_at), entry.action,
               entry.actor.display_name if entry.actor else "", entry.content_id, entry.subject_user_id,
               entry.subject_user.display_name if entry.subject_user else "", entry.reason, entry.reason_code,
               entry.before, entry.after, json.dumps(entry.details, ensure_ascii=False) if entry.details else None)


@bp.get("/audit.csv")
@login_required
def audit_csv():
    require(current_user, "moderation.audit_export")
    _, conditions = _filters()
    return send_export(csv_file("audit-moderasi.csv", CSV_COLUMNS, _csv_rows(conditions)))


@bp.get("/transparansi")
def transparency_page():
    months = transparency.monthly_figures()
    shown = next((m for m in months if m.key == request.args.get("bulan")), months[0])
    labels = transparency.MEASURE_LABELS
    measure_chart = horizontal_bars([(labels[m], shown.counts[m]) for m in transparency.MEASURES],
                                    title=_("What happened to submissions in %(month)s", month=shown.key))
    reasons = sorted(shown.reasons.items(), key=lambda pair: (-pair[1], pair[0]))
    reason_chart = horizontal_bars([(transparency.REASON_FAMILIES[r], n) for r, n in reasons],
                                   title=_("Reasons in %(month)s", month=shown.key))
    return render_template("moderation/transparency.html", months=months, shown=shown, labels=labels,
                           measures=transparency.MEASURES, measure_chart=measure_chart, reasons=reasons,
                           reason_labels=transparency.REASON_FAMILIES, reason_chart=reason_chart)
