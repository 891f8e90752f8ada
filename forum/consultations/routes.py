"""Consultation pages under /konsultasi: list, policy page with comments, versions, diff, and the writes.

The policy page is the busiest page of the site; its query count must not
grow with the number of comments (tests/test_consultation_pages.py counts):
the policy with its activity revisions, whether any phase is due, and the
viewer's own vote, follow and held comments (one query); when the page is
rendered, its versions, clauses, attachments, agency and category (one),
root comments (one) and all their replies (one); and the viewer's votes on
those comments (one).

Rendered HTML is kept per process (forum/page_cache.py) under the policy's
activity revision, which every change of what the page shows replaces in its
own transaction (forum/activity.py): a visitor's whole page, served after
that first query; and for everyone the page body, which
forum/consultations/page.py renders without anything viewer-specific and
fills in per request. Visitors' list pages are kept whole under the
consultations' list revision, which any written or voted-on policy replaces,
and a one-minute clock for the days left.

Writes call one service each, then flash and redirect; a comment form with
errors re-renders the policy page with the text kept (422).
"""
from dataclasses import dataclass

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import Integer, bindparam, exists, select
from sqlalchemy.orm import aliased, joinedload
from wtforms.fields import SelectChoice

from forum import activity
from forum.comment_views import CommentViews, tell_author
from forum.consultations import bp
from forum.consultations import page as consultation_page
from forum.consultations.forms import CommentForm
from forum.errors import Conflict, Forbidden, NotFound, ValidationFailed
from forum.extensions import db
from forum.models import (
    Agency,
    Comment,
    ContentStatus,
    Follow,
    Policy,
    PolicyPhase,
    PolicyVersion,
    Stance,
    Vote,
)
from forum.models.activity import CONSULTATION_LISTS
from forum.listing_keys import list_state, listing_key
from forum.page_cache import kept, page_cache
from forum.services import diff as diff_service
from forum.services import policies as policy_service
from forum.services import reference
from forum.services import votes as vote_service
from forum.services import writing
from forum.services.policies import visible_policy
from forum.timeutil import utcnow
from forum.services.organization_voice import organizations_for
from forum.voice_forms import offer_voices, refused_voice
from forum.web import FORM_INVALID, MAX_ID, form_checks_csrf, id_arg, show_service_errors, signed_in_user

LIST_PAGE_SIZE = 20
STATUSES = ("open", "upcoming", "closed", "final")
LIST_SORTS = ("closing", "newest", "discussed")


# -- the list ------------------------------------------------------------------------
def _status_filter(status, now):
    if status == "open":
        return Policy.accepting_input_filter(now)
    if status == "upcoming":
        return (Policy.phase == PolicyPhase.OPEN) & (Policy.opens_at > now)
    if status in (PolicyPhase.CLOSED, PolicyPhase.FINAL):
        return Policy.phase == status
    return None


_LIST_STATE = list_state(CONSULTATION_LISTS)


@bp.get("/")
def index():
    return kept(listing_key(_LIST_STATE, utcnow()), _list_page)


def _list_page():
    """The list's template and context, from the query arguments."""
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
    categories = reference.categories()
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
    page = db.paginate(query.order_by(*order), page=id_arg("page") or 1, per_page=LIST_PAGE_SIZE,
                       error_out=False)
    return "consultations/index.html", dict(
        page=page, now=now, status=status, sort=sort,
        categories=categories, agencies=agencies, category=category, agency=agency,
    )


# -- the policy page -----------------------------------------------------------------
@dataclass
class PolicyPage:
    """What `_page_policy` loads: the policy, its activity revisions, and the viewer's own state on it."""

    policy: Policy
    revisions: tuple
    my_vote: str = None
    following: bool = False
    own_unpublished: bool = False  # the viewer has held or hidden comments here: their thread is not the public one


