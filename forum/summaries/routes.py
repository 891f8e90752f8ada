"""The summary page, its downloads, the personal-data export form and the admins' grants page.

Views are thin: read the form, call forum/services/summaries.py, render or
send. Anonymized downloads are plain GET links (they change nothing); the
personal-data export is a POST with CSRF because it writes the audit log.
"""
from functools import wraps

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.errors import Forbidden, ValidationFailed
from forum.exports.response import send_export
from forum.extensions import db, limiter, login_manager
from forum.models import Agency, District, User
from forum.permissions import require
from forum.reports.page import page_context
from forum.reports.summary import day_range
from forum.services import reference, summaries
from forum.summaries import bp
from forum.summaries.forms import (
    FORMAT_LABELS, AspirationExportForm, GrantForm, PersonalExportForm, SummaryFilterForm,
)
from forum.web import form_checks_csrf, show_service_errors


def anonymous_to_login(view):
    """A refusal to a visitor who is not signed in becomes the login page (officials may be out)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except Forbidden:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            raise

    return wrapper


def _export_limit():
    return current_app.config["RATELIMIT_EXPORT"]


def _kecamatan_rows():
    return db.session.scalars(select(District).where(District.level == District.KECAMATAN)
                              .order_by(District.name)).all()


def _filters_from(form, policy):
    """SummaryFilters from the filter form; invalid values are put on the form and ignored."""
    try:
        return summaries.parse_filters(policy=policy, **form.arguments())
    except ValidationFailed as error:
        show_service_errors(form, error)
        return None


@bp.get("/konsultasi/<int:policy_id>/ringkasan")
@limiter.limit(_export_limit)
@anonymous_to_login
def summary_page(policy_id):
    policy, audience = summaries.open_summary(current_user, policy_id)
    form = SummaryFilterForm(request.args)
    filters, status = None, 200
    if audience == summaries.STAFF:
        form.set_choices(policy, _kecamatan_rows())
        filters = _filters_from(form, policy) if form.validate() else None
        status = 200 if filters is not None else 422
    summary = summaries.summary_for(policy, audience, filters)
    first_day, last_day = day_range(summary)
    return render_template(
        "summaries/summary.html", policy=policy, summary=summary, audience=audience, form=form,
        view=page_context(summary), first_day=first_day, last_day=last_day, formats=FORMAT_LABELS,
        may_export_personal=audience == summaries.STAFF and summaries.can_export_personal(current_user, policy),
        download_args=filters.as_dict() if filters is not None else {},
    ), status


@bp.get("/konsultasi/<int:policy_id>/ringkasan/unduh")
@limiter.limit(_export_limit)
@anonymous_to_login
def download(policy_id):
    policy = summaries.summarizable(current_user, policy_id)
    filters = summaries.parse_filters(policy=policy, **{name: request.args.get(name)
                                                        for name in ("version", "since", "until", "kecamatan")})
    return send_export(summaries.export_policy(current_user, policy_id, request.args.get("format", ""),
                                               filters=filters))


@bp.route("/konsultasi/<int:policy_id>/ringkasan/data-pribadi", methods=["GET", "POST"])
@form_checks_csrf
@login_required
@limiter.limit(_export_limit, methods=["POST"])
def personal_export(policy_id):
    policy = summaries.personal_export_policy(current_user, policy_id)
    form = PersonalExportForm()
    if form.validate_on_submit():
        try:
            export = summaries.export_policy(current_user, policy_id, form.format.data, with_personal_data=True,
                                             reason=form.reason.data)
        except ValidationFailed as error:
            db.session.rollback()
            show_service_errors(form, error)
        else:
            return send_export(export)
    status = 422 if form.is_submitted() else 200
    return render_template("summaries/personal_export.html", policy=policy, form=form), status


@bp.route("/admin/izin-ekspor", methods=["GET", "POST"])
@form_checks_csrf
@login_required
def grants():
    officials = summaries.personal_data_grants(current_user)
    form = GrantForm()
    if form.validate_on_submit():
        user = db.session.get(User, int(form.user_id.data)) if form.user_id.data.isdigit() else None
        if user is None:
            flash(_("This account does not exist."), "error")
        else:
            try:
                summaries.set_personal_data_grant(current_user, user, form.allowed.data == "1")
            except ValidationFailed as error:
                flash(str(error.message), "error")
            else:
                flash(_("Saved: %(name)s may now export personal data.", name=user.display_name)
                      if user.may_export_personal_data
                      else _("Saved: %(name)s may no longer export personal data.", name=user.display_name),
                      "success")
        return redirect(url_for("summaries.grants"))
    return render_template("summaries/grants.html", officials=officials)


@bp.get("/dinas/ekspor-aspirasi")
@login_required
@limiter.limit(_export_limit)
def aspiration_export():
    """The filter form; with `format` in the query string, the download itself."""
    require(current_user, "summary.export_aspirations")
    form = AspirationExportForm(request.args)
    form.set_choices(_kecamatan_rows(), reference.categories(),
                     db.session.scalars(select(Agency).order_by(Agency.name)) if current_user.is_admin else None)
    if request.args.get("format"):
        try:
            return send_export(summaries.export_aspirations(current_user, request.args["format"],
                                                            **form.arguments()))
        except ValidationFailed as error:
            show_service_errors(form, error)
            return render_template("summaries/aspiration_export.html", form=form), 422
    return render_template("summaries/aspiration_export.html", form=form)
