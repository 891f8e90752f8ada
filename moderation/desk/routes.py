"""The moderators' desk at /moderasi: the queue's tabs, an item with its context, decisions, bulk decisions.

Everything is a plain GET page or a POST form (no JavaScript needed). A
decision that lost a race, or does not fit any more, comes back as a flash
message naming who decided first; the desk never applies anything twice.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select

from forum.errors import DomainError, NotFound
from forum.extensions import db
from forum.models import Comment, Content
from forum.permissions import can, require
from forum.services.content import content_url
from forum.text import excerpt
from forum.timeutil import utcnow
from forum.web import MAX_ID, form_checks_csrf, id_arg
from moderation import decisions, queue, sanctions
from moderation.organizations import REASON_MAX as SUSPENSION_REASON_MAX
from moderation.organizations import suspend_organization
from moderation.desk import bp
from moderation.desk.forms import BulkForm, DecisionForm
from moderation.models import AuditEntry, Flag, ReviewItem

# Every form that writes is limited like the rest of the site's writes.


@bp.app_template_filter("excerpt")
def _excerpt(html, length=200):
    return excerpt(html or "", length)


@bp.get("/")
@login_required
def desk():
    require(current_user, "moderation.desk")
    page = queue.queue_page(request.args.get("tab", "pending"), request.args.get("sort", ""),
                            id_arg("page", 1))
    return render_template("moderation/desk.html", page=page, bulk=BulkForm(), tabs=queue.TABS,
                           sorts=queue.SORTS)


def _author_history(author):
    if author is None:
        return None
    posts = db.session.scalar(select(func.count()).select_from(Content).where(Content.author_id == author.id))
    decisions_about = db.session.scalars(
        select(AuditEntry).where(AuditEntry.subject_user_id == author.id,
                                 AuditEntry.action.like("decision.%") | AuditEntry.action.like("content.%"))
        .order_by(AuditEntry.id.desc()).limit(10)).all()
    return {"user": author, "age_days": (utcnow() - author.created_at).days, "posts": posts,
            "decisions": decisions_about, "sanctions": sanctions.history(author)}


@bp.get("/konten/<int:content_id>")
@login_required
def item(content_id):
    require(current_user, "moderation.desk")
    content = db.session.get(Content, content_id) if content_id <= MAX_ID else None
    if content is None:
        raise NotFound()
    review = queue.latest_item(content.id)
    flags = db.session.scalars(select(Flag).where(Flag.content_id == content.id).order_by(Flag.id)).all()
    trail = db.session.scalars(select(AuditEntry).where(AuditEntry.content_id == content.id)
                               .order_by(AuditEntry.id)).all()
    parent = content.parent if isinstance(content, Comment) and content.parent_id else None
    form = DecisionForm()
    if review is not None and not form.text.data:
        form.text.data = content.body_source
    return render_template(
        "moderation/item.html", content=content, review=review, flags=flags, trail=trail, parent=parent,
        thread_url=content_url(content), history=_author_history(content.author), form=form,
        actions=decisions.allowed_actions(review) if review else (), labels=decisions.ACTION_LABELS,
        kind_labels=sanctions.KIND_LABELS,
        may_sanction=content.author is not None and can(current_user, "moderation.sanction", content.author),
        may_suspend=content.organization_id is not None and content.organization.is_verified
        and can(current_user, "moderation.suspend_organization", content.organization),
        suspension_reason_max=SUSPENSION_REASON_MAX,
    )


@bp.post("/konten/<int:content_id>/tangguhkan-organisasi")
@login_required
@form_checks_csrf
def suspend_author_organization(content_id):
    """Suspend the organization `content` was written as (from the item view); nobody posts as it any more."""
    require(current_user, "moderation.suspend_organization")
    content = db.session.get(Content, content_id) if content_id <= MAX_ID else None
    if content is None or content.organization_id is None:
        raise NotFound()
    try:
        suspend_organization(current_user, content.organization, request.form.get("reason", ""))
    except DomainError as error:
        flash(error_text(error), "error")
    else:
        flash(_("%(name)s is suspended: its members can no longer post as it.", name=content.organization.name),
              "success")
    return redirect(url_for("moderation.item", content_id=content.id))


@bp.post("/item/<int:item_id>/keputusan")
@login_required
@form_checks_csrf
def decide(item_id):
    require(current_user, "moderation.decide")
    review = db.session.get(ReviewItem, item_id) if item_id <= MAX_ID else None
    if review is None:
        raise NotFound()
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("moderation.item", content_id=review.content_id))
    version = int(form.version.data) if (form.version.data or "").isdigit() else None
    try:
        decisions.decide(current_user, item_id, form.action.data, reason=form.reason.data, version=version,
                         text=form.text.data)
    except DomainError as error:
        flash(error_text(error), "error")
        return redirect(url_for("moderation.item", content_id=review.content_id))
    flash(_("Decision saved: %(action)s.", action=decisions.ACTION_LABELS[form.action.data]), "success")
    return redirect(url_for("moderation.desk", tab=request.args.get("tab", "pending")))


def error_text(error):
    return " ".join([str(error.message)] if error.message else [str(m) for m in error.fields.values()])


def _selected_ids():
    return [int(raw) for raw in request.form.getlist("item") if raw.isascii() and raw.isdigit()
            and 0 < int(raw) <= MAX_ID]


@bp.post("/massal")
@login_required
@form_checks_csrf
def bulk():
    require(current_user, "moderation.decide")
    form = BulkForm()
    tab = request.form.get("tab", "pending")
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("moderation.desk", tab=tab))
    try:
        result = decisions.decide_many(current_user, _selected_ids(), form.action.data, reason=form.reason.data)
    except DomainError as error:
        flash(error_text(error), "error")
        return redirect(url_for("moderation.desk", tab=tab))
    if result.done:
        flash(ngettext("Decision saved for %(num)d item.", "Decision saved for %(num)d items.",
                       len(result.done)), "success")
    for item_id, message in result.refused:
        flash(_("Item %(id)d: %(message)s", id=item_id, message=message), "error")
    return redirect(url_for("moderation.desk", tab=tab))