def _page_statements():
    """The page's policy query for a visitor and for a viewer, and the one loading the text; built once.

    Built once because SQLAlchemy remembers a statement's cache key: a
    statement built per request costs more to key than to run. `:policy_id`,
    `:viewer_id` and the phase check's `:now` and `:soon` are bound per
    request. In the held comments check, "+ 0" keeps the planners off the
    author and target indexes: held and hidden comments are few, an author's
    or a policy's comments many.
    """
    policy_id, viewer_id = bindparam("policy_id", type_=Integer), bindparam("viewer_id", type_=Integer)
    own = aliased(Comment, flat=True)  # apart from the policy's own `content` row
    viewer_columns = [
        select(Vote.value).where(Vote.content_id == Policy.id, Vote.user_id == viewer_id).scalar_subquery(),
        exists().where(Follow.content_id == Policy.id, Follow.user_id == viewer_id),
        select(own.id).where(own.target_id + 0 == Policy.id, own.author_id + 0 == viewer_id,
                             own.status.in_((ContentStatus.PENDING, ContentStatus.HIDDEN))).exists(),
    ]
    visitor, viewer = (select(Policy, policy_service.DUE, *activity.revisions(Policy.id), *extra)
                       .where(Policy.id == policy_id) for extra in ([], viewer_columns))
    text = select(Policy).where(Policy.id == policy_id).options(
        joinedload(Policy.agency), joinedload(Policy.category), joinedload(Policy.attachments),
        joinedload(Policy.versions).joinedload(PolicyVersion.sections))
    return visitor, viewer, text


_VISITOR_QUERY, _VIEWER_QUERY, _TEXT_QUERY = _page_statements()


def _page_policy(policy_id, viewer):
    """The policy, its revisions and the viewer's state on it: one query (two when phases are due).

    The same query asks whether some consultation is due to close or be
    announced; only then does `refresh_phases()` run and the query repeat.
    """
    if policy_id > MAX_ID:
        raise NotFound()
    statement, parameters = _VISITOR_QUERY, {"policy_id": policy_id}
    if viewer is not None:
        statement, parameters = _VIEWER_QUERY, {**parameters, "viewer_id": viewer.id}
    row = db.session.execute(statement, {**parameters, **policy_service.due_parameters()}).first()
    if row is not None and row[1]:
        policy_service.refresh_phases()
        row = db.session.execute(statement, {**parameters, **policy_service.due_parameters()}).first()
    if row is None or not row[0].is_visible_to(viewer):
        raise NotFound()
    page = PolicyPage(policy=row[0], revisions=tuple(row[2:4]))
    if viewer is not None:
        page.my_vote, page.following, page.own_unpublished = row[4], bool(row[5]), bool(row[6])
    return page


def _load_text(policy):
    """The policy's versions, clauses, attachments, agency and category: one query."""
    db.session.execute(_TEXT_QUERY, {"policy_id": policy.id}).unique().all()
    return policy


def _section_choices(policy):
    version = policy.current_version
    choices = [SelectChoice("", _("The whole policy"))]
    if version is not None:
        choices += [SelectChoice(str(s.id), _("Section %(number)d: %(heading)s", number=s.number, heading=s.heading))
                    for s in version.sections]
    return choices


def _render_policy(page, viewer, form=None, status=200):
    """The policy page for `viewer` (None for a visitor) from what `_page_policy` loaded."""
    policy, now = page.policy, utcnow()
    body = consultation_page.body(
        policy, viewer, public=viewer is None or not (viewer.is_moderator or page.own_unpublished),
        revisions=page.revisions, now=now, load_text=_load_text, page=id_arg("page") or 1,
        sort=request.args.get("urut", "newest"), section_id=id_arg("pasal"),
        stance=request.args.get("sikap") if request.args.get("sikap") in Stance.ALL else None,
    )
    reply_to = id_arg("balas")
    if form is not None and form.parent_id.data and str(form.parent_id.data).isdigit():
        reply_to = int(form.parent_id.data)

    voices = organizations_for(viewer)

    def comment_form():
        # Built only when drawn (for signed-in viewers): binding a form costs, and its CSRF token needs a session.
        built = form or CommentForm()
        built.section_id.choices = _section_choices(policy)
        built.voices = voices
        return built

    filled = consultation_page.fill(
        body, viewer, policy=policy, now=now, my_vote=page.my_vote, following=page.following,
        my_votes=vote_service.votes_of(viewer, list(body.facts)), reply_to=reply_to,
        comment_form=comment_form if viewer is not None else None, voices=voices,
    )
    return render_template("consultations/policy.html", policy=policy, body=filled), status


