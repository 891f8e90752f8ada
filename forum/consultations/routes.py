"""Consultation pages under /konsultasi: list, policy page with comments, versions, diff, and the writes.

The policy page is the busiest page of the site; its query count must not
grow with the number of comments (tests/test_consultation_pages.py counts):
phases refreshed (two UPDATEs), the policy with its versions, clauses,
attachments, agency, category and the viewer's own vote and follow (one
query), root comments (one), all their replies (one), and the viewer's votes
on those comments (one).

Writes call one service each, then flash and redirect; a comment form with
errors re-renders the policy page with the text kept (422).
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload
from wtforms.fields import SelectChoice

from forum.consultations import bp
from forum.consultations.forms import CommentForm, EditCommentForm
from forum.errors import NotFound, ValidationFailed
from forum.extensions import db
from forum.models import (
    Agency,
    Category,
    Follow,
    Policy,
    PolicyPhase,
    PolicyVersion,
    Stance,
    Vote,
)
from forum.permissions import can
from forum.services import comments as comment_service
from forum.services import diff as diff_service
from forum.services import policies as policy_service
from forum.services import votes as vote_service
from forum.services.policies import visible_policy
from forum.timeutil import utcnow
from forum.web import form_checks_csrf, show_service_errors

FORM_INVALID = 422
LIST_PAGE_SIZE = 20
MAX_ID = 2**31 - 1
STATUSES = ("open", "upcoming", "closed", "final")
LIST_SORTS = ("closing", "newest", "discussed")


def _viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _int_arg(name):
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_ID else None


# -- the list ------------------------------------------------------------------------
def _status_filter(status, now):
    if status == "open":
        return Policy.accepting_input_filter(now)
    if status == "upcoming":
        return (Policy.phase == PolicyPhase.OPEN) & (Policy.opens_at > now)
    if status in (PolicyPhase.CLOSED, PolicyPhase.FINAL):
        return Policy.phase == status
    return None


@bp.get("/")
def index():
    policy_service.refresh_phases()
    now = utcnow()
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    sort = request.args.get("sort", "")
    sort = sort if sort in LIST_SORTS else "closing"
    query = select(Policy).where(Policy.public_filter()).options(
        joinedload(Policy.agency), joinedload(Policy.category))
    condition = _status_filter(status, now)
    if condition is not None:
        query = query.where(condition)
    categories = db.session.scalars(select(Category).order_by(Category.position, Category.id)).all()
    agencies = db.session.scalars(select(Agency).order_by(Agency.short_name)).all()
    category = next((c for c in categories if c.code == request.args.get("category")), None)
    agency = next((a for a in agencies if a.code == request.args.get("agency")), None)
    if category is not None:
        query = query.where(Policy.category_id == category.id)
    if agency is not None:
        query = query.where(Policy.agency_id == agency.id)
    order = {
        "closing": ((Policy.phase != PolicyPhase.OPEN), Policy.closes_at, Policy.id),
        "newest": (Policy.published_at.desc(), Policy.id.desc()),
        "discussed": (Policy.comment_count.desc(), Policy.id.desc()),
    }[sort]
    page = db.paginate(query.order_by(*order), page=_int_arg("page") or 1, per_page=LIST_PAGE_SIZE,
                       error_out=False)
    return render_template(
        "consultations/index.html", page=page, now=now, status=status, sort=sort,
        categories=categories, agencies=agencies, category=category, agency=agency,
    )


# -- the policy page -----------------------------------------------------------------
def _page_policy(policy_id, viewer):
    """The policy with everything its page shows, and the viewer's vote and follow: one query.

    Call `refresh_phases()` before reading `current_user`: its commit would
    expire the loaded user and cost a query to load it again.
    """
    if policy_id > MAX_ID:
        raise NotFound()
    columns = [Policy]
    if viewer is not None:
        columns.append(select(Vote.value).where(Vote.content_id == Policy.id, Vote.user_id == viewer.id)
                       .scalar_subquery())
        columns.append(exists().where(Follow.content_id == Policy.id, Follow.user_id == viewer.id))
    row = db.session.execute(
        select(*columns).where(Policy.id == policy_id).options(
            joinedload(Policy.agency), joinedload(Policy.category), joinedload(Policy.attachments),
            joinedload(Policy.versions).joinedload(PolicyVersion.sections),
        )
    ).unique().first()
    if row is None or not row[0].is_visible_to(viewer):
        raise NotFound()
    if viewer is None:
        return row[0], None, False
    return row[0], row[1], bool(row[2])


def _section_choices(policy):
    version = policy.current_version
    choices = [SelectChoice("", _("The whole policy"))]
    if version is not None:
        choices += [SelectChoice(str(s.id), _("Section %(number)d: %(heading)s", number=s.number, heading=s.heading))
                    for s in version.sections]
    return choices


def _render_policy(policy_id, form=None, status=200):
    policy_service.refresh_phases()
    viewer = _viewer()
    policy, my_vote, following = _page_policy(policy_id, viewer)
    section_id = _int_arg("pasal")
    stance = request.args.get("sikap") if request.args.get("sikap") in Stance.ALL else None
    thread = comment_service.comment_page(
        policy, viewer, page=_int_arg("page") or 1, sort=request.args.get("urut", "newest"),
        section_id=section_id, stance=stance,
    )
    my_votes = vote_service.votes_of(viewer, [c.id for c in thread.comments])
    form = form or CommentForm()
    form.section_id.choices = _section_choices(policy)
    reply_to = _int_arg("balas")
    if form.parent_id.data and str(form.parent_id.data).isdigit():
        reply_to = int(form.parent_id.data)
    responder = can(viewer, "comment.respond", policy)
    sections = {s.id: s for version in policy.versions for s in version.sections}
    return render_template(
        "consultations/policy.html", policy=policy, version=policy.current_version, thread=thread,
        form=form, my_vote=my_vote, my_votes=my_votes, following=following, reply_to=reply_to,
        responder=responder, sections=sections, section_id=section_id, stance=stance, now=utcnow(),
        can=lambda permission, obj=None: can(viewer, permission, obj),
    ), status


@bp.get("/<int:policy_id>")
def policy(policy_id):
    return _render_policy(policy_id)


@bp.get("/<int:policy_id>/versi/<int:number>")
def version(policy_id, number):
    policy_service.refresh_phases()
    policy = _page_policy(policy_id, _viewer())[0]
    shown = next((v for v in policy.versions if v.number == number), None)
    if shown is None:
        raise NotFound()
    return render_template("consultations/version.html", policy=policy, shown=shown)


@bp.get("/<int:policy_id>/beda")
def diff(policy_id):
    policy_service.refresh_phases()
    policy = _page_policy(policy_id, _viewer())[0]
    by_number = {v.number: v for v in policy.versions}
    newest = policy.versions[-1].number if policy.versions else 0
    old = by_number.get(_int_arg("dari") or newest - 1)
    new = by_number.get(_int_arg("ke") or newest)
    if old is None or new is None or old.number == new.number:
        raise NotFound(_("Choose two different versions of this policy."))
    return render_template("consultations/diff.html", policy=policy, old=old, new=new,
                           changes=diff_service.section_diff(old, new))


# -- comments --------------------------------------------------------------------------
def _tell_author(comment, posted_message):
    verdict = getattr(comment, "verdict", None)
    messages = [str(m) for m in verdict.author_messages()] if verdict is not None else []
    if comment.status == "pending":
        flash(_("Your comment was received and is awaiting review. Only you can see it for now."), "info")
    else:
        flash(posted_message, "success")
    for message in messages:
        flash(message, "warning")


@bp.post("/<int:policy_id>/komentar")
@login_required
@form_checks_csrf
def post_comment(policy_id):
    user = current_user._get_current_object()
    policy = visible_policy(user, policy_id)
    form = CommentForm()
    form.section_id.choices = _section_choices(policy)
    if form.validate_on_submit():
        try:
            if can(user, "comment.respond", policy):
                comment = comment_service.post_official_response(
                    user, policy, body=form.body.data, comment_id=form.parent_id.data or None,
                    section_id=form.section_id.data or None)
            else:
                comment = comment_service.post_comment(
                    user, policy, body=form.body.data, stance=form.stance.data,
                    section_id=form.section_id.data or None, parent_id=form.parent_id.data or None)
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            _tell_author(comment, _("Your comment has been posted."))
            return redirect(url_for("consultations.policy", policy_id=policy.id, _anchor=f"comment-{comment.id}"))
    return _render_policy(policy.id, form=form, status=FORM_INVALID)


def _visible_comment(comment_id):
    """The comment, if the viewer may read the policy it is on (the services decide the rest)."""
    comment = comment_service.get_comment(comment_id)
    visible_policy(_viewer(), comment.target_id)
    return comment


@bp.route("/komentar/<int:comment_id>/ubah", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def edit_comment(comment_id):
    user = current_user._get_current_object()
    comment = _visible_comment(comment_id)
    if not comment_service.may_edit(user, comment):
        flash(_("Comments can be edited for 15 minutes after posting, by their author."), "warning")
        return redirect(url_for("consultations.policy", policy_id=comment.target_id, _anchor=f"comment-{comment.id}"))
    form = EditCommentForm()
    if not form.is_submitted():
        form.body.data = comment.body_source
    if form.validate_on_submit():
        try:
            comment = comment_service.edit_comment(user, comment, form.body.data)
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            _tell_author(comment, _("Your comment has been changed."))
            return redirect(url_for("consultations.policy", policy_id=comment.target_id, _anchor=f"comment-{comment.id}"))
    status = FORM_INVALID if form.is_submitted() else 200
    return render_template("consultations/edit_comment.html", form=form, comment=comment), status


@bp.post("/komentar/<int:comment_id>/hapus")
@login_required
def delete_comment(comment_id):
    comment = _visible_comment(comment_id)
    comment_service.delete_comment(current_user._get_current_object(), comment)
    flash(_("Your comment has been deleted."), "success")
    return redirect(url_for("consultations.policy", policy_id=comment.target_id, _anchor=f"comment-{comment.id}"))


# -- votes -------------------------------------------------------------------------------
@bp.post("/<int:policy_id>/suara")
@login_required
def vote_policy(policy_id):
    user = current_user._get_current_object()
    policy = visible_policy(user, policy_id)
    value = request.form.get("value", "")
    if value == "clear":
        vote_service.clear_policy_vote(user, policy)
        flash(_("Your vote has been withdrawn."), "success")
    else:
        vote_service.vote_on_policy(user, policy, value)
        flash(_("Your vote has been saved."), "success")
    return redirect(url_for("consultations.policy", policy_id=policy.id, _anchor="votes"))


@bp.post("/komentar/<int:comment_id>/nilai")
@login_required
def vote_comment(comment_id):
    user = current_user._get_current_object()
    comment = _visible_comment(comment_id)
    value = request.form.get("value", "")
    if value == "clear":
        vote_service.clear_content_vote(user, comment)
    else:
        vote_service.vote_on_content(user, comment, value)
    flash(_("Thank you for rating this comment."), "success")
    return redirect(url_for("consultations.policy", policy_id=comment.target_id, _anchor=f"comment-{comment.id}"))
