"""Moderation pages for people: flag a post, appeal, "my moderation", warnings, sanctions.

Every signed-in page request first checks for a warning the person has not
acknowledged yet and shows it until they do (the API and the pages needed
to read and acknowledge it are exempt); an expired silence or suspension is
written down on the same occasion.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.errors import Conflict, DomainError, Forbidden, NotFound, RateLimited, ValidationFailed
from forum.extensions import db
from forum.models import AccountState, Content, ContentStatus, User
from forum.permissions import require
from forum.services.content import content_url
from forum.timeutil import utcnow
from forum.web import FORM_INVALID, MAX_ID, form_checks_csrf, show_service_errors
from moderation import appeals, flags, sanctions
from moderation.desk import bp
from moderation.desk.forms import AppealForm, FlagForm, LiftForm, SanctionForm
from moderation.models import Appeal, SanctionKind
from moderation.desk.routes import error_text

UNGATED_ENDPOINTS = {"moderation.warning", "moderation.acknowledge", "auth.logout", "main.set_language", "static"}


@bp.before_app_request
def _warning_gate():
    if request.blueprint == "api" or request.endpoint in UNGATED_ENDPOINTS or not current_user.is_authenticated:
        return None
    user = current_user._get_current_object()
    if user.state in (AccountState.SILENCED, AccountState.SUSPENDED) and user.state_until is not None:
        sanctions.expire_for(user)
    if request.method == "GET" and sanctions.unacknowledged_warning(user) is not None:
        return redirect(url_for("moderation.warning", next=request.full_path.rstrip("?")))
    return None


@bp.get("/peringatan")
@login_required
def warning():
    pending = sanctions.unacknowledged_warning(current_user)
    if pending is None:
        return redirect(url_for("moderation.mine"))
    return render_template("moderation/warning.html", sanction=pending)


@bp.post("/peringatan/<int:sanction_id>")
@login_required
def acknowledge(sanction_id):
    sanctions.acknowledge(current_user, sanction_id if sanction_id <= MAX_ID else 0)
    flash(_("Thank you. You can continue using Musyawarah."), "success")
    return redirect(url_for("moderation.warning"))


# -- flags -------------------------------------------------------------------------------
def _back_to(content):
    return content_url(content) or url_for("main.home")


@bp.route("/laporkan/<int:content_id>", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def flag(content_id):
    try:
        content = flags.content_to_flag(current_user, content_id if content_id <= MAX_ID else 0)
    except Conflict as error:
        flash(error_text(error), "error")
        return redirect(_back_to(db.session.get(Content, content_id)))  # a Conflict names an existing post
    form = FlagForm()
    if form.validate_on_submit():
        try:
            flags.flag_content(current_user, content, form.reason.data, form.note.data)
        except ValidationFailed as error:
            show_service_errors(form, error)
        except (Conflict, Forbidden, RateLimited) as error:
            flash(error_text(error), "error")
            return redirect(_back_to(content))
        else:
            flash(_("Thank you. The moderators will look at this post."), "success")
            return redirect(_back_to(content))
    status = FORM_INVALID if form.is_submitted() else 200
    return render_template("moderation/flag.html", content=content, form=form, back=_back_to(content)), status


# -- the author's side: appeals and "my moderation" -------------------------------------
@bp.get("/saya")
@login_required
def mine():
    user = current_user._get_current_object()
    touched = db.session.scalars(
        select(Content).where(Content.author_id == user.id,
                              Content.status.in_((ContentStatus.PENDING, ContentStatus.HIDDEN, ContentStatus.REMOVED)))
        .order_by(Content.id.desc()).limit(100)).all()
    appealed = {a.content_id: a for a in db.session.scalars(select(Appeal).where(Appeal.user_id == user.id))}
    decided_appeals = [a for a in appealed.values() if a.decided_at is not None]
    return render_template("moderation/mine.html", contents=touched, appeals=appealed,
                           decided_appeals=decided_appeals, history=sanctions.history(user),
                           labels=sanctions.KIND_LABELS, now=utcnow())


@bp.route("/banding/<int:content_id>", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def appeal(content_id):
    content = db.session.get(Content, content_id) if content_id <= MAX_ID else None
    if content is None or content.author_id != current_user.id:
        raise NotFound()
    form = AppealForm()
    if form.validate_on_submit():
        try:
            appeals.submit_appeal(current_user, content, form.note.data)
        except ValidationFailed as error:
            show_service_errors(form, error)
        except Conflict as error:
            flash(error_text(error), "error")
            return redirect(url_for("moderation.mine"))
        else:
            flash(_("Your appeal was sent. A moderator will decide and tell you why."), "success")
            return redirect(url_for("moderation.mine"))
    status = FORM_INVALID if form.is_submitted() else 200
    return render_template("moderation/appeal.html", content=content, form=form,
                           may_appeal=appeals.may_appeal(current_user, content)), status


# -- sanctions (moderators) ----------------------------------------------------------------
def _target_user(user_id):
    user = db.session.get(User, user_id) if user_id <= MAX_ID else None
    if user is None:
        raise NotFound()
    return user


@bp.route("/pengguna/<int:user_id>/sanksi", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def sanction(user_id):
    require(current_user, "moderation.desk")
    user = _target_user(user_id)
    require(current_user, "moderation.sanction", user)
    form = SanctionForm()
    suggested_kind, suggested_days = sanctions.suggestion(user)
    if not form.is_submitted():
        form.kind.data = suggested_kind
        form.days.data = str(suggested_days or "")
        form.content_id.data = request.args.get("konten", "")
    if form.validate_on_submit():
        content_id = form.content_id.data
        content = db.session.get(Content, int(content_id)) if content_id and content_id.isdigit() \
            and int(content_id) <= MAX_ID else None
        try:
            sanctions.impose(current_user, user, form.kind.data, form.reason.data, days=form.days.data,
                             content=content)
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            flash(_("The measure was taken and %(name)s was told why.", name=user.display_name), "success")
            return redirect(url_for("moderation.sanction", user_id=user.id))
    status = FORM_INVALID if form.is_submitted() else 200
    return render_template("moderation/sanction.html", user=user, form=form, lift_form=LiftForm(),
                           history=sanctions.history(user), labels=sanctions.KIND_LABELS,
                           suggested=(suggested_kind, suggested_days), now=utcnow(),
                           warn=SanctionKind.WARN), status


@bp.post("/sanksi/<int:sanction_id>/cabut")
@login_required
@form_checks_csrf
def lift(sanction_id):
    require(current_user, "moderation.desk")
    form = LiftForm()
    target = sanctions.get_sanction(sanction_id if sanction_id <= MAX_ID else 0)
    if not form.validate_on_submit():
        flash(_("Give a reason for lifting the measure."), "error")
    else:
        try:
            sanctions.lift(current_user, target.id, form.reason.data)
        except DomainError as error:
            flash(error_text(error), "error")
        else:
            flash(_("The measure was lifted."), "success")
    return redirect(url_for("moderation.sanction", user_id=target.user_id))