def _visitor_page_key(page):
    """The cache key of the whole page a visitor gets, or None when this request must be rendered.

    Only visitors' GETs of public pages are kept, never with flashed messages waiting.
    """
    if request.method != "GET" or session.get("_flashes") or not page.policy.is_public:
        return None
    return ("page", page.policy.id, *page.revisions, str(get_locale()), request.full_path,
            consultation_page.window(page.policy, utcnow()))


@bp.get("/<int:policy_id>")
def policy(policy_id):
    viewer = signed_in_user()
    page = _page_policy(policy_id, viewer)
    key = _visitor_page_key(page) if viewer is None else None
    cached = page_cache().get(key) if key is not None else None
    if cached is not None:
        return cached
    html, status = _render_policy(page, viewer)
    if key is not None:
        page_cache().put(key, html)
    return html, status


@bp.get("/<int:policy_id>/versi/<int:number>")
def version(policy_id, number):
    policy = _load_text(_page_policy(policy_id, signed_in_user()).policy)
    shown = next((v for v in policy.versions if v.number == number), None)
    if shown is None:
        raise NotFound()
    return render_template("consultations/version.html", policy=policy, shown=shown)


@bp.get("/<int:policy_id>/beda")
def diff(policy_id):
    policy = _load_text(_page_policy(policy_id, signed_in_user()).policy)
    by_number = {v.number: v for v in policy.versions}
    newest = policy.versions[-1].number if policy.versions else 0
    old = by_number.get(id_arg("dari") or newest - 1)
    new = by_number.get(id_arg("ke") or newest)
    if old is None or new is None or old.number == new.number:
        raise NotFound(_("Choose two different versions of this policy."))
    return render_template("consultations/diff.html", policy=policy, old=old, new=new,
                           changes=diff_service.section_diff(old, new))


# -- comments --------------------------------------------------------------------------
CommentViews(page_of=visible_policy, endpoint="consultations.policy", argument="policy_id",
             back_label=_l("Back to the consultation")).register(bp)


@bp.post("/<int:policy_id>/komentar")
@login_required
@form_checks_csrf
def post_comment(policy_id):
    user = current_user._get_current_object()
    policy = visible_policy(user, policy_id)
    form = CommentForm()
    form.section_id.choices = _section_choices(policy)
    status = FORM_INVALID
    if form.validate_on_submit():
        try:
            comment = writing.write(user, policy, body=form.body.data, stance=form.stance.data,
                                    section_id=form.section_id.data or None, parent_id=form.parent_id.data or None,
                                    as_organization=form.as_organization.data or None)
        except ValidationFailed as error:
            show_service_errors(form, error)
        except (Forbidden, Conflict) as error:
            status = refused_voice(form, error)
            if status is None:
                raise
        else:
            tell_author(comment, _("Your comment has been posted."))
            return redirect(url_for("consultations.policy", policy_id=policy.id, _anchor=f"comment-{comment.id}"))
    return _render_policy(_page_policy(policy.id, user), user, form=form, status=status)


# -- votes -------------------------------------------------------------------------------
@bp.post("/<int:policy_id>/suara")
@login_required
def vote_policy(policy_id):
    user = current_user._get_current_object()
    policy = visible_policy(user, policy_id)
    value = request.form.get("value", "")
    voice = request.form.get("as_organization") or None
    if value == "clear":
        vote_service.clear_policy_vote(user, policy, as_organization=voice)
        flash(_("Your vote has been withdrawn."), "success")
    else:
        vote_service.vote_on_policy(user, policy, value, as_organization=voice)
        flash(_("Your vote has been saved."), "success")
    return redirect(url_for("consultations.policy", policy_id=policy.id, _anchor="votes"))

