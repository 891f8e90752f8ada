"""Admin views: the user list with search and filters, and the account edit form."""
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.admin import bp
from forum.admin.forms import STATE_LABELS, EditUserForm, UserFilterForm
from forum.errors import ValidationFailed
from forum.extensions import db
from forum.models import User
from forum.permissions import require
from forum.services import users as user_service
from forum.timeutil import to_city_time
from forum.web import MAX_ID, form_checks_csrf, show_service_errors

# Ids past a 32-bit integer cannot exist, and the databases refuse to compare them.


LABELS = {"role_labels": user_service.ROLE_LABELS, "state_labels": STATE_LABELS}


@bp.get("/pengguna")
@login_required
def users():
    form = UserFilterForm(formdata=request.args)
    page = user_service.list_users(
        current_user,
        query=form.q.data,
        role=form.role.data,
        state=form.state.data,
        page=request.args.get("page", 1, type=int),
    )
    return render_template("admin/users.html", form=form, page=page, **LABELS)


def _last_sanction_day(user):
    """The date shown in the form: the last day the sanction still applies."""
    if user.state_until is None:
        return None
    return (to_city_time(user.state_until) - timedelta(microseconds=1)).date()


def _current_values(user):
    return {
        "role": user.role,
        "agency": user.agency.code if user.agency else "",
        "district": user.district.code if user.district else "",
        "state": user.state,
        "state_until": _last_sanction_day(user),
        "state_reason": user.state_reason or "",
    }


@bp.route("/pengguna/<int:user_id>", methods=["GET", "POST"])
@form_checks_csrf
@login_required
def edit_user(user_id):
    require(current_user, "admin.users")
    user = db.session.get(User, user_id) if user_id <= MAX_ID else None
    if user is None:
        abort(404)
    form = EditUserForm(data=_current_values(user))
    if form.validate_on_submit():
        try:
            user_service.change_user_roles(
                current_user,
                user,
                form.role.data,
                agency_code=form.agency.data,
                state=form.state.data,
                state_reason=form.state_reason.data,
                state_until=form.state_until.data,
                district_code=form.district.data,
            )
        except ValidationFailed as error:
            db.session.rollback()
            show_service_errors(form, error)
        else:
            flash(_("The account of %(name)s was saved.", name=user.display_name), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/edit_user.html", form=form, user=user, **LABELS), status
